/**
 * `adopt`'s pure core: which manifests without a pinned id match exactly one tenant object by display name (the
 * match `plan` makes anyway), and the YAML text with `metadata.annotations["accord.dev/id"]` written into it —
 * comments and layout kept, through the `yaml` Document API. Reading and writing files happens in the CLI.
 */
import { parseAllDocuments } from 'yaml';
import type { LiveObject } from '../core/kind.ts';
import { ID_ANNOTATION, pinnedId, type Manifest } from '../core/manifest.ts';

export type AdoptionOutcome =
  | { kind: 'pinned'; id: string }
  | { kind: 'no-match' }
  | { kind: 'ambiguous'; candidates: { id: string; displayName: string }[] }
  | { kind: 'taken'; id: string; by: string };

export interface Adoption {
  manifest: Manifest;
  displayName: string;
  outcome: AdoptionOutcome;
}

function displayNameOf(manifest: Manifest): string | undefined {
  const value = manifest.spec.displayName;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * One entry per manifest that could be adopted: it has a display name (the singletons have none and are matched by
 * their fixed ids) and no pinned id yet. Built-in objects are never adopted.
 */
export function planAdoption(
  manifests: readonly Manifest[],
  live: ReadonlyMap<string, readonly LiveObject[]>,
): Adoption[] {
  const pinnedBy = new Map<string, string>();
  for (const manifest of manifests) {
    const id = pinnedId(manifest);
    if (id) pinnedBy.set(`${manifest.kind}\u0000${id.toLowerCase()}`, manifest.metadata.name);
  }
  const adoptions: Adoption[] = [];
  for (const manifest of manifests) {
    const displayName = displayNameOf(manifest);
    if (displayName === undefined || pinnedId(manifest)) continue;
    const matches = (live.get(manifest.kind) ?? []).filter(
      (o) => !o.builtIn && o.displayName === displayName,
    );
    let outcome: AdoptionOutcome;
    if (matches.length === 0) outcome = { kind: 'no-match' };
    else if (matches.length > 1)
      outcome = {
        kind: 'ambiguous',
        candidates: matches.map((m) => ({ id: m.id, displayName: m.displayName })),
      };
    else {
      const id = matches[0]!.id;
      const by = pinnedBy.get(`${manifest.kind}\u0000${id.toLowerCase()}`);
      outcome = by ? { kind: 'taken', id, by } : { kind: 'pinned', id };
    }
    adoptions.push({ manifest, displayName, outcome });
  }
  return adoptions;
}

/**
 * The file's text with the given documents (by index) pinned. The Document API re-serialises the file: comments,
 * key order, flow lists and quoting are kept; only insignificant spacing may be normalised.
 */
export function writeIdAnnotations(text: string, pins: ReadonlyMap<number, string>): string {
  if (pins.size === 0) return text;
  const docs = parseAllDocuments(text);
  docs.forEach((doc, index) => {
    const id = pins.get(index);
    if (id !== undefined) doc.setIn(['metadata', 'annotations', ID_ANNOTATION], id);
  });
  return docs.map((doc) => doc.toString({ lineWidth: 0, flowCollectionPadding: false })).join('');
}

/** One line per adoption, for the report. */
export function describeAdoption(adoption: Adoption): string {
  const subject = `${adoption.manifest.kind} ${adoption.manifest.metadata.name} ('${adoption.displayName}')`;
  const outcome = adoption.outcome;
  switch (outcome.kind) {
    case 'pinned':
      return `pinned ${subject} to ${outcome.id}`;
    case 'no-match':
      return `not pinned: ${subject} matches no object in the tenant (plan will create it)`;
    case 'ambiguous': {
      const list = outcome.candidates.map((c) => c.id).join(', ');
      return `not pinned: ${subject} matches ${outcome.candidates.length} objects: ${list}; pin the right one by hand`;
    }
    case 'taken':
      return `not pinned: ${subject} matches ${outcome.id}, which manifest '${outcome.by}' already pins`;
  }
}
