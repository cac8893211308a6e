/**
 * Turns ajv's errors into sentences a policy author can act on: the field path, what is wrong, what was written,
 * and a likely fix ("did you mean 'includeUsers'?"). `oneOf` failures are collapsed to the branch that fits the
 * value's type, or to one summary naming the alternatives, instead of one error per branch.
 */
import type { ErrorObject } from 'ajv';
import { PATTERN_DESCRIPTIONS, SERVER_MANAGED_PROPERTIES } from '../kinds/shared-schemas.ts';
import { escapePointerSegment, parsePointer } from './yaml-locations.ts';

export interface SchemaProblem {
  /** JSON pointer of the offending value (or of the missing property) inside the manifest. */
  pointer: string;
  summary: string;
  detail?: string;
}

/** `/spec/conditions/users/includeUsers/0` → `spec.conditions.users.includeUsers[0]`. */
export function formatFieldPath(pointer: string): string {
  let out = '';
  for (const segment of parsePointer(pointer)) {
    if (/^(0|[1-9][0-9]*)$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `['${segment}']`;
  }
  return out === '' ? 'manifest' : out;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate closest to `word` (case-insensitive), if it is close enough to be a plausible typo. */
export function suggestClosest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best.distance <= limit ? best.candidate : undefined;
}

export function readPointer(data: unknown, pointer: string): unknown {
  let current = data;
  for (const segment of parsePointer(pointer)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  return String(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${describeValue(value)}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

function describeAdditional(error: ErrorObject, at: string): SchemaProblem {
  const property = String(error.params.additionalProperty);
  const pointer = `${error.instancePath}/${escapePointerSegment(property)}`;
  if (SERVER_MANAGED_PROPERTIES.includes(property) || property.endsWith('@odata.context')) {
    return {
      pointer,
      summary: `${at}: '${property}' is managed by Graph and cannot be set in a manifest`,
      detail: "Remove it. To pin a manifest to an existing object, use the annotation 'accord.dev/id'.",
    };
  }
  const properties = Object.keys(
    (error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {},
  );
  const suggestion = suggestClosest(property, properties);
  const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
  const detail = properties.length > 0 ? `Known properties: ${properties.join(', ')}.` : undefined;
  return { pointer, summary: `${at}: unknown property '${property}'${hint}`, ...(detail ? { detail } : {}) };
}

function describeEnum(error: ErrorObject, at: string, value: unknown): SchemaProblem {
  const allowed = (error.params.allowedValues as unknown[]).filter((v) => v !== null).map(String);
  const got = ` (got ${describeValue(value)})`;
  if (allowed.length === 1)
    return { pointer: error.instancePath, summary: `${at}: must be '${allowed[0]}'${got}` };
  const caseMatch = allowed.find((v) => typeof value === 'string' && v.toLowerCase() === value.toLowerCase());
  const suggestion = caseMatch ?? (typeof value === 'string' ? suggestClosest(value, allowed) : undefined);
  const hint = suggestion ? `; did you mean '${suggestion}'?` : '';
  const detail = caseMatch ? 'Enum values are case-sensitive; use the spelling Graph documents.' : undefined;
  return {
    pointer: error.instancePath,
    summary: `${at}: must be one of ${allowed.join(', ')}${got}${hint}`,
    ...(detail ? { detail } : {}),
  };
}

function describeOneOf(error: ErrorObject, at: string): SchemaProblem {
  const branches = (error.schema as { title?: string }[]).map((branch, i) => branch.title ?? `form ${i + 1}`);
  const matched = error.params.passingSchemas !== null && error.params.passingSchemas !== undefined;
  const verb = matched ? 'matches more than one of' : 'must be exactly one of';
  return { pointer: error.instancePath, summary: `${at}: ${verb}: ${branches.join('; or ')}` };
}

function describeLimit(error: ErrorObject, at: string, value: unknown): SchemaProblem {
  const limit = Number(error.params.limit);
  const messages: Record<string, string> = {
    minItems: `must list at least ${limit} item${limit === 1 ? '' : 's'}`,
    maxItems: `must list at most ${limit} items`,
    minLength: limit === 1 ? 'must not be empty' : `must be at least ${limit} characters long`,
    maxLength: `must be at most ${limit} characters long`,
    minimum: `must be at least ${limit}`,
    maximum: `must be at most ${limit}`,
  };
  const got = Array.isArray(value) ? ` (got ${value.length})` : ` (got ${describeValue(value)})`;
  return { pointer: error.instancePath, summary: `${at}: ${messages[error.keyword] ?? error.message}${got}` };
}

/** One ajv error (on data rooted at the manifest) as a problem with a pointer and a sentence. */
export function describeSchemaError(error: ErrorObject, data: unknown): SchemaProblem {
  const at = formatFieldPath(error.instancePath);
  const value = readPointer(data, error.instancePath);
  switch (error.keyword) {
    case 'required': {
      const missing = String(error.params.missingProperty);
      return {
        pointer: `${error.instancePath}/${escapePointerSegment(missing)}`,
        summary: `${at}: missing required property '${missing}'`,
      };
    }
    case 'additionalProperties':
      return describeAdditional(error, at);
    case 'enum':
      return describeEnum(error, at, value);
    case 'type': {
      const expected = String(error.params.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t);
      return {
        pointer: error.instancePath,
        summary: `${at}: must be ${expected.join(' or ')} (got ${describeType(value)})`,
      };
    }
    case 'pattern': {
      const pattern = String(error.params.pattern);
      const explanation = PATTERN_DESCRIPTIONS.get(pattern) ?? `must match the pattern ${pattern}`;
      return { pointer: error.instancePath, summary: `${at}: ${explanation} (got ${describeValue(value)})` };
    }
    case 'oneOf':
      return describeOneOf(error, at);
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
      return describeLimit(error, at, value);
    default:
      return { pointer: error.instancePath, summary: `${at}: ${error.message ?? 'is invalid'}` };
  }
}

function isWithin(instancePath: string, ancestor: string): boolean {
  return instancePath === ancestor || instancePath.startsWith(`${ancestor}/`);
}

/** The branch of `oneOf` an error came from, if it came from one (same schema location and value, or inside it). */
function branchOf(error: ErrorObject, oneOf: ErrorObject): number | undefined {
  const oneOfPath = oneOf.schemaPath;
  if (!error.schemaPath.startsWith(`${oneOfPath}/`) || !isWithin(error.instancePath, oneOf.instancePath))
    return undefined;
  const index = Number(error.schemaPath.slice(oneOfPath.length + 1).split('/')[0]);
  return Number.isInteger(index) ? index : undefined;
}

/**
 * Collapses each failed `oneOf` with its branches' errors: if exactly one branch accepts the value's type, that
 * branch's errors are kept (they are the useful ones); otherwise the `oneOf` error alone is kept. ajv reports the
 * branch errors before their `oneOf`, inner ones first, so one pass in order handles nesting.
 */
export function collapseOneOfErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  let remaining = [...errors];
  for (const oneOf of errors.filter((e) => e.keyword === 'oneOf')) {
    if (!remaining.includes(oneOf)) continue;
    const byBranch = new Map<number, ErrorObject[]>();
    for (const e of remaining) {
      const branch = branchOf(e, oneOf);
      if (branch !== undefined) byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
    }
    const plausible = [...byBranch.entries()].filter(
      ([branch, list]) =>
        !list.some((e) => e.keyword === 'type' && e.schemaPath === `${oneOf.schemaPath}/${branch}/type`),
    );
    const keep = plausible.length === 1 ? new Set(plausible[0]![1]) : new Set([oneOf]);
    remaining = remaining.filter((e) => (e !== oneOf && branchOf(e, oneOf) === undefined) || keep.has(e));
  }
  return remaining;
}
