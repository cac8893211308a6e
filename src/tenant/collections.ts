/** Names of the store's collections, one place so resource modules, seeding and tests agree. */
export const COLLECTIONS = {
  tenants: 'tenants',
  appRegistrations: 'appRegistrations',
  caPolicies: 'conditionalAccessPolicies',
  deletedCaPolicies: 'deletedConditionalAccessPolicies',
  namedLocations: 'namedLocations',
  deletedNamedLocations: 'deletedNamedLocations',
  authStrengths: 'authenticationStrengthPolicies',
  authMethodsPolicy: 'authenticationMethodsPolicy',
  authMethodConfigs: 'authenticationMethodConfigurations',
  authContexts: 'authenticationContextClassReferences',
  crossTenantPolicy: 'crossTenantAccessPolicy',
  crossTenantPartners: 'crossTenantAccessPolicyPartners',
  users: 'users',
  groups: 'groups',
  groupMembers: 'groupMembers',
  roleAssignments: 'roleAssignments',
  servicePrincipals: 'servicePrincipals',
  invitations: 'invitations',
  userFlows: 'authenticationEventsFlows',
  signIns: 'signIns',
  externalTenants: 'externalTenants',
} as const;

/** The tenant record the server keeps under the reserved tenant key `_server`. */
export const SERVER_TENANT_KEY = '_server';
