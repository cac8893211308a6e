/**
 * Semantic validation of a shaped Conditional Access policy (graph-contract §2.6, §2.10, §10): required
 * conditions, directory references, grant-control rules and service limits. Inner codes 1007, 1032, 1064 and 1103
 * are the observed ones; the others are ours (documented in `CA_CODES`).
 */
import { validationError } from '../errors.ts';
import { BUILT_IN_ROLE_TEMPLATES } from '../seed/well-known.ts';
import { SPECIAL_USERS, TRUSTED_IPS_LOCATION_ID } from '../../model/ca-enums.ts';
import { isRecord, type Json } from '../../model/json-shape.ts';

export const CA_CODES = {
  schema: 1007,
  passwordChange: 1032,
  clientAppTypes: 1064,
  roles: 1103,
  unknownUsers: 1104,
  unknownGroups: 1105,
  unknownLocations: 1106,
  unknownStrength: 1107,
  mfaWithStrength: 1108,
  externalTenants: 1109,
  authContext: 1110,
  filterRule: 1111,
  workloadIdentity: 1112,
  policyLimit: 1113,
  noControls: 1114,
  userAction: 1115,
  missingAssignment: 1116,
  excludedApplications: 1117,
} as const;

export const MAX_POLICIES = 195;
export const MAX_FILTER_RULE_LENGTH = 3072;

/** What validation needs to know about the tenant. */
export interface PolicyLookups {
  userExists(id: string): boolean;
  groupExists(id: string): boolean;
  locationExists(id: string): boolean;
  strengthExists(id: string): boolean;
}

const ROLE_IDS = new Set(BUILT_IN_ROLE_TEMPLATES.map((r) => r.id.toLowerCase()));
const AUTH_CONTEXT = /^c([1-9]|[1-9][0-9])$/i;

function rec(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function preview(ids: string[]): string {
  return ids
    .slice(0, 20)
    .map((id) => id.slice(0, 100))
    .join(', ');
}

function checkRequired(conditions: Json): void {
  if (!rec(conditions.applications)) {
    throw validationError(
      CA_CODES.missingAssignment,
      "Invalid policy: 'conditions.applications' is required.",
    );
  }
  if (!rec(conditions.users) && !rec(conditions.clientApplications)) {
    throw validationError(
      CA_CODES.missingAssignment,
      "Invalid policy: 'conditions.users' or 'conditions.clientApplications' is required.",
    );
  }
  if (strings(conditions.clientAppTypes).length === 0) {
    throw validationError(
      CA_CODES.clientAppTypes,
      "Invalid policy: 'conditions.clientAppTypes' cannot be empty; use ['All'] to target every client app.",
    );
  }
}

function checkApplications(apps: Json): void {
  const targets =
    strings(apps.includeApplications).length +
    strings(apps.includeUserActions).length +
    strings(apps.includeAuthenticationContextClassReferences).length;
  if (targets === 0 && !rec(apps.applicationFilter)) {
    throw validationError(
      CA_CODES.missingAssignment,
      "Invalid policy: 'conditions.applications' must include applications, user actions or authentication contexts.",
    );
  }
  // excludeApplications takes app ids, Office365 and MicrosoftAdminPortals (graph-contract §2.4, §2.8).
  const badExcludes = strings(apps.excludeApplications).filter((id) => id === 'All' || id === 'None');
  if (badExcludes.length > 0) {
    throw validationError(
      CA_CODES.excludedApplications,
      `'conditions.applications.excludeApplications' cannot contain ${preview(badExcludes)}.`,
    );
  }
  const badContexts = strings(apps.includeAuthenticationContextClassReferences).filter(
    (c) => !AUTH_CONTEXT.test(c),
  );
  if (badContexts.length > 0) {
    throw validationError(
      CA_CODES.authContext,
      `'conditions.applications.includeAuthenticationContextClassReferences' contains invalid authentication context ids (expected c1..c99): ${preview(badContexts)}`,
    );
  }
  apps.includeAuthenticationContextClassReferences = strings(
    apps.includeAuthenticationContextClassReferences,
  ).map((c) => c.toLowerCase());
}

function checkGuests(value: unknown, path: string): void {
  const guests = rec(value);
  if (!guests) return;
  const types = guests.guestOrExternalUserTypes;
  const empty = typeof types !== 'string' || types === '' || types === 'none';
  if (empty) {
    throw validationError(
      CA_CODES.externalTenants,
      `'${path}.guestOrExternalUserTypes' must name at least one guest or external user type.`,
    );
  }
  const tenants = rec(guests.externalTenants);
  if (tenants && tenants.membershipKind === 'enumerated' && strings(tenants.members).length === 0) {
    throw validationError(
      CA_CODES.externalTenants,
      `'${path}.externalTenants.members' cannot be empty for enumerated external tenants.`,
    );
  }
}

function checkUsers(users: Json, lookups: PolicyLookups): void {
  const specials = new Set(SPECIAL_USERS as readonly string[]);
  const userIds = [...strings(users.includeUsers), ...strings(users.excludeUsers)].filter(
    (id) => !specials.has(id),
  );
  const unknownUsers = userIds.filter((id) => !lookups.userExists(id));
  if (unknownUsers.length > 0) {
    throw validationError(
      CA_CODES.unknownUsers,
      `'users' condition contains unknown user ids: ${preview(unknownUsers)}`,
    );
  }
  const badExcludes = strings(users.excludeUsers).filter((id) => id === 'All' || id === 'None');
  if (badExcludes.length > 0) {
    throw validationError(
      CA_CODES.unknownUsers,
      `'users.excludeUsers' cannot contain ${preview(badExcludes)}.`,
    );
  }
  const groupIds = [...strings(users.includeGroups), ...strings(users.excludeGroups)];
  const unknownGroups = groupIds.filter((id) => !lookups.groupExists(id));
  if (unknownGroups.length > 0) {
    throw validationError(
      CA_CODES.unknownGroups,
      `'users' condition contains unknown group ids: ${preview(unknownGroups)}`,
    );
  }
  const roleIds = [...strings(users.includeRoles), ...strings(users.excludeRoles)];
  const customRoles = roleIds.filter((id) => !ROLE_IDS.has(id.toLowerCase()));
  if (customRoles.length > 0) {
    throw validationError(
      CA_CODES.roles,
      `'users' condition contains non-built in role ids: ${preview(customRoles)}`,
    );
  }
  checkGuests(users.includeGuestsOrExternalUsers, 'users.includeGuestsOrExternalUsers');
  checkGuests(users.excludeGuestsOrExternalUsers, 'users.excludeGuestsOrExternalUsers');
  const includes =
    strings(users.includeUsers).length +
    strings(users.includeGroups).length +
    strings(users.includeRoles).length;
  if (includes === 0 && !rec(users.includeGuestsOrExternalUsers)) {
    throw validationError(
      CA_CODES.missingAssignment,
      "Invalid policy: 'conditions.users' must include users, groups, roles or guests.",
    );
  }
}

function checkLocations(locations: Json | undefined, lookups: PolicyLookups): void {
  if (!locations) return;
  const valid = (id: string, allowAll: boolean): boolean =>
    id === 'AllTrusted' ||
    (allowAll && id === 'All') ||
    id === TRUSTED_IPS_LOCATION_ID ||
    lookups.locationExists(id);
  const unknown = [
    ...strings(locations.includeLocations).filter((id) => !valid(id, true)),
    ...strings(locations.excludeLocations).filter((id) => !valid(id, false)),
  ];
  if (unknown.length > 0) {
    throw validationError(
      CA_CODES.unknownLocations,
      `'locations' condition contains unknown named location ids: ${preview(unknown)}`,
    );
  }
  if (strings(locations.includeLocations).length === 0) {
    throw validationError(
      CA_CODES.unknownLocations,
      "'conditions.locations.includeLocations' cannot be empty.",
    );
  }
}

function checkFilter(filter: unknown, path: string): void {
  const f = rec(filter);
  if (!f || typeof f.rule !== 'string') return;
  if (f.rule.trim() === '') throw validationError(CA_CODES.filterRule, `'${path}.rule' cannot be empty.`);
  if (f.rule.length > MAX_FILTER_RULE_LENGTH) {
    throw validationError(
      CA_CODES.filterRule,
      `'${path}.rule' is longer than ${MAX_FILTER_RULE_LENGTH} characters.`,
    );
  }
}

function checkClientApplications(clientApps: Json | undefined, policy: Json): void {
  if (!clientApps) return;
  if (strings(clientApps.includeServicePrincipals).length === 0 && !rec(clientApps.servicePrincipalFilter)) {
    throw validationError(
      CA_CODES.missingAssignment,
      "'conditions.clientApplications.includeServicePrincipals' cannot be empty.",
    );
  }
  const grant = rec(policy.grantControls);
  const controls = strings(grant?.builtInControls);
  const onlyBlock = controls.length === 1 && controls[0] === 'block' && !grant?.authenticationStrength;
  const noExtras =
    strings(grant?.termsOfUse).length === 0 && strings(grant?.customAuthenticationFactors).length === 0;
  if (!onlyBlock || !noExtras || rec(policy.sessionControls)) {
    throw validationError(
      CA_CODES.workloadIdentity,
      'Policies for workload identities only support the block grant control.',
    );
  }
}

function hasGrant(grant: Json | undefined): boolean {
  if (!grant) return false;
  return (
    strings(grant.builtInControls).length > 0 ||
    strings(grant.customAuthenticationFactors).length > 0 ||
    strings(grant.termsOfUse).length > 0 ||
    rec(grant.authenticationStrength) !== undefined
  );
}

function hasSession(session: Json | undefined): boolean {
  return session !== undefined && Object.values(session).some((v) => v !== null && v !== false);
}

function checkControls(policy: Json, lookups: PolicyLookups): void {
  const grant = rec(policy.grantControls);
  if (!hasGrant(grant) && !hasSession(rec(policy.sessionControls))) {
    throw validationError(
      CA_CODES.noControls,
      'Invalid policy: a policy needs at least one grant control or session control.',
    );
  }
  if (!grant) return;
  const strength = rec(grant.authenticationStrength);
  if (strength && typeof strength.id === 'string' && !lookups.strengthExists(strength.id)) {
    throw validationError(
      CA_CODES.unknownStrength,
      `Authentication strength policy with id '${strength.id.slice(0, 100)}' does not exist.`,
    );
  }
  if (strength && strings(grant.builtInControls).includes('mfa')) {
    throw validationError(
      CA_CODES.mfaWithStrength,
      "The 'mfa' grant control cannot be combined with an authentication strength.",
    );
  }
  const controls =
    strings(grant.builtInControls).length + strings(grant.termsOfUse).length + (strength ? 1 : 0);
  if (controls > 0 && grant.operator === null) {
    throw validationError(
      CA_CODES.schema,
      "Invalid value for 'policy.grantControls.operator': the property is required.",
    );
  }
}

function isPasswordResetValid(policy: Json, conditions: Json): boolean {
  const grant = rec(policy.grantControls)!;
  const controls = strings(grant.builtInControls);
  const apps = rec(conditions.applications);
  const allApps = strings(apps?.includeApplications);
  return (
    controls.includes('mfa') &&
    controls.every((c) => c === 'mfa' || c === 'passwordChange') &&
    grant.operator === 'AND' &&
    strings(conditions.userRiskLevels).length > 0 &&
    allApps.length === 1 &&
    allApps[0] === 'All' &&
    strings(apps?.excludeApplications).length === 0 &&
    strings(apps?.includeUserActions).length === 0 &&
    strings(conditions.signInRiskLevels).length === 0 &&
    conditions.platforms === null &&
    conditions.locations === null &&
    conditions.devices === null
  );
}

function checkPasswordChange(policy: Json, conditions: Json): void {
  const controls = strings(rec(policy.grantControls)?.builtInControls);
  if (!controls.includes('passwordChange')) return;
  if (!isPasswordResetValid(policy, conditions)) {
    throw validationError(
      CA_CODES.passwordChange,
      'ConditionalActionPolicy validation failed due to InvalidPasswordResetControl.',
    );
  }
}

function checkUserActions(policy: Json, conditions: Json): void {
  const actions = strings(rec(conditions.applications)?.includeUserActions);
  if (!actions.includes('urn:user:registerdevice')) return;
  const grant = rec(policy.grantControls);
  const controls = strings(grant?.builtInControls);
  const clientApps = strings(conditions.clientAppTypes);
  const mfaOnly = controls.length === 1 && controls[0] === 'mfa' && !rec(grant?.authenticationStrength);
  const allClients = clientApps.length === 1 && clientApps[0] === 'all';
  if (!mfaOnly || !allClients || rec(conditions.devices)) {
    throw validationError(
      CA_CODES.userAction,
      "The 'urn:user:registerdevice' user action only supports the 'mfa' grant control, without client app or device filter conditions.",
    );
  }
}

/** Throws Graph's 400 for the first rule the shaped policy breaks. May canonicalise ids in place. */
export function validatePolicy(policy: Json, lookups: PolicyLookups): void {
  const conditions = rec(policy.conditions)!;
  checkRequired(conditions);
  checkApplications(rec(conditions.applications)!);
  const users = rec(conditions.users);
  if (users) checkUsers(users, lookups);
  checkClientApplications(rec(conditions.clientApplications), policy);
  checkLocations(rec(conditions.locations), lookups);
  checkFilter(rec(conditions.devices)?.deviceFilter, 'conditions.devices.deviceFilter');
  checkFilter(rec(conditions.applications)?.applicationFilter, 'conditions.applications.applicationFilter');
  checkFilter(
    rec(conditions.clientApplications)?.servicePrincipalFilter,
    'conditions.clientApplications.servicePrincipalFilter',
  );
  checkControls(policy, lookups);
  checkPasswordChange(policy, conditions);
  checkUserActions(policy, conditions);
}

export function checkPolicyLimit(existing: number): void {
  if (existing >= MAX_POLICIES) {
    throw validationError(
      CA_CODES.policyLimit,
      `The tenant has reached the limit of ${MAX_POLICIES} Conditional Access policies; delete a policy before creating another.`,
    );
  }
}
