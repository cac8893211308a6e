/**
 * Validation of loaded manifests (pure): the envelope (`apiVersion`, `kind`, `metadata`), each `spec` against its
 * kind's JSON Schema with ajv, and names that must be unique across the repository. Every problem becomes a
 * Diagnostic at the file, line and column where it was written; all of them are returned at once.
 *
 * ajv compares enum values case-sensitively: Graph tolerates some case variants (`and` for `AND`), but manifests
 * must use the documented spelling, and the error says so when only the case differs.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { error, type Diagnostic, type SourceLocation } from '../core/diagnostics.ts';
import type { JsonSchema } from '../core/kind.ts';
import type { Manifest } from '../core/manifest.ts';
import { KIND_SCHEMAS } from '../kinds/schemas.ts';
import { envelopeSchema } from '../kinds/shared-schemas.ts';
import { collapseOneOfErrors, describeSchemaError, describeValue, suggestClosest } from './schema-errors.ts';

const validators = new Map<string, ValidateFunction>();
let ajvInstance: Ajv | undefined;

function getAjv(): Ajv {
  if (!ajvInstance) {
    ajvInstance = new Ajv({
      allErrors: true,
      verbose: true,
      strict: true,
      strictTypes: false,
      strictRequired: false,
    });
    ajvInstance.addKeyword({ keyword: 'x-kubernetes-preserve-unknown-fields', schemaType: 'boolean' });
    addFormatsModule.default(ajvInstance);
  }
  return ajvInstance;
}

function getValidator(key: string, schema: JsonSchema): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = getAjv().compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

/** The manifest as data, as written (the loader does not coerce types; this stage proves them). */
function toDocument(manifest: Manifest): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  for (const key of ['apiVersion', 'kind', 'metadata', 'spec'] as const) {
    if (manifest[key] !== undefined) document[key] = manifest[key];
  }
  return document;
}

function toDiagnostics(manifest: Manifest, errors: readonly ErrorObject[], data: unknown): Diagnostic[] {
  return collapseOneOfErrors(errors).map((e) => {
    const problem = describeSchemaError(e, data);
    const extra = problem.detail === undefined ? {} : { detail: problem.detail };
    return error('schema', problem.summary, { ...extra, location: manifest.source.locate(problem.pointer) });
  });
}

function validateKind(manifest: Manifest, document: Record<string, unknown>): Diagnostic[] {
  const kind = document.kind;
  if (typeof kind !== 'string') return [];
  const schema = KIND_SCHEMAS[kind];
  if (!schema) {
    const known = Object.keys(KIND_SCHEMAS);
    const suggestion = suggestClosest(kind, known);
    const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
    return [
      error('unknown-kind', `kind: unknown kind ${describeValue(kind)}${hint}`, {
        detail: `Known kinds: ${known.join(', ')}.`,
        location: manifest.source.locate('/kind'),
      }),
    ];
  }
  const spec = document.spec;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return [];
  const validate = getValidator(kind, schema);
  if (validate(spec)) return [];
  const errors = (validate.errors ?? []).map((e) => ({ ...e, instancePath: `/spec${e.instancePath}` }));
  return toDiagnostics(manifest, errors, document);
}

/** The diagnostics of one manifest on its own (envelope and spec), without the repository-wide checks. */
export function validateManifest(manifest: Manifest): Diagnostic[] {
  const document = toDocument(manifest);
  const validateEnvelope = getValidator('envelope', envelopeSchema());
  const diagnostics = validateEnvelope(document)
    ? []
    : toDiagnostics(manifest, validateEnvelope.errors ?? [], document);
  return [...diagnostics, ...validateKind(manifest, document)];
}

interface Occurrence {
  value: string;
  location: SourceLocation;
}

function reportDuplicates(code: string, what: string, groups: Map<string, Occurrence[]>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const occurrences of groups.values()) {
    if (occurrences.length < 2) continue;
    for (const occurrence of occurrences) {
      const others = occurrences
        .filter((o) => o !== occurrence)
        .map((o) => `${o.location.file}:${o.location.line}:${o.location.column}`);
      diagnostics.push(
        error(code, `${what} '${occurrence.value}' is used more than once (also at ${others.join(', ')})`, {
          detail: `Each ${what} must be unique per kind; rename one of them.`,
          location: occurrence.location,
        }),
      );
    }
  }
  return diagnostics;
}

function addOccurrence(groups: Map<string, Occurrence[]>, key: string, occurrence: Occurrence): void {
  const list = groups.get(key);
  if (list) list.push(occurrence);
  else groups.set(key, [occurrence]);
}

/**
 * `metadata.name` must be unique per kind (exact); `spec.displayName` too, compared trimmed and case-insensitively
 * since manifests are matched to tenant objects by display name and Graph compares names case-insensitively.
 */
function checkUniqueNames(manifests: readonly Manifest[]): Diagnostic[] {
  const names = new Map<string, Occurrence[]>();
  const displayNames = new Map<string, Occurrence[]>();
  for (const manifest of manifests) {
    const name: unknown = manifest.metadata?.name;
    if (typeof manifest.kind === 'string' && typeof name === 'string') {
      const location = manifest.source.locate('/metadata/name');
      addOccurrence(names, `${manifest.kind}\u0000${name}`, { value: name, location });
    }
    const displayName: unknown = manifest.spec?.displayName;
    if (typeof manifest.kind === 'string' && typeof displayName === 'string' && displayName.trim() !== '') {
      const key = `${manifest.kind}\u0000${displayName.trim().toLowerCase()}`;
      addOccurrence(displayNames, key, {
        value: displayName,
        location: manifest.source.locate('/spec/displayName'),
      });
    }
  }
  return [
    ...reportDuplicates('duplicate-name', 'metadata.name', names),
    ...reportDuplicates('duplicate-display-name', 'displayName', displayNames),
  ];
}

/** Every problem with the manifests of a repository: each one's envelope and spec, and duplicate names. */
export function validateManifests(manifests: Manifest[]): Diagnostic[] {
  return [...manifests.flatMap((manifest) => validateManifest(manifest)), ...checkUniqueNames(manifests)];
}
