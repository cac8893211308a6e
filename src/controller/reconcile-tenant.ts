/**
 * One reconcile of one Tenant — the work-queue key — as a short list of named steps: read the Tenant, bind its
 * resources, connect (one Graph client per tenant), finalizers, read the tenant once, plan every resource together,
 * apply, then write each resource's status and events and the Tenant's. Graph reads per reconcile are one per
 * collection (plus batched name lookups), however many resources the tenant has.
 */
import type { GraphPort } from '../core/graph-port.ts';
import type { SafetySettings } from '../guard/safety-checks.ts';
import type { ResourceChange } from '../core/plan.ts';
import { registry } from '../kinds/registry.ts';
import type { Logger } from '../log/log-port.ts';
import { applyPlan, type ApplyResult } from '../pipeline/apply-plan.ts';
import { readTenant } from '../pipeline/read-tenant.ts';
import { bindResource } from './binding.ts';
import { Reason } from './conditions.ts';
import type { EventRecorder } from './events.ts';
import { customPath, isNotFound, type KubeRest } from './kube/kube-rest.ts';
import type { ControllerMetrics } from './metrics.ts';
import { outcomeFor, tenantConditions } from './outcomes.ts';
import { planTenant, resourceKey, type DriftMode, type TenantPlan } from './plan-tenant.ts';
import {
  DELETION_POLICY_ANNOTATION,
  GROUP,
  SUSPEND_ANNOTATION,
  TENANT_INFO,
  VERSION,
  hasFinalizer,
  isDeleting,
  isSuspended,
  type DeletionPolicy,
  type PolicyResource,
  type TenantResource,
} from './resources.ts';
import { notReady, progressing, suspended, type StatusWriter } from './status.ts';
import { TenantInventory } from './tenant-inventory.ts';
import { isCredentialFailure, type TenantSessions } from './tenant-session.ts';
import { parseDuration } from './duration.ts';
import { guardedPort } from './guarded-port.ts';
import type { ResourceOutcome } from './outcomes.ts';
import { notifyFinished, notifyObserver, type TenantReconcileObserver } from './reconcile-observer.ts';

export interface ReconcilerDeps {
  rest: KubeRest;
  sessions: TenantSessions;
  status: StatusWriter;
  events: EventRecorder;
  metrics: ControllerMetrics;
  logger: Logger;
  /** Default drift interval (the controller's --resync-period). */
  resyncPeriodMs: number;
  /** The policy resources and Tenants the informers hold, by namespace. */
  resourcesIn(namespace: string): PolicyResource[];
  tenantsIn(namespace: string): TenantResource[];
  pluralOf(kind: string): string;
  /** Whether this replica may still write for this tenant (its shard lease is held). */
  mayWrite(): boolean;
  shardOf(namespace: string, name: string): number;
  /** Told when a reconcile starts and how it ends (the web console). */
  observer?: TenantReconcileObserver;
}

export type ReconcileResult = { kind: 'ok'; requeueAfterMs: number } | { kind: 'error'; error: Error };

const OUTCOME_OF: Partial<Record<string, string>> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
};

/** The lockout guard's settings: the Tenant's break-glass accounts, and the identity the controller signs in as. */
function safetyOf(tenant: TenantResource, clientId: string | undefined): SafetySettings {
  const breakGlass = tenant.spec.breakGlass ?? {};
  return {
    breakGlass: { users: breakGlass.users ?? [], groups: breakGlass.groups ?? [] },
    ...(clientId ? { caller: { appId: clientId } } : {}),
  };
}

function deletionPolicy(resource: PolicyResource, tenant: TenantResource): DeletionPolicy {
  const annotated = resource.metadata.annotations?.[DELETION_POLICY_ANNOTATION]?.trim();
  if (annotated === 'Orphan' || annotated === 'Delete') return annotated;
  return tenant.spec.deletionPolicy ?? 'Delete';
}

export class TenantReconciler {
  private readonly deps: ReconcilerDeps;
  private startedAt = '';

  constructor(deps: ReconcilerDeps) {
    this.deps = deps;
  }

  async reconcile(namespace: string, name: string): Promise<ReconcileResult> {
    const tenant = await this.readTenantObject(namespace, name);
    if (!tenant) return { kind: 'ok', requeueAfterMs: 0 };
    this.startedAt = new Date().toISOString();
    notifyObserver(this.deps.observer, (o) => o.started(namespace, name));
    const interval = parseDuration(tenant.spec.drift?.interval) ?? this.deps.resyncPeriodMs;
    const tenantNames = this.deps.tenantsIn(namespace).map((t) => t.metadata.name);
    if (!tenantNames.includes(name)) tenantNames.push(name);
    const bound = this.deps
      .resourcesIn(namespace)
      .filter((r) => {
        const binding = bindResource(r.metadata, tenantNames);
        return binding.kind === 'bound' && binding.tenant === name;
      })
      .map((r) => structuredClone(r));
    if (tenant.spec.suspend || isSuspended(tenant.metadata)) {
      const why = tenant.spec.suspend
        ? 'spec.suspend is true'
        : `the annotation ${SUSPEND_ANNOTATION} is "true"`;
      await this.writeTenant(tenant, suspended(`${why}: nothing is reconciled`), bound.length, interval);
      const message = `its Tenant ${name} is suspended (${why}): not reconciled; the tenant object is left as it is`;
      for (const resource of bound.filter((r) => !isDeleting(r.metadata)))
        await this.writeResource(resource, suspended(message), {}, interval, false);
      notifyFinished(this.deps.observer, this.startedAt, { tenant, active: [], suspended: true });
      return { kind: 'ok', requeueAfterMs: interval };
    }
    try {
      return await this.reconcileBound(tenant, bound, interval);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (this.deps.mayWrite()) {
        const failure = isCredentialFailure(err)
          ? { reason: Reason.CredentialsInvalid, message: error.message, stalled: true }
          : {
              reason: Reason.GraphUnavailable,
              message: `tenant ${name} could not be reconciled: ${error.message}`,
              stalled: false,
            };
        // The status write may fail too (the API server is away); the reconcile is retried either way.
        await this.failAll(tenant, bound, failure, interval).catch(() => undefined);
      }
      notifyFinished(this.deps.observer, this.startedAt, { tenant, active: bound, error: error.message });
      return { kind: 'error', error };
    }
  }

  private async readTenantObject(namespace: string, name: string): Promise<TenantResource | undefined> {
    try {
      return await this.deps.rest.get<TenantResource>(
        customPath(GROUP, VERSION, TENANT_INFO.plural, namespace, name),
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async reconcileBound(
    tenant: TenantResource,
    bound: PolicyResource[],
    interval: number,
  ): Promise<ReconcileResult> {
    const { deps } = this;
    const tenantLabel = `${tenant.metadata.namespace}/${tenant.metadata.name}`;
    const session = await deps.sessions.sessionFor(tenant);
    const port = guardedPort(session.client, () => deps.mayWrite());
    const groups = await this.prepareResources(bound, interval);
    const live = await readTenant(port, registry);
    const inventory = new TenantInventory(
      tenant.status?.inventory,
      (patch) =>
        deps.status.patchStatus({ plural: TENANT_INFO.plural, metadata: tenant.metadata }, { status: patch }),
      () => deps.mayWrite(),
    );
    const toDelete = groups.deleting.filter((r) => deletionPolicy(r, tenant) === 'Delete');
    const drift: DriftMode = tenant.spec.drift?.mode ?? 'Correct';
    const tenantPlan = await planTenant({
      tenant: { name: tenantLabel, id: tenant.spec.tenantId },
      active: groups.active,
      held: [...groups.held, ...groups.deleting.filter((r) => !toDelete.includes(r))],
      deleting: toDelete,
      port,
      live,
      inventory,
      prune: tenant.spec.prune ?? false,
      drift,
      safety: safetyOf(tenant, session.clientId),
    });
    const apply = await this.applyTenantPlan(tenantPlan, port, inventory, tenantLabel, drift);

    const createdId = (change: ResourceChange): string | undefined =>
      change.action === 'create' ? inventory.idsOf(change.kind, change.name)[0] : undefined;
    let failures = tenantPlan.tenantErrors.length > 0 || apply?.failed !== undefined;
    const outcomes = new Map<string, ResourceOutcome>();
    for (const resource of groups.active) {
      const outcome = outcomeFor({
        key: resourceKey(resource),
        tenantName: tenantLabel,
        tenantPlan,
        apply,
        drift,
        createdId,
        previousId: resource.status?.id,
      });
      failures ||= outcome.failed && !tenantPlan.excluded.has(resourceKey(resource));
      outcomes.set(resourceKey(resource), outcome);
      const fields = {
        tenant: tenant.metadata.name,
        ...(outcome.id ? { id: outcome.id } : {}),
        ...(outcome.applied ? { lastAppliedAt: new Date().toISOString() } : {}),
      };
      await this.writeResource(resource, outcome.conditions, fields, interval, true);
      for (const event of outcome.events)
        deps.events.record(resource, event.type, event.reason, event.action, event.note);
    }
    await this.finishDeletions(tenant, { deleting: groups.deleting, toDelete }, tenantPlan, apply, inventory);
    const conditions = tenantConditions({ tenantPlan, apply, drift, active: groups.active.length });
    await this.writeTenant(tenant, conditions, bound.length, interval);
    notifyFinished(this.deps.observer, this.startedAt, {
      tenant,
      active: groups.active,
      tenantPlan,
      live,
      ...(apply ? { apply } : {}),
      outcomes,
    });
    if (!failures) return { kind: 'ok', requeueAfterMs: interval };
    const message =
      tenantPlan.tenantErrors[0]?.summary ??
      apply?.failed?.error.message ??
      'some resources could not be applied';
    return { kind: 'error', error: new Error(message) };
  }

  /** Finalizers first (from now on a deletion waits for the controller), then Reconciling on new generations. */
  private async prepareResources(
    bound: PolicyResource[],
    interval: number,
  ): Promise<{ active: PolicyResource[]; held: PolicyResource[]; deleting: PolicyResource[] }> {
    const { deps } = this;
    for (const resource of bound) {
      const meta = resource.metadata;
      if (isDeleting(meta) || hasFinalizer(meta) || isSuspended(meta)) continue;
      this.assertLeader();
      await deps.status.addFinalizer({ plural: deps.pluralOf(resource.kind), metadata: meta });
    }
    const deleting = bound.filter((r) => isDeleting(r.metadata) && hasFinalizer(r.metadata));
    const active = bound.filter((r) => !isDeleting(r.metadata) && !isSuspended(r.metadata));
    const held = bound.filter((r) => !isDeleting(r.metadata) && isSuspended(r.metadata));
    for (const resource of active.filter((r) => r.status?.observedGeneration !== r.metadata.generation)) {
      const message = `reconciling generation ${resource.metadata.generation ?? 0}`;
      await this.writeResource(resource, progressing(message), {}, interval, false);
    }
    const why = `the annotation ${SUSPEND_ANNOTATION} is "true": not reconciled; the tenant object is left as it is`;
    for (const resource of held) await this.writeResource(resource, suspended(why), {}, interval, false);
    return { active, held, deleting };
  }

  private async applyTenantPlan(
    tenantPlan: TenantPlan,
    port: GraphPort,
    inventory: TenantInventory,
    tenantLabel: string,
    drift: DriftMode,
  ): Promise<ApplyResult | undefined> {
    const { metrics, logger } = this.deps;
    if (tenantPlan.excluded.size > 0)
      metrics.applyOutcomes.inc({ outcome: 'refused' }, tenantPlan.excluded.size);
    if (tenantPlan.drifted.size > 0)
      metrics.driftDetected.inc({ tenant: tenantLabel, mode: drift }, tenantPlan.drifted.size);
    const { plan } = tenantPlan;
    if (plan.summary.create + plan.summary.update + plan.summary.delete === 0) return undefined;
    this.assertLeader();
    const apply = await applyPlan({ plan, registry, port, inventory });
    for (const change of apply.applied)
      metrics.applyOutcomes.inc({ outcome: OUTCOME_OF[change.action] ?? change.action });
    if (apply.failed) {
      metrics.applyOutcomes.inc({ outcome: 'failed' });
      logger.warn('apply failed', {
        tenant: tenantLabel,
        kind: apply.failed.change.kind,
        name: apply.failed.change.name,
        error: apply.failed.error.message,
      });
    }
    return apply;
  }

  /** Deleted resources: their objects are gone (or orphaned): the finalizer comes off. */
  private async finishDeletions(
    tenant: TenantResource,
    { deleting, toDelete }: { deleting: PolicyResource[]; toDelete: PolicyResource[] },
    tenantPlan: TenantPlan,
    apply: ApplyResult | undefined,
    inventory: TenantInventory,
  ): Promise<void> {
    for (const resource of deleting) {
      const key = resourceKey(resource);
      const pending = tenantPlan.plan.changes.filter(
        (c) => c.action === 'delete' && tenantPlan.owners.get(c) === key,
      );
      if (pending.some((c) => !apply || !apply.applied.includes(c))) continue;
      const owned = inventory.idsOf(resource.kind, resource.metadata.name);
      this.assertLeader();
      if (toDelete.includes(resource) && owned.length === 0 && pending.length === 0 && resource.status?.id) {
        this.deps.events.record(
          resource,
          'Normal',
          'Orphaned',
          'Delete',
          `the tenant object ${resource.status.id} was not created by the controller, so it was left in place`,
        );
        this.deps.metrics.applyOutcomes.inc({ outcome: 'orphaned' });
      } else if (!toDelete.includes(resource)) {
        for (const id of owned) await inventory.forget(resource.kind, id);
        this.deps.events.record(
          resource,
          'Normal',
          'Orphaned',
          'Delete',
          `deletion policy Orphan: the tenant object${resource.status?.id ? ` ${resource.status.id}` : ''} was left in place`,
        );
        this.deps.metrics.applyOutcomes.inc({ outcome: 'orphaned' });
      } else if (pending.length > 0) {
        this.deps.events.record(
          resource,
          'Normal',
          'Deleted',
          'Delete',
          `deleted ${pending.map((c) => `'${c.displayName}' (${c.id})`).join(', ')} from tenant ${tenant.metadata.name}`,
        );
      }
      // Objects already gone from the tenant (deleted by hand) leave nothing to own.
      if (toDelete.includes(resource))
        for (const id of inventory.idsOf(resource.kind, resource.metadata.name))
          await inventory.forget(resource.kind, id);
      await this.deps.status.removeFinalizer({
        plural: this.deps.pluralOf(resource.kind),
        metadata: resource.metadata,
      });
    }
  }

  private async failAll(
    tenant: TenantResource,
    bound: PolicyResource[],
    failure: { reason: Reason; message: string; stalled: boolean },
    interval: number,
  ): Promise<void> {
    const { reason, message, stalled } = failure;
    await this.writeTenant(tenant, notReady(reason, message, stalled), bound.length, interval);
    const resourceMessage = `Tenant ${tenant.metadata.name} is not ready: ${message}`;
    for (const resource of bound.filter((r) => !isDeleting(r.metadata) && !isSuspended(r.metadata)))
      await this.writeResource(
        resource,
        notReady(
          reason === Reason.CredentialsInvalid ? Reason.TenantNotReady : reason,
          resourceMessage,
          stalled,
        ),
        { tenant: tenant.metadata.name },
        interval,
        false,
      );
    this.deps.events.record(tenant, 'Warning', reason, 'Reconcile', message);
  }

  private async writeResource(
    resource: PolicyResource,
    conditions: Parameters<StatusWriter['write']>[1]['conditions'],
    fields: Record<string, unknown>,
    interval: number,
    observe: boolean,
  ): Promise<void> {
    this.assertLeader();
    await this.deps.status.write(
      {
        kind: resource.kind,
        plural: this.deps.pluralOf(resource.kind),
        metadata: resource.metadata,
        status: resource.status,
      },
      { conditions, fields, observe },
      interval * 0.9,
    );
  }

  private async writeTenant(
    tenant: TenantResource,
    conditions: Parameters<StatusWriter['write']>[1]['conditions'],
    resources: number,
    interval: number,
  ): Promise<void> {
    this.assertLeader();
    const shard = this.deps.shardOf(tenant.metadata.namespace, tenant.metadata.name);
    await this.deps.status.write(
      { kind: tenant.kind, plural: TENANT_INFO.plural, metadata: tenant.metadata, status: tenant.status },
      { conditions, fields: { resources, shard } },
      interval * 0.9,
    );
  }

  private assertLeader(): void {
    if (!this.deps.mayWrite())
      throw new Error('this replica no longer holds the tenant (its shard lease was lost)');
  }
}
