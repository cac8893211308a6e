/**
 * A maximum-size tenant for the plan benchmarks: an in-process local tenant (in-memory SQLite, no rate limits)
 * holding a synthetic directory, 195 IP named locations, 15 custom authentication strengths, every authentication
 * method configuration (two of them targeting groups), cross-tenant settings with partners, and 195 Conditional
 * Access policies that name hundreds of users and groups by id. The manifests are the same objects exported with
 * readable names (UPNs, group and role names, application, location and strength names) and pinned ids, as
 * `accord export` writes them, so a plan against this tenant is all no-op.
 */
import type { GraphBody } from '../../src/core/graph-port.ts';
import type { LiveObject, ReferenceLookup, ReferenceType } from '../../src/core/kind.ts';
import { API_VERSION, ID_ANNOTATION, type Manifest } from '../../src/core/manifest.ts';
import { localClientCredential } from '../../src/cli/local-credential.ts';
import { GraphClient, type GraphClientOptions } from '../../src/graph/graph-client.ts';
import { mergeMethodsPolicySpecs } from '../../src/kinds/authentication-methods-policy/index.ts';
import { mergeCrossTenantSpecs } from '../../src/kinds/cross-tenant-access-policy/index.ts';
import { registry } from '../../src/kinds/registry.ts';
import { stableGuid } from '../../src/tenant/seed/guid.ts';
import { syntheticDirectory } from '../../src/tenant/seed/synthetic.ts';
import type { DirectorySeed, SeedExternalTenant } from '../../src/tenant/seed/seed-types.ts';
import { WELL_KNOWN_APPLICATIONS } from '../../src/tenant/seed/well-known.ts';
import { startLocalTenant, type LocalTenant, type TenantSummary } from '../../src/tenant/server.ts';

export interface MaxTenantOptions {
  policies?: number;
  namedLocations?: number;
  strengths?: number;
  partners?: number;
  users?: number;
  groups?: number;
}

export interface MaxTenantCounts {
  policies: number;
  namedLocations: number;
  strengths: number;
  builtInStrengths: number;
  methodObjects: number;
  crossTenantObjects: number;
  partners: number;
  /** Distinct directory names the manifests use, by reference type. */
  names: Record<string, number>;
}

export interface MaxTenant {
  local: LocalTenant;
  summary: TenantSummary;
  manifests: Manifest[];
  counts: MaxTenantCounts;
  /** A fresh Graph client (fresh request counters); Graph's own pacing unless overridden. */
  client(app: 'reader' | 'writer', options?: Partial<GraphClientOptions>): GraphClient;
  close(): Promise<void>;
}

const STRENGTH_COMBINATIONS = [
  'fido2',
  'windowsHelloForBusiness',
  'x509CertificateMultiFactor',
  'deviceBasedPush',
  'password,microsoftAuthenticatorPush',
  'password,softwareOath',
  'password,hardwareOath',
  'temporaryAccessPassOneTime',
];
const STATES = ['enabled', 'enabledForReportingButNotEnforced', 'disabled'];

function namedLocation(i: number): GraphBody {
  const ranges = [
    { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: `10.${i}.0.0/16` },
    { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: `172.16.${i}.0/24` },
  ];
  if (i % 3 === 0)
    ranges.push({
      '@odata.type': '#microsoft.graph.iPv6CidrRange',
      cidrAddress: `2001:db8:${i.toString(16)}::/48`,
    });
  return {
    id: stableGuid(`bench:location:${i}`),
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    displayName: `Office network ${String(i).padStart(3, '0')}`,
    isTrusted: i % 5 === 0,
    ipRanges: ranges,
  };
}

interface PolicyIds {
  users: string[];
  groups: string[];
  breakGlassUsers: string[];
  breakGlassGroup: string;
  roles: string[];
  apps: string[];
  locations: string[];
  strengths: string[];
}

/** A cursor over a list that hands out consecutive items (so the policies name many distinct objects). */
function cursor<T>(items: readonly T[]): (n: number) => T[] {
  let next = 0;
  return (n) => Array.from({ length: n }, () => items[next++ % items.length]!);
}

function usersCondition(
  i: number,
  ids: PolicyIds,
  users: (n: number) => string[],
  groups: (n: number) => string[],
) {
  const excludeUsers = ids.breakGlassUsers;
  const excludeGroups = [ids.breakGlassGroup];
  switch (i % 5) {
    case 0:
      return {
        includeRoles: [ids.roles[i % ids.roles.length]!, ids.roles[(i + 1) % ids.roles.length]!],
        excludeUsers,
        excludeGroups,
      };
    case 1:
      return {
        includeUsers: ['All'],
        excludeUsers: [...excludeUsers, ...users(2)],
        excludeGroups: [...excludeGroups, ...groups(1)],
      };
    case 2:
      return { includeGroups: groups(2), excludeUsers: users(1), excludeGroups };
    case 3:
      return { includeUsers: users(4), excludeGroups };
    default:
      return { includeGroups: groups(1), includeUsers: users(2), excludeGroups };
  }
}

function policyBody(
  i: number,
  ids: PolicyIds,
  users: (n: number) => string[],
  groups: (n: number) => string[],
): GraphBody {
  const conditions: GraphBody = {
    users: usersCondition(i, ids, users, groups),
    applications: {
      includeApplications:
        i % 3 === 0
          ? ['All']
          : i % 3 === 1
            ? [ids.apps[i % ids.apps.length]!]
            : [ids.apps[i % ids.apps.length]!, ids.apps[(i * 7 + 3) % ids.apps.length]!],
    },
    clientAppTypes: i % 4 === 0 ? ['exchangeActiveSync', 'other'] : ['all'],
  };
  if (i % 4 === 3)
    conditions.locations = {
      includeLocations: [
        ids.locations[i % ids.locations.length]!,
        ids.locations[(i + 97) % ids.locations.length]!,
      ],
      excludeLocations: ['AllTrusted'],
    };
  else if (i % 4 === 1)
    conditions.locations = {
      includeLocations: ['All'],
      excludeLocations: [ids.locations[i % ids.locations.length]!],
    };
  if (i % 6 === 5) conditions.signInRiskLevels = ['high', 'medium'];
  if (i % 8 === 6) conditions.platforms = { includePlatforms: ['android', 'iOS'], excludePlatforms: [] };
  const grantControls: {
    operator: string;
    builtInControls: string[];
    authenticationStrength?: { id: string };
  } =
    i % 7 === 0
      ? { operator: 'OR', builtInControls: ['block'] }
      : i % 5 === 2 && ids.strengths.length > 0
        ? {
            operator: 'OR',
            builtInControls: [],
            authenticationStrength: { id: ids.strengths[i % ids.strengths.length]! },
          }
        : i % 2 === 0
          ? { operator: 'AND', builtInControls: ['mfa', 'compliantDevice'] }
          : { operator: 'OR', builtInControls: ['mfa'] };
  const body: GraphBody = {
    displayName: `CA${String(i).padStart(3, '0')} ${i % 5 === 0 ? 'Admins' : 'Users'} ${grantControls.builtInControls.includes('block') ? 'block' : 'require MFA'}`,
    state: STATES[i % STATES.length],
    conditions,
    grantControls,
  };
  if (i % 6 === 0)
    body.sessionControls = {
      signInFrequency: { isEnabled: true, type: 'hours', value: 8, frequencyInterval: 'timeBased' },
      persistentBrowser: { isEnabled: true, mode: 'never' },
    };
  return body;
}

function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function manifest(kind: string, name: string, spec: GraphBody, id?: string): Manifest {
  const location = { file: `bench/${kind}/${name}.yaml`, line: 1, column: 1 };
  return {
    apiVersion: API_VERSION,
    kind,
    metadata: id ? { name, annotations: { [ID_ANNOTATION]: id } } : { name },
    spec,
    source: { file: location.file, document: 0, location, locate: () => location },
  };
}

async function must<T>(what: string, promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    throw new Error(
      `setting up the benchmark tenant: ${what}: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  }
}

/** Readable names for ids, by reference type, the way `accord export` names them. */
function namesLookup(names: Map<ReferenceType, Map<string, string>>): ReferenceLookup {
  return {
    idOf(reference) {
      return reference.value;
    },
    nameOf(type, id) {
      return names.get(type)?.get(id.toLowerCase()) ?? id;
    },
  };
}

async function createStrengths(writer: GraphClient, count: number): Promise<string[]> {
  const strengths: string[] = [];
  for (let k = 0; k < count; k++) {
    const combos = [0, 1, 2].map((d) => STRENGTH_COMBINATIONS[(k * 3 + d) % STRENGTH_COMBINATIONS.length]!);
    const created = await must(
      'creating a strength',
      writer.post('/policies/authenticationStrengthPolicies', {
        displayName: `Strength ${String(k + 1).padStart(2, '0')}`,
        description: k % 2 === 0 ? `Custom strength ${k + 1}` : undefined,
        allowedCombinations: [...new Set(combos)],
      }),
    );
    strengths.push(String(created.id));
  }
  return strengths;
}

/** Partners (the first one letting two groups out) and FIDO2 / TAP targeted at groups. */
async function createPartnersAndMethods(
  writer: GraphClient,
  partners: readonly SeedExternalTenant[],
  nextGroups: (n: number) => string[],
): Promise<void> {
  for (const [k, partner] of partners.entries()) {
    const body: GraphBody = {
      tenantId: partner.tenantId,
      inboundTrust: {
        isMfaAccepted: true,
        isCompliantDeviceAccepted: k % 2 === 0,
        isHybridAzureADJoinedDeviceAccepted: false,
      },
    };
    if (k === 0)
      body.b2bCollaborationOutbound = {
        usersAndGroups: {
          accessType: 'allowed',
          targets: nextGroups(2).map((id) => ({ target: id, targetType: 'group' })),
        },
        applications: {
          accessType: 'allowed',
          targets: [{ target: 'AllApplications', targetType: 'application' }],
        },
      };
    await must(
      'creating a cross-tenant partner',
      writer.post('/policies/crossTenantAccessPolicy/partners', body),
    );
  }
  const methods = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations';
  await must(
    'targeting FIDO2 at groups',
    writer.patch(`${methods}/Fido2`, {
      '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
      state: 'enabled',
      includeTargets: nextGroups(3).map((id) => ({ targetType: 'group', id, isRegistrationRequired: false })),
    }),
  );
  await must(
    'targeting TAP at groups',
    writer.patch(`${methods}/TemporaryAccessPass`, {
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
      state: 'enabled',
      includeTargets: nextGroups(2).map((id) => ({ targetType: 'group', id, isRegistrationRequired: false })),
    }),
  );
}

/** Readable names for export: UPNs, group, role, application, location and strength names (unique ones only). */
async function readableNames(
  writer: GraphClient,
  directory: DirectorySeed,
  roleTemplates: readonly GraphBody[],
  live: ReadonlyMap<string, readonly LiveObject[]>,
): Promise<ReferenceLookup> {
  const names = new Map<ReferenceType, Map<string, string>>();
  const table = (type: ReferenceType): Map<string, string> => {
    let map = names.get(type);
    if (!map) names.set(type, (map = new Map()));
    return map;
  };
  for (const u of directory.users) table('user').set(u.id!.toLowerCase(), u.userPrincipalName);
  for (const g of directory.groups) table('group').set(g.id!.toLowerCase(), g.displayName);
  for (const r of roleTemplates) table('role').set(String(r.id).toLowerCase(), String(r.displayName));
  const principals = await writer.list('/servicePrincipals?$select=appId,displayName');
  const spNameCount = new Map<string, number>();
  for (const sp of principals) {
    const key = String(sp.displayName).toLowerCase();
    spNameCount.set(key, (spNameCount.get(key) ?? 0) + 1);
  }
  for (const sp of principals)
    if (spNameCount.get(String(sp.displayName).toLowerCase()) === 1)
      table('application').set(String(sp.appId).toLowerCase(), String(sp.displayName));

  for (const l of live.get('NamedLocation') ?? [])
    table('namedLocation').set(l.id.toLowerCase(), l.displayName);
  for (const s of live.get('AuthenticationStrengthPolicy') ?? [])
    table('authenticationStrength').set(s.id.toLowerCase(), s.displayName);
  return namesLookup(names);
}

function exportManifests(
  live: ReadonlyMap<string, readonly LiveObject[]>,
  lookup: ReferenceLookup,
): Manifest[] {
  const manifests: Manifest[] = [];
  for (const kind of registry.ordered()) {
    const objects = (live.get(kind.kind) ?? []).filter(
      (o) => !o.builtIn || kind.kind === 'CrossTenantAccessPolicy',
    );
    if (kind.kind === 'AuthenticationMethodsPolicy') {
      const spec = mergeMethodsPolicySpecs(objects.map((o) => kind.exportSpec(o, lookup)));
      manifests.push(manifest(kind.kind, 'authentication-methods', spec));
    } else if (kind.kind === 'CrossTenantAccessPolicy') {
      const spec = mergeCrossTenantSpecs(objects.map((o) => kind.exportSpec(o, lookup)));
      manifests.push(manifest(kind.kind, 'cross-tenant-access', spec));
    } else {
      for (const object of objects)
        manifests.push(
          manifest(kind.kind, slug(object.displayName), kind.exportSpec(object, lookup), object.id),
        );
    }
  }
  return manifests;
}

function countNames(manifests: readonly Manifest[]): Record<string, number> {
  const referenced = new Map<string, Set<string>>();
  for (const m of manifests)
    for (const reference of registry.get(m.kind)!.references(m.spec)) {
      const set = referenced.get(reference.type) ?? new Set<string>();
      set.add(reference.value.toLowerCase());
      referenced.set(reference.type, set);
    }
  return Object.fromEntries([...referenced].map(([type, set]) => [type, set.size]));
}

export async function startMaxTenant(options: MaxTenantOptions = {}): Promise<MaxTenant> {
  const policyCount = options.policies ?? 195;
  const locationCount = options.namedLocations ?? 195;
  const strengthCount = options.strengths ?? 15;
  const partnerCount = options.partners ?? 3;
  const directory = syntheticDirectory({ users: options.users ?? 3000, groups: options.groups ?? 600 });
  const seed: DirectorySeed = {
    ...directory,
    namedLocations: Array.from({ length: locationCount }, (_, i) => namedLocation(i)),
  };
  const local = await startLocalTenant({ seeds: [seed] });
  const summary = local.tenants()[0]!;
  const client = (app: 'reader' | 'writer', overrides: Partial<GraphClientOptions> = {}): GraphClient => {
    const registration = summary.apps.find((a) => a.displayName === `accord-${app}`);
    if (!registration) throw new Error(`the seed has no accord-${app} app`);
    return new GraphClient({
      baseUrl: local.graphUrl,
      credential: localClientCredential(
        summary.tokenEndpoint,
        registration.clientId,
        registration.clientSecret,
      ),
      ...overrides,
    });
  };
  // Setting up is not measured: no pacing (the local tenant enforces no limits here).
  const writer = client('writer', { conditionalAccessPerSecond: 1000, conditionalAccessBurst: 1000 });

  const strengths = await createStrengths(writer, strengthCount);

  const users = directory.users.filter((u) => !u.userPrincipalName.startsWith('breakglass'));
  const groups = directory.groups.filter((g) => g.displayName.startsWith('Group '));
  const breakGlassUsers = directory.users
    .filter((u) => u.userPrincipalName.startsWith('breakglass'))
    .map((u) => u.id!);
  const breakGlassGroup = directory.groups[directory.groups.length - 1]!.id!;
  const roleTemplates = await writer.list('/directoryRoleTemplates?$select=id,displayName');
  const nextGroups = cursor(groups.map((g) => g.id!));
  const nextUsers = cursor(users.map((u) => u.id!));

  const partners = directory.externalTenants.slice(0, partnerCount);
  await createPartnersAndMethods(writer, partners, nextGroups);

  const ids: PolicyIds = {
    users: users.map((u) => u.id!),
    groups: groups.map((g) => g.id!),
    breakGlassUsers,
    breakGlassGroup,
    roles: roleTemplates.map((r) => String(r.id)).slice(0, 8),
    apps: [
      ...WELL_KNOWN_APPLICATIONS.slice(0, 12).map((a) => a.appId),
      ...directory.applications.filter((a) => a.displayName.startsWith('Synthetic App')).map((a) => a.appId!),
    ],
    locations: seed.namedLocations!.map((l) => String(l.id)),
    strengths,
  };
  const policies = Array.from({ length: policyCount }, (_, i) => policyBody(i, ids, nextUsers, nextGroups));
  const results = await writer.batch(
    policies.map((body) => ({ method: 'POST' as const, path: '/identity/conditionalAccess/policies', body })),
  );
  const failed = results.findIndex((r) => r.status !== 201);
  if (failed >= 0)
    throw new Error(
      `creating policy ${failed}: ${results[failed]!.status} ${JSON.stringify(results[failed]!.body).slice(0, 400)}`,
    );

  const live = new Map<string, LiveObject[]>();
  for (const kind of registry.ordered()) live.set(kind.kind, await kind.read(writer));
  const manifests = exportManifests(live, await readableNames(writer, directory, roleTemplates, live));
  const strengthObjects = live.get('AuthenticationStrengthPolicy') ?? [];
  return {
    local,
    summary,
    manifests,
    counts: {
      policies: live.get('ConditionalAccessPolicy')?.length ?? 0,
      namedLocations: live.get('NamedLocation')?.length ?? 0,
      strengths: strengthObjects.filter((s) => !s.builtIn).length,
      builtInStrengths: strengthObjects.filter((s) => s.builtIn).length,
      methodObjects: live.get('AuthenticationMethodsPolicy')?.length ?? 0,
      crossTenantObjects: live.get('CrossTenantAccessPolicy')?.length ?? 0,
      partners: partners.length,
      names: countNames(manifests),
    },
    client,
    close: () => local.close(),
  };
}
