/**
 * References to objects that exist but do nothing, or no longer exist: a disabled user account, a soft-deleted or
 * missing named location. Graph accepts them; the policy silently does less than it says.
 */
import { warning, type Diagnostic } from '../core/diagnostics.ts';
import { desiredPolicies, type LintInput, type PolicyUnderLint } from './lint-input.ts';
import { ALL, locationIdsOf, NAMED_LOCATION_KIND, usersOf } from './policy-view.ts';
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

export function lintReferences(input: LintInput): Diagnostic[] {
  return desiredPolicies(input).flatMap((p) => [...disabledUsers(p, input), ...missingLocations(p, input)]);
}
