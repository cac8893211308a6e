/**
 * Shapes of the declarative seed a local Graph-compatible tenant is built from.
 * Pure data: the tenant server turns a {@link DirectorySeed} into directory objects.
 */

export interface SeedUser {
  id?: string;
  userPrincipalName: string;
  displayName: string;
  mail?: string | null;
  userType?: 'Member' | 'Guest';
  accountEnabled?: boolean;
  givenName?: string;
  surname?: string;
  jobTitle?: string;
  department?: string;
  creationType?: string | null;
  externalUserState?: string | null;
  identities?: { signInType: string; issuer: string; issuerAssignedId: string }[];
  password?: string;
  homeTenantId?: string | null;
  /** external user type hint for B2B: b2bCollaborationGuest, b2bCollaborationMember, internalGuest, otherExternalUser, serviceProvider */
  externalUserType?: string;
  /** registered methods, e.g. ['password','email','microsoftAuthenticatorPush','sms'] */
  authenticationMethods?: string[];
}

export interface SeedGroup {
  id?: string;
  displayName: string;
  description?: string;
  mailNickname?: string;
  securityEnabled?: boolean;
  mailEnabled?: boolean;
  groupTypes?: string[];
  /** member UPNs or group displayNames (nested groups) */
  members?: string[];
}

export interface SeedRoleAssignment {
  /** role displayName or template id */
  role: string;
  /** UPN or group displayName */
  principal: string;
}

export interface SeedApplication {
  appId?: string;
  displayName: string;
  servicePrincipalType?: string;
  tags?: string[];
  customSecurityAttributes?: Record<string, Record<string, string>>;
  /**
   * Where the sign-in endpoint may send codes (exact match; for http loopback hosts any port, as Entra does).
   * `{tenantId}` is replaced by the tenant's id.
   */
  redirectUris?: string[];
  /** A public client (no secret): PKCE is required. */
  publicClient?: boolean;
}

export interface SeedAppRegistration {
  clientId?: string;
  clientSecret?: string;
  displayName: string;
  permissions: string[];
}

export interface SeedExternalTenant {
  tenantId: string;
  displayName: string;
  domain: string;
  isServiceProvider?: boolean;
  /** The simulated home organisation asks its users for MFA at every sign-in. */
  requiresMfa?: boolean;
}

/** How sign-ins to the local tenant see the network (docs/sign-in.md). */
export interface SeedSignInSettings {
  /** The address a sign-in from loopback is treated as coming from (default 198.51.100.23, untrusted). */
  loopbackAddress?: string;
  /** Address ranges (CIDR or single address) and the country they are in, checked in order. */
  addressCountries?: { range: string; country: string }[];
}

export interface SeedUserFlow {
  displayName: string;
  localAccountMethod: 'emailPassword' | 'emailOtp';
  /** appIds or app displayNames */
  applications?: string[];
}

export interface DirectorySeed {
  tenant: { id?: string; displayName: string; domain: string; flavor: 'workforce' | 'external' };
  users: SeedUser[];
  groups: SeedGroup[];
  roleAssignments: SeedRoleAssignment[];
  applications: SeedApplication[];
  appRegistrations: SeedAppRegistration[];
  externalTenants: SeedExternalTenant[];
  userFlows: SeedUserFlow[];
  signIn?: SeedSignInSettings;
  namedLocations?: Record<string, unknown>[];
  conditionalAccessPolicies?: Record<string, unknown>[];
}
