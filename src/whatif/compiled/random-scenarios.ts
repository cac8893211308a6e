/**
 * Random tenants and sign-ins over a small universe (a dozen users, a few groups, roles, tenants, apps and
 * locations), so that random policies hit each other's ids often: the differential test of the compiled engine
 * against the interpreter, and the engine benchmark's sign-in stream. Deterministic for a seed.
 */
import { mulberry32 } from '../../util/random.ts';
import { BUILT_IN_STRENGTHS } from '../built-in-strengths.ts';
import { createDirectoryView } from '../directory-view.ts';
import type {
  ExternalUserType,
  PolicyDocument,
  ServicePrincipalView,
  SignIn,
  SignInConditions,
  SignInContext,
  UserView,
  WhatIfTenant,
} from '../types.ts';
import {
  ADMIN_PORTAL_APP_IDS,
  AZURE_MANAGEMENT_APP_ID,
  defaultApplicationCatalogue,
  OFFICE_365_APP_IDS,
} from '../well-known-apps.ts';

export type Random = () => number;

const TENANT_ID = 'aaaaaaaa-0000-0000-0000-000000000001';
const USERS = Array.from({ length: 12 }, (_, i) => `u${i}`);
const GROUPS = Array.from({ length: 6 }, (_, i) => `g${i}`);
const ROLES = Array.from({ length: 4 }, (_, i) => `r${i}`);
const TENANTS = ['t0', 't1', 't2'];
const APPS = [
  'app-a',
  'app-b',
  'sp-app',
  OFFICE_365_APP_IDS[1]!,
  ADMIN_PORTAL_APP_IDS[0]!,
  OFFICE_365_APP_IDS[0]!,
  AZURE_MANAGEMENT_APP_ID,
];
const LOCATIONS = ['loc-ip-trusted', 'loc-ip', 'loc-country', 'loc-unknown-country'];
const GUEST_TYPES: ExternalUserType[] = [
  'internalGuest',
  'b2bCollaborationGuest',
  'b2bCollaborationMember',
  'b2bDirectConnectUser',
  'otherExternalUser',
  'serviceProvider',
];
const PLATFORMS = ['android', 'iOS', 'windows', 'macOS', 'linux', 'windowsPhone', 'all'];
const CLIENT_APPS = [
  'browser',
  'mobileAppsAndDesktopClients',
  'exchangeActiveSync',
  'easSupported',
  'other',
  'all',
];
const LEVELS = ['low', 'medium', 'high', 'none'];
const IPS = ['203.0.113.7', '198.51.100.15', '192.0.2.1', '2001:db8:abcd::1', '10.1.2.3'];
const DEVICE_RULES = [
  'device.isCompliant -eq True',
  'device.trustType -eq "ServerAD"',
  'device.operatingSystem -startsWith "Win" -or device.model -eq "X1"',
  'device.extensionAttribute1 -eq "kiosk"',
  'device.nonsense -eq "x"',
];

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number): boolean => random() < p;
function some<T>(random: Random, items: readonly T[], max = 2): T[] {
  const n = Math.floor(random() * (max + 1));
  return [...new Set(Array.from({ length: n }, () => pick(random, items)))];
}

function guests(random: Random): Record<string, unknown> | null {
  if (!chance(random, 0.3)) return null;
  const enumerated = chance(random, 0.4);
  return {
    guestOrExternalUserTypes: some(random, GUEST_TYPES, 3).join(',') || 'b2bCollaborationGuest',
    externalTenants: enumerated
      ? {
          '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
          membershipKind: 'enumerated',
          members: some(random, TENANTS, 2),
        }
      : { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' },
  };
}

function users(random: Random): Record<string, unknown> {
  const head = pick(random, [['All'], ['None'], [], ['GuestsOrExternalUsers'], some(random, USERS)]);
  return {
    includeUsers: head,
    excludeUsers: some(random, [...USERS, 'GuestsOrExternalUsers'], 1),
    includeGroups: some(random, GROUPS),
    excludeGroups: some(random, GROUPS, 1),
    includeRoles: some(random, ROLES, 1),
    excludeRoles: some(random, ROLES, 1),
    includeGuestsOrExternalUsers: guests(random),
    excludeGuestsOrExternalUsers: guests(random),
  };
}

function applications(random: Random): Record<string, unknown> {
  const include = pick(random, [
    ['All'],
    ['Office365'],
    ['MicrosoftAdminPortals'],
    ['None'],
    some(random, APPS),
    [],
  ]);
  const filterRule = pick(random, [
    'CustomSecurityAttribute.Sec_Level -eq "high"',
    'CustomSecurityAttribute.Bad -eq "x"',
  ]);
  return {
    includeApplications: include,
    excludeApplications: some(random, [...APPS, 'Office365'], 1),
    includeUserActions: chance(random, 0.15)
      ? [pick(random, ['urn:user:registersecurityinfo', 'urn:user:registerdevice'])]
      : [],
    includeAuthenticationContextClassReferences: chance(random, 0.15) ? some(random, ['c1', 'c2', 'c3']) : [],
    applicationFilter: chance(random, 0.1)
      ? { mode: pick(random, ['include', 'exclude']), rule: filterRule }
      : null,
  };
}

function locations(random: Random): Record<string, unknown> | null {
  if (!chance(random, 0.35)) return null;
  const ids = [...LOCATIONS, 'All', 'AllTrusted', '00000000-0000-0000-0000-000000000000', 'loc-missing'];
  const include = some(random, ids);
  return { includeLocations: include.length > 0 ? include : ['All'], excludeLocations: some(random, ids, 1) };
}

function grantControls(random: Random): Record<string, unknown> | null {
  if (chance(random, 0.1)) return null;
  const controls = some(
    random,
    ['block', 'mfa', 'compliantDevice', 'domainJoinedDevice', 'approvedApplication', 'passwordChange'],
    2,
  );
  const strength = chance(random, 0.15)
    ? { id: pick(random, [BUILT_IN_STRENGTHS[0]!.id, BUILT_IN_STRENGTHS[2]!.id, 'missing-strength']) }
    : null;
  return {
    operator: pick(random, ['OR', 'AND', 'or']),
    builtInControls: controls,
    authenticationStrength: strength,
    termsOfUse: chance(random, 0.1) ? ['tou-1'] : [],
  };
}

function conditions(random: Random): Record<string, unknown> {
  const useWorkload = chance(random, 0.1);
  return {
    ...(useWorkload
      ? {
          clientApplications: {
            includeServicePrincipals: some(random, ['ServicePrincipalsInMyTenant', 'sp-1', 'sp-2']),
            excludeServicePrincipals: some(random, ['sp-1'], 1),
          },
        }
      : chance(random, 0.97)
        ? { users: users(random) }
        : {}),
    ...(chance(random, 0.97) ? { applications: applications(random) } : {}),
    platforms: chance(random, 0.3)
      ? {
          includePlatforms: some(random, [...PLATFORMS, 'all']),
          excludePlatforms: some(random, PLATFORMS, 1),
        }
      : null,
    devices: chance(random, 0.15)
      ? { deviceFilter: { mode: pick(random, ['include', 'exclude']), rule: pick(random, DEVICE_RULES) } }
      : null,
    clientAppTypes: some(random, CLIENT_APPS, 2),
    locations: locations(random),
    signInRiskLevels: chance(random, 0.2) ? some(random, LEVELS) : [],
    userRiskLevels: chance(random, 0.2) ? some(random, LEVELS) : [],
    servicePrincipalRiskLevels: chance(random, 0.1) ? some(random, LEVELS) : [],
    insiderRiskLevels: chance(random, 0.1) ? some(random, ['minor', 'moderate', 'elevated']).join(',') : null,
    authenticationFlows: chance(random, 0.1)
      ? {
          transferMethods: pick(random, [
            'deviceCodeFlow',
            'authenticationTransfer',
            'deviceCodeFlow,authenticationTransfer',
          ]),
        }
      : null,
  };
}

export function randomPolicy(random: Random, i: number): PolicyDocument {
  const session = chance(random, 0.2)
    ? { signInFrequency: { isEnabled: true, value: 4, type: 'hours' } }
    : null;
  const policyConditions = conditions(random);
  // Workload-identity policies can only block (§2.4): mostly valid ones, some ruled out.
  const grant =
    'clientApplications' in policyConditions && chance(random, 0.8)
      ? { operator: 'OR', builtInControls: ['block'] }
      : grantControls(random);
  return {
    id: `policy-${i}`,
    displayName: `Random ${i}`,
    state: pick(random, ['enabled', 'enabled', 'enabledForReportingButNotEnforced', 'disabled']),
    conditions: policyConditions,
    grantControls: grant,
    sessionControls: session,
  };
}

function randomUser(random: Random, id: string): UserView {
  const type = chance(random, 0.4) ? pick(random, GUEST_TYPES) : undefined;
  return {
    id,
    userType: type ? 'Guest' : 'Member',
    transitiveGroupIds: some(random, GROUPS, 3),
    activeRoleTemplateIds: some(random, ROLES, 1),
    ...(type ? { externalUserType: type, homeTenantId: pick(random, TENANTS) } : {}),
  };
}

const SERVICE_PRINCIPALS: ServicePrincipalView[] = [
  { id: 'sp-1', appId: 'sp-app', isSingleTenant: true, customSecurityAttributes: { Sec: { Level: 'high' } } },
  { id: 'sp-2', appId: 'app-b', isSingleTenant: true, customSecurityAttributes: {} },
  { id: 'sp-3', appId: 'app-c', isSingleTenant: false, customSecurityAttributes: {} },
];

const NAMED_LOCATIONS = [
  {
    id: 'loc-ip-trusted',
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    isTrusted: true,
    ipRanges: [{ cidrAddress: '203.0.113.0/24' }],
  },
  {
    id: 'loc-ip',
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    isTrusted: false,
    ipRanges: [
      { lowerAddress: '198.51.100.10', upperAddress: '198.51.100.20' },
      { cidrAddress: '2001:db8:abcd::/48' },
    ],
  },
  {
    id: 'loc-country',
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    countriesAndRegions: ['KP', 'IR'],
    includeUnknownCountriesAndRegions: false,
  },
  {
    id: 'loc-unknown-country',
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    countriesAndRegions: ['RU'],
    includeUnknownCountriesAndRegions: true,
  },
];

export function randomTenant(random: Random, policyCount: number): WhatIfTenant {
  return {
    tenantId: TENANT_ID,
    policies: Array.from({ length: policyCount }, (_, i) => randomPolicy(random, i)),
    namedLocations: NAMED_LOCATIONS,
    authenticationStrengths: BUILT_IN_STRENGTHS,
    directory: createDirectoryView(
      USERS.map((id) => randomUser(random, id)),
      SERVICE_PRINCIPALS,
    ),
    applications: defaultApplicationCatalogue(),
    legacyTrustedIps: ['192.0.2.0/24'],
  };
}

function context(random: Random): SignInContext {
  const r = random();
  if (r < 0.1)
    return {
      kind: 'userAction',
      userAction: pick(random, ['registerSecurityInformation', 'registerOrJoinDevices'] as const),
    };
  if (r < 0.2) return { kind: 'authContext', authenticationContextValue: pick(random, ['c1', 'C2', 'c4']) };
  return {
    kind: 'application',
    includeApplications: some(random, [...APPS, 'Office365', 'app-c'], 2).concat(pick(random, APPS)),
  };
}

function signInConditions(random: Random): SignInConditions {
  const maybe = <T>(value: T): T | undefined => (chance(random, 0.6) ? value : undefined);
  return {
    devicePlatform: maybe(pick(random, PLATFORMS)),
    clientAppType: maybe(pick(random, CLIENT_APPS)),
    signInRiskLevel: maybe(pick(random, LEVELS)),
    userRiskLevel: maybe(pick(random, LEVELS)),
    servicePrincipalRiskLevel: maybe(pick(random, LEVELS)),
    insiderRiskLevel: maybe(pick(random, ['minor', 'moderate', 'elevated', 'none'])),
    country: chance(random, 0.2) ? pick(random, ['KP', 'fr', 'RU', '']) : undefined,
    ipAddress: maybe(pick(random, IPS)),
    authenticationFlow: chance(random, 0.2)
      ? { transferMethod: pick(random, ['deviceCodeFlow', 'none', 'authenticationTransfer']) }
      : undefined,
    deviceInfo: chance(random, 0.5)
      ? {
          isCompliant: chance(random, 0.5),
          trustType: pick(random, ['ServerAD', 'AzureAD']),
          operatingSystem: 'Windows',
          extensionAttribute1: 'kiosk',
        }
      : undefined,
  };
}

export function randomSignIn(random: Random): SignIn {
  const identity: SignIn['identity'] = chance(random, 0.08)
    ? {
        kind: 'servicePrincipal',
        servicePrincipalId: pick(random, ['sp-1', 'sp-2', 'sp-3', 'sp-app', 'nobody']),
      }
    : {
        kind: 'user',
        userId: pick(random, [...USERS, 'U3', 'stranger']),
        ...(chance(random, 0.15)
          ? { externalUserType: pick(random, GUEST_TYPES), externalTenantId: pick(random, TENANTS) }
          : {}),
      };
  return { identity, context: context(random), conditions: signInConditions(random) };
}

export function seededRandom(seed: number): Random {
  return mulberry32(seed);
}
