/**
 * What a Tenant reconcile tells whoever watches it from inside the controller (the web console's feed,
 * console-feed.ts): that it started, and how it ended — the plan, what was applied, each resource's outcome, or the
 * error that stopped it. Observers only read; a failing observer never fails the reconcile.
 */
import type { LiveObject } from '../core/kind.ts';
import type { ApplyResult } from '../pipeline/apply-plan.ts';
import type { ResourceOutcome } from './outcomes.ts';
import type { DriftMode, TenantPlan } from './plan-tenant.ts';
import type { PolicyResource, TenantResource } from './resources.ts';
import type { TenantSession } from './tenant-session.ts';

export interface TenantReconcileReport {
  tenant: TenantResource;
  startedAt: string;
  finishedAt: string;
  drift: DriftMode;
  /** The resources reconciled, as read when the reconcile started (their status is the one before it). */
  active: readonly PolicyResource[];
  tenantPlan?: TenantPlan;
  /** The tenant as this reconcile read it. */
  live?: ReadonlyMap<string, readonly LiveObject[]>;
  apply?: ApplyResult;
  /** Each active resource's outcome, by `resourceKey`. */
  outcomes?: ReadonlyMap<string, ResourceOutcome>;
  /** The reconcile stopped before a plan (credentials, Graph unreachable…); already redacted for conditions. */
  error?: string;
  /** The Tenant is suspended: nothing was reconciled. */
  suspended?: boolean;
}

export interface TenantReconcileObserver {
  started(namespace: string, name: string): void;
  finished(report: TenantReconcileReport): void;
}

/** Calls an observer without letting it disturb the reconcile. */
export function notifyObserver(
  observer: TenantReconcileObserver | undefined,
  call: (observer: TenantReconcileObserver) => void,
): void {
  if (!observer) return;
  try {
    call(observer);
  } catch {
    // An observer's failure is its own; the reconcile goes on.
  }
}

/** Tells an observer how a reconcile that started at `startedAt` ended. */
export function notifyFinished(
  observer: TenantReconcileObserver | undefined,
  startedAt: string,
  report: Pick<TenantReconcileReport, 'tenant' | 'active'> &
    Partial<Omit<TenantReconcileReport, 'drift' | 'startedAt' | 'finishedAt'>>,
): void {
  const drift = report.tenant.spec.drift?.mode ?? 'Correct';
  const finishedAt = new Date().toISOString();
  notifyObserver(observer, (o) => o.finished({ ...report, drift, startedAt, finishedAt }));
}

/** What the controller lets an observer read and ask (Controller.observerView()). */
export interface ControllerView {
  identity: string;
  shards: number;
  leaderElect: boolean;
  /** Every Tenant the informer holds (all shards). */
  tenants(): TenantResource[];
  resourcesIn(namespace: string): PolicyResource[];
  heldShards(): number[];
  holderOf(shard: number): string | undefined;
  shardOf(namespace: string, name: string): number;
  /** The tenant's Graph session (shared with its reconciles). */
  session(tenant: TenantResource): Promise<TenantSession>;
  /** Queues a reconcile of the Tenant now (when this replica holds its shard). */
  reconcileNow(namespace: string, name: string): void;
}
