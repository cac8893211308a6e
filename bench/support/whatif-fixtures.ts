/**
 * The What-If and impact benchmarks' common ground: 195 synthetic policies (the synthetic tenant's), a desired
 * state that adds a guest-MFA policy on Azure management and switches five report-only policies on, 50
 * applications, 8 contexts (browser / mobile-desktop × Windows / iOS × trusted / untrusted), and directories of
 * any size whose users sit in 3 random groups of 200 (10 % guests of three kinds, a role for 1 in 250, two
 * break-glass accounts). Deterministic.
 */
import type { ImpactContext, ImpactUser } from '../../src/impact/impact-types.ts';
import { stableGuid } from '../../src/tenant/seed/guid.ts';
import { syntheticDirectory } from '../../src/tenant/seed/synthetic.ts';
import { WELL_KNOWN_APPLICATIONS } from '../../src/tenant/seed/well-known.ts';
import { mulberry32 } from '../../src/util/random.ts';
import { BUILT_IN_STRENGTHS } from '../../src/whatif/built-in-strengths.ts';
import { createDirectoryView } from '../../src/whatif/directory-view.ts';
import type { PolicyDocument, SignIn, WhatIfTenant } from '../../src/whatif/types.ts';
import { AZURE_MANAGEMENT_APP_ID, defaultApplicationCatalogue } from '../../src/whatif/well-known-apps.ts';

export const TENANT_ID = 'bench-tenant';

const seed = syntheticDirectory({ users: 10, groups: 200, policies: 195 });
const groupIds = seed.groups.map((g) => g.id!);
export const BREAK_GLASS_GROUP = groupIds[groupIds.length - 1]!;
const ROLE_POOL = [
  '62e90394-69f5-4237-9190-012177145e10',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  'fe930be7-5e62-47db-91af-98c3a49a38b1',
];

export const BEFORE: PolicyDocument[] = (seed.conditionalAccessPolicies ?? []).map((p, i) => ({
  ...p,
  id: `syn-${i}`,
}));
export const NAMED_LOCATIONS = (seed.namedLocations ?? []).map((l, i) => ({ ...l, id: `loc-${i}` }));

const GUEST_MFA: PolicyDocument = {
  id: 'guest-mfa-azure',
  displayName: 'Guests MFA on Azure management',
  state: 'enabled',
  conditions: {
    users: {
      includeGuestsOrExternalUsers: {
        guestOrExternalUserTypes: 'b2bCollaborationGuest,internalGuest',
        externalTenants: { membershipKind: 'all' },
      },
    },
    applications: { includeApplications: [AZURE_MANAGEMENT_APP_ID] },
    clientAppTypes: ['all'],
  },
  grantControls: { operator: 'OR', builtInControls: ['mfa'] },
};

/** The desired state: one new policy, and five report-only policies switched on. */
export const AFTER: PolicyDocument[] = [
  ...BEFORE.map((p, i) => (i % 3 === 1 && i < 16 ? { ...p, state: 'enabled' } : p)),
  GUEST_MFA,
];

export const APPS = [
  ...WELL_KNOWN_APPLICATIONS.map((a) => ({ appId: a.appId, label: a.displayName })),
  { appId: AZURE_MANAGEMENT_APP_ID, label: 'Windows Azure Service Management API' },
];
while (APPS.length < 50)
  APPS.push({ appId: stableGuid(`bench-app-${APPS.length}`), label: `Line-of-business app ${APPS.length}` });
APPS.length = 50;

export const CONTEXTS: ImpactContext[] = [];
for (const clientAppType of ['browser', 'mobileAppsAndDesktopClients'])
  for (const devicePlatform of ['windows', 'iOS'])
    for (const [where, ipAddress] of [
      ['trusted', '203.0.113.9'],
      ['untrusted', '198.18.0.1'],
    ] as const)
      CONTEXTS.push({
        label: `${clientAppType} on ${devicePlatform}, ${where}`,
        conditions: { clientAppType, devicePlatform, ipAddress },
      });

export function makeUsers(count: number): ImpactUser[] {
  const random = mulberry32(count);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const guest = i % 10 === 9;
    return {
      id: stableGuid(`bench-user-${i}`),
      userPrincipalName: `user${i}@bench.example`,
      userType: guest ? 'Guest' : 'Member',
      transitiveGroupIds: i < 2 ? [BREAK_GLASS_GROUP] : [pick(groupIds), pick(groupIds), pick(groupIds)],
      activeRoleTemplateIds: i % 250 === 3 ? [pick(ROLE_POOL)] : [],
      ...(guest
        ? {
            externalUserType: pick(['b2bCollaborationGuest', 'internalGuest', 'otherExternalUser'] as const),
            homeTenantId: 'partner',
          }
        : {}),
    };
  });
}

export function whatIfTenant(policies: PolicyDocument[], users: ImpactUser[]): WhatIfTenant {
  return {
    tenantId: TENANT_ID,
    policies,
    namedLocations: NAMED_LOCATIONS,
    authenticationStrengths: BUILT_IN_STRENGTHS,
    directory: createDirectoryView(users),
    applications: defaultApplicationCatalogue(),
  };
}

/** A stream of sign-ins over the users, apps and contexts. */
export function signInsOf(users: readonly ImpactUser[], count: number): SignIn[] {
  return Array.from({ length: count }, (_, i) => ({
    identity: { kind: 'user', userId: users[(i * 7919) % users.length]!.id },
    context: { kind: 'application', includeApplications: [APPS[i % APPS.length]!.appId] },
    conditions: CONTEXTS[i % CONTEXTS.length]!.conditions,
  }));
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
