/** Field-level differences between two canonical states. Pure. */
import type { FieldChange } from '../core/plan.ts';
import { isRecord } from '../kinds/common/canonical.ts';

/** Structural equality of JSON values (canonical states: key order does not matter, array order does). */
export function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => isEqual(item, b[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((key) => Object.hasOwn(y, key) && isEqual(x[key], y[key]));
}

/**
 * Leaves that differ, by dotted path. Objects recurse; arrays and scalars compare whole (arrays are sets, already
 * sorted by canonicalization, so a changed member shows the whole set before and after).
 */
export function diffStates(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) =>
      diffStates(before[key] ?? null, after[key] ?? null, path === '' ? key : `${path}.${key}`),
    );
  }
  if (isRecord(after) && (before === null || before === undefined)) {
    return diffStates({}, after, path).filter((c) => c.after !== null);
  }
  if (isRecord(before) && (after === null || after === undefined)) {
    return diffStates(before, {}, path).filter((c) => c.before !== null);
  }
  return [{ path, before: before ?? null, after: after ?? null }];
}

/** Replaces known ids with readable names (`Name (id)`) for display. */
export function withNames(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    const name = names.get(value) ?? names.get(value.toLowerCase());
    return name && name !== value ? name : value;
  }
  if (Array.isArray(value)) return value.map((v) => withNames(v, names));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withNames(v, names)]));
  return value;
}
