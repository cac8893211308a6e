/**
 * Writing what the controller found: a resource's or Tenant's status (conditions, observedGeneration, ids, sync
 * times) as a JSON merge patch of the status subresource, sent only when something a reader would see changed —
 * a resync that finds everything in accord writes nothing but, at most once per drift interval, `lastSyncTime`.
 * Also the finalizer, added before anything is created and removed once deletion is done.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import {
  ConditionType,
  Reason,
  completeConditions,
  sameConditions,
  setCondition,
  type ConditionInput,
} from './conditions.ts';
import { customPath, isNotFound, type KubeRest } from './kube/kube-rest.ts';
import {
  FINALIZER,
  GROUP,
  VERSION,
  type Condition,
  type ObjectMeta,
  type ResourceStatus,
  type TenantStatus,
} from './resources.ts';

export interface StatusTarget {
  kind: string;
  plural: string;
  metadata: ObjectMeta;
  status?: ResourceStatus | TenantStatus;
}

export interface StatusUpdate {
  conditions: ConditionInput[];
  /** Extra status fields (id, tenant, resources, shard, lastAppliedAt…). */
  fields?: Record<string, unknown>;
  /** Set observedGeneration to the current generation (false while the spec could not be processed at all). */
  observe?: boolean;
}

export class StatusWriter {
  private readonly rest: KubeRest;
  private readonly fieldManager: string;

  constructor(rest: KubeRest, fieldManager: string) {
    this.rest = rest;
    this.fieldManager = fieldManager;
  }

  /**
   * Applies the update to the object's status; patches only when it changed, or when `lastSyncTime` is older than
   * `syncRefreshMs`. Returns whether a patch was sent.
   */
  async write(
    target: StatusTarget,
    update: StatusUpdate,
    syncRefreshMs: number,
    now = new Date(),
  ): Promise<boolean> {
    const current = (target.status ?? {}) as Record<string, unknown> & { conditions?: Condition[] };
    let conditions = current.conditions;
    for (const input of update.conditions)
      conditions = setCondition(conditions, input, target.metadata.generation, now);
    conditions = completeConditions(conditions, target.metadata.generation, now);
    const fields: Record<string, unknown> = { ...(update.fields ?? {}) };
    if (update.observe !== false && target.metadata.generation !== undefined)
      fields.observedGeneration = target.metadata.generation;
    const changedFields = Object.entries(fields).filter(
      ([key, value]) => JSON.stringify(current[key]) !== JSON.stringify(value),
    );
    const lastSync = Date.parse(String(current.lastSyncTime ?? ''));
    const syncStale = !Number.isFinite(lastSync) || now.getTime() - lastSync >= syncRefreshMs;
    if (sameConditions(current.conditions, conditions) && changedFields.length === 0 && !syncStale)
      return false;
    const patch = { status: { ...fields, conditions, lastSyncTime: now.toISOString() } };
    await this.patchStatus(target, patch);
    target.status = { ...(target.status ?? {}), ...patch.status } as ResourceStatus;
    return true;
  }

  async patchStatus(
    target: Pick<StatusTarget, 'plural' | 'metadata'>,
    patch: Record<string, unknown>,
  ): Promise<void> {
    try {
      await this.rest.patch(
        `${customPath(GROUP, VERSION, target.plural, target.metadata.namespace, target.metadata.name, 'status')}?fieldManager=${encodeURIComponent(this.fieldManager)}`,
        patch,
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Adds the finalizer (guarded by resourceVersion: a concurrent change fails with 409 and is retried). */
  async addFinalizer(target: Pick<StatusTarget, 'plural' | 'metadata'>): Promise<void> {
    const finalizers = [...(target.metadata.finalizers ?? []), FINALIZER];
    await this.patchMetadata(target, finalizers);
    target.metadata.finalizers = finalizers;
  }

  async removeFinalizer(target: Pick<StatusTarget, 'plural' | 'metadata'>): Promise<void> {
    const finalizers = (target.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    try {
      await this.patchMetadata(target, finalizers);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async patchMetadata(
    target: Pick<StatusTarget, 'plural' | 'metadata'>,
    finalizers: string[],
  ): Promise<void> {
    const updated = await this.rest.patch<{ metadata: ObjectMeta }>(
      `${customPath(GROUP, VERSION, target.plural, target.metadata.namespace, target.metadata.name)}?fieldManager=${encodeURIComponent(this.fieldManager)}`,
      { metadata: { finalizers, resourceVersion: target.metadata.resourceVersion } },
    );
    target.metadata.resourceVersion = updated.metadata.resourceVersion;
  }
}

/** The Ready/Stalled reason for a resource's own errors, from the first diagnostic's code. */
export function reasonForDiagnostics(diagnostics: readonly Diagnostic[]): ConditionInput['reason'] {
  if (diagnostics.some((d) => d.code.startsWith('lockout') || d.code.startsWith('break-glass')))
    return Reason.LockoutRefused;
  const code = diagnostics[0]?.code ?? '';
  if (code === 'unresolved-name' || code === 'ambiguous-name') return Reason.UnresolvedReference;
  if (code === 'ambiguous-match') return Reason.AmbiguousMatch;
  if (code === 'schema' || code.startsWith('duplicate') || code === 'unknown-kind') return Reason.InvalidSpec;
  return Reason.PolicyRejected;
}

/** Diagnostics as one message: what is wrong, where in the spec, and what to do. */
export function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .slice(0, 5)
    .map((d) => {
      const pointer = d.location?.pointer ? ` (at ${d.location.pointer})` : '';
      return `${d.summary}${pointer}${d.detail ? `. ${d.detail}` : ''}`;
    })
    .join('; ')
    .concat(diagnostics.length > 5 ? `; and ${diagnostics.length - 5} more` : '');
}

/** Ready=False and Stalled=True (or False for a failure worth retrying), Reconciling=False. */
export function notReady(
  reason: ConditionInput['reason'],
  message: string,
  stalled: boolean,
): ConditionInput[] {
  return [
    { type: ConditionType.Ready, status: 'False', reason, message },
    { type: ConditionType.Reconciling, status: 'False', reason, message },
    { type: ConditionType.Stalled, status: stalled ? 'True' : 'False', reason, message },
  ];
}

export function ready(message: string): ConditionInput[] {
  return [
    { type: ConditionType.Ready, status: 'True', reason: Reason.Succeeded, message },
    { type: ConditionType.Reconciling, status: 'False', reason: Reason.Succeeded, message },
    { type: ConditionType.Stalled, status: 'False', reason: Reason.Succeeded, message },
  ];
}

/** Reconciling=True (Progressing) with Ready Unknown: a new generation is being planned and applied. */
export function progressing(message: string): ConditionInput[] {
  return [
    { type: ConditionType.Ready, status: 'Unknown', reason: Reason.Progressing, message },
    { type: ConditionType.Reconciling, status: 'True', reason: Reason.Progressing, message },
    { type: ConditionType.Stalled, status: 'False', reason: Reason.Progressing, message },
  ];
}

/** Reconciling=False (Suspended); Ready keeps what the last reconcile found. */
export function suspended(message: string): ConditionInput[] {
  return [{ type: ConditionType.Reconciling, status: 'False', reason: Reason.Suspended, message }];
}
