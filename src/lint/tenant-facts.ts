/**
 * What the semantic lint and the lockout guard know about the tenant beyond its policies: the break-glass accounts
 * of accord.yaml resolved to ids, the administrators, the users and service principals the policies name, the
 * soft-deleted named locations, and (External ID) which applications sign users in with an email one-time passcode.
 * Plain data, read once by `readTenantFacts` (the I/O edge); every rule over it is pure.
 */

/** Global Administrator and Conditional Access Administrator (role template ids). */
export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const CONDITIONAL_ACCESS_ADMINISTRATOR = 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9';
export const ADMIN_ROLE_TEMPLATE_IDS: readonly string[] = [
  GLOBAL_ADMINISTRATOR,
  CONDITIONAL_ACCESS_ADMINISTRATOR,
];

export interface UserFact {
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  /** Every group the user belongs to, directly or through nesting (lower-cased ids). */
  transitiveGroupIds: string[];
  /** Active built-in directory roles (template ids, lower-cased). */
  activeRoleTemplateIds: string[];
}

export interface BreakGlassFacts {
  /** accord.yaml names at least one break-glass user or group. */
  configured: boolean;
  /** The configured groups, resolved (lower-cased ids) with their display names. */
  groups: { id: string; displayName: string }[];
  /** The accounts: the configured users and the (transitive) user members of the configured groups. */
  users: UserFact[];
  /** Names from accord.yaml that matched nothing in the tenant. */
  unresolved: string[];
}

export interface ServicePrincipalFact {
  id: string;
  appId: string;
  displayName: string;
  accountEnabled: boolean;
}

export interface CallerFacts {
  appId: string;
  servicePrincipalId: string;
  displayName: string;
  isSingleTenant: boolean;
}

export interface TenantFacts {
  tenantId: string;
  breakGlass: BreakGlassFacts;
  /** Holders of Global Administrator or Conditional Access Administrator (directly or through a group). */
  admins: UserFact[];
  /** Users named by the desired policies, by lower-cased id (absent: not in the directory). */
  namedUsers: ReadonlyMap<string, UserFact>;
  /**
   * Service principals the desired policies name, by the lower-cased reference the policy uses (an application's
   * appId, a workload identity's object id); absent: not read or not in the directory.
   */
  namedServicePrincipals: ReadonlyMap<string, ServicePrincipalFact>;
  /** Soft-deleted named locations, lower-cased id → display name. */
  deletedLocations: ReadonlyMap<string, string>;
  /** An External ID (customer) tenant: it answers for its user flows. */
  isExternalTenant: boolean;
  /** Applications linked to a user flow whose local account signs in with an email one-time passcode. */
  otpFirstFactorApps: { appId: string; flow: string }[];
  /** The identity running accord, when known. */
  caller?: CallerFacts;
}

export function emptyTenantFacts(tenantId = ''): TenantFacts {
  return {
    tenantId,
    breakGlass: { configured: false, groups: [], users: [], unresolved: [] },
    admins: [],
    namedUsers: new Map(),
    namedServicePrincipals: new Map(),
    deletedLocations: new Map(),
    isExternalTenant: false,
    otpFirstFactorApps: [],
  };
}
