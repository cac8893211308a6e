/**
 * Conditional Access templates every tenant offers (`GET /identity/conditionalAccess/templates`, graph-contract §1):
 * the four of the v1.0 list example (ids, names, descriptions and scenarios as documented there), each with the
 * policy details its name describes. `scenarios` is a flags enum, serialized comma-joined (§2.9).
 */

export interface ConditionalAccessTemplate {
  id: string;
  name: string;
  description: string;
  scenarios: string;
  details: Record<string, unknown>;
}

/** The placeholder Graph puts where the portal later excludes the administrator applying the template. */
const CURRENT_ADMINISTRATOR = 'Current administrator will be excluded';

function conditions(overrides: {
  users: Record<string, unknown>;
  applications?: Record<string, unknown>;
  clientAppTypes?: string[];
  locations?: Record<string, unknown> | null;
}): Record<string, unknown> {
  return {
    userRiskLevels: [],
    signInRiskLevels: [],
    clientAppTypes: overrides.clientAppTypes ?? ['all'],
    servicePrincipalRiskLevels: [],
    platforms: null,
    locations: overrides.locations ?? null,
    devices: null,
    clientApplications: null,
    applications: {
      includeApplications: ['All'],
      excludeApplications: [],
      includeUserActions: [],
      includeAuthenticationContextClassReferences: [],
      applicationFilter: null,
      ...overrides.applications,
    },
    users: {
      includeUsers: [],
      excludeUsers: [CURRENT_ADMINISTRATOR],
      includeGroups: [],
      excludeGroups: [],
      includeRoles: [],
      excludeRoles: [],
      includeGuestsOrExternalUsers: null,
      excludeGuestsOrExternalUsers: null,
      ...overrides.users,
    },
  };
}

function grant(control: string): Record<string, unknown> {
  return {
    operator: 'OR',
    builtInControls: [control],
    customAuthenticationFactors: [],
    termsOfUse: [],
    authenticationStrength: null,
  };
}

export const CONDITIONAL_ACCESS_TEMPLATES: readonly ConditionalAccessTemplate[] = [
  {
    id: 'c7503427-338e-4c5e-902d-abe252abfb43',
    name: 'Require multifactor authentication for admins',
    description:
      'Require multifactor authentication for privileged administrative accounts to reduce risk of compromise. This policy will target the same roles as Security Default.',
    scenarios: 'secureFoundation,zeroTrust,protectAdmins',
    details: {
      sessionControls: null,
      conditions: conditions({
        users: {
          includeRoles: ['62e90394-69f5-4237-9190-012177145e10', '194ae4cb-b126-40b2-bd5b-6091b380977d'],
        },
      }),
      grantControls: grant('mfa'),
    },
  },
  {
    id: 'b8bda7f8-6584-4446-bce9-d871480e53fa',
    name: 'Securing security info registration',
    description:
      'Secure when and how users register for Azure AD multifactor authentication and self-service password.',
    scenarios: 'secureFoundation,zeroTrust,remoteWork',
    details: {
      sessionControls: null,
      conditions: conditions({
        users: { includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers', CURRENT_ADMINISTRATOR] },
        applications: { includeApplications: [], includeUserActions: ['urn:user:registersecurityinfo'] },
        locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
      }),
      grantControls: grant('mfa'),
    },
  },
  {
    id: '0b2282f9-2862-4178-88b5-d79340b36cb8',
    name: 'Block legacy authentication',
    description:
      'Block legacy authentication endpoints that can be used to bypass multifactor authentication.',
    scenarios: 'secureFoundation,zeroTrust,remoteWork,protectAdmins',
    details: {
      sessionControls: null,
      conditions: conditions({
        users: { includeUsers: ['All'] },
        clientAppTypes: ['exchangeActiveSync', 'other'],
      }),
      grantControls: grant('block'),
    },
  },
  {
    id: 'a3d0a415-b068-4326-9251-f9cdf9feeb64',
    name: 'Require multifactor authentication for all users',
    description: 'Require multifactor authentication for all user accounts to reduce risk of compromise.',
    scenarios: 'secureFoundation,zeroTrust,remoteWork',
    details: {
      sessionControls: null,
      conditions: conditions({ users: { includeUsers: ['All'] } }),
      grantControls: grant('mfa'),
    },
  },
];
