/**
 * Batched directory lookups for name resolution: never one Graph call per name. Names are grouped by type, 15
 * values per `$filter … in (…)` (Graph's limit for `in`), 20 filters per `$batch`, so a few hundred names cost one
 * or two requests. Role templates are read once.
 */
import type { BatchItem, GraphPort } from '../core/graph-port.ts';
import type { ReferenceType } from '../core/kind.ts';
import { isGuid } from '../kinds/common/canonical.ts';

export interface DirectoryMatch {
  id: string;
  displayName: string;
  /** What the match was found by, lower-cased (a UPN, a display name, an appId, an id). */
  keys: string[];
}

export type DirectoryType = Extract<
  ReferenceType,
  'user' | 'group' | 'role' | 'application' | 'servicePrincipal'
>;

export function isDirectoryType(type: ReferenceType): type is DirectoryType {
  return (
    type === 'user' ||
    type === 'group' ||
    type === 'role' ||
    type === 'application' ||
    type === 'servicePrincipal'
  );
}

interface QuerySpec {
  collection: string;
  select: string;
  /** The property a value is compared with, by the value's shape. */
  propertyFor(value: string): string;
  toMatch(item: Record<string, unknown>): DirectoryMatch;
}

const SPECS: Record<Exclude<DirectoryType, 'role'>, QuerySpec> = {
  user: {
    collection: '/users',
    select: 'id,displayName,userPrincipalName',
    propertyFor: (v) => (isGuid(v) ? 'id' : 'userPrincipalName'),
    toMatch: (u) => ({
      id: String(u.id),
      displayName: String(u.userPrincipalName ?? u.displayName),
      keys: [String(u.id).toLowerCase(), String(u.userPrincipalName ?? '').toLowerCase()],
    }),
  },
  group: {
    collection: '/groups',
    select: 'id,displayName',
    propertyFor: (v) => (isGuid(v) ? 'id' : 'displayName'),
    toMatch: (g) => ({
      id: String(g.id),
      displayName: String(g.displayName),
      keys: [String(g.id).toLowerCase(), String(g.displayName ?? '').toLowerCase()],
    }),
  },
  // Conditional Access names applications by appId; a name resolves through the service principal.
  application: {
    collection: '/servicePrincipals',
    select: 'id,appId,displayName',
    propertyFor: (v) => (isGuid(v) ? 'appId' : 'displayName'),
    toMatch: (s) => ({
      id: String(s.appId).toLowerCase(),
      displayName: String(s.displayName),
      keys: [String(s.appId).toLowerCase(), String(s.displayName ?? '').toLowerCase()],
    }),
  },
  servicePrincipal: {
    collection: '/servicePrincipals',
    select: 'id,appId,displayName',
    propertyFor: (v) => (isGuid(v) ? 'id' : 'displayName'),
    toMatch: (s) => ({
      id: String(s.id).toLowerCase(),
      displayName: String(s.displayName),
      keys: [String(s.id).toLowerCase(), String(s.displayName ?? '').toLowerCase()],
    }),
  },
};

const IN_LIMIT = 15;
const BATCH_LIMIT = 20;

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One `$filter` request per ≤ 15 values of one property. */
function buildQueries(spec: QuerySpec, values: readonly string[]): BatchItem[] {
  const byProperty = new Map<string, string[]>();
  for (const value of values) {
    const property = spec.propertyFor(value);
    byProperty.set(property, [...(byProperty.get(property) ?? []), value]);
  }
  const items: BatchItem[] = [];
  for (const [property, list] of byProperty) {
    for (const part of chunk(list, IN_LIMIT)) {
      const filter = `${property} in (${part.map(quote).join(',')})`;
      items.push({
        method: 'GET',
        path: `${spec.collection}?$filter=${encodeURIComponent(filter)}&$select=${spec.select}&$top=999`,
      });
    }
  }
  return items;
}

export interface LookupStats {
  requests: number;
}

/**
 * Looks up every value of every type; the result maps `type` → lower-cased value → matches (several matches mean
 * the name is ambiguous).
 */
export async function lookupDirectory(
  port: GraphPort,
  wanted: ReadonlyMap<DirectoryType, ReadonlySet<string>>,
  stats: LookupStats = { requests: 0 },
): Promise<Map<DirectoryType, Map<string, DirectoryMatch[]>>> {
  const result = new Map<DirectoryType, Map<string, DirectoryMatch[]>>();
  const queries: { type: DirectoryType; item: BatchItem }[] = [];
  for (const [type, values] of wanted) {
    result.set(type, new Map());
    if (values.size === 0) continue;
    if (type === 'role') continue;
    for (const item of buildQueries(SPECS[type], [...values])) queries.push({ type, item });
  }
  if ((wanted.get('role')?.size ?? 0) > 0) await lookupRoles(port, result.get('role')!, stats);
  for (const part of chunk(queries, BATCH_LIMIT)) {
    stats.requests++;
    const responses = await port.batch(part.map((q) => q.item));
    responses.forEach((response, i) => {
      const { type } = part[i]!;
      if (response.status !== 200)
        throw new Error(
          `directory lookup failed with ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`,
        );
      const value = (response.body as { value?: Record<string, unknown>[] }).value ?? [];
      const spec = SPECS[type as Exclude<DirectoryType, 'role'>];
      for (const item of value) addMatch(result.get(type)!, spec.toMatch(item));
    });
  }
  return result;
}

function addMatch(into: Map<string, DirectoryMatch[]>, match: DirectoryMatch): void {
  for (const key of new Set(match.keys)) {
    if (key === '') continue;
    const list = into.get(key) ?? [];
    if (!list.some((m) => m.id === match.id)) list.push(match);
    into.set(key, list);
  }
}

async function lookupRoles(
  port: GraphPort,
  into: Map<string, DirectoryMatch[]>,
  stats: LookupStats,
): Promise<void> {
  stats.requests++;
  for (const role of await port.list('/directoryRoleTemplates?$select=id,displayName')) {
    addMatch(into, {
      id: String(role.id).toLowerCase(),
      displayName: String(role.displayName),
      keys: [String(role.id).toLowerCase(), String(role.displayName ?? '').toLowerCase()],
    });
  }
}
