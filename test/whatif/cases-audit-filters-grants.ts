/**
 * What-If cases from a rule-by-rule audit of ca-evaluation.md, §2.10–2.11, §3 and §4.1: device filters (every
 * operator on an unregistered device), authentication flows, policy state, grant combination with a session.
 * Rules only the engine can see are in src/whatif/reference-audit.test.ts.
 */
import { grant, policy, single, type Json, type WhatIfCase } from './case-builders.ts';
import { APPS } from './demo-identities.ts';
import { to, withConditions, users, userAction } from './audit-requests.ts';

const filter = (mode: string, rule: string) => ({ devices: { deviceFilter: { mode, rule } } });
const unregistered = withConditions({});
const device = (deviceInfo: Json) => withConditions({ deviceInfo });
const HYBRID = { trustType: 'ServerAD', isCompliant: false, extensionAttribute2: 'kiosk' };
const MANAGED = {
  trustType: 'AzureAD',
  isCompliant: false,
  mdmAppId: '0000000a-0000-0000-c000-000000000000',
  extensionAttribute15: 'frontline',
};
const REGISTERED = {
  deviceId: 'dev-42',
  trustType: 'Workplace',
  isCompliant: false,
  profileType: 'RegisteredDevice',
  systemLabels: ['MDEJoined'],
  extensionAttribute3: 'unmanaged',
};

/** Positive operators are false on an unregistered device, negative ones true (§2.10). */
const NULL_DEVICE_RULES: [string, 'notSet' | 'devices'][] = [
  ['device.displayName -startsWith "CONTOSO"', 'devices'],
  ['device.displayName -notStartsWith "CONTOSO"', 'notSet'],
  ['device.model -endsWith "5"', 'devices'],
  ['device.model -notEndsWith "5"', 'notSet'],
  ['device.manufacturer -contains "Contoso"', 'devices'],
  ['device.manufacturer -notContains "Contoso"', 'notSet'],
  ['device.operatingSystem -in ["Windows","iOS"]', 'devices'],
  ['device.operatingSystem -notIn ["Windows","iOS"]', 'notSet'],
  ['device.physicalIds -contains "[ZDID]:abc"', 'devices'],
  ['device.systemLabels -notContains "AzureResource"', 'notSet'],
];

/** §2.10: device filters. */
const filterCases: WhatIfCase[] = [
  ...NULL_DEVICE_RULES.map(([rule, reason]) =>
    single(
      `unregistered device: ${rule}`,
      '§2.10 unregistered device: positive operators false, negative true',
      filter('include', rule),
      unregistered,
      reason,
    ),
  ),
  single(
    'unregistered device under exclude mode with a negative operator',
    '§2.10 mode exclude; unregistered device',
    filter('exclude', 'device.isCompliant -ne True'),
    unregistered,
    'devices',
  ),
  single(
    'deviceId -eq',
    '§2.10 deviceId Equals',
    filter('include', 'device.deviceId -eq "dev-42"'),
    device(REGISTERED),
    'notSet',
  ),
  single(
    'deviceId -notIn',
    '§2.10 deviceId NotIn',
    filter('include', 'device.deviceId -notIn ["dev-1","dev-2"]'),
    device(REGISTERED),
    'notSet',
  ),
  single(
    'deviceId does not take -startsWith',
    '§2.10 deviceId operators (Equals, NotEquals, In, NotIn)',
    filter('include', 'device.deviceId -startsWith "dev"'),
    device(REGISTERED),
    'invalidCondition',
  ),
  single(
    'mdmAppId -in',
    '§2.10 mdmAppId In',
    filter('include', 'device.mdmAppId -in ["0000000a-0000-0000-c000-000000000000"]'),
    device(MANAGED),
    'notSet',
  ),
  single(
    'profileType -eq',
    '§2.10 profileType Equals',
    filter('include', 'device.profileType -eq "RegisteredDevice"'),
    device(REGISTERED),
    'notSet',
  ),
  single(
    'trustType -ne',
    '§2.10 trustType NotEquals (Workplace = registered)',
    filter('include', 'device.trustType -ne "Workplace"'),
    device(REGISTERED),
    'devices',
  ),
  single(
    'isCompliant -eq False',
    '§2.10 isCompliant False',
    filter('include', 'device.isCompliant -eq False'),
    device(REGISTERED),
    'notSet',
  ),
  single(
    'systemLabels -contains a whole element',
    '§2.10 systemLabels Contains',
    filter('include', 'device.systemLabels -contains "MDEJoined"'),
    device(REGISTERED),
    'notSet',
  ),
  single(
    'systemLabels do not take -eq',
    '§2.10 systemLabels operators (Contains, NotContains)',
    filter('include', 'device.systemLabels -eq "MDEJoined"'),
    device(REGISTERED),
    'invalidCondition',
  ),
  single(
    'deviceOwnership given under its rule name',
    '§2.10 deviceInfo has the same attribute names',
    filter('include', 'device.deviceOwnership -eq "Personal"'),
    device({ deviceOwnership: 'Personal', trustType: 'Workplace' }),
    'notSet',
  ),
  single(
    'deviceOwnership given as Graph ownership',
    '§2.10 deviceOwnership (deviceInfo.ownership)',
    filter('include', 'device.deviceOwnership -eq "Company"'),
    device({ ownership: 'Company', trustType: 'AzureAD' }),
    'notSet',
  ),
  single(
    'extension attribute of a hybrid joined device',
    '§2.10 extensionAttributes available when hybrid joined',
    filter('include', 'device.extensionAttribute2 -eq "kiosk"'),
    device(HYBRID),
    'notSet',
  ),
  single(
    'extension attribute of an Intune-managed device',
    '§2.10 extensionAttributes available when Intune-managed',
    filter('include', 'device.extensionAttribute15 -eq "frontline"'),
    device(MANAGED),
    'notSet',
  ),
  single(
    'extension attribute of a registered, unmanaged device is null',
    '§2.10 extensionAttributes otherwise null',
    filter('include', 'device.extensionAttribute3 -ne "unmanaged"'),
    device(REGISTERED),
    'notSet',
  ),
];

const deviceCode = { authenticationFlow: { transferMethod: 'deviceCodeFlow' } };

/** §2.11, §3, §4.1: flows, policy state, grant combination. */
const grantCases: WhatIfCase[] = [
  {
    name: 'device code flow cannot present a compliant device',
    rule: '§2.11 device code flow cannot satisfy device-state grants',
    policies: [policy('Device', {}, { grant: grant('OR', 'compliantDevice') })],
    request: withConditions(deviceCode),
    expect: { Device: 'notSet' },
    session: { state: { deviceCompliant: true }, granted: false },
  },
  {
    name: 'without device code flow the compliant device counts',
    rule: '§2.11 device code flow (counterpart); §4.1 grant met by the session',
    policies: [policy('Device', {}, { grant: grant('OR', 'compliantDevice') })],
    request: withConditions({}),
    expect: { Device: 'notSet' },
    session: { state: { deviceCompliant: true }, granted: true },
  },
  {
    name: 'device code flow can still do MFA',
    rule: '§2.11 device code flow; MFA instead of device state',
    policies: [policy('Either', {}, { grant: grant('OR', 'domainJoinedDevice', 'mfa') })],
    request: withConditions(deviceCode),
    expect: { Either: 'notSet' },
    session: { state: { hybridJoined: true, mfaDone: true }, granted: true },
  },
  {
    name: 'report-only policy on a user action is not evaluated',
    rule: '§1 report-only cannot be used for user actions; §3 evaluated: not for user-action scope',
    policies: [
      policy(
        'P',
        { applications: { includeUserActions: ['urn:user:registersecurityinfo'] } },
        { state: 'enabledForReportingButNotEnforced' },
      ),
    ],
    request: userAction('registerSecurityInformation'),
    expect: { P: 'invalidPolicy' },
    decision: 'granted',
    notes: { P: ['invalidCombination'] },
  },
  {
    name: 'a disabled policy is not evaluated at all',
    rule: '§5.3 step 1: policyNotEnabled before any condition',
    policies: [policy('P', users({ includeUsers: ['None'] }), { state: 'disabled' })],
    request: to(APPS.expenses),
    expect: { P: 'policyNotEnabled' },
    decision: 'granted',
  },
  {
    name: 'a report-only block beside an enforced MFA',
    rule: '§4.1 report-only policies never change the decision',
    policies: [
      policy('MFA'),
      policy('Block', {}, { state: 'enabledForReportingButNotEnforced', grant: grant('OR', 'block') }),
    ],
    request: to(APPS.expenses),
    expect: { MFA: 'notSet', Block: 'notSet' },
    decision: 'interrupted',
    requirements: { MFA: ['mfa'] },
  },
  {
    name: 'block wins even when the other grant is met',
    rule: '§4.1 block wins',
    policies: [policy('MFA'), policy('Block', {}, { grant: grant('OR', 'block') })],
    request: to(APPS.expenses),
    expect: { MFA: 'notSet', Block: 'notSet' },
    decision: 'blocked',
    session: { state: { mfaDone: true }, granted: false },
  },
  {
    name: 'AND needs every control',
    rule: '§4.1 operator AND = all selected controls',
    policies: [policy('P', {}, { grant: grant('AND', 'mfa', 'compliantDevice') })],
    request: to(APPS.expenses),
    expect: { P: 'notSet' },
    requirements: { P: ['mfa', 'compliantDevice'] },
    session: { state: { mfaDone: true }, granted: false },
  },
  {
    name: 'OR needs one control',
    rule: '§4.1 operator OR = any one',
    policies: [policy('P', {}, { grant: grant('OR', 'mfa', 'compliantDevice') })],
    request: to(APPS.expenses),
    expect: { P: 'notSet' },
    requirements: { P: ['mfa', 'compliantDevice'] },
    session: { state: { mfaDone: true }, granted: true },
  },
  {
    name: 'controls are asked in prompt order',
    rule: '§4.1 prompt order MFA → compliant → hybrid joined → approved app → app protection → terms of use',
    policies: [
      policy(
        'P',
        {},
        {
          grant: {
            operator: 'AND',
            builtInControls: [
              'compliantApplication',
              'approvedApplication',
              'domainJoinedDevice',
              'compliantDevice',
              'mfa',
            ],
            termsOfUse: ['tou-audit'],
          },
        },
      ),
    ],
    request: to(APPS.expenses),
    expect: { P: 'notSet' },
    requirements: {
      P: [
        'mfa',
        'compliantDevice',
        'domainJoinedDevice',
        'approvedApplication',
        'compliantApplication',
        'tou-audit',
      ],
    },
  },
  {
    name: 'terms of use under AND with MFA: MFA alone is not enough',
    rule: '§4.1 one flat control list (termsOfUse) under the operator; §6 #11',
    policies: [
      policy('P', {}, { grant: { operator: 'AND', builtInControls: ['mfa'], termsOfUse: ['tou-1'] } }),
    ],
    request: to(APPS.expenses),
    expect: { P: 'notSet' },
    requirements: { P: ['mfa', 'tou-1'] },
    session: { state: { mfaDone: true }, granted: false },
  },
  {
    name: 'terms of use under AND with MFA: both done',
    rule: '§4.1 one flat control list (termsOfUse) under the operator; §6 #11',
    policies: [
      policy('P', {}, { grant: { operator: 'AND', builtInControls: ['mfa'], termsOfUse: ['tou-1'] } }),
    ],
    request: to(APPS.expenses),
    expect: { P: 'notSet' },
    session: { state: { mfaDone: true, termsAccepted: ['tou-1'] }, granted: true },
  },
  {
    name: 'a custom control under OR',
    rule: '§4.1 one flat control list (customAuthenticationFactors) under the operator',
    policies: [
      policy(
        'P',
        {},
        { grant: { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: ['duo'] } },
      ),
    ],
    request: to(APPS.expenses),
    expect: { P: 'notSet' },
    requirements: { P: ['mfa', 'duo'] },
    session: { state: { customFactors: ['duo'] }, granted: true },
  },
  {
    name: 'the built-in MFA strength is met by MFA',
    rule: '§4.1 built-in strength …0002 ≡ mfa',
    policies: [
      policy(
        'P',
        {},
        {
          grant: {
            operator: 'OR',
            builtInControls: [],
            authenticationStrength: { id: '00000000-0000-0000-0000-000000000002' },
          },
        },
      ),
    ],
    request: to(APPS.expenses),
    expect: { P: 'notSet' },
    requirements: { P: ['Multifactor authentication'] },
    session: { state: { mfaDone: true }, granted: true },
  },
  {
    name: 'two strengths must both be met',
    rule: '§4.1 multiple applying authentication strengths must all be satisfied',
    policies: [
      policy(
        'MFA strength',
        {},
        {
          grant: {
            operator: 'OR',
            builtInControls: [],
            authenticationStrength: { id: '00000000-0000-0000-0000-000000000002' },
          },
        },
      ),
      policy(
        'Phishing resistant',
        {},
        {
          grant: {
            operator: 'OR',
            builtInControls: [],
            authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' },
          },
        },
      ),
    ],
    request: to(APPS.expenses),
    expect: { 'MFA strength': 'notSet', 'Phishing resistant': 'notSet' },
    session: { state: { methodsUsed: ['password', 'sms'] }, granted: false },
  },
  {
    name: 'one phishing-resistant method meets both strengths',
    rule: '§4.1 a method satisfies a strength when it is an allowed combination',
    policies: [
      policy(
        'MFA strength',
        {},
        {
          grant: {
            operator: 'OR',
            builtInControls: [],
            authenticationStrength: { id: '00000000-0000-0000-0000-000000000002' },
          },
        },
      ),
      policy(
        'Phishing resistant',
        {},
        {
          grant: {
            operator: 'OR',
            builtInControls: [],
            authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' },
          },
        },
      ),
    ],
    request: to(APPS.expenses),
    expect: { 'MFA strength': 'notSet', 'Phishing resistant': 'notSet' },
    session: { state: { methodsUsed: ['fido2'] }, granted: true },
  },
  {
    name: 'password change with MFA on a risky user',
    rule: '§4.1 passwordChange ANDed with mfa on a user-risk policy for All resources',
    policies: [policy('P', { userRiskLevels: ['high'] }, { grant: grant('AND', 'mfa', 'passwordChange') })],
    request: withConditions({ userRiskLevel: 'high' }),
    expect: { P: 'notSet' },
    requirements: { P: ['mfa', 'passwordChange'] },
    session: { state: { mfaDone: true, passwordChanged: true }, granted: true },
  },
];

export const REFERENCE_AUDIT_FILTER_GRANT_CASES: WhatIfCase[] = [...filterCases, ...grantCases];
