/**
 * The two renderings of a kind's schema: a Kubernetes structural schema (for CRDs) and a plain JSON Schema for
 * editors. Both are pure functions of the source schema in src/kinds/.
 */
import type { JsonSchema } from '../core/kind.ts';

const JUNCTORS = ['oneOf', 'anyOf', 'allOf', 'not'];
/** Keywords Kubernetes forbids inside logical junctors (they may only hold value validations). */
const FORBIDDEN_IN_JUNCTORS = ['title', 'description', 'type', 'nullable', 'additionalProperties', 'default'];

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapChildren(schema: JsonSchema, transform: (child: JsonSchema) => JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isSchema(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, isSchema(child) ? transform(child) : child]),
      );
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isSchema(value)) {
      out[key] = transform(value);
    } else if (JUNCTORS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((child: unknown) => (isSchema(child) ? transform(child) : child));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Whether a junctor's branches declare types (string-or-object): Kubernetes cannot express that structurally. */
function hasTypedBranches(schema: JsonSchema): boolean {
  return ['oneOf', 'anyOf'].some(
    (key) => Array.isArray(schema[key]) && (schema[key] as unknown[]).some((b) => isSchema(b) && 'type' in b),
  );
}

function stripForJunctor(schema: JsonSchema): JsonSchema {
  const out = mapChildren(schema, stripForJunctor);
  return Object.fromEntries(Object.entries(out).filter(([key]) => !FORBIDDEN_IN_JUNCTORS.includes(key)));
}

/**
 * A Kubernetes structural schema: no `additionalProperties: false` next to `properties` (the API server prunes
 * unknown fields instead), junctor branches reduced to value validations, and values that may be a string or an
 * object (CIDR strings or ipRange objects) kept as unknown fields — accord's own validation still checks them.
 */
export function toStructuralSchema(schema: JsonSchema): JsonSchema {
  if (hasTypedBranches(schema)) {
    const kept: JsonSchema = { 'x-kubernetes-preserve-unknown-fields': true };
    if (typeof schema.description === 'string') kept.description = schema.description;
    return kept;
  }
  const out = mapChildren(schema, toStructuralSchema);
  if (out.additionalProperties === false) delete out.additionalProperties;
  for (const key of JUNCTORS) {
    if (Array.isArray(out[key])) out[key] = (out[key] as JsonSchema[]).map(stripForJunctor);
    else if (key === 'not' && isSchema(out[key])) out[key] = stripForJunctor(out[key]);
  }
  return out;
}

/** A JSON Schema for editors: `nullable` becomes a `null` type, Kubernetes extensions are dropped. */
export function toEditorSchema(schema: JsonSchema): JsonSchema {
  const out = mapChildren(schema, toEditorSchema);
  delete out['x-kubernetes-preserve-unknown-fields'];
  delete out['x-kubernetes-validations'];
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
  }
  return out;
}
