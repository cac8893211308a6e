/**
 * Random desired states for the apply reliability suites: a pool of named locations, custom authentication
 * strengths, Conditional Access policies that name them (by display name or `metadata.name`) and a tweak of the
 * authentication-methods policy. Each draw picks a random subset with random field values, so successive applies
 * to one tenant create, update and (with pruning) delete.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const POOL_PREFIX = 'accord-pool';
const API_VERSION = 'accord.dev/v1alpha1';

export interface PoolManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

export interface DesiredState {
  manifests: PoolManifest[];
  /** Display names by kind of everything that must exist once (the methods policy is a singleton, not listed). */
  displayNames: Map<string, Set<string>>;
}

export interface PoolSizes {
  locations: number;
  strengths: number;
  policies: number;
}

export const DEFAULT_POOL: PoolSizes = { locations: 5, strengths: 4, policies: 10 };

const IP_RANGES = ['203.0.113.0/24', '198.51.100.0/25', '192.0.2.0/26', '2001:db8:1::/48', '2001:db8:2::/48'];
const COUNTRIES = ['NL', 'BE', 'DE', 'FR', 'SE'];
const COMBINATIONS = [
  'fido2',
  'windowsHelloForBusiness',
  'x509CertificateMultiFactor',
  'password,microsoftAuthenticatorPush',
  'password,softwareOath',
];
const CA_STATES = ['disabled', 'enabledForReportingButNotEnforced', 'enabled'];
const CLIENT_APP_TYPES = ['all', 'browser', 'mobileAppsAndDesktopClients'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A non-empty random subset, in the original order. */
function subset<T>(random: () => number, items: readonly T[], chance = 0.5): T[] {
  const chosen = items.filter(() => random() < chance);
  return chosen.length > 0 ? chosen : [pick(random, items)];
}

function manifest(kind: string, name: string, spec: Record<string, unknown>): PoolManifest {
  return { apiVersion: API_VERSION, kind, metadata: { name }, spec };
}

function namedLocation(random: () => number, index: number): PoolManifest {
  const displayName = `${POOL_PREFIX} location ${index}`;
  // Location 0 is always a country location; the others IP ranges, some trusted (deleting those untrusts first).
  if (index === 0) {
    return manifest('NamedLocation', `pool-location-${index}`, {
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      displayName,
      countriesAndRegions: subset(random, COUNTRIES),
      includeUnknownCountriesAndRegions: random() < 0.3,
    });
  }
  return manifest('NamedLocation', `pool-location-${index}`, {
    displayName,
    isTrusted: random() < 0.4,
    ipRanges: subset(random, IP_RANGES),
  });
}

function strength(random: () => number, index: number): PoolManifest {
  return manifest('AuthenticationStrengthPolicy', `pool-strength-${index}`, {
    displayName: `${POOL_PREFIX} strength ${index}`,
    description: `Generated strength ${index}, variant ${Math.floor(random() * 3)}.`,
    allowedCombinations: subset(random, COMBINATIONS),
  });
}

function policy(
  random: () => number,
  index: number,
  locations: readonly PoolManifest[],
  strengths: readonly PoolManifest[],
): PoolManifest {
  const conditions: Record<string, unknown> = {
    users: { includeUsers: ['All'], excludeGroups: ['Emergency access accounts'] },
    applications: { includeApplications: ['All'] },
    clientAppTypes: [pick(random, CLIENT_APP_TYPES)],
  };
  if (locations.length > 0 && random() < 0.6) {
    // Named by display name or by metadata.name, both of which accord resolves.
    const names = subset(random, locations, 0.4).map((l) =>
      random() < 0.5 ? l.metadata.name : String(l.spec.displayName),
    );
    conditions.locations = { includeLocations: ['All'], excludeLocations: names };
  }
  const grantControls: Record<string, unknown> =
    strengths.length > 0 && random() < 0.5
      ? {
          operator: 'AND',
          builtInControls: [],
          authenticationStrength: {
            id: ((s: PoolManifest): string =>
              random() < 0.5 ? s.metadata.name : String(s.spec.displayName))(pick(random, strengths)),
          },
        }
      : { operator: 'OR', builtInControls: [pick(random, ['mfa', 'compliantDevice'])] };
  return manifest('ConditionalAccessPolicy', `pool-policy-${index}`, {
    displayName: `${POOL_PREFIX} policy ${index}`,
    state: pick(random, CA_STATES),
    conditions,
    grantControls,
  });
}

function methodsPolicy(random: () => number): PoolManifest {
  return manifest('AuthenticationMethodsPolicy', 'pool-authentication-methods', {
    authenticationMethodConfigurations: {
      email: {
        state: random() < 0.5 ? 'enabled' : 'disabled',
        includeTargets: [{ targetType: 'group', id: 'all_users' }],
      },
    },
  });
}

/** One random desired state: about 10–20 manifests drawn from the pool. */
export function drawDesiredState(random: () => number, sizes: PoolSizes = DEFAULT_POOL): DesiredState {
  const locations: PoolManifest[] = [];
  for (let i = 0; i < sizes.locations; i++) if (random() < 0.6) locations.push(namedLocation(random, i));
  const strengths: PoolManifest[] = [];
  for (let i = 0; i < sizes.strengths; i++) if (random() < 0.6) strengths.push(strength(random, i));
  const policies: PoolManifest[] = [];
  for (let i = 0; i < sizes.policies; i++)
    if (random() < 0.7) policies.push(policy(random, i, locations, strengths));
  const manifests = [...locations, ...strengths, ...policies];
  if (random() < 0.7) manifests.push(methodsPolicy(random));
  const displayNames = new Map<string, Set<string>>();
  for (const m of manifests) {
    if (m.kind === 'AuthenticationMethodsPolicy') continue;
    const set = displayNames.get(m.kind) ?? new Set<string>();
    set.add(String(m.spec.displayName));
    displayNames.set(m.kind, set);
  }
  return { manifests, displayNames };
}

/** Replaces the manifests of a policy repository with these (one file per kind; accord.yaml is left alone). */
export function writeDesiredState(dir: string, state: DesiredState): void {
  const manifestsDir = join(dir, 'manifests');
  mkdirSync(manifestsDir, { recursive: true });
  for (const file of readdirSync(manifestsDir)) rmSync(join(manifestsDir, file));
  const byKind = new Map<string, PoolManifest[]>();
  for (const m of state.manifests) byKind.set(m.kind, [...(byKind.get(m.kind) ?? []), m]);
  for (const [kind, manifests] of byKind) {
    const text = manifests.map((m) => stringify(m)).join('---\n');
    writeFileSync(join(manifestsDir, `${kind.toLowerCase()}.yaml`), text);
  }
}

/** The Graph collections holding pool objects, by kind. */
export const POOL_COLLECTIONS: Record<string, string> = {
  NamedLocation: '/identity/conditionalAccess/namedLocations',
  AuthenticationStrengthPolicy: '/policies/authenticationStrengthPolicies',
  ConditionalAccessPolicy: '/identity/conditionalAccess/policies',
};

export interface PoolAudit {
  /** Desired display names present more than once (one count per extra copy). */
  duplicated: string[];
  /** Desired display names absent from the tenant. */
  lost: string[];
  /** Pool objects in the tenant that are not desired (pruning should have deleted them). */
  leftover: string[];
}

/** Compares the tenant's pool objects (listed per kind as display names) with the desired state. */
export function auditPool(desired: DesiredState, tenant: ReadonlyMap<string, readonly string[]>): PoolAudit {
  const audit: PoolAudit = { duplicated: [], lost: [], leftover: [] };
  for (const kind of Object.keys(POOL_COLLECTIONS)) {
    const want = desired.displayNames.get(kind) ?? new Set<string>();
    const counts = new Map<string, number>();
    for (const name of tenant.get(kind) ?? []) {
      if (!name.startsWith(POOL_PREFIX)) continue;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const name of want) {
      const count = counts.get(name) ?? 0;
      if (count === 0) audit.lost.push(`${kind} ${name}`);
      for (let extra = 1; extra < count; extra++) audit.duplicated.push(`${kind} ${name}`);
    }
    for (const name of counts.keys()) if (!want.has(name)) audit.leftover.push(`${kind} ${name}`);
  }
  return audit;
}
