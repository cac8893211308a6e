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
  namedLocations?: Record<string, unknown>[];
  conditionalAccessPolicies?: Record<string, unknown>[];
}
