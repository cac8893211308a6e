/**
 * Resolves the names in manifests to ids (DESIGN §2): users by UPN, groups and roles by display name,
 * applications by name or appId, named locations and strengths by `metadata.name` or display name. A name that
 * matches nothing, or more than one object, is an error with its file and line — never a silently dropped entry.
 * Names of objects this plan will create resolve to `pending:` ids, substituted at apply.
 */
import { error, type Diagnostic } from '../core/diagnostics.ts';
import type { GraphPort } from '../core/graph-port.ts';
import type {
  LiveObject,
  Reference,
  ReferenceLookup,
  ReferenceType,
  ResolvedReference,
} from '../core/kind.ts';
import type { Manifest } from '../core/manifest.ts';
import { pinnedId } from '../core/manifest.ts';
import type { KindRegistry } from '../kinds/registry.ts';
import {
  isDirectoryType,
  lookupDirectory,
  type DirectoryMatch,
  type DirectoryType,
  type LookupStats,
} from './directory-lookup.ts';

/** Which kind of manifest a reference type may point at, for references between manifests. */
const MANIFEST_TARGETS: Partial<Record<ReferenceType, string>> = {
  namedLocation: 'NamedLocation',
  authenticationStrength: 'AuthenticationStrengthPolicy',
};

export const PENDING_PREFIX = 'pending:';

export function pendingId(kind: string, name: string): string {
  return `${PENDING_PREFIX}${kind}/${name}`;
}

export function isPendingId(id: string): boolean {
  return id.startsWith(PENDING_PREFIX);
}

export interface ResolveInput {
  manifests: readonly Manifest[];
  registry: KindRegistry;
  port: GraphPort;
  /** The tenant's objects, by kind (named locations and strengths resolve against them). */
  live: ReadonlyMap<string, readonly LiveObject[]>;
}

export interface Resolution {
  lookup: ReferenceLookup;
  diagnostics: Diagnostic[];
  /** Every id → readable name known after resolution (for rendering plans). */
  names: Map<string, string>;
  stats: LookupStats;
}

interface Located {
  manifest: Manifest;
  reference: Reference;
}

function key(type: ReferenceType, value: string): string {
  return `${type}\u0000${value.toLowerCase()}`;
}

/** Objects of a kind that names can point at: manifests (matched to live by pinned id or name) and live objects. */
function objectCandidates(
  kind: string,
  manifests: readonly Manifest[],
  live: readonly LiveObject[],
): Map<string, ResolvedReference[]> {
  const out = new Map<string, ResolvedReference[]>();
  const add = (name: string, target: ResolvedReference): void => {
    const k = name.toLowerCase();
    const list = out.get(k) ?? [];
    if (!list.some((t) => t.id === target.id)) list.push(target);
    out.set(k, list);
  };
  for (const manifest of manifests) {
    if (manifest.kind !== kind) continue;
    const displayName = String(manifest.spec.displayName ?? manifest.metadata.name);
    const pinned = pinnedId(manifest);
    const match = live.find((l) =>
      pinned ? l.id.toLowerCase() === pinned.toLowerCase() : l.displayName === displayName,
    );
    const target: ResolvedReference = match
      ? { id: match.id, displayName }
      : { id: pendingId(kind, manifest.metadata.name), displayName, pending: true };
    add(manifest.metadata.name, target);
    add(displayName, target);
  }
  for (const object of live) {
    add(object.displayName, { id: object.id, displayName: object.displayName });
    add(object.id, { id: object.id, displayName: object.displayName });
  }
  return out;
}

export async function resolveReferences(input: ResolveInput): Promise<Resolution> {
  const located: Located[] = [];
  for (const manifest of input.manifests) {
    const kind = input.registry.get(manifest.kind);
    if (!kind) continue;
    for (const reference of kind.references(manifest.spec)) located.push({ manifest, reference });
  }

  const wanted = new Map<DirectoryType, Set<string>>();
  for (const { reference } of located) {
    if (!isDirectoryType(reference.type)) continue;
    const set = wanted.get(reference.type) ?? new Set<string>();
    set.add(reference.value);
    wanted.set(reference.type, set);
  }
  const stats: LookupStats = { requests: 0 };
  const directory = await lookupDirectory(input.port, wanted, stats);

  const resolved = new Map<string, ResolvedReference>();
  const names = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const objectTargets = new Map<ReferenceType, Map<string, ResolvedReference[]>>();
  for (const [type, kind] of Object.entries(MANIFEST_TARGETS) as [ReferenceType, string][]) {
    objectTargets.set(type, objectCandidates(kind, input.manifests, input.live.get(kind) ?? []));
    for (const list of objectTargets.get(type)!.values())
      for (const t of list) names.set(t.id, t.displayName);
  }

  for (const { manifest, reference } of located) {
    const candidates: (ResolvedReference | DirectoryMatch)[] = isDirectoryType(reference.type)
      ? (directory.get(reference.type)?.get(reference.value.toLowerCase()) ?? [])
      : (objectTargets.get(reference.type)?.get(reference.value.toLowerCase()) ?? []);
    if (candidates.length === 1) {
      const target = candidates[0]!;
      resolved.set(key(reference.type, reference.value), { id: target.id, displayName: target.displayName });
      names.set(target.id, target.displayName);
      continue;
    }
    diagnostics.push(unresolved(manifest, reference, candidates));
  }

  const lookup: ReferenceLookup = {
    idOf(reference) {
      const hit = resolved.get(key(reference.type, reference.value));
      if (!hit) throw new Error(`reference ${reference.type} '${reference.value}' was not resolved`);
      return hit.id;
    },
    nameOf(_type, id) {
      return names.get(id) ?? names.get(id.toLowerCase()) ?? id;
    },
  };
  return { lookup, diagnostics, names, stats };
}

const TYPE_WORDS: Record<ReferenceType, string> = {
  user: 'user (by userPrincipalName or id)',
  group: 'group (by display name or id)',
  role: 'built-in directory role (by display name or role template id)',
  application: 'application (by display name or appId)',
  servicePrincipal: 'service principal (by display name or id)',
  namedLocation: 'named location (by metadata.name, display name or id)',
  authenticationStrength: 'authentication strength (by metadata.name, display name or id)',
};

function unresolved(
  manifest: Manifest,
  reference: Reference,
  candidates: readonly { id: string; displayName: string }[],
): Diagnostic {
  const location = manifest.source.locate(`/spec${reference.pointer}`);
  if (candidates.length === 0) {
    return error(
      'unresolved-name',
      `'${reference.value}' matches no ${TYPE_WORDS[reference.type]} in the tenant`,
      {
        detail:
          'Check the spelling, or create the object first. accord never drops a name it cannot resolve.',
        location,
      },
    );
  }
  const ids = candidates.map((c) => `${c.displayName} (${c.id})`).join(', ');
  return error('ambiguous-name', `'${reference.value}' matches ${candidates.length} objects: ${ids}`, {
    detail: 'Use the id of the one you mean.',
    location,
  });
}
