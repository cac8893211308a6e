/**
 * Rules of ca-evaluation.md that the case table (test/whatif/cases-*.ts) cannot reach because the local tenant's
 * Graph refuses such policies or the endpoint does not show the answer: §5.3 steps 1–2 (order, ruled-out
 * combinations, invalid conditions), unconfigured conditions Graph always fills, the per-policy `result`
 * vocabulary (§3), session-control merging (§4.2), the legacy MFA trusted IPs (§2.6) and the options of ADR 0006.
 * Every answer is also compared with the compiled engine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareResults } from '../../test/impact/compare-results.ts';
import { BUILT_IN_STRENGTHS } from './built-in-strengths.ts';
import { compileEngine } from './compiled/compiled-engine.ts';
import { createDirectoryView } from './directory-view.ts';
import { evaluateSignIn, evaluateWithSession } from './evaluate.ts';
import type {
  PolicyDocument,
  SignIn,
  SignInConditions,
  SignInContext,
  WhatIfOptions,
  WhatIfResult,
  WhatIfTenant,
} from './types.ts';
import { AZURE_MANAGEMENT_APP_ID, defaultApplicationCatalogue } from './well-known-apps.ts';

const USER = { id: 'u1', userType: 'Member' as const, transitiveGroupIds: ['g1'], activeRoleTemplateIds: [] };
const SP = { id: 'sp-1', appId: 'sp-app', isSingleTenant: true, customSecurityAttributes: {} };
const TRUSTED = {
  id: 'loc-trusted',
  '@odata.type': '#microsoft.graph.ipNamedLocation',
  isTrusted: true,
  ipRanges: [{ cidrAddress: '203.0.113.0/24' }],
};
const MFA = { operator: 'OR', builtInControls: ['mfa'] };
const BLOCK = { operator: 'OR', builtInControls: ['block'] };
const STRENGTH = (id: string) => ({ id: `00000000-0000-0000-0000-00000000000${id}` });

interface PolicyParts {
  state?: string;
  conditions?: Record<string, unknown>;
  grantControls?: Record<string, unknown> | null;
  sessionControls?: Record<string, unknown> | null;
}

/** All users, All resources, every client app, MFA — `parts` replace or extend that. */
function policy(id: string, parts: PolicyParts = {}): PolicyDocument {
  return {
    id,
    displayName: id,
    state: parts.state ?? 'enabled',
    conditions: {
      users: { includeUsers: ['All'] },
      applications: { includeApplications: ['All'] },
      clientAppTypes: ['all'],
      ...parts.conditions,
    },
    grantControls: parts.grantControls === undefined ? MFA : parts.grantControls,
    sessionControls: parts.sessionControls ?? null,
  };
}

function tenant(policies: PolicyDocument[], extra: Partial<WhatIfTenant> = {}): WhatIfTenant {
  return {
    tenantId: 't1',
    policies,
    namedLocations: [TRUSTED],
    authenticationStrengths: BUILT_IN_STRENGTHS,
    directory: createDirectoryView([USER], [SP]),
    applications: defaultApplicationCatalogue(),
    ...extra,
  };
}

function signIn(conditions: SignInConditions = {}, context?: SignInContext): SignIn {
  return {
    identity: { kind: 'user', userId: 'u1' },
    context: context ?? { kind: 'application', includeApplications: ['app-1'] },
    conditions,
  };
}

const spSignIn: SignIn = {
  identity: { kind: 'servicePrincipal', servicePrincipalId: 'sp-1' },
  context: { kind: 'application', includeApplications: ['app-1'] },
  conditions: {},
};

/** The interpreter's answer, checked against the compiled engine's. */
function evaluate(t: WhatIfTenant, s: SignIn, options: WhatIfOptions = {}): WhatIfResult {
  const result = evaluateSignIn(t, s, options);
  compareResults(result, compileEngine(t, options).evaluate(s), JSON.stringify(s));
  return result;
}

function reasons(t: WhatIfTenant, s: SignIn = signIn(), options: WhatIfOptions = {}): Record<string, string> {
  return Object.fromEntries(evaluate(t, s, options).policies.map((p) => [p.policyId, p.analysisReasons]));
}

describe('§2.1 conditions that are not configured match everything', () => {
  it('an empty client app list matches modern and legacy clients', () => {
    const t = tenant([policy('p', { conditions: { clientAppTypes: [] } })]);
    for (const clientAppType of ['browser', 'exchangeActiveSync', 'other', undefined])
      assert.deepEqual(reasons(t, signIn({ clientAppType })), { p: 'notSet' }, String(clientAppType));
  });

  it('null platforms, locations and device filter, empty risk lists match', () => {
    const t = tenant([
      policy('p', {
        conditions: {
          platforms: null,
          locations: null,
          devices: null,
          signInRiskLevels: [],
          userRiskLevels: [],
          insiderRiskLevels: null,
          authenticationFlows: null,
        },
      }),
    ]);
    const s = signIn({ devicePlatform: 'linux', signInRiskLevel: 'high', userRiskLevel: 'high' });
    assert.deepEqual(reasons(t, s), { p: 'notSet' });
  });
});

describe('§5.3 steps 1–2: reasons before the sign-in is looked at', () => {
  const noApplications = { users: { includeUsers: ['All'] }, applications: null };

  it('runs disabled → empty → invalid policy → invalid condition → the conditions', () => {
    const t = tenant([
      policy('disabled-and-empty', { state: 'disabled', grantControls: null }),
      policy('empty-and-invalid', { conditions: noApplications, grantControls: null }),
      policy('invalid-and-bad-location', {
        conditions: {
          ...noApplications,
          locations: { includeLocations: ['missing'], excludeLocations: [] },
        },
      }),
      policy('bad-location-and-other-user', {
        conditions: {
          users: { includeUsers: ['someone-else'] },
          locations: { includeLocations: ['missing'], excludeLocations: [] },
        },
      }),
      policy('bad-device-filter-and-other-user', {
        conditions: {
          users: { includeUsers: ['someone-else'] },
          devices: { deviceFilter: { mode: 'include', rule: 'device.trustType -like "x"' } },
        },
      }),
      policy('bad-sp-filter-on-a-user-sign-in', {
        conditions: {
          users: { includeUsers: ['None'] },
          clientApplications: {
            includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
            servicePrincipalFilter: { mode: 'include', rule: 'CustomSecurityAttribute.A_B -is "x"' },
          },
        },
        grantControls: BLOCK,
      }),
      policy('other-user', { conditions: { users: { includeUsers: ['someone-else'] } } }),
    ]);
    assert.deepEqual(reasons(t), {
      'disabled-and-empty': 'policyNotEnabled',
      'empty-and-invalid': 'emptyPolicy',
      'invalid-and-bad-location': 'invalidPolicy',
      'bad-location-and-other-user': 'invalidCondition',
      'bad-device-filter-and-other-user': 'invalidCondition',
      'bad-sp-filter-on-a-user-sign-in': 'invalidCondition',
      'other-user': 'users',
    });
  });

  it('takes a device filter longer than 3072 characters as an invalid condition', () => {
    const clause = 'device.displayName -eq "a-long-device-name"';
    const rule = Array.from({ length: 80 }, () => clause).join(' -or ');
    assert.ok(rule.length > 3072);
    const t = tenant([policy('p', { conditions: { devices: { deviceFilter: { mode: 'include', rule } } } })]);
    assert.deepEqual(reasons(t), { p: 'invalidCondition' });
  });

  it('knows All, AllTrusted and the legacy trusted IPs as locations', () => {
    const t = tenant([
      policy('p', {
        conditions: {
          locations: {
            includeLocations: ['All'],
            excludeLocations: ['AllTrusted', '00000000-0000-0000-0000-000000000000', 'LOC-TRUSTED'],
          },
        },
      }),
    ]);
    assert.deepEqual(reasons(t, signIn({ ipAddress: '192.0.2.1' })), { p: 'notSet' });
  });
});

describe('§5.3 step 2: combinations the reference rules out are invalidPolicy, with a note', () => {
  const workload = (grantControls: Record<string, unknown>, apps: Record<string, unknown> = {}) =>
    policy('p', {
      conditions: {
        users: { includeUsers: ['None'] },
        clientApplications: { includeServicePrincipals: ['ServicePrincipalsInMyTenant'] },
        applications: { includeApplications: ['All'], ...apps },
      },
      grantControls,
    });
  const registerDevice = (parts: PolicyParts) =>
    policy('p', {
      ...parts,
      conditions: { applications: { includeUserActions: ['urn:user:registerdevice'] }, ...parts.conditions },
    });
  const passwordReset = (grantControls: Record<string, unknown>, conditions: Record<string, unknown>) =>
    policy('p', { grantControls, conditions });
  const reset = { operator: 'AND', builtInControls: ['mfa', 'passwordChange'] };

  const ruledOut: [string, PolicyDocument, SignIn][] = [
    [
      'report-only on a user action (§1, §3)',
      policy('p', {
        state: 'enabledForReportingButNotEnforced',
        conditions: { applications: { includeUserActions: ['urn:user:registersecurityinfo'] } },
      }),
      signIn({}, { kind: 'userAction', userAction: 'registerSecurityInformation' }),
    ],
    ['workload identities asked for MFA (§2.4)', workload(MFA), spSignIn],
    [
      'workload identities with a strength (§2.4)',
      workload({ operator: 'OR', builtInControls: ['block'], authenticationStrength: STRENGTH('2') }),
      spSignIn,
    ],
    [
      'workload identities with an authentication context (§2.4)',
      workload(BLOCK, { includeAuthenticationContextClassReferences: ['c1'] }),
      spSignIn,
    ],
    [
      "'mfa' with an authentication strength (§4.1)",
      policy('p', {
        grantControls: { operator: 'OR', builtInControls: ['mfa'], authenticationStrength: STRENGTH('4') },
      }),
      signIn(),
    ],
    [
      'register device with a compliant device (§2.5)',
      registerDevice({ grantControls: { operator: 'OR', builtInControls: ['mfa', 'compliantDevice'] } }),
      signIn({}, { kind: 'userAction', userAction: 'registerOrJoinDevices' }),
    ],
    [
      'register device with a client app condition (§2.5)',
      registerDevice({ conditions: { clientAppTypes: ['browser'] } }),
      signIn({ clientAppType: 'browser' }, { kind: 'userAction', userAction: 'registerOrJoinDevices' }),
    ],
    [
      'register device with a device filter (§2.5)',
      registerDevice({
        conditions: { devices: { deviceFilter: { mode: 'exclude', rule: 'device.isCompliant -eq True' } } },
      }),
      signIn({}, { kind: 'userAction', userAction: 'registerOrJoinDevices' }),
    ],
    [
      'password change under OR (§4.1)',
      passwordReset({ ...reset, operator: 'OR' }, { userRiskLevels: ['high'] }),
      signIn({ userRiskLevel: 'high' }),
    ],
    [
      'password change without MFA (§4.1)',
      passwordReset({ operator: 'AND', builtInControls: ['passwordChange'] }, { userRiskLevels: ['high'] }),
      signIn({ userRiskLevel: 'high' }),
    ],
    ['password change without a user risk condition (§4.1)', passwordReset(reset, {}), signIn()],
    [
      'password change for one application (§4.1)',
      passwordReset(reset, { userRiskLevels: ['high'], applications: { includeApplications: ['app-1'] } }),
      signIn({ userRiskLevel: 'high' }),
    ],
  ];
  for (const [label, doc, s] of ruledOut) {
    it(label, () => {
      const result = evaluate(tenant([doc]), s);
      assert.equal(result.policies[0]!.analysisReasons, 'invalidPolicy');
      assert.deepEqual(
        result.policies[0]!.notes.map((n) => n.code),
        ['invalidCombination'],
      );
      assert.equal(result.decision.kind, 'granted');
    });
  }

  const allowed: [string, PolicyDocument, SignIn][] = [
    ['workload identities blocked', workload(BLOCK), spSignIn],
    [
      'an enforced policy on a user action',
      policy('p', {
        conditions: { applications: { includeUserActions: ['urn:user:registersecurityinfo'] } },
      }),
      signIn({}, { kind: 'userAction', userAction: 'registerSecurityInformation' }),
    ],
    [
      'register device with a strength',
      registerDevice({
        grantControls: { operator: 'OR', builtInControls: [], authenticationStrength: STRENGTH('2') },
      }),
      signIn({}, { kind: 'userAction', userAction: 'registerOrJoinDevices' }),
    ],
    [
      'password change ANDed with MFA on a user-risk policy for All resources',
      passwordReset(reset, { userRiskLevels: ['high'] }),
      signIn({ userRiskLevel: 'high' }),
    ],
  ];
  for (const [label, doc, s] of allowed) {
    it(`allows ${label}`, () => {
      const result = evaluate(tenant([doc]), s);
      assert.equal(result.policies[0]!.analysisReasons, 'notSet');
      assert.deepEqual(result.policies[0]!.notes, []);
    });
  }
});

describe('§3 per-policy results', () => {
  it('uses the sign-in log vocabulary for each state', () => {
    const reportOnly = 'enabledForReportingButNotEnforced';
    const t = tenant([
      policy('session-only', { grantControls: null, sessionControls: { disableResilienceDefaults: true } }),
      policy('mfa'),
      policy('compliant', { grantControls: { operator: 'OR', builtInControls: ['compliantDevice'] } }),
      policy('nobody', { conditions: { users: { includeUsers: ['None'] } } }),
      policy('disabled', { state: 'disabled' }),
      policy('ro-session-only', {
        state: reportOnly,
        grantControls: null,
        sessionControls: { persistentBrowser: { isEnabled: true, mode: 'never' } },
      }),
      policy('ro-terms', {
        state: reportOnly,
        grantControls: { operator: 'OR', builtInControls: [], termsOfUse: ['tou'] },
      }),
      policy('ro-block', { state: reportOnly, grantControls: BLOCK }),
      policy('ro-nobody', { state: reportOnly, conditions: { users: { includeUsers: ['None'] } } }),
    ]);
    const results = Object.fromEntries(evaluate(t, signIn()).policies.map((p) => [p.policyId, p.result]));
    assert.deepEqual(results, {
      'session-only': 'success',
      mfa: 'interrupted',
      compliant: 'failure',
      nobody: 'notApplied',
      disabled: 'notEnabled',
      'ro-session-only': 'reportOnlySuccess',
      'ro-terms': 'reportOnlyInterrupted',
      'ro-block': 'reportOnlyFailure',
      'ro-nobody': 'reportOnlyNotApplied',
    });
    const done = evaluateWithSession(t, signIn(), { mfaDone: true, deviceCompliant: true });
    assert.equal(done.policies.find((p) => p.policyId === 'mfa')!.result, 'success');
    assert.equal(done.policies.find((p) => p.policyId === 'compliant')!.result, 'success');
  });
});

describe('§4.1 grant operator', () => {
  it('requires every control when the operator is missing, and reads it case-insensitively', () => {
    const controls = ['mfa', 'compliantDevice'];
    const t = tenant([
      policy('missing', { grantControls: { builtInControls: controls } }),
      policy('lower-or', { grantControls: { operator: 'or', builtInControls: controls } }),
      policy('lower-and', { grantControls: { operator: 'and', builtInControls: controls } }),
    ]);
    const outcome = evaluateWithSession(t, signIn(), { mfaDone: true });
    assert.deepEqual(
      outcome.unmet.map((r) => [r.policyId, r.operator]),
      [
        ['missing', 'AND'],
        ['lower-and', 'AND'],
      ],
    );
  });
});

describe('§4.2 session controls of the applying enabled policies', () => {
  const sif = (extra: Record<string, unknown>) => ({ signInFrequency: { isEnabled: true, ...extra } });

  it('everyTime beats any period, and periods compare across units', () => {
    const t = tenant([
      policy('a', { sessionControls: sif({ value: 1, type: 'days', frequencyInterval: 'timeBased' }) }),
      policy('b', { sessionControls: sif({ frequencyInterval: 'everyTime' }) }),
      policy('c', { sessionControls: sif({ value: 20, type: 'hours', frequencyInterval: 'timeBased' }) }),
    ]);
    assert.equal(
      evaluate(t, signIn()).sessionControls.controls.signInFrequency?.frequencyInterval,
      'everyTime',
    );
    const periods = tenant([
      policy('a', { sessionControls: sif({ value: 1, type: 'days', frequencyInterval: 'timeBased' }) }),
      policy('c', { sessionControls: sif({ value: 20, type: 'hours', frequencyInterval: 'timeBased' }) }),
    ]);
    assert.equal(evaluate(periods, signIn()).sessionControls.controls.signInFrequency?.value, 20);
  });

  it('never beats always whatever the order; the strictest cloud app security wins', () => {
    const browser = (mode: string) => ({ persistentBrowser: { isEnabled: true, mode } });
    const mcas = (type: string) => ({ cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: type } });
    const t = tenant([
      policy('a', { sessionControls: { ...browser('never'), ...mcas('monitorOnly') } }),
      policy('b', { sessionControls: { ...browser('always'), ...mcas('mcasConfigured') } }),
    ]);
    const { controls, contributors } = evaluate(t, signIn()).sessionControls;
    assert.equal(controls.persistentBrowser?.mode, 'never');
    assert.equal(controls.cloudAppSecurity?.cloudAppSecurityType, 'monitorOnly');
    assert.deepEqual(
      contributors.persistentBrowser!.map((c) => c.policyId),
      ['a', 'b'],
    );
  });

  it('ORs the flags and leaves out report-only and non-applying policies', () => {
    const t = tenant([
      policy('app-restrictions', {
        sessionControls: { applicationEnforcedRestrictions: { isEnabled: true } },
      }),
      policy('secure-session', { sessionControls: { secureSignInSession: { isEnabled: false } } }),
      policy('report-only', {
        state: 'enabledForReportingButNotEnforced',
        sessionControls: { secureSignInSession: { isEnabled: true }, disableResilienceDefaults: true },
      }),
      policy('nobody', {
        conditions: { users: { includeUsers: ['None'] } },
        sessionControls: sif({ value: 1, type: 'hours', frequencyInterval: 'timeBased' }),
      }),
    ]);
    const { controls } = evaluate(t, signIn()).sessionControls;
    assert.deepEqual(controls, {
      signInFrequency: null,
      persistentBrowser: null,
      cloudAppSecurity: null,
      applicationEnforcedRestrictions: true,
      secureSignInSession: false,
      disableResilienceDefaults: false,
    });
  });

  it('takes continuous access evaluation alone as a session control (not an empty policy)', () => {
    const t = tenant([
      policy('cae', {
        grantControls: null,
        sessionControls: { continuousAccessEvaluation: { mode: 'strictEnforcement' } },
      }),
    ]);
    assert.deepEqual(reasons(t), { cae: 'notSet' });
  });
});

describe('§2.6 legacy MFA trusted IPs', () => {
  const legacy = '00000000-0000-0000-0000-000000000000';
  const t = tenant(
    [
      policy('trusted', {
        conditions: { locations: { includeLocations: ['AllTrusted'], excludeLocations: [] } },
      }),
      policy('legacy', { conditions: { locations: { includeLocations: [legacy], excludeLocations: [] } } }),
    ],
    { legacyTrustedIps: ['192.0.2.0/24', '2001:db8:ffff::/48'] },
  );

  it('count as trusted and as their own pseudo location', () => {
    assert.deepEqual(reasons(t, signIn({ ipAddress: '192.0.2.9' })), { trusted: 'notSet', legacy: 'notSet' });
    assert.deepEqual(reasons(t, signIn({ ipAddress: '198.51.100.1' })), {
      trusted: 'location',
      legacy: 'location',
    });
  });

  it('are IPv4 only', () => {
    assert.deepEqual(reasons(t, signIn({ ipAddress: '2001:db8:ffff::1' })), {
      trusted: 'location',
      legacy: 'location',
    });
  });
});

describe('§2.5 the Windows Azure Service Management API group', () => {
  it('covers the portal and the APIs bound to it, and nothing else', () => {
    const t = tenant([
      policy('arm', { conditions: { applications: { includeApplications: [AZURE_MANAGEMENT_APP_ID] } } }),
    ]);
    const covered = [
      AZURE_MANAGEMENT_APP_ID,
      'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
      'e9f49c6b-5ce5-44c8-925d-015017e9f7ad',
      'f5c26e74-f226-4ae8-85f0-b4af0080ac9e',
      'ca7f3f0b-7d91-482c-8e09-c5d840d0eac5',
    ];
    for (const appId of covered)
      assert.deepEqual(reasons(t, signIn({}, { kind: 'application', includeApplications: [appId] })), {
        arm: 'notSet',
      });
    const graph = signIn(
      {},
      { kind: 'application', includeApplications: ['00000003-0000-0000-c000-000000000000'] },
    );
    assert.deepEqual(reasons(t, graph), { arm: 'application' });
  });
});

describe('options of ADR 0006', () => {
  it('allResourcesIncludeAuthContext: false keeps All-resources policies off authentication contexts', () => {
    const t = tenant([policy('all')]);
    const s = signIn({}, { kind: 'authContext', authenticationContextValue: 'c3' });
    assert.deepEqual(reasons(t, s), { all: 'notSet' });
    assert.deepEqual(reasons(t, s, { allResourcesIncludeAuthContext: false }), {
      all: 'authenticationContext',
    });
  });
});

describe('§2.11 device code flow and device state', () => {
  it('notes that the device state did not count', () => {
    const t = tenant([
      policy('device', { grantControls: { operator: 'OR', builtInControls: ['compliantDevice'] } }),
    ]);
    const s = signIn({ authenticationFlow: { transferMethod: 'deviceCodeFlow' } });
    const outcome = evaluateWithSession(t, s, { deviceCompliant: true });
    assert.equal(outcome.granted, false);
    assert.equal(outcome.policies[0]!.result, 'failure');
    assert.ok(outcome.notes.some((n) => n.code === 'deviceCodeFlowDeviceState'));
    const transfer = signIn({ authenticationFlow: { transferMethod: 'authenticationTransfer' } });
    assert.equal(evaluateWithSession(t, transfer, { deviceCompliant: true }).granted, true);
  });
});
