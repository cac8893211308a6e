/** The lockout guard on plans built in memory: break-glass, the identity running accord, the administrators. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphBody } from '../../src/core/graph-port.ts';
import type { LiveObject } from '../../src/core/kind.ts';
import type { ResourceChange } from '../../src/core/plan.ts';
import { breakGlassSession } from '../../src/guard/check-lockout.ts';
import { guardDiagnostics } from '../../src/guard/safety-checks.ts';
import { stateAfterPlan } from '../../src/guard/tenant-after-plan.ts';
import { canonicalPolicy } from '../../src/kinds/conditional-access-policy/index.ts';
import type { TenantFacts } from '../../src/lint/tenant-facts.ts';
import { BG_GROUP, factsWithBreakGlass, methodLive } from '../lint/fixtures.ts';

const CALLER_SP = 'cccccccc-0000-4000-8000-000000000001';
const TRUSTED_LOCATION = 'aaaaaaaa-0000-4000-8000-000000000001';
const PILOT_GROUP = 'eeeeeeee-0000-4000-8000-000000000001';

function create(name: string, spec: GraphBody): ResourceChange {
  return {
    kind: 'ConditionalAccessPolicy',
    name,
    displayName: String(spec.displayName ?? name),
    action: 'create',
    reason: 'not in the tenant',
    fields: [],
    payload: canonicalPolicy({ displayName: name, state: 'enabled', ...spec }),
    file: `conditional-access/${name}.yaml`,
    line: 1,
  };
}

function conditions(users: GraphBody, extra: GraphBody = {}): GraphBody {
  return { users, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'], ...extra };
}

const BLOCK = { operator: 'OR', builtInControls: ['block'] };

function live(extra: [string, LiveObject[]][] = []): Map<string, LiveObject[]> {
  return new Map([
    ['AuthenticationMethodsPolicy', [methodLive('MicrosoftAuthenticator', 'enabled')]],
    [
      'NamedLocation',
      [
        {
          kind: 'NamedLocation',
          id: TRUSTED_LOCATION,
          displayName: 'HQ',
          state: {
            '@odata.type': '#microsoft.graph.ipNamedLocation',
            displayName: 'HQ',
            isTrusted: true,
            ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' }],
          },
        },
      ],
    ],
    ...extra,
  ]);
}

function guard(changes: ResourceChange[], facts: TenantFacts = factsWithBreakGlass()) {
  return guardDiagnostics({ changes }, live(), facts);
}

function codes(changes: ResourceChange[], facts?: TenantFacts): string[] {
  return guard(changes, facts).map((d) => d.code);
}

describe('lockout guard', () => {
  it('passes a plan whose policies exclude break-glass', () => {
    const mfa = create('mfa', {
      conditions: conditions({ includeUsers: ['All'], excludeGroups: [BG_GROUP] }),
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    assert.deepEqual(guard([mfa]), []);
  });

  it('refuses a block of all users that does not exclude break-glass, naming policy, account and way out', () => {
    const diagnostics = guard([
      create('block-all', { conditions: conditions({ includeUsers: ['All'] }), grantControls: BLOCK }),
    ]);
    const breakGlass = diagnostics.filter((d) => d.code === 'lockout-break-glass');
    assert.equal(breakGlass.length, 2);
    assert.match(breakGlass[0]!.summary, /bg1@contoso.test would be blocked by 'block-all'/);
    assert.match(breakGlass[0]!.detail!, /exclude the Emergency access accounts group from 'block-all'/);
    assert.equal(breakGlass[0]!.location?.file, 'conditional-access/block-all.yaml');
    assert.ok(diagnostics.some((d) => d.code === 'lockout-admins'));
    assert.ok(diagnostics.every((d) => d.severity === 'error'));
  });

  it('lets break-glass do MFA with an enabled method, but not satisfy a compliant device', () => {
    const mfa = create('mfa', {
      conditions: conditions({ includeUsers: ['All'] }),
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    assert.deepEqual(codes([mfa]), []);
    const device = create('device', {
      conditions: conditions({ includeUsers: ['All'] }),
      grantControls: { operator: 'OR', builtInControls: ['compliantDevice'] },
    });
    const [d] = guard([device]);
    assert.equal(d?.code, 'lockout-break-glass');
    assert.match(d!.summary, /cannot satisfy \(compliantDevice\)/);
  });

  it('counts only the methods enabled for the break-glass accounts (their groups or all users)', () => {
    const mfa = create('mfa', {
      conditions: conditions({ includeUsers: ['All'] }),
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    const authenticatorFor = (groupId: string): Map<string, LiveObject[]> =>
      live([
        [
          'AuthenticationMethodsPolicy',
          [
            {
              ...methodLive('MicrosoftAuthenticator', 'enabled'),
              state: { state: 'enabled', includeTargets: [{ targetType: 'group', id: groupId }] },
            },
          ],
        ],
      ]);
    const pilotOnly = guardDiagnostics(
      { changes: [mfa] },
      authenticatorFor(PILOT_GROUP),
      factsWithBreakGlass(),
    );
    assert.deepEqual(
      pilotOnly.map((d) => d.code),
      ['lockout-break-glass', 'lockout-break-glass'],
    );
    assert.match(pilotOnly[0]!.summary, /bg1@contoso.test would face a control it cannot satisfy \(mfa\)/);
    assert.deepEqual(
      guardDiagnostics({ changes: [mfa] }, authenticatorFor(BG_GROUP), factsWithBreakGlass()),
      [],
    );
  });

  it('ignores report-only and disabled policies', () => {
    const reportOnly = create('ro', {
      state: 'enabledForReportingButNotEnforced',
      conditions: conditions({ includeUsers: ['All'] }),
      grantControls: BLOCK,
    });
    const disabled = create('off', {
      state: 'disabled',
      conditions: conditions({ includeUsers: ['All'] }),
      grantControls: BLOCK,
    });
    assert.deepEqual(codes([reportOnly, disabled]), []);
  });

  it('refuses when no administrator can reach the admin portals, and passes when a trusted location is allowed', () => {
    const everywhere = create('block-admins', {
      conditions: conditions({ includeUsers: ['All'], excludeGroups: [BG_GROUP] }),
      grantControls: BLOCK,
    });
    const facts = factsWithBreakGlass();
    assert.deepEqual(codes([everywhere], facts), ['lockout-admins']);
    const untrustedOnly = create('block-untrusted', {
      conditions: conditions(
        { includeUsers: ['All'], excludeGroups: [BG_GROUP] },
        { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } },
      ),
      grantControls: BLOCK,
    });
    assert.deepEqual(codes([untrustedOnly], facts), []);
  });

  it("refuses a workload-identity policy that blocks accord's own service principal", () => {
    const facts = factsWithBreakGlass({
      caller: {
        appId: 'caller-app',
        servicePrincipalId: CALLER_SP,
        displayName: 'accord-writer',
        isSingleTenant: true,
      },
    });
    const blockSp = (exclude: string[]) =>
      create('block-sp', {
        conditions: {
          users: { includeUsers: ['None'] },
          clientApplications: {
            includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
            excludeServicePrincipals: exclude,
          },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
        },
        grantControls: BLOCK,
      });
    const [d] = guard([blockSp([])], facts);
    assert.equal(d?.code, 'lockout-caller');
    assert.match(d!.summary, /accord-writer, the identity running accord \(from a trusted location\)$/);
    assert.deepEqual(codes([blockSp([CALLER_SP])], facts), []);
  });

  it('checks unmanaged tenant policies too, and forgets deleted ones', () => {
    const blockAll: LiveObject = {
      kind: 'ConditionalAccessPolicy',
      id: 'ffffffff-0000-4000-8000-000000000001',
      displayName: 'Legacy block',
      state: canonicalPolicy({
        displayName: 'Legacy block',
        state: 'enabled',
        conditions: conditions({ includeUsers: ['All'] }),
        grantControls: BLOCK,
      }),
    };
    const tenant = live([['ConditionalAccessPolicy', [blockAll]]]);
    const kept = guardDiagnostics({ changes: [] }, tenant, factsWithBreakGlass());
    assert.ok(kept.some((d) => d.code === 'lockout-break-glass' && /not managed by accord/.test(d.detail!)));
    const deleted: ResourceChange = {
      kind: 'ConditionalAccessPolicy',
      name: 'Legacy block',
      displayName: 'Legacy block',
      id: blockAll.id,
      action: 'delete',
      reason: '',
      fields: [],
    };
    assert.deepEqual(guardDiagnostics({ changes: [deleted] }, tenant, factsWithBreakGlass()), []);
    assert.equal(stateAfterPlan({ changes: [deleted] }, tenant).policies.length, 0);
  });

  it('models what a break-glass account can do', () => {
    assert.deepEqual(breakGlassSession(['email'], false), { mfaDone: false, methodsUsed: ['password'] });
    assert.deepEqual(breakGlassSession(['fido2'], false), {
      mfaDone: true,
      methodsUsed: ['password', 'fido2'],
    });
  });
});
