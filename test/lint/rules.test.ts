/** One bad and one good case per semantic lint rule (docs/lint-rules.md). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from '../../src/core/diagnostics.ts';
import type { DesiredObject } from '../../src/core/kind.ts';
import { lintPolicies } from '../../src/lint/lint-policies.ts';
import type { LintInput } from '../../src/lint/lint-input.ts';
import { emptyTenantFacts } from '../../src/lint/tenant-facts.ts';
import {
  BG_GROUP,
  factsWithBreakGlass,
  lintInput,
  manifestFor,
  methodLive,
  policy,
  userFact,
} from './fixtures.ts';

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

function lint(desired: DesiredObject[], extra: Partial<LintInput> = {}): Diagnostic[] {
  return lintPolicies(lintInput(desired, extra));
}

function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

describe('semantic lint', () => {
  it('a well-formed policy has no findings', () => {
    assert.deepEqual(lint([policy('ok')]), []);
  });

  describe('break-glass-not-excluded', () => {
    it('errors on an enabled All-users policy that does not exclude break-glass, at includeUsers', () => {
      const bad = policy('bad', {
        conditions: {
          users: { includeUsers: ['All'] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
        },
      });
      const [d] = only(lint([bad]), 'break-glass-not-excluded');
      assert.equal(d?.severity, 'error');
      assert.match(d!.summary, /bg1@contoso.test, bg2@contoso.test/);
      assert.match(d!.detail!, /Emergency access accounts/);
      assert.equal(d!.location?.pointer, '/spec/conditions/users/includeUsers');
    });
    it('accepts exclusion by user id or by role, and ignores report-only policies', () => {
      const byUsers = policy('users', {
        conditions: {
          users: { includeUsers: ['All'], excludeRoles: ['62e90394-69f5-4237-9190-012177145e10'] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
        },
      });
      const reportOnly = policy('ro', {
        state: 'enabledForReportingButNotEnforced',
        conditions: {
          users: { includeUsers: ['All'] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
        },
      });
      assert.deepEqual(only(lint([byUsers, reportOnly]), 'break-glass-not-excluded'), []);
    });
    it('warns (break-glass-unconfigured) when accord.yaml names no break-glass account', () => {
      const diagnostics = lint([policy('p')], { facts: emptyTenantFacts('t') });
      assert.deepEqual(codes(diagnostics), ['break-glass-unconfigured']);
      assert.equal(diagnostics[0]!.severity, 'warning');
    });
  });

  describe('break-glass-unresolved', () => {
    it('errors on a break-glass name the tenant does not have', () => {
      const facts = factsWithBreakGlass();
      facts.breakGlass.unresolved.push('Missing group');
      assert.deepEqual(codes(lint([policy('ok')], { facts })), ['break-glass-unresolved']);
    });
  });

  describe('block-everyone', () => {
    const blockAll = (users: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      policy('block', {
        conditions: {
          users,
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
          ...extra,
        },
        grantControls: { operator: 'OR', builtInControls: ['block'] },
      });
    it('errors on block for All users and All apps without exclusions', () => {
      const diagnostics = lint([blockAll({ includeUsers: ['All'] })]);
      assert.equal(only(diagnostics, 'block-everyone')[0]?.severity, 'error');
    });
    it('accepts the same block with an exclusion or a narrowing condition', () => {
      const excluded = blockAll({ includeUsers: ['All'], excludeGroups: [BG_GROUP] });
      const legacy = policy('legacy', {
        conditions: {
          users: { includeUsers: ['All'], excludeGroups: [BG_GROUP] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['exchangeActiveSync', 'other'],
        },
        grantControls: { operator: 'OR', builtInControls: ['block'] },
      });
      assert.deepEqual(lint([excluded, legacy]), []);
    });
  });

  describe('mfa-no-usable-method', () => {
    it('errors when email OTP, the only enabled method, is disabled', () => {
      const live = new Map([
        ['AuthenticationMethodsPolicy', [methodLive('Email', 'enabled'), methodLive('Sms', 'disabled')]],
      ]);
      const disableEmail: DesiredObject = {
        kind: 'AuthenticationMethodsPolicy',
        name: 'authentication-methods/email',
        displayName: 'Email',
        pinnedId: 'Email',
        partial: true,
        state: { state: 'disabled' },
        manifest: manifestFor('authentication-methods', {}, 'AuthenticationMethodsPolicy'),
      };
      const [d] = only(lint([policy('mfa'), disableEmail], { live }), 'mfa-no-usable-method');
      assert.equal(d?.severity, 'error');
      assert.match(d!.summary, /email one-time passcode is disabled/);
    });
    it('is quiet while a method is enabled', () => {
      assert.deepEqual(only(lint([policy('mfa')]), 'mfa-no-usable-method'), []);
    });

    const PILOT = 'eeeeeeee-0000-4000-8000-000000000001';
    const OTHERS = 'eeeeeeee-0000-4000-8000-000000000002';
    /** The tenant's methods: email enabled for the pilot group only, Authenticator as given. */
    const pilotEmail = (authenticator: 'enabled' | 'disabled') =>
      new Map([
        [
          'AuthenticationMethodsPolicy',
          [
            {
              ...methodLive('Email', 'enabled'),
              state: { state: 'enabled', includeTargets: [{ targetType: 'group', id: PILOT }] },
            },
            methodLive('MicrosoftAuthenticator', authenticator),
          ],
        ],
      ]);
    const names = new Map([
      [PILOT, 'Pilot users'],
      [OTHERS, 'Contractors'],
    ]);
    const forGroup = (group: string) =>
      policy(`mfa-${group}`, {
        conditions: {
          users: { includeGroups: [group] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
        },
      });

    it('errors when the only enabled method is enabled for a group, and the policy covers all users', () => {
      const [d] = only(
        lint([policy('mfa')], { live: pilotEmail('disabled'), names }),
        'mfa-no-usable-method',
      );
      assert.equal(d?.severity, 'error');
      assert.match(
        d!.summary,
        /covers all users, but the enabled methods \(email\) are enabled only for Pilot users/,
      );
      assert.equal(d!.location?.pointer, '/spec/grantControls');
    });

    it('errors on a policy for a group that no enabled method is enabled for; quiet for the targeted group', () => {
      const live = pilotEmail('disabled');
      const [d] = only(lint([forGroup(OTHERS)], { live, names }), 'mfa-no-usable-method');
      assert.match(d!.summary, /no enabled method is enabled for Contractors/);
      assert.deepEqual(only(lint([forGroup(PILOT)], { live, names }), 'mfa-no-usable-method'), []);
    });

    it('is quiet when another method is enabled for all users', () => {
      const live = pilotEmail('enabled');
      assert.deepEqual(only(lint([policy('mfa'), forGroup(OTHERS)], { live }), 'mfa-no-usable-method'), []);
    });
  });

  describe('mfa-otp-first-factor', () => {
    const external = () =>
      factsWithBreakGlass({
        isExternalTenant: true,
        otpFirstFactorApps: [{ appId: 'app-otp', flow: 'Sign up and sign in (passcode)' }],
      });
    it('errors when an External ID MFA policy covers an app whose customers sign in with a passcode', () => {
      const [d] = only(lint([policy('customers')], { facts: external() }), 'mfa-otp-first-factor');
      assert.equal(d?.severity, 'error');
      assert.match(d!.summary, /passcode/);
    });
    it('is quiet when the passcode app is excluded, or in a workforce tenant', () => {
      const excluded = policy('customers', {
        conditions: {
          users: { includeUsers: ['All'], excludeGroups: [BG_GROUP] },
          applications: { includeApplications: ['All'], excludeApplications: ['app-otp'] },
          clientAppTypes: ['all'],
        },
      });
      assert.deepEqual(only(lint([excluded], { facts: external() }), 'mfa-otp-first-factor'), []);
      assert.deepEqual(only(lint([policy('customers')]), 'mfa-otp-first-factor'), []);
    });
  });

  describe('mfa-with-strength', () => {
    it('errors on mfa together with an authentication strength', () => {
      const bad = policy('both', {
        grantControls: {
          operator: 'OR',
          builtInControls: ['mfa'],
          authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' },
        },
      });
      assert.deepEqual(codes(lint([bad])), ['mfa-with-strength']);
    });
    it('accepts a strength alone', () => {
      const good = policy('strength', {
        grantControls: {
          operator: 'OR',
          builtInControls: [],
          authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' },
        },
      });
      assert.deepEqual(lint([good]), []);
    });
  });

  describe('password-change-misuse', () => {
    it('errors on passwordChange with OR, without user risk', () => {
      const bad = policy('pwd', { grantControls: { operator: 'OR', builtInControls: ['passwordChange'] } });
      const [d] = only(lint([bad]), 'password-change-misuse');
      assert.match(d!.summary, /AND/);
      assert.match(d!.summary, /userRiskLevels/);
    });
    it('accepts the documented user-risk shape', () => {
      const good = policy('pwd', {
        conditions: {
          users: { includeUsers: ['All'], excludeGroups: [BG_GROUP] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
          userRiskLevels: ['high'],
        },
        grantControls: { operator: 'AND', builtInControls: ['mfa', 'passwordChange'] },
      });
      assert.deepEqual(lint([good]), []);
    });
  });

  describe('register-device-grant', () => {
    const registerDevice = (controls: string[]) =>
      policy('device', {
        conditions: {
          users: { includeUsers: ['All'], excludeGroups: [BG_GROUP] },
          applications: { includeUserActions: ['urn:user:registerdevice'] },
          clientAppTypes: ['all'],
        },
        grantControls: { operator: 'OR', builtInControls: controls },
      });
    it('errors on registerdevice with a non-mfa grant', () => {
      assert.deepEqual(codes(lint([registerDevice(['compliantDevice'])])), ['register-device-grant']);
    });
    it('accepts registerdevice with mfa', () => {
      assert.deepEqual(lint([registerDevice(['mfa'])]), []);
    });
  });

  describe('persistent-browser-scope', () => {
    const withBrowser = (apps: string[]) =>
      policy('browser', {
        conditions: {
          users: { includeUsers: ['All'], excludeGroups: [BG_GROUP] },
          applications: { includeApplications: apps },
          clientAppTypes: ['all'],
        },
        sessionControls: { persistentBrowser: { isEnabled: true, mode: 'never' } },
      });
    it('errors on persistentBrowser without All resources', () => {
      assert.deepEqual(codes(lint([withBrowser(['00000002-0000-0ff1-ce00-000000000000'])])), [
        'persistent-browser-scope',
      ]);
    });
    it('accepts persistentBrowser on All resources', () => {
      assert.deepEqual(lint([withBrowser(['All'])]), []);
    });
  });

  describe('create-enabled', () => {
    it('warns when the plan creates a policy straight as enabled', () => {
      const diagnostics = lint([policy('new')], { creates: new Set(['ConditionalAccessPolicy/new']) });
      assert.deepEqual(codes(diagnostics), ['create-enabled']);
      assert.equal(diagnostics[0]!.severity, 'warning');
      assert.equal(diagnostics[0]!.location?.pointer, '/spec/state');
    });
    it('is quiet for a report-only create and for an update to enabled', () => {
      const reportOnly = policy('ro', { state: 'enabledForReportingButNotEnforced' });
      assert.deepEqual(lint([reportOnly], { creates: new Set(['ConditionalAccessPolicy/ro']) }), []);
      assert.deepEqual(lint([policy('existing')]), []);
    });
  });

  describe('policy-cap', () => {
    it('errors above 195 policies', () => {
      assert.deepEqual(codes(lint([policy('p')], { policyCountAfter: 196 })), ['policy-cap']);
    });
    it('accepts 195', () => {
      assert.deepEqual(lint([policy('p')], { policyCountAfter: 195 }), []);
    });
  });

  describe('disabled-user-reference and deleted-location-reference', () => {
    const disabledId = 'dddddddd-0000-4000-8000-000000000001';
    const deletedLocation = 'eeeeeeee-0000-4000-8000-000000000001';
    const referencing = policy('refs', {
      conditions: {
        users: { includeUsers: ['All'], excludeGroups: [BG_GROUP], excludeUsers: [disabledId] },
        applications: { includeApplications: ['All'] },
        clientAppTypes: ['all'],
        locations: { includeLocations: ['All'], excludeLocations: [deletedLocation] },
      },
    });
    it('warns on a disabled account and a soft-deleted named location', () => {
      const facts = factsWithBreakGlass({
        namedUsers: new Map([
          [disabledId, userFact(disabledId, 'left@contoso.test', { accountEnabled: false })],
        ]),
        deletedLocations: new Map([[deletedLocation, 'Old office']]),
      });
      const diagnostics = lint([referencing], { facts });
      assert.deepEqual(codes(diagnostics).sort(), ['deleted-location-reference', 'disabled-user-reference']);
      assert.ok(diagnostics.every((d) => d.severity === 'warning'));
      assert.match(
        diagnostics.find((d) => d.code === 'deleted-location-reference')!.summary,
        /soft-deleted .*Old office/,
      );
    });
    it('is quiet when the account is enabled and the location exists', () => {
      const facts = factsWithBreakGlass({
        namedUsers: new Map([[disabledId, userFact(disabledId, 'here@contoso.test')]]),
      });
      const live = new Map([
        ['NamedLocation', [{ kind: 'NamedLocation', id: deletedLocation, displayName: 'Office', state: {} }]],
        ['AuthenticationMethodsPolicy', [methodLive('MicrosoftAuthenticator', 'enabled')]],
      ]);
      assert.deepEqual(lint([referencing], { facts, live }), []);
    });
  });

  describe('disabled-service-principal-reference', () => {
    const APP_ID = '0f0f0f0f-0000-4000-8000-000000000001';
    const WORKLOAD_SP = '5a5a5a5a-0000-4000-8000-000000000001';
    const appPolicy = policy('app', {
      conditions: {
        users: { includeUsers: ['All'], excludeGroups: [BG_GROUP] },
        applications: { includeApplications: [APP_ID] },
        clientAppTypes: ['all'],
      },
    });
    const workloadPolicy = policy('workload', {
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        users: { includeUsers: ['None'] },
        clientApplications: {
          includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
          excludeServicePrincipals: [WORKLOAD_SP],
        },
        applications: { includeApplications: ['All'] },
      },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    });
    const sps = (enabled: boolean) =>
      factsWithBreakGlass({
        namedServicePrincipals: new Map([
          [APP_ID, { id: 'sp-app', appId: APP_ID, displayName: 'Payroll', accountEnabled: enabled }],
          [WORKLOAD_SP, { id: WORKLOAD_SP, appId: 'x', displayName: 'Nightly job', accountEnabled: enabled }],
        ]),
      });

    it('warns on a disabled application and a disabled workload identity, at the list entry', () => {
      const diagnostics = lint([appPolicy, workloadPolicy], { facts: sps(false) });
      const found = only(diagnostics, 'disabled-service-principal-reference');
      assert.deepEqual(
        found.map((d) => [d.severity, d.location?.pointer]),
        [
          ['warning', '/spec/conditions/applications/includeApplications/0'],
          ['warning', '/spec/conditions/clientApplications/excludeServicePrincipals/0'],
        ],
      );
      assert.match(found[0]!.summary, /'app' names the disabled service principal Payroll/);
      assert.match(found[1]!.summary, /Nightly job/);
    });

    it('is quiet when they are enabled', () => {
      const diagnostics = lint([appPolicy, workloadPolicy], { facts: sps(true) });
      assert.deepEqual(only(diagnostics, 'disabled-service-principal-reference'), []);
    });
  });
});
