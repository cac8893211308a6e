/**
 * Break-glass rules: an enabled policy over all users must leave the emergency access accounts out, and nothing may
 * block every user on every application without an exclusion (Microsoft: "exclude emergency access accounts from
 * all Conditional Access policies").
 */
import { error, warning, type Diagnostic } from '../core/diagnostics.ts';
import type { LintInput, PolicyUnderLint } from './lint-input.ts';
import { desiredPolicies } from './lint-input.ts';
import {
  blocks,
  hasUserExclusions,
  includesAllApps,
  includesAllUsers,
  isEnabled,
  narrowingConditions,
  usersOf,
  type UsersCondition,
} from './policy-view.ts';
import type { BreakGlassFacts, UserFact } from './tenant-facts.ts';

function lower(values: readonly string[]): Set<string> {
  return new Set(values.map((v) => v.toLowerCase()));
}

/** Whether the policy's exclusions cover one account (by id, a group it belongs to, or a role it holds). */
export function isUserExcluded(users: UsersCondition, user: UserFact): boolean {
  const excludedUsers = lower(users.excludeUsers);
  const excludedGroups = lower(users.excludeGroups);
  const excludedRoles = lower(users.excludeRoles);
  return (
    excludedUsers.has(user.id.toLowerCase()) ||
    user.transitiveGroupIds.some((g) => excludedGroups.has(g)) ||
    user.activeRoleTemplateIds.some((r) => excludedRoles.has(r))
  );
}

/** The break-glass accounts (or, when the groups have no members, the groups) the policy does not exclude. */
export function missedBreakGlass(users: UsersCondition, breakGlass: BreakGlassFacts): string[] {
  if (breakGlass.users.length > 0) {
    return breakGlass.users.filter((u) => !isUserExcluded(users, u)).map((u) => u.userPrincipalName);
  }
  const excludedGroups = lower(users.excludeGroups);
  return breakGlass.groups.filter((g) => !excludedGroups.has(g.id)).map((g) => g.displayName);
}

function breakGlassHint(breakGlass: BreakGlassFacts): string {
  const group = breakGlass.groups[0];
  return group
    ? `Add '${group.displayName}' to conditions.users.excludeGroups`
    : 'Add the break-glass accounts to conditions.users.excludeUsers';
}

function checkPolicy(policy: PolicyUnderLint, breakGlass: BreakGlassFacts): Diagnostic | undefined {
  if (!isEnabled(policy.state) || !includesAllUsers(policy.state)) return undefined;
  const location = policy.locate('/conditions/users/includeUsers');
  if (!breakGlass.configured) {
    return warning(
      'break-glass-unconfigured',
      `'${policy.displayName}' covers all users and accord does not know the break-glass accounts`,
      {
        detail:
          'Name the emergency access accounts in accord.yaml (safety.breakGlass.users / groups) and exclude them from this policy, so lint and the lockout guard can check them.',
        location,
      },
    );
  }
  const missed = missedBreakGlass(usersOf(policy.state), breakGlass);
  if (missed.length === 0) return undefined;
  return error(
    'break-glass-not-excluded',
    `'${policy.displayName}' covers all users but does not exclude the break-glass account(s) ${missed.join(', ')}`,
    {
      detail: `${breakGlassHint(breakGlass)}: emergency access accounts must never be caught by a tenant-wide policy.`,
      location,
    },
  );
}

export function lintBreakGlassExcluded(input: LintInput): Diagnostic[] {
  return desiredPolicies(input).flatMap((p) => checkPolicy(p, input.facts.breakGlass) ?? []);
}

export function lintBreakGlassUnresolved(input: LintInput): Diagnostic[] {
  return input.facts.breakGlass.unresolved.map((name) =>
    error(
      'break-glass-unresolved',
      `accord.yaml names the break-glass account or group '${name}', which the tenant does not have`,
      {
        detail:
          'Fix safety.breakGlass in accord.yaml: users by userPrincipalName or id, groups by display name or id.',
      },
    ),
  );
}

export function lintBlockEveryone(input: LintInput): Diagnostic[] {
  return desiredPolicies(input).flatMap((policy) => {
    const state = policy.state;
    if (!isEnabled(state) || !blocks(state) || !includesAllUsers(state) || !includesAllApps(state)) return [];
    if (hasUserExclusions(usersOf(state)) || narrowingConditions(state).length > 0) return [];
    return [
      error(
        'block-everyone',
        `'${policy.displayName}' blocks every user on every application with no exclusion`,
        {
          detail:
            'This locks everyone out, administrators included. Exclude the break-glass accounts (and narrow the policy with conditions), or set it to report-only.',
          location: policy.locate('/grantControls/builtInControls'),
        },
      ),
    ];
  });
}
