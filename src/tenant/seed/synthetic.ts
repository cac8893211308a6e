/**
 * A deterministic, large directory for benchmarks and load tests: N users (about 10% guests of the several
 * external types; the count includes two break-glass accounts), M groups (plus the break-glass group) nested at most 4 deep, role assignments, apps, and optionally Conditional Access
 * policies and named locations. The same options always produce the same seed; 10,000 users build in tens of ms.
 */
import { demoDirectory } from './demo.ts';
import { stableGuid } from './guid.ts';
import type {
  DirectorySeed,
  SeedAppRegistration,
  SeedApplication,
  SeedExternalTenant,
  SeedGroup,
  SeedRoleAssignment,
  SeedUser,
} from './seed-types.ts';
import { WELL_KNOWN_APPLICATIONS } from './well-known.ts';
import { mulberry32 } from '../../util/random.ts';

export interface SyntheticOptions {
  users: number;
  groups: number;
  /** Conditional Access policies to include (e.g. 195, the documented per-tenant limit). */
  policies?: number;
  /** Varies names and ids; default 1. */
  seed?: number;
  domain?: string;
}

export const SYNTHETIC_BREAK_GLASS_GROUP = 'Emergency access accounts';
const DEPARTMENTS = [
  'Engineering',
  'Sales',
  'Finance',
  'IT',
  'HR',
  'Marketing',
  'Operations',
  'Legal',
  'Support',
  'Research',
];
const GIVEN = [
  'Alex',
  'Sam',
  'Jordan',
  'Taylor',
  'Morgan',
  'Casey',
  'Riley',
  'Jamie',
  'Avery',
  'Quinn',
  'Drew',
  'Robin',
];
const SURNAMES = [
  'Smith',
  'Jones',
  'Garcia',
  'Chen',
  'Patel',
  'Kim',
  'Novak',
  'Silva',
  'Okafor',
  'Larsen',
  'Rossi',
  'Meyer',
];
const ROLES = [
  'Global Administrator',
  'Conditional Access Administrator',
  'Security Administrator',
  'Security Reader',
  'User Administrator',
  'Helpdesk Administrator',
  'Global Reader',
];

const prng = mulberry32;

interface Build {
  seed: number;
  domain: string;
  random: () => number;
  partners: SeedExternalTenant[];
}

function pick<T>(b: Build, list: readonly T[]): T {
  return list[Math.floor(b.random() * list.length)]!;
}

function memberUser(b: Build, i: number): SeedUser {
  const givenName = GIVEN[i % GIVEN.length]!;
  const surname = SURNAMES[Math.floor(i / GIVEN.length) % SURNAMES.length]!;
  const upn = `user${i}@${b.domain}`;
  return {
    id: stableGuid(`synthetic:${b.seed}:user:${i}`),
    userPrincipalName: upn,
    displayName: `${givenName} ${surname} ${i}`,
    givenName,
    surname,
    mail: upn,
    department: DEPARTMENTS[i % DEPARTMENTS.length]!,
    jobTitle: i % 50 === 0 ? 'Manager' : 'Staff',
    accountEnabled: i % 97 !== 0,
    authenticationMethods: i % 5 === 0 ? ['password'] : ['password', 'microsoftAuthenticatorPush'],
    password: 'Passw0rd!',
  };
}

type GuestKind = 'aad' | 'aadMember' | 'msa' | 'otp' | 'serviceProvider' | 'internal';
const GUEST_KINDS: GuestKind[] = [
  'aad',
  'aad',
  'aad',
  'msa',
  'otp',
  'aadMember',
  'serviceProvider',
  'internal',
];

function guestUser(b: Build, i: number): SeedUser {
  const kind = GUEST_KINDS[Math.floor(i / 10) % GUEST_KINDS.length]!;
  const id = stableGuid(`synthetic:${b.seed}:user:${i}`);
  if (kind === 'internal') {
    return {
      ...memberUser(b, i),
      userType: 'Guest',
      externalUserType: 'internalGuest',
      jobTitle: 'Contractor',
    };
  }
  const partner =
    kind === 'serviceProvider'
      ? b.partners[b.partners.length - 1]!
      : b.partners[i % (b.partners.length - 1)]!;
  const emailDomain = kind === 'msa' ? 'outlook.com' : kind === 'otp' ? 'example.org' : partner.domain;
  const email = `guest${i}@${emailDomain}`;
  const issuer = kind === 'msa' ? 'MicrosoftAccount' : kind === 'otp' ? 'mail' : 'ExternalAzureAD';
  const aad = issuer === 'ExternalAzureAD';
  return {
    id,
    userPrincipalName: `guest${i}_${emailDomain}#EXT#@${b.domain}`,
    displayName: `Guest ${i}`,
    mail: email,
    userType: kind === 'aadMember' ? 'Member' : 'Guest',
    creationType: 'Invitation',
    externalUserState: 'Accepted',
    identities: [{ signInType: 'federated', issuer, issuerAssignedId: email }],
    homeTenantId: aad ? partner.tenantId : null,
    externalUserType:
      kind === 'aadMember'
        ? 'b2bCollaborationMember'
        : kind === 'serviceProvider'
          ? 'serviceProvider'
          : 'b2bCollaborationGuest',
    authenticationMethods: kind === 'otp' ? ['email'] : ['password', 'microsoftAuthenticatorPush'],
  };
}

function partnerTenants(seed: number): SeedExternalTenant[] {
  const names = ['Fabrikam', 'Northwind Traders', 'Tailspin Toys', 'Adatum Managed Services'];
  return names.map((displayName, i) => ({
    tenantId: stableGuid(`synthetic:${seed}:partner:${i}`),
    displayName,
    domain: `${displayName.toLowerCase().replace(/[^a-z]/g, '')}.example.com`,
    ...(i === names.length - 1 ? { isServiceProvider: true } : {}),
  }));
}

/** Level of group `g`: 0 for the first 1%, then 1, 2, 3 — so nesting is at most 4 deep. */
function levelBounds(total: number): number[] {
  const top = Math.max(1, Math.floor(total * 0.01));
  const l1 = Math.max(top + 1, Math.floor(total * 0.05));
  const l2 = Math.max(l1 + 1, Math.floor(total * 0.2));
  return [0, top, l1, l2, total];
}

function buildGroups(b: Build, total: number, users: SeedUser[], breakGlass: string[]): SeedGroup[] {
  const groups: SeedGroup[] = [];
  const bounds = levelBounds(total);
  for (let g = 0; g < total; g++) {
    const name = `Group ${String(g).padStart(4, '0')}`;
    groups.push({
      id: stableGuid(`synthetic:${b.seed}:group:${g}`),
      displayName: name,
      description: `Synthetic group ${g}`,
      mailNickname: `group${g}`,
      securityEnabled: true,
      mailEnabled: g % 10 === 9,
      groupTypes: g % 10 === 9 ? ['Unified'] : [],
      members: [],
    });
  }
  for (let level = 1; level < 4; level++) {
    for (let g = bounds[level]!; g < Math.min(bounds[level + 1]!, total); g++) {
      const parentStart = bounds[level - 1]!;
      const parentEnd = bounds[level]!;
      const parent = parentStart + Math.floor(b.random() * (parentEnd - parentStart));
      if (parent < total && parent !== g) groups[parent]!.members!.push(groups[g]!.displayName);
    }
  }
  if (total > 0) {
    users.forEach((user, i) => {
      const leafStart = Math.min(bounds[2]!, total - 1);
      const first = leafStart + (i % (total - leafStart));
      const second = leafStart + Math.floor(b.random() * (total - leafStart));
      groups[first]!.members!.push(user.userPrincipalName);
      if (second !== first) groups[second]!.members!.push(user.userPrincipalName);
    });
  }
  groups.push({
    id: stableGuid(`synthetic:${b.seed}:group:breakglass`),
    displayName: SYNTHETIC_BREAK_GLASS_GROUP,
    description: 'Break-glass accounts; exclude from every Conditional Access policy',
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
    members: breakGlass,
  });
  return groups;
}

function applications(b: Build): SeedApplication[] {
  const firstParty = WELL_KNOWN_APPLICATIONS.map((a) => ({
    appId: a.appId,
    displayName: a.displayName,
    tags: [],
  }));
  const lineOfBusiness = Array.from({ length: 20 }, (_, i) => ({
    appId: stableGuid(`synthetic:${b.seed}:app:${i}`),
    displayName: `Synthetic App ${i}`,
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    customSecurityAttributes: { AppSecurity: { Sensitivity: pick(b, ['Low', 'Medium', 'High']) } },
  }));
  return [...firstParty, ...lineOfBusiness];
}

function appRegistrations(seed: number): SeedAppRegistration[] {
  return demoDirectory({ flavor: 'workforce' }).appRegistrations.map((reg) => ({
    ...reg,
    clientId: stableGuid(`synthetic:${seed}:registration:${reg.displayName}`),
  }));
}

function roleAssignments(b: Build, users: SeedUser[], breakGlass: string[]): SeedRoleAssignment[] {
  const out: SeedRoleAssignment[] = breakGlass.map((principal) => ({
    role: 'Global Administrator',
    principal,
  }));
  const members = users.filter((u) => u.userType !== 'Guest');
  for (let i = 0; i < Math.min(40, members.length); i++) {
    out.push({
      role: ROLES[i % ROLES.length]!,
      principal: members[(i * 37) % members.length]!.userPrincipalName,
    });
  }
  return out;
}

export function syntheticNamedLocations(): Record<string, unknown>[] {
  return [
    {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      displayName: 'Synthetic HQ network',
      isTrusted: true,
      ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' }],
    },
    {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      displayName: 'Synthetic branch offices',
      isTrusted: false,
      ipRanges: [
        { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '198.51.100.0/24' },
        { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8::/48' },
      ],
    },
    {
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      displayName: 'Synthetic blocked countries',
      countriesAndRegions: ['KP', 'IR'],
      includeUnknownCountriesAndRegions: false,
      countryLookupMethod: 'clientIpAddress',
    },
  ];
}

const STATES = ['enabled', 'enabledForReportingButNotEnforced', 'disabled'];

function policy(b: Build, i: number, groupIds: string[], breakGlassId: string): Record<string, unknown> {
  const roleIds = ['62e90394-69f5-4237-9190-012177145e10', 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9'];
  const kind = i % 4;
  const users =
    kind === 0
      ? { includeRoles: roleIds, excludeGroups: [breakGlassId] }
      : kind === 1
        ? { includeUsers: ['All'], excludeGroups: [breakGlassId] }
        : { includeGroups: [pick(b, groupIds)], excludeGroups: [breakGlassId] };
  const app = pick(b, WELL_KNOWN_APPLICATIONS);
  return {
    displayName: `SYN-${String(i).padStart(3, '0')} ${kind === 0 ? 'Admins' : 'Users'} require MFA`,
    state: STATES[i % STATES.length],
    conditions: {
      users,
      applications: { includeApplications: kind === 1 ? ['All'] : [app.appId] },
      clientAppTypes: ['all'],
      ...(kind === 3 ? { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } } : {}),
    },
    grantControls:
      kind === 2
        ? { operator: 'OR', builtInControls: ['block'] }
        : { operator: 'OR', builtInControls: ['mfa'] },
  };
}

export function syntheticDirectory(options: SyntheticOptions): DirectorySeed {
  const seed = options.seed ?? 1;
  const domain = (
    options.domain ?? (seed === 1 ? 'synthetic.onmicrosoft.com' : `synthetic${seed}.onmicrosoft.com`)
  ).toLowerCase();
  const b: Build = { seed, domain, random: prng(seed), partners: partnerTenants(seed) };
  const users: SeedUser[] = [];
  const regular = Math.max(0, options.users - 2);
  for (let i = 0; i < regular; i++) users.push(i % 10 === 9 ? guestUser(b, i) : memberUser(b, i));
  const breakGlass = [1, 2].slice(0, Math.min(2, options.users)).map((n) => `breakglass${n}@${domain}`);
  const allUsers: SeedUser[] = [
    ...users,
    ...breakGlass.map((upn, n) => ({
      id: stableGuid(`synthetic:${seed}:breakglass:${n}`),
      userPrincipalName: upn,
      displayName: `Emergency access account ${n + 1}`,
      authenticationMethods: ['password', 'fido2'],
      password: 'Passw0rd!',
    })),
  ];
  const groups = buildGroups(b, options.groups, users, breakGlass);
  const groupIds = groups.slice(0, options.groups).map((g) => g.id!);
  const breakGlassId = groups[groups.length - 1]!.id!;
  const policies = options.policies ?? 0;
  return {
    tenant: {
      id: stableGuid(`synthetic:${seed}:tenant`),
      displayName: `Synthetic ${seed}`,
      domain,
      flavor: 'workforce',
    },
    users: allUsers,
    groups,
    roleAssignments: roleAssignments(b, users, breakGlass),
    applications: applications(b),
    appRegistrations: appRegistrations(seed),
    externalTenants: b.partners,
    userFlows: [],
    ...(policies > 0
      ? {
          namedLocations: syntheticNamedLocations(),
          conditionalAccessPolicies: Array.from({ length: policies }, (_, i) =>
            policy(b, i, groupIds.length > 0 ? groupIds : [breakGlassId], breakGlassId),
          ),
        }
      : {}),
  };
}
