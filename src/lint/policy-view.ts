/**
 * Typed reads of a Conditional Access policy in accord's canonical form (what `canonicalPolicy` returns: every
 * collection present, absent complex values null). Pure helpers shared by the lint rules and the lockout guard.
 */
import type { GraphBody } from '../core/graph-port.ts';

export const ALL = 'All';
export const REGISTER_DEVICE_ACTION = 'urn:user:registerdevice';
export const CA_POLICY_KIND = 'ConditionalAccessPolicy';
export const NAMED_LOCATION_KIND = 'NamedLocation';
export const STRENGTH_KIND = 'AuthenticationStrengthPolicy';
export const METHODS_POLICY_KIND = 'AuthenticationMethodsPolicy';

function objectAt(body: GraphBody | null | undefined, key: string): GraphBody | null {
  const value = body?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as GraphBody) : null;
}

function stringsAt(body: GraphBody | null | undefined, key: string): string[] {
  const value = body?.[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export interface UsersCondition {
  includeUsers: string[];
  excludeUsers: string[];
  includeGroups: string[];
  excludeGroups: string[];
  includeRoles: string[];
  excludeRoles: string[];
  hasGuestInclude: boolean;
  hasGuestExclude: boolean;
}

export function usersOf(policy: GraphBody): UsersCondition {
  const users = objectAt(objectAt(policy, 'conditions'), 'users');
  return {
    includeUsers: stringsAt(users, 'includeUsers'),
    excludeUsers: stringsAt(users, 'excludeUsers'),
    includeGroups: stringsAt(users, 'includeGroups'),
    excludeGroups: stringsAt(users, 'excludeGroups'),
    includeRoles: stringsAt(users, 'includeRoles'),
    excludeRoles: stringsAt(users, 'excludeRoles'),
    hasGuestInclude: objectAt(users, 'includeGuestsOrExternalUsers') !== null,
    hasGuestExclude: objectAt(users, 'excludeGuestsOrExternalUsers') !== null,
  };
}

export interface ApplicationsCondition {
  includeApplications: string[];
  excludeApplications: string[];
  includeUserActions: string[];
  includeAuthenticationContextClassReferences: string[];
  hasFilter: boolean;
}

export function applicationsOf(policy: GraphBody): ApplicationsCondition {
  const apps = objectAt(objectAt(policy, 'conditions'), 'applications');
  return {
    includeApplications: stringsAt(apps, 'includeApplications'),
    excludeApplications: stringsAt(apps, 'excludeApplications'),
    includeUserActions: stringsAt(apps, 'includeUserActions'),
    includeAuthenticationContextClassReferences: stringsAt(
      apps,
      'includeAuthenticationContextClassReferences',
    ),
    hasFilter: objectAt(apps, 'applicationFilter') !== null,
  };
}

/** The service principals a workload-identity policy names (object ids, or `ServicePrincipalsInMyTenant`). */
export function servicePrincipalsOf(policy: GraphBody): { include: string[]; exclude: string[] } {
  const clients = objectAt(objectAt(policy, 'conditions'), 'clientApplications');
  return {
    include: stringsAt(clients, 'includeServicePrincipals'),
    exclude: stringsAt(clients, 'excludeServicePrincipals'),
  };
}

export interface GrantView {
  operator: 'AND' | 'OR';
  builtInControls: string[];
  strengthId: string | undefined;
  termsOfUse: string[];
  customAuthenticationFactors: string[];
}

export function grantOf(policy: GraphBody): GrantView | undefined {
  const grant = objectAt(policy, 'grantControls');
  if (!grant) return undefined;
  const strength = objectAt(grant, 'authenticationStrength');
  const id = strength?.id;
  return {
    operator: String(grant.operator ?? 'OR').toUpperCase() === 'AND' ? 'AND' : 'OR',
    builtInControls: stringsAt(grant, 'builtInControls'),
    strengthId: typeof id === 'string' ? id : undefined,
    termsOfUse: stringsAt(grant, 'termsOfUse'),
    customAuthenticationFactors: stringsAt(grant, 'customAuthenticationFactors'),
  };
}

export function conditionsOf(policy: GraphBody): GraphBody {
  return objectAt(policy, 'conditions') ?? {};
}

export function sessionControlOf(policy: GraphBody, key: string): GraphBody | null {
  return objectAt(objectAt(policy, 'sessionControls'), key);
}

export function isEnabled(policy: GraphBody): boolean {
  return policy.state === 'enabled';
}

export function includesAllUsers(policy: GraphBody): boolean {
  return usersOf(policy).includeUsers.includes(ALL);
}

export function includesAllApps(policy: GraphBody): boolean {
  return applicationsOf(policy).includeApplications.includes(ALL);
}

export function hasUserExclusions(users: UsersCondition): boolean {
  return (
    users.excludeUsers.length > 0 ||
    users.excludeGroups.length > 0 ||
    users.excludeRoles.length > 0 ||
    users.hasGuestExclude
  );
}

export function blocks(policy: GraphBody): boolean {
  return grantOf(policy)?.builtInControls.includes('block') ?? false;
}

/** Requires multifactor authentication: the `mfa` control or any authentication strength. */
export function requiresMfa(policy: GraphBody): boolean {
  const grant = grantOf(policy);
  return grant !== undefined && (grant.builtInControls.includes('mfa') || grant.strengthId !== undefined);
}

/** Condition names (other than users and applications) that narrow who or what the policy covers. */
export function narrowingConditions(policy: GraphBody): string[] {
  const conditions = conditionsOf(policy);
  const out: string[] = [];
  const clientAppTypes = stringsAt(conditions, 'clientAppTypes');
  if (clientAppTypes.length > 0 && !clientAppTypes.includes('all')) out.push('clientAppTypes');
  for (const key of ['signInRiskLevels', 'userRiskLevels', 'servicePrincipalRiskLevels']) {
    if (stringsAt(conditions, key).length > 0) out.push(key);
  }
  for (const key of ['locations', 'platforms', 'devices', 'authenticationFlows', 'insiderRiskLevels']) {
    const value = conditions[key];
    if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) out.push(key);
  }
  return out;
}

export function locationIdsOf(policy: GraphBody): string[] {
  const locations = objectAt(conditionsOf(policy), 'locations');
  return [...stringsAt(locations, 'includeLocations'), ...stringsAt(locations, 'excludeLocations')];
}
