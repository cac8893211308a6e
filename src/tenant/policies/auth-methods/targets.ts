/**
 * Include/exclude targets of authentication method configurations and the registration campaign
 * (graph-contract §4.1, §4.2): `targetType` user|group, group ids must exist or be the pseudo group `all_users`,
 * user ids must exist.
 */
import { COLLECTIONS } from '../../collections.ts';
import { badRequest } from '../../errors.ts';
import type { Store } from '../../store.ts';
import { requireArray, requireEnum, requireObject, requireString, type Json } from './json-checks.ts';

export const ALL_USERS = 'all_users';
export const TARGET_TYPES = ['user', 'group', 'unknownFutureValue'] as const;

export interface TargetScope {
  store: Store;
  tenantId: string;
}

/** Checks that a user or group target names an existing object. */
export function checkTargetExists(scope: TargetScope, id: string, targetType: string, name: string): void {
  if (targetType === 'group') {
    if (id.toLowerCase() === ALL_USERS) return;
    if (!scope.store.get(scope.tenantId, COLLECTIONS.groups, id)) {
      throw badRequest(`Invalid value for '${name}': the group '${id}' does not exist in the directory.`);
    }
    return;
  }
  if (targetType === 'user' && !scope.store.get(scope.tenantId, COLLECTIONS.users, id)) {
    throw badRequest(`Invalid value for '${name}': the user '${id}' does not exist in the directory.`);
  }
  if (targetType === 'unknownFutureValue') {
    throw badRequest(`Invalid value for '${name}.targetType': 'unknownFutureValue' cannot be written.`);
  }
}

/** `{id, targetType}`, validated; the id of `all_users` is normalised to lower case. */
export function parseBaseTarget(
  scope: TargetScope,
  raw: unknown,
  name: string,
): { id: string; targetType: string } {
  const target = requireObject(raw, name);
  const id = requireString(target.id, `${name}.id`);
  const targetType = requireEnum(target.targetType, `${name}.targetType`, TARGET_TYPES);
  checkTargetExists(scope, id, targetType, name);
  return { id: id.toLowerCase() === ALL_USERS ? ALL_USERS : id, targetType };
}

/** `excludeTargets` of a method configuration: a collection of `excludeTarget`, no extra properties. */
export function parseExcludeTargets(scope: TargetScope, raw: unknown, name = 'excludeTargets'): Json[] {
  const items = requireArray(raw, name);
  return items.map((item, i) => {
    const at = `${name}[${i}]`;
    const target = requireObject(item, at);
    for (const key of Object.keys(target)) {
      if (key !== 'id' && key !== 'targetType' && !key.includes('@')) {
        throw badRequest(
          `Invalid property '${key}' in '${at}': an exclude target has only id and targetType.`,
        );
      }
    }
    return parseBaseTarget(scope, target, at);
  });
}

/** Refuses two targets with the same id in one collection. */
export function rejectDuplicateTargets(targets: Json[], name: string): void {
  const seen = new Set<string>();
  for (const target of targets) {
    const key = String(target.id).toLowerCase();
    if (seen.has(key))
      throw badRequest(`Invalid value for '${name}': the target '${String(target.id)}' appears twice.`);
    seen.add(key);
  }
}
