/**
 * The canonical form both sides of a diff are brought to (DESIGN §3, "normalization is the heart of
 * correctness"): Graph returns `[]` for empty collections and `null` for absent complex values, collapses unused
 * session controls, reorders sets, varies the case of GUIDs and enum values, and expands references. After
 * `canonicalize`, a tenant that matches the repository compares equal — zero changes.
 */
import type { GraphBody } from '../../core/graph-port.ts';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys that carry no state: OData annotations and server-managed fields. */
const SERVER_KEYS = new Set([
  'id',
  'createdDateTime',
  'modifiedDateTime',
  'deletedDateTime',
  'templateId',
  'lastModifiedDateTime',
]);

function isAnnotation(key: string): boolean {
  return key.includes('@odata.') && key !== '@odata.type';
}

/** A value that says "nothing configured": null, an empty array, or an object of only such values. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) {
    return Object.entries(value).every(([key, v]) => key === '@odata.type' || isEmptyValue(v));
  }
  return false;
}

function canonicalString(value: string): string {
  return GUID.test(value) ? value.toLowerCase() : value;
}

function compareValues(a: unknown, b: unknown): number {
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface CanonicalOptions {
  /** Array paths (dotted) whose order matters; every other array is a set and is sorted. */
  orderedArrays?: ReadonlySet<string>;
  /** Keep these keys even when they are server-managed (e.g. `id` inside a target). */
  keepIdAt?: (path: string) => boolean;
}

function canonicalizeAt(value: unknown, path: string, options: CanonicalOptions, depth: number): unknown {
  if (typeof value === 'string') return canonicalString(value);
  if (Array.isArray(value)) {
    const items = value.map((item, i) => canonicalizeAt(item, `${path}[${i}]`, options, depth + 1));
    return options.orderedArrays?.has(path) ? items : items.sort(compareValues);
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (isAnnotation(key)) continue;
    const childPath = path === '' ? key : `${path}.${key}`;
    if (SERVER_KEYS.has(key) && !(key === 'id' && (depth > 0 || options.keepIdAt?.(childPath)))) continue;
    const child = canonicalizeAt(value[key], childPath, options, depth + 1);
    // Nested complex values that configure nothing are `null`, whichever way Graph spelled them.
    out[key] = depth > 0 && isRecord(child) && isEmptyValue(child) ? null : child;
  }
  return out;
}

/**
 * The canonical form of a Graph object: annotations and server-managed fields removed, keys sorted, sets sorted,
 * GUIDs lower-cased, nested complex values that configure nothing collapsed to `null`.
 */
export function canonicalize(body: GraphBody, options: CanonicalOptions = {}): GraphBody {
  return canonicalizeAt(body, '', options, 0) as GraphBody;
}

/** Removes what a manifest need not say (nulls, empty arrays, empty objects) — for `export`. */
export function pruneDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneDefaults);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const pruned = pruneDefaults(v);
    if (pruned === null || pruned === undefined) continue;
    if (Array.isArray(pruned) && pruned.length === 0) continue;
    if (isRecord(pruned) && Object.keys(pruned).length === 0) continue;
    out[key] = pruned;
  }
  return out;
}

/** A deep copy through JSON (the states are plain JSON). */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Reads a value at a JSON pointer (`/a/b/0`). */
export function getAtPointer(root: unknown, pointer: string): unknown {
  return getAtPath(root, splitPointer(pointer));
}

function getAtPath(root: unknown, parts: readonly string[]): unknown {
  let current = root;
  for (const part of parts) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isRecord(current)) current = current[part];
    else return undefined;
  }
  return current;
}

/** Writes a value at an existing JSON pointer. */
export function setAtPointer(root: unknown, pointer: string, value: unknown): void {
  const parts = splitPointer(pointer);
  const last = parts.pop();
  if (last === undefined) return;
  const parent = getAtPath(root, parts);
  if (Array.isArray(parent)) parent[Number(last)] = value;
  else if (isRecord(parent)) parent[last] = value;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  const parts = pointer.slice(1).split('/');
  // Escapes are rare; skip the replacements when there are none (this runs for every name in every policy).
  return pointer.includes('~') ? parts.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')) : parts;
}

export function escapePointer(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}
