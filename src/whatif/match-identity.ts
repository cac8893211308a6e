/**
 * Who signs in (ca-evaluation §2.2–2.4): users (ids, All/None, groups with nesting, active built-in roles, guest
 * and external types with tenant scoping, the legacy `GuestsOrExternalUsers`), exclusion winning; and workload
 * identities (single-tenant service principals, ids or `ServicePrincipalsInMyTenant`, exclusions, filter).
 */
import {
  addNote,
  type ConditionCheck,
  type ServicePrincipalSubject,
  type UserSubject,
  type Verdict,
} from './evaluation-context.ts';
import { evaluateFilter } from './filter-rule.ts';
import { securityAttributes } from './filter-schemas.ts';
import type { PreparedGuests, PreparedPolicy, PreparedUsers, PreparedWorkload } from './prepare.ts';
import type { WhatIfNote } from './types.ts';

const LEGACY_GUESTS = 'guestsorexternalusers';
const ALL_SERVICE_PRINCIPALS = 'serviceprincipalsinmytenant';

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const item of a) if (b.has(item)) return true;
  return false;
}

function isExternal(user: UserSubject): boolean {
  return user.externalUserType !== undefined;
}

/** Type listed, and tenant scoping met; an internal guest's home is this tenant (ADR 0006). */
function includesGuestType(spec: PreparedGuests | undefined, user: UserSubject, tenantId: string): boolean {
  if (!spec || !user.externalUserType || !spec.types.has(user.externalUserType)) return false;
  if (spec.tenants === 'all') return true;
  const home = user.externalUserType === 'internalGuest' ? tenantId.toLowerCase() : user.homeTenantId;
  return home !== undefined && spec.tenants.has(home);
}

function includesAllUsers(users: PreparedUsers, user: UserSubject, notes: WhatIfNote[]): boolean {
  if (!users.includeUsers.has('all')) return false;
  if (user.isInDirectory) return true;
  addNote(notes, {
    code: 'directConnectNotInAll',
    message:
      "'All users' covers directory objects only; a user without one (B2B direct connect) is not included.",
  });
  return false;
}

function includesLegacyGuests(ids: ReadonlySet<string>, user: UserSubject, notes: WhatIfNote[]): boolean {
  if (!ids.has(LEGACY_GUESTS) || !isExternal(user)) return false;
  addNote(notes, {
    code: 'legacyGuestsOrExternalUsers',
    message: "Legacy 'GuestsOrExternalUsers' read as every guest or external user type, in every tenant.",
  });
  return true;
}

function includesUser(
  users: PreparedUsers,
  user: UserSubject,
  tenantId: string,
  notes: WhatIfNote[],
): boolean {
  return (
    includesAllUsers(users, user, notes) ||
    users.includeUsers.has(user.id) ||
    includesLegacyGuests(users.includeUsers, user, notes) ||
    intersects(users.includeGroups, user.groupIds) ||
    intersects(users.includeRoles, user.roleIds) ||
    includesGuestType(users.includeGuests, user, tenantId)
  );
}

function excludesUser(
  users: PreparedUsers,
  user: UserSubject,
  tenantId: string,
  notes: WhatIfNote[],
): boolean {
  return (
    users.excludeUsers.has(user.id) ||
    includesLegacyGuests(users.excludeUsers, user, notes) ||
    intersects(users.excludeGroups, user.groupIds) ||
    intersects(users.excludeRoles, user.roleIds) ||
    includesGuestType(users.excludeGuests, user, tenantId)
  );
}

function checkUsers(
  policy: PreparedPolicy,
  user: UserSubject,
  tenantId: string,
  notes: WhatIfNote[],
): Verdict {
  const users = policy.users;
  if (!users) return 'users';
  return includesUser(users, user, tenantId, notes) && !excludesUser(users, user, tenantId, notes)
    ? undefined
    : 'users';
}

/** The filter narrows the selection (§2.4): include mode keeps matches, exclude mode drops them. */
function isKeptByFilter(workload: PreparedWorkload, sp: ServicePrincipalSubject): boolean {
  const filter = workload.filter;
  if (!filter?.rule) return true;
  const matched = evaluateFilter(filter.rule, securityAttributes(sp.attributes));
  return filter.mode === 'include' ? matched : !matched;
}

function includesServicePrincipal(workload: PreparedWorkload, sp: ServicePrincipalSubject): boolean {
  const everyOne =
    workload.include.has(ALL_SERVICE_PRINCIPALS) || (workload.include.size === 0 && !!workload.filter);
  return everyOne || workload.include.has(sp.id);
}

function checkWorkload(policy: PreparedPolicy, sp: ServicePrincipalSubject): Verdict {
  const workload = policy.workload;
  // Only single-tenant service principals of this tenant are ever covered (§2.4).
  if (!workload || !sp.isInDirectory || !sp.isSingleTenant) return 'workloadIdentities';
  if (workload.filter?.error !== undefined) return 'invalidCondition';
  const applies =
    includesServicePrincipal(workload, sp) && !workload.exclude.has(sp.id) && isKeptByFilter(workload, sp);
  return applies ? undefined : 'workloadIdentities';
}

export const checkIdentity: ConditionCheck = (policy, ctx, notes) =>
  ctx.subject.kind === 'user'
    ? checkUsers(policy, ctx.subject, ctx.tenant.tenantId, notes)
    : checkWorkload(policy, ctx.subject);
