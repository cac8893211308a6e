/**
 * A small declarative normaliser for Graph complex types: checks JSON types, refuses unknown properties, accepts
 * enum members case-insensitively and echoes them in canonical case, and fills server defaults (non-nullable
 * collections as `[]`, absent nullable values as `null`). Every failure is Graph's 400 validation shape with the
 * field path in the detail; no input, however malformed, gets past it as anything but a `ShapeError`.
 *
 * Shared by the local tenant (which answers a `ShapeError` as Graph's 400 with the inner code) and by accord's
 * kinds (which normalize desired and live objects into one canonical form before diffing).
 */

/** A body that does not fit the Graph type: `code` is Graph's inner validation code (1007 for schema mismatches). */
export class ShapeError extends Error {
  readonly code: number;
  readonly detail: string;
  constructor(code: number, detail: string) {
    super(`${code}: ${detail}`);
    this.code = code;
    this.detail = detail;
  }

  /** The inner message as Graph words it: `NNNN: detail`. */
  get innerMessage(): string {
    return this.message;
  }
}

/** Inner code for schema mismatches (graph-contract §2.10: `1007` body null / schema mismatch). */
export const SCHEMA_CODE = 1007;

export type Json = Record<string, unknown>;

export type FieldSpec =
  | { kind: 'string'; nullable?: boolean; required?: boolean; maxLength?: number }
  | { kind: 'boolean'; nullable?: boolean; default?: boolean | null }
  | { kind: 'int'; nullable?: boolean }
  | { kind: 'stringList'; canonical?: readonly string[] }
  | { kind: 'enumList'; members: readonly string[] }
  | {
      kind: 'enum';
      members: readonly string[];
      nullable?: boolean;
      required?: boolean;
      default?: string | null;
    }
  | { kind: 'flags'; members: readonly string[]; nullable?: boolean; required?: boolean }
  | { kind: 'object'; schema: ObjectSchema; nullable?: boolean; required?: boolean }
  | { kind: 'custom'; normalise: (value: unknown, path: string) => unknown; absent: unknown }
  /** Read-only or server-managed: accepted and dropped. */
  | { kind: 'readOnly' }
  /** Known elsewhere (e.g. beta) but not modelled here: tolerated when null, dropped. */
  | { kind: 'toleratedNull' };

export interface ObjectSchema {
  name: string;
  fields: Record<string, FieldSpec>;
  /** For derived types: the `@odata.type` the object must carry (if it carries one) and echoes. */
  odataType?: string;
  /** Whether `@odata.type` is echoed in the output. */
  emitType?: boolean;
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function schemaError(path: string, detail: string): Error {
  return new ShapeError(SCHEMA_CODE, `Invalid value for '${path}': ${detail}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function expectString(value: unknown, path: string, maxLength = 100_000): string {
  if (typeof value !== 'string') throw schemaError(path, `expected a string but found ${describe(value)}.`);
  if (value.length > maxLength) throw schemaError(path, `the value is longer than ${maxLength} characters.`);
  return value;
}

/** Matches `value` against `members` case-insensitively; returns the canonical member or undefined. */
export function canonicalMember(value: string, members: readonly string[]): string | undefined {
  const lower = value.trim().toLowerCase();
  return members.find((m) => m.toLowerCase() === lower);
}

export function normaliseEnum(value: unknown, members: readonly string[], path: string): string {
  const text = expectString(value, path, 200);
  const member = canonicalMember(text, members);
  if (member === undefined) {
    throw schemaError(path, `'${text.slice(0, 100)}' is not one of ${members.join(', ')}.`);
  }
  return member;
}

/** A flags enum: a comma-joined string of members, echoed in canonical (declaration) order. */
export function normaliseFlags(value: unknown, members: readonly string[], path: string): string {
  const text = expectString(value, path, 2000);
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === ''))
    throw schemaError(path, `'${text.slice(0, 100)}' is not a valid flags value.`);
  const chosen = new Set(parts.map((p) => normaliseEnum(p, members, path)));
  if (chosen.size > 1 && chosen.has('none')) {
    throw schemaError(path, `'none' cannot be combined with other values.`);
  }
  return members.filter((m) => chosen.has(m)).join(',');
}

function normaliseList(
  value: unknown,
  path: string,
  each: (item: unknown, itemPath: string) => string,
): string[] {
  if (!Array.isArray(value)) throw schemaError(path, `expected an array but found ${describe(value)}.`);
  if (value.length > 10_000) throw schemaError(path, 'the collection has too many values.');
  return value.map((item, i) => each(item, `${path}[${i}]`));
}

function normaliseStringList(value: unknown, path: string, canonical: readonly string[] = []): string[] {
  return normaliseList(value, path, (item, itemPath) => {
    const text = expectString(item, itemPath, 1024);
    return canonicalMember(text, canonical) ?? text;
  });
}

function normaliseInt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2_147_483_647) {
    throw schemaError(path, `expected a 32-bit integer but found ${describe(value)}.`);
  }
  return value;
}

function absentValue(spec: FieldSpec, path: string): unknown {
  switch (spec.kind) {
    case 'stringList':
    case 'enumList':
      return [];
    case 'boolean':
      return spec.default ?? null;
    case 'enum':
      if (spec.required) throw schemaError(path, 'the property is required.');
      return spec.default ?? null;
    case 'string':
    case 'flags':
    case 'object':
      if (spec.required) throw schemaError(path, 'the property is required.');
      return null;
    case 'custom':
      return spec.absent;
    default:
      return null;
  }
}

function isNullable(spec: FieldSpec): boolean {
  switch (spec.kind) {
    case 'stringList':
    case 'enumList':
      return false;
    case 'string':
    case 'boolean':
    case 'int':
    case 'enum':
    case 'flags':
    case 'object':
      return spec.nullable !== false;
    default:
      return true;
  }
}

function normaliseValue(spec: FieldSpec, value: unknown, path: string): unknown {
  if (value === null && spec.kind !== 'custom') {
    if (!isNullable(spec)) throw schemaError(path, 'a null value is not allowed for this property.');
    if ('required' in spec && spec.required) throw schemaError(path, 'the property is required.');
    return null;
  }
  switch (spec.kind) {
    case 'string':
      return expectString(value, path, spec.maxLength);
    case 'boolean':
      if (typeof value !== 'boolean')
        throw schemaError(path, `expected a boolean but found ${describe(value)}.`);
      return value;
    case 'int':
      return normaliseInt(value, path);
    case 'stringList':
      return normaliseStringList(value, path, spec.canonical);
    case 'enumList':
      return normaliseList(value, path, (item, itemPath) => normaliseEnum(item, spec.members, itemPath));
    case 'enum':
      return normaliseEnum(value, spec.members, path);
    case 'flags':
      return normaliseFlags(value, spec.members, path);
    case 'object':
      return normaliseObject(spec.schema, value, path);
    case 'custom':
      return spec.normalise(value, path);
    default:
      return undefined;
  }
}

/** Property names in the input, matched to the schema case-insensitively; annotations (`x@odata.y`) skipped. */
const lowerKeyMaps = new WeakMap<ObjectSchema, Map<string, string>>();

function lowerKeys(schema: ObjectSchema): Map<string, string> {
  let map = lowerKeyMaps.get(schema);
  if (!map) {
    map = new Map(Object.keys(schema.fields).map((k) => [k.toLowerCase(), k]));
    lowerKeyMaps.set(schema, map);
  }
  return map;
}

function matchKeys(schema: ObjectSchema, raw: Json, path: string): Map<string, unknown> {
  const byLower = lowerKeys(schema);
  const matched = new Map<string, unknown>();
  for (const [key, value] of Object.entries(raw)) {
    if (key.includes('@')) continue;
    const canonical = byLower.get(key.toLowerCase());
    if (canonical === undefined) {
      throw schemaError(
        `${path}.${key.slice(0, 100)}`,
        `the property does not exist on type '${schema.name}'.`,
      );
    }
    if (matched.has(canonical)) throw schemaError(`${path}.${canonical}`, 'the property is given twice.');
    matched.set(canonical, value);
  }
  return matched;
}

function checkODataType(schema: ObjectSchema, raw: Json, path: string): void {
  const given = raw['@odata.type'];
  if (given === undefined) return;
  const expected = schema.odataType ?? `#microsoft.graph.${schema.name}`;
  if (typeof given !== 'string' || given.replace(/^#?/, '#').toLowerCase() !== expected.toLowerCase()) {
    throw schemaError(`${path}.@odata.type`, `expected '${expected}'.`);
  }
}

/** Normalises one complex value to its canonical wire form (fields in schema order, defaults filled). */
export function normaliseObject(schema: ObjectSchema, raw: unknown, path: string): Json {
  if (!isRecord(raw))
    throw schemaError(path, `expected an object of type '${schema.name}' but found ${describe(raw)}.`);
  checkODataType(schema, raw, path);
  const given = matchKeys(schema, raw, path);
  const out: Json = {};
  if (schema.emitType && schema.odataType) out['@odata.type'] = schema.odataType;
  for (const [name, spec] of Object.entries(schema.fields)) {
    const fieldPath = `${path}.${name}`;
    if (spec.kind === 'readOnly') continue;
    if (spec.kind === 'toleratedNull') {
      if (given.has(name) && given.get(name) !== null) {
        throw schemaError(fieldPath, 'the property is not supported in this API version.');
      }
      continue;
    }
    out[name] = given.has(name)
      ? normaliseValue(spec, given.get(name), fieldPath)
      : absentValue(spec, fieldPath);
  }
  return out;
}

/**
 * PATCH semantics (graph-contract §2.10): complex values merge recursively, everything else (collections,
 * primitives, null) replaces. Property names match case-insensitively. A complex value whose `@odata.type`
 * changes is replaced, not merged.
 */
export function deepMerge(base: Json, patch: Json): Json {
  return mergeWith(base, patch, true);
}

/** Top-level replacement only (named locations): patch values replace, keys match case-insensitively. */
export function shallowMerge(base: Json, patch: Json): Json {
  return mergeWith(base, patch, false);
}

function mergeWith(base: Json, patch: Json, deep: boolean): Json {
  const entries = new Map<string, [string, unknown]>(
    Object.entries(base).map(([k, v]) => [k.toLowerCase(), [k, v]]),
  );
  for (const [key, value] of Object.entries(patch)) {
    const existing = entries.get(key.toLowerCase());
    const prior = existing?.[1];
    const merged =
      deep && isRecord(value) && isRecord(prior) && sameType(prior, value)
        ? mergeWith(prior, value, true)
        : value;
    entries.set(key.toLowerCase(), [existing?.[0] ?? key, merged]);
  }
  return Object.fromEntries(entries.values());
}

function sameType(a: Json, b: Json): boolean {
  const ta = a['@odata.type'];
  const tb = b['@odata.type'];
  if (typeof ta !== 'string' || typeof tb !== 'string') return true;
  return ta.replace(/^#/, '').toLowerCase() === tb.replace(/^#/, '').toLowerCase();
}
