/**
 * Building blocks for the kinds' spec schemas. The schemas are plain JSON Schema (draft-07, as ajv reads it by
 * default) restricted to what a Kubernetes structural schema accepts: every object node has `type`, nullable values
 * use OpenAPI's `nullable` (ajv supports it), no `$ref`, no `const`, no `uniqueItems`. Shared pieces are reused as
 * values, so every schema is already inlined. The generators in src/gen/ turn these into CRDs and editor schemas.
 */
import type { JsonSchema } from '../core/kind.ts';

/** Graph's `unknownFutureValue` sentinel is read-only: writing it is refused, so no writable enum lists it. */

export function describe(description: string, schema: JsonSchema): JsonSchema {
  return { ...schema, description };
}

export function stringSchema(description?: string): JsonSchema {
  return description === undefined ? { type: 'string' } : { type: 'string', description };
}

export function booleanSchema(description?: string): JsonSchema {
  return description === undefined ? { type: 'boolean' } : { type: 'boolean', description };
}

export function integerSchema(minimum?: number, maximum?: number, description?: string): JsonSchema {
  const schema: JsonSchema = { type: 'integer' };
  if (minimum !== undefined) schema.minimum = minimum;
  if (maximum !== undefined) schema.maximum = maximum;
  if (description !== undefined) schema.description = description;
  return schema;
}

export function enumSchema(values: readonly string[], description?: string): JsonSchema {
  const schema: JsonSchema = { type: 'string', enum: [...values] };
  if (description !== undefined) schema.description = description;
  return schema;
}

export function arrayOf(
  items: JsonSchema,
  description?: string,
  limits: { min?: number; max?: number } = {},
): JsonSchema {
  const schema: JsonSchema = { type: 'array', items };
  if (limits.min !== undefined) schema.minItems = limits.min;
  if (limits.max !== undefined) schema.maxItems = limits.max;
  if (description !== undefined) schema.description = description;
  return schema;
}

/** A collection of object ids, where a readable name (UPN, display name, appId, metadata.name) may stand in. */
export function referenceList(description: string): JsonSchema {
  return arrayOf({ type: 'string', minLength: 1 }, description);
}

export interface ObjectOptions {
  required?: readonly string[];
  description?: string;
  nullable?: boolean;
}

/** A closed object: properties not listed are errors (they would be refused or silently dropped by Graph). */
export function objectSchema(
  properties: Record<string, JsonSchema>,
  options: ObjectOptions = {},
): JsonSchema {
  const schema: JsonSchema = { type: 'object' };
  if (options.description !== undefined) schema.description = options.description;
  if (options.nullable) schema.nullable = true;
  schema.properties = properties;
  if (options.required && options.required.length > 0) schema.required = [...options.required];
  schema.additionalProperties = false;
  return schema;
}

/** An object whose shape Graph leaves open (or the contract does not pin down): passed through as written. */
export function openObjectSchema(description: string, nullable = false): JsonSchema {
  const schema: JsonSchema = { type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true };
  if (nullable) schema.nullable = true;
  return schema;
}

/** Allows `null` (Graph returns null for unset complex and nullable values); an enum must list null itself. */
export function nullable(schema: JsonSchema): JsonSchema {
  const result: JsonSchema = { ...schema, nullable: true };
  if (Array.isArray(schema.enum)) result.enum = [...(schema.enum as unknown[]), null];
  return result;
}

/**
 * Human descriptions of the patterns the schemas use, keyed by the pattern source, so that the validator can say
 * "must be a comma-separated combination of …" instead of echoing a regular expression.
 */
export const PATTERN_DESCRIPTIONS = new Map<string, string>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A Graph flags enum serialized as one string of comma-separated member names, e.g. `"password,sms"`. */
export function flagsSchema(members: readonly string[], description?: string): JsonSchema {
  const member = `(${members.map(escapeRegExp).join('|')})`;
  const pattern = `^${member}( *, *${member})*$`;
  PATTERN_DESCRIPTIONS.set(pattern, `must be one or more of ${members.join(', ')}, separated by commas`);
  const schema: JsonSchema = { type: 'string', pattern };
  if (description !== undefined) schema.description = description;
  return schema;
}

/** A string matching `pattern`, explained to users by `explanation` ("must be …"). */
export function patternSchema(pattern: string, explanation: string, description?: string): JsonSchema {
  PATTERN_DESCRIPTIONS.set(pattern, explanation);
  const schema: JsonSchema = { type: 'string', pattern };
  if (description !== undefined) schema.description = description;
  return schema;
}

/** `conditionalAccessFilter` (graph-contract §2.5) — also used by cross-tenant device filters. */
export const filterSchema: JsonSchema = objectSchema(
  {
    mode: enumSchema(['include', 'exclude'], 'Whether matching objects are included or excluded.'),
    rule: {
      type: 'string',
      maxLength: 3072,
      description: 'The filter rule, e.g. `device.isCompliant -eq True`.',
    },
  },
  { required: ['mode', 'rule'], nullable: true, description: 'A filter rule (conditionalAccessFilter).' },
);

/** Properties Graph manages itself; never part of a spec (graph-contract §2.1, §3.1, §4.1, §5). */
export const SERVER_MANAGED_PROPERTIES: readonly string[] = [
  'id',
  'createdDateTime',
  'modifiedDateTime',
  'lastModifiedDateTime',
  'deletedDateTime',
  'templateId',
  '@odata.context',
  'policyType',
  'requirementsSatisfied',
  'policyVersion',
  'isServiceDefault',
  'isInMultiTenantOrganization',
];

/** The API version of every accord manifest (also `API_VERSION` in src/core/manifest.ts). */
const ENVELOPE_API_VERSION = 'accord.dev/v1alpha1';

const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

const stringMap = (description: string): JsonSchema => ({
  type: 'object',
  description,
  additionalProperties: { type: 'string' },
});

/** `metadata` of a manifest: the Kubernetes object metadata accord reads. */
export const metadataSchema: JsonSchema = objectSchema(
  {
    name: {
      ...patternSchema(
        DNS_SUBDOMAIN,
        "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
      ),
      maxLength: 253,
      description: 'The stable key of this object in accord (a DNS-1123 subdomain).',
    },
    namespace: stringSchema('The Kubernetes namespace (controller only).'),
    annotations: stringMap('Annotations; `accord.dev/id` pins the manifest to a tenant object id.'),
    labels: stringMap('Labels.'),
  },
  { required: ['name'], description: 'Object metadata.' },
);

/**
 * The manifest envelope. Without arguments `kind` is any string and `spec` any mapping (the validator checks the
 * kind against the registry and the spec against the kind's schema); with them it is one kind's full manifest.
 */
export function envelopeSchema(kind?: string, spec?: JsonSchema): JsonSchema {
  return objectSchema(
    {
      apiVersion: enumSchema([ENVELOPE_API_VERSION], 'Always `accord.dev/v1alpha1`.'),
      kind:
        kind === undefined
          ? stringSchema('The kind of resource.')
          : enumSchema([kind], 'The kind of resource.'),
      metadata: metadataSchema,
      spec: spec ?? { type: 'object', description: 'The resource, as Microsoft Graph has it.' },
    },
    { required: ['apiVersion', 'kind', 'metadata', 'spec'] },
  );
}
