/** Builders for lint and guard unit tests: desired policies with a fake manifest, user facts, tenant facts. */
import type { GraphBody } from '../../src/core/graph-port.ts';
import type { DesiredObject, LiveObject } from '../../src/core/kind.ts';
import type { Manifest } from '../../src/core/manifest.ts';
import { canonicalPolicy } from '../../src/kinds/conditional-access-policy/index.ts';
import type { LintInput } from '../../src/lint/lint-input.ts';
import { emptyTenantFacts, type TenantFacts, type UserFact } from '../../src/lint/tenant-facts.ts';

export const BG_GROUP = '0b0b0b0b-0000-4000-8000-000000000001';
export const BG_USER_1 = 'b1b1b1b1-0000-4000-8000-000000000001';
export const BG_USER_2 = 'b1b1b1b1-0000-4000-8000-000000000002';
export const ADMIN_USER = 'adadadad-0000-4000-8000-000000000001';
export const ADMINS_GROUP = '0a0a0a0a-0000-4000-8000-000000000001';

export function manifestFor(name: string, spec: GraphBody, kind = 'ConditionalAccessPolicy'): Manifest {
  const file = `conditional-access/${name}.yaml`;
  return {
    apiVersion: 'accord.dev/v1alpha1',
    kind,
    metadata: { name },
    spec,
    source: {
      file,
      document: 0,
      location: { file, line: 1, column: 1 },
      locate: (pointer) => ({ file, line: pointer.split('/').length, column: 3, pointer }),
    },
  };
}

/** A desired policy: All users except the break-glass group, All apps, mfa, enabled — override what a test needs. */
export function policy(name: string, overrides: GraphBody = {}): DesiredObject {
  const spec: GraphBody = {
    displayName: name,
    state: 'enabled',
    conditions: {
      users: { includeUsers: ['All'], excludeGroups: [BG_GROUP] },
      applications: { includeApplications: ['All'] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    ...overrides,
  };
  return {
    kind: 'ConditionalAccessPolicy',
    name,
    displayName: name,
    state: canonicalPolicy(spec),
    manifest: manifestFor(name, spec),
  };
}

export function userFact(id: string, upn: string, extra: Partial<UserFact> = {}): UserFact {
  return {
    id,
    userPrincipalName: upn,
    accountEnabled: true,
    userType: 'Member',
    transitiveGroupIds: [],
    activeRoleTemplateIds: [],
    ...extra,
  };
}

export function factsWithBreakGlass(extra: Partial<TenantFacts> = {}): TenantFacts {
  const ga = '62e90394-69f5-4237-9190-012177145e10';
  return {
    ...emptyTenantFacts('tenant-1'),
    breakGlass: {
      configured: true,
      groups: [{ id: BG_GROUP, displayName: 'Emergency access accounts' }],
      users: [
        userFact(BG_USER_1, 'bg1@contoso.test', {
          transitiveGroupIds: [BG_GROUP],
          activeRoleTemplateIds: [ga],
        }),
        userFact(BG_USER_2, 'bg2@contoso.test', {
          transitiveGroupIds: [BG_GROUP],
          activeRoleTemplateIds: [ga],
        }),
      ],
      unresolved: [],
    },
    admins: [
      userFact(ADMIN_USER, 'admin@contoso.test', {
        transitiveGroupIds: [ADMINS_GROUP],
        activeRoleTemplateIds: [ga],
      }),
    ],
    ...extra,
  };
}

export function methodLive(id: string, state: 'enabled' | 'disabled'): LiveObject {
  return { kind: 'AuthenticationMethodsPolicy', id, displayName: id, state: { state } };
}

export function lintInput(desired: DesiredObject[], extra: Partial<LintInput> = {}): LintInput {
  return {
    desired,
    live: new Map([
      [
        'AuthenticationMethodsPolicy',
        [methodLive('MicrosoftAuthenticator', 'enabled'), methodLive('Email', 'enabled')],
      ],
    ]),
    creates: new Set(),
    policyCountAfter: desired.length,
    facts: factsWithBreakGlass(),
    ...extra,
  };
}
