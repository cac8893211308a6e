/**
 * Readable names for ids that no manifest names: a policy in the tenant may exclude a user or an app the repository
 * never mentions, and a plan that shows `"6096f889-…" → "Contoso HR Portal"` helps nobody. One `$batch` asks for
 * all of them (`directoryObjects/getByIds` for users, groups and service principals; service principals by appId;
 * the role templates), never one request per id.
 */
import type { BatchItem, GraphPort } from '../core/graph-port.ts';
import type { Plan } from '../core/plan.ts';
import { isGuid, isRecord } from '../kinds/common/canonical.ts';

const IN_LIMIT = 15;

function collectGuids(value: unknown, into: Set<string>): void {
  if (isGuid(value)) into.add(value.toLowerCase());
  else if (Array.isArray(value)) value.forEach((v) => collectGuids(v, into));
  else if (isRecord(value)) Object.values(value).forEach((v) => collectGuids(v, into));
}

function replaceGuids(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (isGuid(value)) return names.get(value.toLowerCase()) ?? value;
  if (Array.isArray(value)) return value.map((v) => replaceGuids(v, names));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceGuids(v, names)]));
  return value;
}

function buildRequests(ids: readonly string[]): BatchItem[] {
  const items: BatchItem[] = [
    {
      method: 'POST',
      path: '/directoryObjects/getByIds',
      body: { ids: [...ids], types: ['user', 'group', 'servicePrincipal'] },
    },
    { method: 'GET', path: '/directoryRoleTemplates?$select=id,displayName' },
  ];
  for (let i = 0; i < ids.length; i += IN_LIMIT) {
    const filter = `appId in (${ids
      .slice(i, i + IN_LIMIT)
      .map((id) => `'${id}'`)
      .join(',')})`;
    items.push({
      method: 'GET',
      path: `/servicePrincipals?$filter=${encodeURIComponent(filter)}&$select=appId,displayName`,
    });
  }
  return items;
}

function readNames(body: unknown, into: Map<string, string>, wanted: ReadonlySet<string>): void {
  const value = isRecord(body) && Array.isArray(body.value) ? body.value : [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const name = String(item.userPrincipalName ?? item.displayName ?? '');
    for (const key of [item.id, item.appId]) {
      if (typeof key === 'string' && wanted.has(key.toLowerCase()) && name !== '')
        into.set(key.toLowerCase(), name);
    }
  }
}

/** Replaces ids in the plan's field changes with names, where the directory knows them. Best effort: a failed lookup leaves ids. */
export async function nameUnknownIds(plan: Plan, port: GraphPort): Promise<void> {
  const ids = new Set<string>();
  for (const change of plan.changes)
    for (const field of change.fields) collectGuids([field.before, field.after], ids);
  if (ids.size === 0) return;
  const wanted = [...ids].slice(0, 1000);
  const names = new Map<string, string>();
  try {
    const results = await port.batch(buildRequests(wanted));
    for (const result of results) if (result.status === 200) readNames(result.body, names, ids);
  } catch {
    return;
  }
  if (names.size === 0) return;
  for (const change of plan.changes) {
    change.fields = change.fields.map((f) => ({
      ...f,
      before: replaceGuids(f.before, names),
      after: replaceGuids(f.after, names),
    }));
  }
}
