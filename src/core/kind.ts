/**
 * A kind of resource accord manages (ConditionalAccessPolicy, NamedLocation, …): one module per kind in
 * src/kinds/, one line in src/kinds/registry.ts. The pipeline never switches on kind names; everything
 * kind-specific is here.
 */
import type { GraphBody, GraphPort } from './graph-port.ts';
import type { Manifest } from './manifest.ts';

/** A JSON Schema (draft 2020-12, the subset Kubernetes structural schemas accept). */
export type JsonSchema = Record<string, unknown>;

/** What a name in a manifest refers to. */
export type ReferenceType =
  'user' | 'group' | 'role' | 'application' | 'servicePrincipal' | 'namedLocation' | 'authenticationStrength';

/** A value inside a spec that names another object and must become its id. */
export interface Reference {
  type: ReferenceType;
  /** JSON pointer inside `spec`. */
  pointer: string;
  /** As written: a name, a UPN, an appId or an id. */
  value: string;
}

/** The id a reference resolved to. `pending` ids belong to objects this plan creates (substituted at apply). */
export interface ResolvedReference {
  id: string;
  displayName: string;
  pending?: boolean;
}

export interface ReferenceLookup {
  /** The id for a reference; the resolver has already reported unresolvable ones, so this is only called for good ones. */
  idOf(reference: Reference): string;
  /** A readable name for an id (for plan output); the id itself if unknown. */
  nameOf(type: ReferenceType, id: string): string;
}

/** One tenant object as git wants it. A manifest usually expands to one; the methods policy to one per method. */
export interface DesiredObject {
  kind: string;
  /** `metadata.name`, or `metadata.name/sub` for parts of a singleton. */
  name: string;
  displayName: string;
  pinnedId?: string;
  /** The pinned id is the object's natural key (a partner's tenant id), not an id Graph assigned. */
  naturalKey?: boolean;
  /** The canonical state (normalized, ids resolved). */
  state: GraphBody;
  /**
   * Only the top-level properties in `state` are owned (tenant singletons such as a method configuration: what the
   * manifest leaves out stays as the tenant has it, so omitting a property can never clear it).
   */
  partial?: boolean;
  manifest: Manifest;
}

/** What a write needs: a saved plan carries exactly this (no manifest). */
export type WriteRequest = Pick<DesiredObject, 'kind' | 'name' | 'displayName' | 'state' | 'partial'>;

/** One tenant object as Graph has it. */
export interface LiveObject {
  kind: string;
  id: string;
  displayName: string;
  /** The canonical state, comparable with `DesiredObject.state`. */
  state: GraphBody;
  /** Built-in objects (the three built-in strengths) are never reported as unmanaged or deleted. */
  builtIn?: boolean;
}

export interface KindModule {
  kind: string;
  /** One line for docs and `--help`. */
  description: string;
  /** JSON Schema of `spec`: the single source for validation, CRDs and editor schemas. */
  specSchema: JsonSchema;
  /** Kinds whose objects this kind's specs may name (they are applied first, deleted last). */
  dependsOn: readonly string[];
  /** `full`: create, update, delete. `update-only`: tenant singletons (the methods policy, the cross-tenant default). */
  lifecycle: 'full' | 'update-only';
  /** The references to other objects in a validated spec. */
  references(spec: GraphBody): Reference[];
  /** The desired objects of a validated manifest. */
  expand(manifest: Manifest, lookup: ReferenceLookup): DesiredObject[];
  /** The tenant's objects of this kind. */
  read(port: GraphPort): Promise<LiveObject[]>;
  create(port: GraphPort, desired: WriteRequest): Promise<string>;
  update(port: GraphPort, id: string, desired: WriteRequest): Promise<void>;
  delete(port: GraphPort, id: string): Promise<void>;
  /**
   * Turns a live object back into a manifest spec with readable names (for `export`); the inverse of expand.
   */
  exportSpec(live: LiveObject, lookup: ReferenceLookup): GraphBody;
}
