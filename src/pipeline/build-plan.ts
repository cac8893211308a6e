/**
 * Assembles the plan from desired and live objects. Pure: no I/O, deterministic. Identity is the pinned id
 * (`accord.dev/id`) or else the unique display name; ownership is the inventory of what accord created or adopted,
 * and only owned objects can be deleted, only with pruning on.
 */
import { createHash } from 'node:crypto';
import { error, type Diagnostic } from '../core/diagnostics.ts';
import type { DesiredObject, LiveObject } from '../core/kind.ts';
import { PLAN_FORMAT_VERSION, summarize, type Plan, type ResourceChange } from '../core/plan.ts';
import type { KindRegistry } from '../kinds/registry.ts';
import { diffStates, withNames } from './diff.ts';

/** What accord owns in a tenant: ids by kind (see docs/adr on ownership). */
export type Inventory = ReadonlyMap<string, ReadonlySet<string>>;

export interface PlanInput {
  tenant: { name: string; id: string };
  registry: KindRegistry;
  desired: readonly DesiredObject[];
  live: ReadonlyMap<string, readonly LiveObject[]>;
  inventory: Inventory;
  prune: boolean;
  names: ReadonlyMap<string, string>;
  diagnostics?: readonly Diagnostic[];
  now?: Date;
}

/** A hash of everything read from the tenant: a saved plan is refused when this changed. */
export function fingerprintTenant(live: ReadonlyMap<string, readonly LiveObject[]>): string {
  const hash = createHash('sha256');
  for (const kind of [...live.keys()].sort()) {
    const objects = [...(live.get(kind) ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const object of objects)
      hash.update(`${kind}\u0000${object.id}\u0000${JSON.stringify(object.state)}\n`);
  }
  return hash.digest('hex');
}

interface Match {
  live: LiveObject | undefined;
  diagnostic?: Diagnostic;
}

/** Live objects of one kind by lower-cased id and by display name: matching stays linear in the tenant's size. */
interface LiveIndex {
  byId: Map<string, LiveObject>;
  byName: Map<string, LiveObject[]>;
}

function indexLive(candidates: readonly LiveObject[]): LiveIndex {
  const byId = new Map<string, LiveObject>();
  const byName = new Map<string, LiveObject[]>();
  for (const live of candidates) {
    byId.set(live.id.toLowerCase(), live);
    const list = byName.get(live.displayName);
    if (list) list.push(live);
    else byName.set(live.displayName, [live]);
  }
  return { byId, byName };
}

function matchLive(desired: DesiredObject, index: LiveIndex): Match {
  if (desired.pinnedId) return { live: index.byId.get(desired.pinnedId.toLowerCase()) };
  const byName = index.byName.get(desired.displayName) ?? [];
  if (byName.length > 1) {
    const ids = byName.map((c) => c.id).join(', ');
    return {
      live: undefined,
      diagnostic: error(
        'ambiguous-match',
        `${byName.length} ${desired.kind} objects in the tenant are named '${desired.displayName}' (${ids})`,
        {
          detail: `Pin the one this manifest owns with the annotation accord.dev/id, or run 'accord adopt'.`,
          location: desired.manifest.source.location,
        },
      ),
    };
  }
  return { live: byName[0] };
}

function location(desired: DesiredObject): Pick<ResourceChange, 'file' | 'line'> {
  return { file: desired.manifest.source.file, line: desired.manifest.source.location.line };
}

function planDesired(
  desired: DesiredObject,
  match: LiveObject | undefined,
  names: ReadonlyMap<string, string>,
): ResourceChange {
  const base = {
    kind: desired.kind,
    name: desired.name,
    displayName: desired.displayName,
    ...location(desired),
  };
  if (!match) {
    const reason =
      desired.pinnedId && !desired.naturalKey
        ? `pinned id ${desired.pinnedId} is not in the tenant (deleted by hand?); it will be created again`
        : 'not in the tenant';
    return {
      ...base,
      action: 'create',
      reason,
      fields: diffStates(null, desired.state)
        .filter((f) => !(Array.isArray(f.after) && f.after.length === 0))
        .map((f) => ({ ...f, after: withNames(f.after, names) })),
      payload: desired.state,
    };
  }
  const current = desired.partial ? pick(match.state, Object.keys(desired.state)) : match.state;
  const fields = diffStates(current, desired.state).map((f) => ({
    path: f.path,
    before: withNames(f.before, names),
    after: withNames(f.after, names),
  }));
  if (fields.length === 0)
    return { ...base, id: match.id, action: 'no-op', reason: 'the tenant matches git', fields };
  return {
    ...base,
    id: match.id,
    action: 'update',
    reason: `${fields.length} field${fields.length === 1 ? ' differs' : 's differ'} from git`,
    fields,
    payload: desired.state,
  };
}

function pick(state: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, state[k] ?? null]));
}

function planLeftover(live: LiveObject, owned: boolean, prune: boolean): ResourceChange {
  const base = {
    kind: live.kind,
    name: live.displayName,
    displayName: live.displayName,
    id: live.id,
    fields: [],
  };
  if (owned && prune)
    return { ...base, action: 'delete', reason: 'accord created it and it is no longer in git' };
  if (owned) {
    return {
      ...base,
      action: 'unmanaged',
      reason: 'accord created it and it is no longer in git; apply with --prune to delete it',
    };
  }
  return { ...base, action: 'unmanaged', reason: 'in the tenant, not in git; accord leaves it alone' };
}

export function buildPlan(input: PlanInput): Plan {
  const diagnostics: Diagnostic[] = [...(input.diagnostics ?? [])];
  const changes: ResourceChange[] = [];
  for (const kind of input.registry.ordered()) {
    const live = input.live.get(kind.kind) ?? [];
    const index = indexLive(live);
    const claimed = new Set<string>();
    for (const desired of input.desired.filter((d) => d.kind === kind.kind)) {
      const match = matchLive(desired, index);
      if (match.diagnostic) {
        diagnostics.push(match.diagnostic);
        continue;
      }
      if (match.live) claimed.add(match.live.id);
      if (!match.live && kind.lifecycle === 'update-only') {
        diagnostics.push(
          error(
            'missing-singleton',
            `${desired.kind} '${desired.name}': the tenant has no object '${desired.pinnedId ?? desired.displayName}' to update`,
            {
              location: desired.manifest.source.location,
            },
          ),
        );
        continue;
      }
      changes.push(planDesired(desired, match.live, input.names));
    }
    if (kind.lifecycle === 'update-only') continue;
    const owned = input.inventory.get(kind.kind) ?? new Set<string>();
    for (const object of live) {
      if (claimed.has(object.id) || object.builtIn) continue;
      changes.push(planLeftover(object, owned.has(object.id.toLowerCase()), input.prune));
    }
  }
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    tenant: input.tenant,
    fingerprint: fingerprintTenant(input.live),
    createdAt: (input.now ?? new Date()).toISOString(),
    changes,
    diagnostics,
    summary: summarize(changes),
  };
}
