/**
 * Who may use each authentication method once the plan is applied: a method configuration is enabled for the
 * groups in its `includeTargets` (`all_users` is everyone) minus those in its `excludeTargets` (graph-contract §4).
 * Shared by the MFA lint rules and the lockout guard, so both count the same methods for the same users. Pure.
 */
import type { GraphBody } from '../core/graph-port.ts';

/** Graph's pseudo group for every user, as the methods policy stores it. */
export const ALL_USERS_TARGET = 'all_users';
const METHODS_POLICY_ID = 'authenticationmethodspolicy';

/** The policy-level object of the methods policy, which is not a method configuration. */
export function isMethodsPolicyId(id: string): boolean {
  return id.toLowerCase() === METHODS_POLICY_ID;
}

export interface MethodAvailability {
  /** The method configuration id, lower-cased (`email`, `microsoftauthenticator`, …). */
  id: string;
  /** Enabled for every user (an include target `all_users`). */
  allUsers: boolean;
  /** The groups it is enabled for (lower-cased ids), when not for every user. */
  includeGroupIds: string[];
  /** The groups it is withheld from (lower-cased ids). */
  excludeGroupIds: string[];
}

function targetIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((t: unknown) => {
    const id = (t as GraphBody | null)?.id;
    return typeof id === 'string' ? [id.toLowerCase()] : [];
  });
}

/**
 * The enabled method configurations of a methods policy, each with its targets. A configuration without
 * `includeTargets` (a partial read, a test fixture) counts as enabled for every user, as Graph's default is.
 */
export function enabledMethodAvailability(
  configurations: readonly { id: string; state: GraphBody }[],
): MethodAvailability[] {
  return configurations
    .filter((c) => !isMethodsPolicyId(c.id) && c.state.state === 'enabled')
    .map((c) => {
      const include = 'includeTargets' in c.state ? targetIds(c.state.includeTargets) : [ALL_USERS_TARGET];
      return {
        id: c.id.toLowerCase(),
        allUsers: include.includes(ALL_USERS_TARGET),
        includeGroupIds: include.filter((id) => id !== ALL_USERS_TARGET),
        excludeGroupIds: targetIds(c.state.excludeTargets),
      };
    });
}

/** Whether a member of these groups (lower-cased ids, transitive) may use the method. */
export function isMethodAvailableTo(method: MethodAvailability, groupIds: readonly string[]): boolean {
  const groups = new Set(groupIds.map((g) => g.toLowerCase()));
  if (method.excludeGroupIds.some((g) => groups.has(g))) return false;
  return method.allUsers || method.includeGroupIds.some((g) => groups.has(g));
}
