/**
 * `export`'s pure core: the tenant's live objects → manifest files with readable names and pinned ids, such that a
 * plan of the result against the same tenant shows no changes. Reading the tenant and the directory lookups happen
 * before (export-run), writing the files after; nothing here does I/O.
 */
import { Document, isScalar, visit } from 'yaml';
import type { GraphBody } from '../core/graph-port.ts';
import type { LiveObject, ReferenceLookup, ReferenceType } from '../core/kind.ts';
import { API_VERSION, ID_ANNOTATION } from '../core/manifest.ts';
import { mergeMethodsPolicySpecs } from '../kinds/authentication-methods-policy/index.ts';
import { mergeCrossTenantSpecs } from '../kinds/cross-tenant-access-policy/index.ts';
import type { KindRegistry } from '../kinds/registry.ts';
import { isDirectoryType, type DirectoryMatch, type DirectoryType } from './directory-lookup.ts';

/** One file `export` writes. */
export interface ExportedFile {
  /** Relative to the output directory, `/`-separated. */
  path: string;
  kind: string;
  /** `metadata.name`. */
  name: string;
  /** The pinned tenant id; undefined for the tenant singletons (they have no id of their own). */
  id?: string;
  /** The tenant objects the file holds (one, or all parts of a singleton). */
  objects: number;
  text: string;
}

/**
 * Kinds whose live objects are parts of one manifest. The KindModule contract has no merge hook yet (the kinds export
 * their helpers), so the table lives here; a kind added later with one manifest per object needs no entry.
 */
const SINGLETONS: Readonly<
  Record<string, { name: string; merge: (parts: readonly GraphBody[]) => GraphBody }>
> = {
  AuthenticationMethodsPolicy: { name: 'authentication-methods', merge: mergeMethodsPolicySpecs },
  CrossTenantAccessPolicy: { name: 'cross-tenant-access', merge: mergeCrossTenantSpecs },
};

/** The folder of each kind in a policy repository (the layout of `policies/` and `accord init`). */
const FOLDERS: Readonly<Record<string, string>> = {
  ConditionalAccessPolicy: 'conditional-access',
  NamedLocation: 'named-locations',
  AuthenticationStrengthPolicy: 'authentication-strengths',
  AuthenticationMethodsPolicy: 'authentication-methods',
  CrossTenantAccessPolicy: 'cross-tenant-access',
};

/** Reference types whose targets are manifests of this export (named by their `metadata.name`). */
const OBJECT_REFERENCE_KINDS: Partial<Record<ReferenceType, string>> = {
  namedLocation: 'NamedLocation',
  authenticationStrength: 'AuthenticationStrengthPolicy',
};

const MAX_NAME_LENGTH = 63;

export function toKebabCase(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

export function folderOf(kind: string): string {
  return FOLDERS[kind] ?? toKebabCase(kind);
}

/** The editor schema's file name, `schemas/<file>` (as src/gen writes them). */
export function schemaFileOf(kind: string): string {
  return `${toKebabCase(kind)}.json`;
}

/**
 * A DNS-1123 name from a display name: lower case, runs of anything else become `-`, accents dropped, at most 63
 * characters; `-2`, `-3`, … on collisions with names already `taken` (which it extends).
 */
export function deriveManifestName(displayName: string, taken: Set<string>, fallback = 'object'): string {
  const base =
    displayName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, MAX_NAME_LENGTH)
      .replace(/-+$/, '') || fallback;
  let name = base;
  for (let n = 2; taken.has(name); n++) {
    const suffix = `-${n}`;
    name = `${base.slice(0, MAX_NAME_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
  }
  taken.add(name);
  return name;
}

function compareObjects(a: LiveObject, b: LiveObject): number {
  if (a.displayName !== b.displayName) return a.displayName < b.displayName ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The objects `export` writes: everything except built-ins, which nobody can manage (the singletons' built-in parts are). */
function exportable(kind: string, live: readonly LiveObject[]): LiveObject[] {
  const singleton = SINGLETONS[kind] !== undefined;
  return live.filter((o) => singleton || !o.builtIn).sort(compareObjects);
}

/** `metadata.name` for every exported object (kind → lower-cased id → name); singletons are not listed. */
export function assignManifestNames(
  live: ReadonlyMap<string, readonly LiveObject[]>,
): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [kind, objects] of live) {
    if (SINGLETONS[kind]) continue;
    const taken = new Set<string>();
    const names = new Map<string, string>();
    for (const object of exportable(kind, objects))
      names.set(object.id.toLowerCase(), deriveManifestName(object.displayName, taken, toKebabCase(kind)));
    out.set(kind, names);
  }
  return out;
}

/** Every directory id the live objects name, by type: what the one batched lookup must find. */
export function collectDirectoryIds(
  live: ReadonlyMap<string, readonly LiveObject[]>,
  registry: KindRegistry,
): Map<DirectoryType, Set<string>> {
  const wanted = new Map<DirectoryType, Set<string>>();
  for (const [kind, objects] of live) {
    const module = registry.get(kind);
    if (!module) continue;
    for (const object of exportable(kind, objects)) {
      for (const reference of module.references(object.state)) {
        if (!isDirectoryType(reference.type)) continue;
        const set = wanted.get(reference.type) ?? new Set<string>();
        set.add(reference.value);
        wanted.set(reference.type, set);
      }
    }
  }
  return wanted;
}

export interface ExportNamingInput {
  live: ReadonlyMap<string, readonly LiveObject[]>;
  /** The result of the directory lookup by id (directory-lookup.ts). */
  directory: ReadonlyMap<DirectoryType, ReadonlyMap<string, readonly DirectoryMatch[]>>;
  manifestNames: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /**
   * `type\0lower-cased name` pairs that did not resolve back to one object when checked: those ids stay ids (a
   * group name two groups share, say). Names are never guessed.
   */
  keepIds?: ReadonlySet<string>;
}

export function namingKey(type: ReferenceType, name: string): string {
  return `${type}\u0000${name.toLowerCase()}`;
}

/**
 * A name for a named location or strength that resolves to exactly one object: its `metadata.name`, else its display
 * name, else the id — whichever no other object of the kind also answers to (the resolver matches all three).
 */
function chooseObjectName(kind: string, id: string, input: ExportNamingInput): string {
  const objects = input.live.get(kind) ?? [];
  const names = input.manifestNames.get(kind);
  const owners = new Map<string, Set<string>>();
  const claim = (key: string | undefined, owner: string): void => {
    if (!key) return;
    const set = owners.get(key.toLowerCase()) ?? new Set<string>();
    set.add(owner);
    owners.set(key.toLowerCase(), set);
  };
  for (const object of objects) {
    const owner = object.id.toLowerCase();
    claim(object.id, owner);
    claim(object.displayName, owner);
    claim(names?.get(owner), owner);
  }
  const target = objects.find((o) => o.id.toLowerCase() === id.toLowerCase());
  if (!target) return id;
  const candidates = [names?.get(target.id.toLowerCase()), target.displayName];
  const unique = candidates.find(
    (c) => c !== undefined && c !== '' && owners.get(c.toLowerCase())?.size === 1,
  );
  return unique ?? id;
}

/** Readable names for ids (users by UPN, the rest by display name, locations and strengths by `metadata.name`). */
export function buildExportLookup(input: ExportNamingInput): ReferenceLookup {
  const keep = input.keepIds ?? new Set<string>();
  const nameOf = (type: ReferenceType, id: string): string => {
    let name = id;
    const objectKind = OBJECT_REFERENCE_KINDS[type];
    if (objectKind) name = chooseObjectName(objectKind, id, input);
    else if (isDirectoryType(type)) {
      const matches = input.directory.get(type)?.get(id.toLowerCase()) ?? [];
      if (matches.length === 1) name = matches[0]!.displayName;
    }
    return keep.has(namingKey(type, name)) ? id : name;
  };
  return {
    nameOf,
    idOf(reference) {
      throw new Error(
        `export never resolves names to ids (asked for ${reference.type} '${reference.value}')`,
      );
    },
  };
}

export interface ExportInput {
  live: ReadonlyMap<string, readonly LiveObject[]>;
  registry: KindRegistry;
  lookup: ReferenceLookup;
  manifestNames: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The `$schema` hint for a file (relative to the output directory), or undefined for none. */
  schemaHintFor?: (path: string, kind: string) => string | undefined;
}

interface Envelope {
  kind: string;
  name: string;
  id?: string;
  spec: GraphBody;
}

/** The properties a reader looks for first; the rest keep the canonical (sorted) order. */
const LEADING_KEYS = ['displayName', 'description', 'state'];
/** Lists of scalars up to this many characters are written on one line: `includeUsers: [All]`. */
const FLOW_LIST_WIDTH = 80;

function orderSpec(spec: GraphBody): GraphBody {
  const leading = LEADING_KEYS.filter((k) => k in spec).map((k) => [k, spec[k]] as const);
  const rest = Object.entries(spec).filter(([k]) => !LEADING_KEYS.includes(k));
  return Object.fromEntries([...leading, ...rest]);
}

/** The YAML of one manifest: the schema hint first (when there is one), then the envelope. */
export function renderManifest(envelope: Envelope, schemaHint?: string): string {
  const metadata: GraphBody = { name: envelope.name };
  if (envelope.id !== undefined) metadata.annotations = { [ID_ANNOTATION]: envelope.id };
  const doc = new Document(
    { apiVersion: API_VERSION, kind: envelope.kind, metadata, spec: orderSpec(envelope.spec) },
    { aliasDuplicateObjects: false },
  );
  visit(doc, {
    Seq(_, node) {
      const items = node.items;
      if (!items.every((item) => isScalar(item))) return;
      const width = items.reduce((n, item) => n + String(isScalar(item) ? item.value : '').length + 2, 0);
      if (width <= FLOW_LIST_WIDTH) node.flow = true;
    },
  });
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return schemaHint ? `# yaml-language-server: $schema=${schemaHint}\n${body}` : body;
}

function withHint(input: ExportInput, file: Omit<ExportedFile, 'text'>, envelope: Envelope): ExportedFile {
  return { ...file, text: renderManifest(envelope, input.schemaHintFor?.(file.path, file.kind)) };
}

/** Every manifest file of the tenant, in a stable order (the registry's, then by file name). */
export function exportManifests(input: ExportInput): ExportedFile[] {
  const files: ExportedFile[] = [];
  for (const module of input.registry.ordered()) {
    const objects = exportable(module.kind, input.live.get(module.kind) ?? []);
    if (objects.length === 0) continue;
    const singleton = SINGLETONS[module.kind];
    if (singleton) {
      const spec = singleton.merge(objects.map((o) => module.exportSpec(o, input.lookup)));
      const path = `${folderOf(module.kind)}/${singleton.name}.yaml`;
      const file = { path, kind: module.kind, name: singleton.name, objects: objects.length };
      files.push(withHint(input, file, { kind: module.kind, name: singleton.name, spec }));
      continue;
    }
    const names = input.manifestNames.get(module.kind);
    const kindFiles = objects.map((object) => {
      const name = names?.get(object.id.toLowerCase()) ?? object.id.toLowerCase();
      const spec = module.exportSpec(object, input.lookup);
      const path = `${folderOf(module.kind)}/${name}.yaml`;
      const file = { path, kind: module.kind, name, id: object.id, objects: 1 };
      return withHint(input, file, { kind: module.kind, name, id: object.id, spec });
    });
    files.push(...kindFiles.sort((a, b) => (a.path < b.path ? -1 : 1)));
  }
  return files;
}

/** Display names the tenant uses more than once per kind (case-insensitively): lint refuses those manifests. */
export function findDuplicateDisplayNames(
  files: readonly ExportedFile[],
  live: ReadonlyMap<string, readonly LiveObject[]>,
): string[] {
  const out: string[] = [];
  for (const [kind, objects] of live) {
    if (SINGLETONS[kind]) continue;
    const seen = new Map<string, number>();
    for (const object of exportable(kind, objects)) {
      const key = object.displayName.trim().toLowerCase();
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const object of exportable(kind, objects)) {
      if ((seen.get(object.displayName.trim().toLowerCase()) ?? 0) < 2) continue;
      const file = files.find((f) => f.kind === kind && f.id === object.id);
      out.push(`${kind} '${object.displayName}' (${object.id})${file ? ` in ${file.path}` : ''}`);
    }
  }
  return out;
}
