/**
 * Applies a plan: creates and updates in dependency order (named locations and strengths before the policies that
 * name them), deletes in reverse. Idempotent and resumable: after an ambiguous failure (a timeout on create) it
 * re-reads the kind and adopts the object if the write did happen, so it never creates a duplicate; every create is
 * recorded in the inventory at once, so a run that dies half-way leaves an accurate record and a re-plan shows
 * exactly what remains. Pacing and retries of clean failures belong to the Graph adapter.
 */
import {
  GraphRequestError,
  isAmbiguousWriteError,
  type GraphBody,
  type GraphPort,
} from '../core/graph-port.ts';
import type { KindModule, WriteRequest } from '../core/kind.ts';
import type { Plan, ResourceChange } from '../core/plan.ts';
import type { KindRegistry } from '../kinds/registry.ts';
import type { InventoryRecorder } from './inventory.ts';
import { isPendingId, pendingId } from './resolve-references.ts';

export interface ApplyProgress {
  step: number;
  total: number;
  change: ResourceChange;
  outcome: 'done' | 'adopted-after-ambiguous-write' | 'already-gone';
}

export interface ApplyOptions {
  plan: Plan;
  registry: KindRegistry;
  port: GraphPort;
  inventory: InventoryRecorder;
  onProgress?: (progress: ApplyProgress) => void;
}

export interface ApplyResult {
  applied: ResourceChange[];
  failed?: { change: ResourceChange; error: Error };
  remaining: ResourceChange[];
}

/** The order of writes: creates/updates by kind dependency order, then deletes in reverse. */
export function orderChanges(plan: Plan, registry: KindRegistry): ResourceChange[] {
  const order = registry.ordered().map((k) => k.kind);
  const rank = (kind: string): number => order.indexOf(kind);
  const writes = plan.changes
    .filter((c) => c.action === 'create' || c.action === 'update')
    .sort((a, b) => rank(a.kind) - rank(b.kind));
  const deletes = plan.changes
    .filter((c) => c.action === 'delete')
    .sort((a, b) => rank(b.kind) - rank(a.kind));
  return [...writes, ...deletes];
}

function substitutePending(value: unknown, created: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string' && isPendingId(value)) {
    const id = created.get(value);
    if (!id)
      throw new Error(`${value.slice('pending:'.length)} was not created before a change that names it`);
    return id;
  }
  if (Array.isArray(value)) return value.map((v) => substitutePending(v, created));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitutePending(v, created)]));
  }
  return value;
}

function writeRequest(change: ResourceChange, created: ReadonlyMap<string, string>): WriteRequest {
  return {
    kind: change.kind,
    name: change.name,
    displayName: change.displayName,
    state: substitutePending(change.payload ?? {}, created) as GraphBody,
  };
}

/** How often an ambiguous create is re-read and, when it did not happen, sent again before the apply gives up. */
const AMBIGUOUS_CREATE_ATTEMPTS = 3;
/** Reads of the kind after an ambiguous create: a clean failure of the read must not leave its outcome unknown. */
const RECOVERY_READ_ATTEMPTS = 3;

/** After an ambiguous create: did it happen? Find it by display name among objects we don't know. */
async function findCreated(
  kind: KindModule,
  port: GraphPort,
  displayName: string,
): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      const live = await kind.read(port);
      return live.find((l) => l.displayName === displayName)?.id;
    } catch (err) {
      // Only failures that may pass (a 5xx, a broken connection) are worth another read.
      const transient = err instanceof GraphRequestError && (err.status === 0 || err.status >= 500);
      if (!transient || attempt >= RECOVERY_READ_ATTEMPTS) throw err;
    }
  }
}

/**
 * Creates, surviving ambiguous failures: after each one the kind is re-read and an object that did get created is
 * adopted (and so recorded in the inventory) instead of being created a second time. Giving up after the first
 * ambiguous retry would leave an object the write created but the inventory never heard of: a re-plan then matches
 * it by display name, and accord no longer owns it (prune would never delete it).
 */
async function create(
  kind: KindModule,
  port: GraphPort,
  request: WriteRequest,
): Promise<{ id: string; adopted: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { id: await kind.create(port, request), adopted: false };
    } catch (err) {
      if (!isAmbiguousWriteError(err)) throw err;
      const existing = await findCreated(kind, port, request.displayName);
      if (existing) return { id: existing, adopted: true };
      if (attempt >= AMBIGUOUS_CREATE_ATTEMPTS) throw err;
    }
  }
}

async function update(kind: KindModule, port: GraphPort, id: string, request: WriteRequest): Promise<void> {
  try {
    await kind.update(port, id, request);
  } catch (err) {
    // PATCH is idempotent: sending the same body again is safe.
    if (!isAmbiguousWriteError(err)) throw err;
    await kind.update(port, id, request);
  }
}

async function remove(kind: KindModule, port: GraphPort, id: string): Promise<boolean> {
  try {
    await kind.delete(port, id);
    return true;
  } catch (err) {
    if (err instanceof GraphRequestError && err.status === 404) return false;
    if (!isAmbiguousWriteError(err)) throw err;
    try {
      await kind.delete(port, id);
    } catch (again) {
      if (again instanceof GraphRequestError && again.status === 404) return true;
      throw again;
    }
    return true;
  }
}

/**
 * The Graph application permissions each kind needs to be written (graph-contract §2.11, §3.2, §11; least
 * privilege first): any one of the sets. Policies and named locations need `Policy.Read.All` beside the write
 * permission (older pages accept `Application.Read.All` instead).
 */
const CA_WRITE = [
  ['Policy.ReadWrite.ConditionalAccess', 'Policy.Read.All'],
  ['Policy.ReadWrite.ConditionalAccess', 'Application.Read.All'],
];
const WRITE_PERMISSIONS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  ConditionalAccessPolicy: CA_WRITE,
  NamedLocation: CA_WRITE,
  AuthenticationStrengthPolicy: [['Policy.ReadWrite.ConditionalAccess']],
  AuthenticationMethodsPolicy: [['Policy.ReadWrite.AuthenticationMethod']],
  CrossTenantAccessPolicy: [['Policy.ReadWrite.CrossTenantAccess']],
};

/** A port that can tell what its identity is allowed to do (the Graph client decodes its access token). */
interface PermissionAware {
  grantedPermissions(): Promise<string[] | undefined>;
}

function isPermissionAware(port: GraphPort): port is GraphPort & PermissionAware {
  return typeof (port as Partial<PermissionAware>).grantedPermissions === 'function';
}

/**
 * Safety gate before any write: when the identity's token lists its permissions and a write permission for a kind
 * being changed is missing, refuse the whole apply up front — rather than fail at the first 403 with part of the
 * plan possibly applied by then — naming what is missing. Unknowable permissions (an opaque token) let it proceed.
 */
export async function checkWritePermissions(
  changes: readonly ResourceChange[],
  port: GraphPort,
): Promise<void> {
  if (changes.length === 0 || !isPermissionAware(port)) return;
  const granted = await port.grantedPermissions();
  if (granted === undefined) return;
  const have = new Set(granted.map((p) => p.toLowerCase()));
  const missing = new Map<string, Set<string>>();
  for (const change of changes) {
    const sets = WRITE_PERMISSIONS[change.kind];
    if (!sets || sets.some((set) => set.every((p) => have.has(p.toLowerCase())))) continue;
    // Name what the least-privileged set lacks.
    for (const needed of sets[0]!.filter((p) => !have.has(p.toLowerCase()))) {
      const kinds = missing.get(needed) ?? new Set<string>();
      kinds.add(change.kind);
      missing.set(needed, kinds);
    }
  }
  if (missing.size === 0) return;
  const list = [...missing].map(
    ([permission, kinds]) => `${permission} (to change ${[...kinds].join(', ')})`,
  );
  throw new GraphRequestError(
    403,
    'Authorization_RequestDenied',
    `the signed-in identity lacks the application permission${missing.size === 1 ? '' : 's'} ${list.join(' and ')}; nothing was applied`,
  );
}

/**
 * Write-ahead record of a create: an inventory entry `pending-create:<display name>` is written before the POST and
 * replaced by the real id after it. A run killed between Graph committing the object and accord recording its id
 * leaves the marker behind, so the next apply can still claim the object (found in its plan by display name) instead
 * of losing track of it — an object accord made but does not own would never be pruned.
 */
const PENDING_CREATE = 'pending-create:';

function pendingCreateMarker(displayName: string): string {
  return `${PENDING_CREATE}${displayName.toLowerCase()}`;
}

/** Settles the markers of creates a previous run did not finish: owned if the object exists, else forgotten. */
async function settlePendingCreates(plan: Plan, inventory: InventoryRecorder): Promise<void> {
  for (const [kind, ids] of inventory.snapshot()) {
    for (const marker of ids) {
      if (!marker.startsWith(PENDING_CREATE)) continue;
      const displayName = marker.slice(PENDING_CREATE.length);
      const made = plan.changes.find(
        (c) => c.kind === kind && c.id !== undefined && c.displayName.toLowerCase() === displayName,
      );
      if (made) await inventory.record(kind, made.id!, made.name);
      await inventory.forget(kind, marker);
    }
  }
}

export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const ordered = orderChanges(options.plan, options.registry);
  await checkWritePermissions(ordered, options.port);
  await settlePendingCreates(options.plan, options.inventory);
  const created = new Map<string, string>();
  const applied: ResourceChange[] = [];
  for (const [index, change] of ordered.entries()) {
    const kind = options.registry.get(change.kind);
    if (!kind) throw new Error(`unknown kind ${change.kind} in plan`);
    let outcome: ApplyProgress['outcome'] = 'done';
    try {
      if (change.action === 'create') {
        const marker = pendingCreateMarker(change.displayName);
        await options.inventory.record(change.kind, marker, change.name);
        const result = await create(kind, options.port, writeRequest(change, created));
        created.set(pendingId(change.kind, change.name), result.id);
        await options.inventory.record(change.kind, result.id, change.name);
        await options.inventory.forget(change.kind, marker);
        if (result.adopted) outcome = 'adopted-after-ambiguous-write';
      } else if (change.action === 'update') {
        await update(kind, options.port, change.id!, writeRequest(change, created));
      } else {
        if (!(await remove(kind, options.port, change.id!))) outcome = 'already-gone';
        await options.inventory.forget(change.kind, change.id!);
      }
    } catch (err) {
      return {
        applied,
        failed: { change, error: err instanceof Error ? err : new Error(String(err)) },
        remaining: ordered.slice(index),
      };
    }
    applied.push(change);
    options.onProgress?.({ step: index + 1, total: ordered.length, change, outcome });
  }
  return { applied, remaining: [] };
}
