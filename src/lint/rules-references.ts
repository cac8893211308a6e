/**
 * References to objects that exist but do nothing, or no longer exist: a disabled user account or service principal,
 * a soft-deleted or missing named location. (A user, group, role or application that does not exist at all is an
 * `unresolved-name` error when names are resolved.) Graph accepts them; the policy silently does less than it says.
 */
import { warning, type Diagnostic } from '../core/diagnostics.ts';
import { desiredPolicies, type LintInput, type PolicyUnderLint } from './lint-input.ts';
import {
  ALL,
  applicationsOf,
  locationIdsOf,
  NAMED_LOCATION_KIND,
  servicePrincipalsOf,
  usersOf,
} from './policy-view.ts';
import { isPendingId } from '../pipeline/resolve-references.ts';

const SPECIAL_USERS = new Set(['all', 'none', 'guestsorexternalusers']);
const SPECIAL_LOCATIONS = new Set(['all', 'alltrusted', '00000000-0000-0000-0000-000000000000']);

function userPointer(policy: PolicyUnderLint, id: string): string {
  const users = usersOf(policy.state);
  const index = users.includeUsers.indexOf(id);
  return index >= 0
    ? `/conditions/users/includeUsers/${index}`
    : `/conditions/users/excludeUsers/${users.excludeUsers.indexOf(id)}`;
}

function disabledUsers(policy: PolicyUnderLint, input: LintInput): Diagnostic[] {
  const users = usersOf(policy.state);
  const ids = [...users.includeUsers, ...users.excludeUsers].filter(
    (id) => !SPECIAL_USERS.has(id.toLowerCase()) && id !== ALL,
  );
  return ids.flatMap((id) => {
    const user = input.facts.namedUsers.get(id.toLowerCase());
    if (!user || user.accountEnabled) return [];
    return [
      warning(
        'disabled-user-reference',
        `'${policy.displayName}' names the disabled account ${user.userPrincipalName}`,
        {
          detail:
            'A disabled account cannot sign in, so this entry does nothing. Remove it, or enable the account if it is still needed.',
          location: policy.locate(userPointer(policy, id)),
        },
      ),
    ];
  });
}

function missingLocations(policy: PolicyUnderLint, input: LintInput): Diagnostic[] {
  const live = new Set((input.live.get(NAMED_LOCATION_KIND) ?? []).map((l) => l.id.toLowerCase()));
  return locationIdsOf(policy.state).flatMap((id) => {
    const key = id.toLowerCase();
    if (SPECIAL_LOCATIONS.has(key) || isPendingId(id) || live.has(key)) return [];
    const deleted = input.facts.deletedLocations.get(key);
    const summary = deleted
      ? `'${policy.displayName}' names the soft-deleted named location '${deleted}' (${id})`
      : `'${policy.displayName}' names the named location ${id}, which the tenant does not have`;
    return [
      warning('deleted-location-reference', summary, {
        detail: deleted
          ? 'Restore the location (deletedItems/namedLocations/{id}/restore) or remove it from the policy.'
          : 'Remove it from the policy, or add a NamedLocation manifest for it.',
        location: policy.locate('/conditions/locations'),
      }),
    ];
  });
}

/** Where a policy names a service principal: the first list that holds the reference. */
function servicePrincipalPointer(policy: PolicyUnderLint, ref: string): string {
  const apps = applicationsOf(policy.state);
  const clients = servicePrincipalsOf(policy.state);
  const lists: [string, string[]][] = [
    ['/conditions/applications/includeApplications', apps.includeApplications],
    ['/conditions/applications/excludeApplications', apps.excludeApplications],
    ['/conditions/clientApplications/includeServicePrincipals', clients.include],
    ['/conditions/clientApplications/excludeServicePrincipals', clients.exclude],
  ];
  for (const [pointer, list] of lists) {
    const index = list.findIndex((v) => v.toLowerCase() === ref);
    if (index >= 0) return `${pointer}/${index}`;
  }
  return '/conditions';
}

function disabledServicePrincipals(policy: PolicyUnderLint, input: LintInput): Diagnostic[] {
  const apps = applicationsOf(policy.state);
  const clients = servicePrincipalsOf(policy.state);
  const refs = new Set(
    [...apps.includeApplications, ...apps.excludeApplications, ...clients.include, ...clients.exclude].map(
      (r) => r.toLowerCase(),
    ),
  );
  return [...refs].flatMap((ref) => {
    const sp = input.facts.namedServicePrincipals.get(ref);
    if (!sp || sp.accountEnabled) return [];
    return [
      warning(
        'disabled-service-principal-reference',
        `'${policy.displayName}' names the disabled service principal ${sp.displayName} (${ref})`,
        {
          detail:
            'Nobody can sign in to or as a disabled service principal, so this entry does nothing. Remove it, or enable the service principal if it is still needed.',
          location: policy.locate(servicePrincipalPointer(policy, ref)),
        },
      ),
    ];
  });
}

export function lintReferences(input: LintInput): Diagnostic[] {
  return desiredPolicies(input).flatMap((p) => [
    ...disabledUsers(p, input),
    ...disabledServicePrincipals(p, input),
    ...missingLocations(p, input),
  ]);
}
