/**
 * What-If cases from a rule-by-rule audit of ca-evaluation.md: the statements the other tables left without a case
 * (defaults of unconfigured conditions, every operator on an unregistered device, the Service Management API group,
 * tenant scoping of internal guests, workload identities with locations, grant combination with a session, the
 * What If tool's own example of missing inputs …). Rules only the engine can see (policies Graph refuses to create,
 * session-control merging) are in src/whatif/reference-audit.test.ts.
 */
import {
  appContext,
  grant,
  policy,
  request,
  single,
  spSignIn,
  userSignIn,
  type Json,
  type WhatIfCase,
} from './case-builders.ts';
import { APPS, GROUPS, ROLES, SERVICE_PRINCIPALS, TENANTS, USERS } from './demo-identities.ts';

const member = userSignIn(USERS.member);
const to = (...appIds: string[]) => request(member, appContext(...appIds));
const withConditions = (conditions: Json) => request(member, appContext(APPS.expenses), conditions);
const as = (userId: string, extra: Json = {}) =>
  request(userSignIn(userId, extra), appContext(APPS.expenses));
const users = (u: Json) => ({ users: u });
const apps = (a: Json) => ({ applications: a });
const userAction = (action: string) =>
  request(member, { '@odata.type': '#microsoft.graph.userActionContext', userAction: action });
const authContext = (value: string) =>
  request(member, { '@odata.type': '#microsoft.graph.authContext', authenticationContextValue: value });

const guests = (types: string, tenants?: string[]) => ({
  guestOrExternalUserTypes: types,
  externalTenants: tenants
    ? {
        '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
        membershipKind: 'enumerated',
        members: tenants,
      }
    : { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' },
});

/** §2.1: conditions that are not configured, and the AND of assignments. */
const generalCases: WhatIfCase[] = [
  single(
    'no platform condition matches any platform',
    '§2.1 not configured matches everything (all device platforms)',
    {},
    withConditions({ devicePlatform: 'linux' }),
    'notSet',
  ),
  single(
    'no location condition needs no location input',
    '§2.1 not configured matches everything (all locations)',
    {},
    withConditions({}),
    'notSet',
  ),
  single(
    'no risk condition matches a high-risk sign-in',
    '§2.1 not configured matches everything',
    {},
    withConditions({ signInRiskLevel: 'high', userRiskLevel: 'high', insiderRiskLevel: 'elevated' }),
    'notSet',
  ),
  single(
    'every configured condition must match',
    '§2.1 all assignments are ANDed',
    { platforms: { includePlatforms: ['windows'] }, clientAppTypes: ['mobileAppsAndDesktopClients'] },
    withConditions({ devicePlatform: 'windows', clientAppType: 'browser' }),
    'clientApps',
  ),
  single(
    'every configured condition matches',
    '§2.1 all assignments are ANDed',
    { platforms: { includePlatforms: ['windows'] }, clientAppTypes: ['mobileAppsAndDesktopClients'] },
    withConditions({ devicePlatform: 'windows', clientAppType: 'mobileAppsAndDesktopClients' }),
    'notSet',
  ),
];

/** §2.2–2.3: users, roles and guests. */
const identityCases: WhatIfCase[] = [
  single(
    'excluded group wins over an included user id',
    '§2.2 exclusion wins',
    users({ includeUsers: [USERS.member], excludeGroups: [GROUPS.engineering] }),
    as(USERS.member),
    'users',
  ),
  single(
    'excluded role held through a group wins',
    '§2.2 exclusion wins; active roles',
    users({ includeUsers: ['All'], excludeRoles: [ROLES.helpdeskAdmin] }),
    as(USERS.helpdesk),
    'users',
  ),
  single(
    'role exclusion leaves other users in',
    '§2.2 exclusion wins',
    users({ includeUsers: ['All'], excludeRoles: [ROLES.helpdeskAdmin] }),
    as(USERS.member),
    'notSet',
  ),
  single(
    'internal guest: enumerated tenants naming this tenant',
    '§2.2 guest tenant scoping (an internal guest is at home here)',
    users({ includeGuestsOrExternalUsers: guests('internalGuest', [TENANTS.home]) }),
    as(USERS.internalGuest),
    'notSet',
  ),
  single(
    'internal guest: enumerated tenants naming another tenant',
    '§2.2 guest tenant scoping',
    users({ includeGuestsOrExternalUsers: guests('internalGuest', [TENANTS.fabrikam]) }),
    as(USERS.internalGuest),
    'users',
  ),
  single(
    'guest exclusion scoped to one tenant removes its guests',
    '§2.2 excludeGuestsOrExternalUsers with tenant scoping',
    users({
      includeUsers: ['All'],
      excludeGuestsOrExternalUsers: guests('b2bCollaborationGuest', [TENANTS.fabrikam]),
    }),
    as(USERS.fabrikamGuest),
    'users',
  ),
  single(
    'guest exclusion scoped to one tenant keeps the guests of others',
    '§2.2 excludeGuestsOrExternalUsers with tenant scoping',
    users({
      includeUsers: ['All'],
      excludeGuestsOrExternalUsers: guests('b2bCollaborationGuest', [TENANTS.fabrikam]),
    }),
    as(USERS.northwindGuest),
    'notSet',
  ),
  single(
    'service provider in its tenant',
    '§2.3 serviceProvider; §2.2 guest tenant scoping',
    users({ includeGuestsOrExternalUsers: guests('serviceProvider', [TENANTS.adatum]) }),
    as(USERS.serviceProvider),
    'notSet',
  ),
  single(
    'other external user from explicit input',
    '§2.3 otherExternalUser (explicit input)',
    users({ includeGuestsOrExternalUsers: guests('otherExternalUser') }),
    as(USERS.fabrikamGuest, { externalUserType: 'otherExternalUser', externalTenantId: TENANTS.fabrikam }),
    'notSet',
  ),
  single(
    'a B2B guest is not an other external user',
    '§2.3 otherExternalUser only as fallback; §6 #3',
    users({ includeGuestsOrExternalUsers: guests('otherExternalUser') }),
    as(USERS.fabrikamGuest),
    'users',
  ),
  single(
    'legacy GuestsOrExternalUsers includes a service provider',
    '§2.2 legacy GuestsOrExternalUsers = all six types',
    users({ includeUsers: ['GuestsOrExternalUsers'] }),
    as(USERS.serviceProvider),
    'notSet',
  ),
  single(
    'legacy GuestsOrExternalUsers includes a direct-connect user',
    '§2.2 legacy GuestsOrExternalUsers = all six types; §6 #4',
    users({ includeUsers: ['GuestsOrExternalUsers'] }),
    as('0f2d6f43-1111-4a4a-9c9c-000000000002', {
      externalUserType: 'b2bDirectConnectUser',
      externalTenantId: TENANTS.fabrikam,
    }),
    'notSet',
  ),
  single(
    'direct-connect type includes a user without a directory object',
    '§2.3 b2bDirectConnectUser (explicit input)',
    users({ includeGuestsOrExternalUsers: guests('b2bDirectConnectUser', [TENANTS.fabrikam]) }),
    as('0f2d6f43-1111-4a4a-9c9c-000000000003', {
      externalUserType: 'b2bDirectConnectUser',
      externalTenantId: TENANTS.fabrikam,
    }),
    'notSet',
  ),
];

const workload = (clientApplications: Json, extra: Json = {}) => ({
  users: { includeUsers: ['None'] },
  clientApplications,
  ...extra,
});
const block = { grant: grant('OR', 'block') };
const inMyTenant = { includeServicePrincipals: ['ServicePrincipalsInMyTenant'] };
const spFrom = (appId: string, conditions: Json = {}) =>
  request(spSignIn(appId), appContext(APPS.expenses), conditions);

/** §2.4: workload identities. */
const workloadCases: WhatIfCase[] = [
  {
    name: 'a workload identity policy blocks the service principal',
    rule: '§2.4 workload identities; §4.1 block wins',
    policies: [policy('P', workload(inMyTenant), block)],
    request: spFrom(APPS.expenses),
    expect: { P: 'notSet' },
    decision: 'blocked',
  },
  single(
    'workload identity policy with a location: inside',
    '§2.4 conditions usable: locations',
    workload(inMyTenant, { locations: { includeLocations: ['@loc:HQ'], excludeLocations: [] } }),
    spFrom(APPS.expenses, { ipAddress: '203.0.113.20' }),
    'notSet',
    block,
  ),
  single(
    'workload identity policy with a location: outside',
    '§2.4 conditions usable: locations',
    workload(inMyTenant, { locations: { includeLocations: ['@loc:HQ'], excludeLocations: [] } }),
    spFrom(APPS.expenses, { ipAddress: '192.0.2.44' }),
    'location',
    block,
  ),
  single(
    'service principal filter alone selects: match',
    '§2.4 servicePrincipalFilter (no ids listed)',
    workload({
      includeServicePrincipals: [],
      servicePrincipalFilter: {
        mode: 'include',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -eq "Medium"',
      },
    }),
    spFrom(APPS.expenses),
    'notSet',
    block,
  ),
  single(
    'service principal filter alone selects: no match',
    '§2.4 servicePrincipalFilter (no ids listed)',
    workload({
      includeServicePrincipals: [],
      servicePrincipalFilter: {
        mode: 'include',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -eq "Medium"',
      },
    }),
    spFrom(APPS.hrPortal),
    'workloadIdentities',
    block,
  ),
  single(
    'service principal risk input defaults to none',
    '§2.9 servicePrincipalRiskLevels; §6 #13',
    { ...workload(inMyTenant), servicePrincipalRiskLevels: ['low', 'medium', 'high'] },
    spFrom(APPS.expenses),
    'workloadIdentities',
    block,
  ),
  single(
    'included by object id, excluded by object id',
    '§2.4 excludeServicePrincipals wins',
    workload({
      includeServicePrincipals: [SERVICE_PRINCIPALS.expenses, SERVICE_PRINCIPALS.hrPortal],
      excludeServicePrincipals: [SERVICE_PRINCIPALS.hrPortal],
    }),
    spFrom(APPS.hrPortal),
    'workloadIdentities',
    block,
  ),
];

/** §2.5: target resources. */
const resourceCases: WhatIfCase[] = [
  single(
    'excluded admin portals win over All',
    '§2.5 excludeApplications MicrosoftAdminPortals; exclusion wins',
    apps({ includeApplications: ['All'], excludeApplications: ['MicrosoftAdminPortals'] }),
    to(APPS.azurePortal),
    'application',
  ),
  single(
    'Service Management API covers the Azure portal',
    '§2.5 Windows Azure Service Management API covers ARM, Azure portal/Entra admin center',
    apps({ includeApplications: [APPS.azureManagement] }),
    to(APPS.azurePortal),
    'notSet',
  ),
  single(
    'Service Management API covers itself',
    '§2.5 app ids; Windows Azure Service Management API',
    apps({ includeApplications: [APPS.azureManagement] }),
    to(APPS.azureManagement),
    'notSet',
  ),
  single(
    'Service Management API does not cover Microsoft Graph',
    '§2.5 Windows Azure Service Management API',
    apps({ includeApplications: [APPS.azureManagement] }),
    to(APPS.graph),
    'application',
  ),
  single(
    'excluding the Service Management API excludes the Azure portal',
    '§2.5 Windows Azure Service Management API; exclusion wins',
    apps({ includeApplications: ['All'], excludeApplications: [APPS.azureManagement] }),
    to(APPS.azurePortal),
    'application',
  ),
  single(
    'a policy for Exchange does not reach Teams',
    '§2.5 What If does not model service dependencies',
    apps({ includeApplications: [APPS.exchange] }),
    to(APPS.teams),
    'application',
  ),
  single(
    'All as input matches nothing',
    '§2.5 a group name as input matches nothing',
    {},
    to('All'),
    'application',
  ),
  single(
    'MicrosoftAdminPortals as input matches nothing',
    '§2.5 a group name as input matches nothing',
    apps({ includeApplications: ['MicrosoftAdminPortals'] }),
    to('MicrosoftAdminPortals'),
    'application',
  ),
  single(
    'user action policy vs an authentication context',
    '§2.5 includeAuthenticationContextClassReferences',
    apps({ includeUserActions: ['urn:user:registersecurityinfo'] }),
    authContext('c1'),
    'authenticationContext',
  ),
  single(
    'auth context policy vs a user action',
    '§2.5 includeUserActions',
    apps({ includeAuthenticationContextClassReferences: ['c1'] }),
    userAction('registerSecurityInformation'),
    'userActions',
  ),
  single(
    'All resources on register device',
    '§2.5 All resources on user actions; §6 #7',
    {},
    userAction('registerOrJoinDevices'),
    'notSet',
  ),
];

const locations = (include: string[], exclude: string[] = []) => ({
  locations: { includeLocations: include, excludeLocations: exclude },
});

/** §2.6: locations. */
const locationCases: WhatIfCase[] = [
  single(
    'ip location given only a country',
    '§2.6 ip location needs an ip; §5.2 missing input',
    locations(['@loc:HQ']),
    withConditions({ country: 'FR' }),
    'notEnoughInformation',
  ),
  single(
    'country decides even when the ip is trusted',
    '§2.6 country precedence; §6 #8',
    locations(['@loc:Sanctioned']),
    withConditions({ country: 'FR', ipAddress: '203.0.113.5' }),
    'location',
  ),
  single(
    'a known country not listed does not count as unknown',
    '§2.6 includeUnknownCountriesAndRegions only for unmapped sign-ins',
    locations(['@loc:Unknown']),
    withConditions({ country: 'FR' }),
    'location',
  ),
  single(
    'AllTrusted over IPv6',
    '§2.6 AllTrusted (trusted ip location, IPv6 range)',
    locations(['AllTrusted']),
    withConditions({ ipAddress: '2001:db8:abcd:1::5' }),
    'notSet',
  ),
  single(
    'excluding trusted locations needs an ip',
    '§2.6 AllTrusted needs an ip; §5.2 missing input',
    locations(['All'], ['AllTrusted']),
    withConditions({ country: 'FR' }),
    'notEnoughInformation',
  ),
  single(
    'include one location, exclude another',
    '§2.6 include any / exclude any',
    locations(['@loc:HQ'], ['@loc:Branch']),
    withConditions({ ipAddress: '203.0.113.30' }),
    'notSet',
  ),
  single(
    'excluded country wins over All',
    '§2.6 exclusion wins (country)',
    locations(['All'], ['@loc:Sanctioned']),
    withConditions({ country: 'KP' }),
    'location',
  ),
];

/** The What If tool's example (ca/what-if-tool.md, §5.2): All users, Office 365, one country, sign-in risk high. */
const toolExample = {
  applications: { includeApplications: ['Office365'] },
  ...locations(['@loc:Sanctioned']),
  signInRiskLevels: ['high'],
};
const onSharePoint = (conditions: Json) => request(member, appContext(APPS.sharePoint), conditions);

const inputCases: WhatIfCase[] = [
  single(
    'tool example: application only',
    '§5.2 missing data for a condition the policy uses → not applying (What If example row 2)',
    toolExample,
    onSharePoint({}),
    'notEnoughInformation',
  ),
  single(
    'tool example: application and location',
    '§5.2 missing data → not applying (row 3); §2.9 risk input defaults to none',
    toolExample,
    onSharePoint({ country: 'IR' }),
    'signInRisk',
  ),
  single(
    'tool example: application, location and risk',
    '§5.2 every input given → applies (row 4)',
    toolExample,
    onSharePoint({ country: 'IR', signInRiskLevel: 'high' }),
    'notSet',
  ),
];

const platforms = (include: string[], exclude: string[] = []) => ({
  platforms: { includePlatforms: include, excludePlatforms: exclude },
});

/** §2.7–2.8: platforms and client apps. */
const deviceCases: WhatIfCase[] = [
  single(
    'windowsPhone listed',
    '§2.7 platform values',
    platforms(['windowsPhone']),
    withConditions({ devicePlatform: 'windowsPhone' }),
    'notSet',
  ),
  single(
    'exclusion wins over a specific include',
    '§2.7 exclusions win',
    platforms(['iOS', 'android'], ['android']),
    withConditions({ devicePlatform: 'android' }),
    'devicePlatform',
  ),
  single(
    'Exchange ActiveSync not among other legacy clients',
    '§2.8 exchangeActiveSync vs other',
    { clientAppTypes: ['other'] },
    withConditions({ clientAppType: 'exchangeActiveSync' }),
    'clientApps',
  ),
  single(
    'EAS on supported platforms listed',
    '§2.8 easSupported',
    { clientAppTypes: ['easSupported'] },
    withConditions({ clientAppType: 'easSupported' }),
    'notSet',
  ),
  {
    name: 'legacy client facing a compliant device is blocked',
    rule: '§2.8 legacy clients cannot send device state → effectively blocked',
    policies: [policy('Device', {}, { grant: grant('OR', 'compliantDevice') })],
    request: withConditions({ clientAppType: 'other' }),
    expect: { Device: 'notSet' },
    decision: 'blocked',
  },
  {
    name: 'legacy client under a session-only policy is granted',
    rule: '§2.8 only controls block a legacy client; §4.2 session-only policies apply',
    policies: [
      policy(
        'Session',
        {},
        {
          grant: null,
          session: { applicationEnforcedRestrictions: { isEnabled: true } },
        },
      ),
    ],
    request: withConditions({ clientAppType: 'exchangeActiveSync' }),
    expect: { Session: 'notSet' },
    decision: 'granted',
  },
];

/** §2.9: risk. */
const riskCases: WhatIfCase[] = [
  single(
    'user risk input defaults to none',
    '§2.9 userRiskLevel default none',
    { userRiskLevels: ['low', 'medium', 'high'] },
    withConditions({}),
    'userRisk',
  ),
  single(
    'hidden sign-in risk listed',
    '§2.9 signInRiskLevels hidden',
    { signInRiskLevels: ['hidden'] },
    withConditions({ signInRiskLevel: 'hidden' }),
    'notSet',
  ),
  single(
    'risk level none listed matches the default',
    '§2.9 input default none ∈ list',
    { signInRiskLevels: ['none'] },
    withConditions({}),
    'notSet',
  ),
  single(
    'insider risk minor listed',
    '§2.9 insiderRiskLevels',
    { insiderRiskLevels: 'minor' },
    withConditions({ insiderRiskLevel: 'minor' }),
    'notSet',
  ),
  single(
    'user risk checked before insider risk',
    '§5.3 order (userRisk before insiderRisk)',
    { userRiskLevels: ['high'], insiderRiskLevels: 'elevated' },
    withConditions({}),
    'userRisk',
  ),
  single(
    'insider risk checked before authentication flow',
    '§5.3 order (insiderRisk before authenticationFlow)',
    { insiderRiskLevels: 'elevated', authenticationFlows: { transferMethods: 'deviceCodeFlow' } },
    withConditions({}),
    'insiderRisk',
  ),
];

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

export const REFERENCE_AUDIT_CASES: WhatIfCase[] = [
  ...generalCases,
  ...identityCases,
  ...workloadCases,
  ...resourceCases,
  ...locationCases,
  ...inputCases,
  ...deviceCases,
  ...riskCases,
  ...filterCases,
  ...grantCases,
];
