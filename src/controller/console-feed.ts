/**
 * The web console as the controller hosts it (`accord controller --console-bind-address`): each Tenant custom
 * resource is a console tenant named `<namespace>/<name>`, its policy resources are the console's resources with
 * the status their conditions say, and every Tenant reconcile becomes one `recordPass` (plan with impact and
 * findings, what was applied, the drift found). A replica has data only for the Tenants of the shards it holds; the
 * others are listed as held by another replica (from the shard Leases), and a Tenant whose shard this replica loses
 * leaves its console.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import { summarize, type Plan, type ResourceChange } from '../core/plan.ts';
import { ConsoleState, type PassReport, type ResourceStatus } from '../console/console-state.ts';
import { startConsole } from '../console/server.ts';
import { findCondition, ConditionType, isTrue } from './conditions.ts';
import { withImpact } from './console-impact.ts';
import { consoleTenantName, controllerWhatIf } from './console-whatif.ts';
import { guardedPort } from './guarded-port.ts';
import type { ResourceOutcome } from './outcomes.ts';
import { resourceKey, type TenantPlan } from './plan-tenant.ts';
import type { ControllerView, TenantReconcileObserver, TenantReconcileReport } from './reconcile-observer.ts';
import type { PolicyResource, TenantResource } from './resources.ts';
import { shardLeaseName } from './shard-leases.ts';

/** How often the list of Tenants and shards is compared with the console's (it changes without reconciles). */
const REFRESH_MS = 3_000;

function sourceOf(namespace: string): string {
  return `custom resources in namespace ${namespace}`;
}

/** Applied at its generation and Ready before this reconcile: a pass over settled resources is a drift check. */
function isSettled(resource: PolicyResource): boolean {
  return (
    resource.status?.observedGeneration === resource.metadata.generation &&
    isTrue(resource.status?.conditions, ConditionType.Ready)
  );
}

function displayNameOf(resource: PolicyResource): string {
  const name = resource.spec.displayName;
  return typeof name === 'string' && name !== '' ? name : resource.metadata.name;
}

/** A resource's status from the conditions its reconcile wrote. */
export function resourceStatusOf(
  resource: PolicyResource,
  outcome: ResourceOutcome | undefined,
  drifted: readonly ResourceChange[] | undefined,
  finishedAt: string,
): ResourceStatus {
  const base = {
    kind: resource.kind,
    name: resource.metadata.name,
    displayName: displayNameOf(resource),
    ...((outcome?.id ?? resource.status?.id) ? { id: outcome?.id ?? resource.status?.id } : {}),
    ...(outcome?.applied
      ? { lastApplied: finishedAt }
      : resource.status?.lastAppliedAt
        ? { lastApplied: resource.status.lastAppliedAt }
        : {}),
  };
  const conditions = (outcome?.conditions ?? []).map((c) => ({ ...c, lastTransitionTime: finishedAt }));
  const ready = findCondition(conditions, ConditionType.Ready);
  const drift = findCondition(conditions, ConditionType.Drifted);
  if (!ready) return { ...base, state: 'error', detail: 'not reconciled', fields: [] };
  if (ready.status !== 'True')
    return { ...base, state: 'error', detail: `${ready.reason}: ${ready.message}`, fields: [] };
  if (drift?.status === 'True') {
    const changes = drifted ?? [];
    const change: ResourceStatus['change'] = changes.some((c) => c.action === 'create') ? 'create' : 'update';
    return {
      ...base,
      state: 'drifted',
      detail: `${drift.reason}: ${drift.message}`,
      fields: [...new Set(changes.flatMap((c) => c.fields.map((f) => f.path)))],
      change,
    };
  }
  return { ...base, state: 'inSync', fields: [] };
}

/** The plan as the console shows it: in drift mode Report the drift the controller left alone is part of it. */
function consolePlan(tenantPlan: TenantPlan, drift: readonly ResourceChange[]): Plan {
  const plan = tenantPlan.plan;
  const missing = drift.filter((c) => !plan.changes.includes(c));
  const changes = [...plan.changes, ...missing].map((c) => ({ ...c, reason: inControllerWords(c.reason) }));
  return { ...plan, changes, summary: summarize(changes) };
}

/** The plan's reasons speak of git (the CLI's desired state); here the desired state is the custom resources. */
export function inControllerWords(reason: string): string {
  return reason.replace(/\bgit\b/g, 'the custom resources');
}

/** One Tenant reconcile as the console's pass report. Pure. */
export function passReportOf(report: TenantReconcileReport): PassReport {
  const { tenant, tenantPlan } = report;
  const name = consoleTenantName(tenant);
  const settled = report.active.every(isSettled);
  const drift = tenantPlan ? [...tenantPlan.drifted.values()].flat() : [];
  const base = {
    tenant: { name, id: tenant.spec.tenantId },
    source: sourceOf(tenant.metadata.namespace),
    trigger: settled ? 'drift check' : 'resources changed',
    driftCheck: tenantPlan !== undefined && (settled || drift.length > 0),
    driftMode: report.drift === 'Report' ? ('warn' as const) : ('correct' as const),
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
  };
  if (report.suspended)
    return {
      ...base,
      trigger: 'Tenant suspended',
      suspended: 'Suspended (spec.suspend is true): nothing is reconciled until it is set to false.',
    };
  if (report.error || !tenantPlan) {
    const message = report.error ?? 'the reconcile ended without a plan';
    const resources: ResourceStatus[] = report.active.map((r) => ({
      kind: r.kind,
      name: r.metadata.name,
      displayName: displayNameOf(r),
      ...(r.status?.id ? { id: r.status.id } : {}),
      state: 'error',
      detail: `Tenant ${tenant.metadata.name} is not ready: ${message}`,
      fields: [],
    }));
    return { ...base, error: message, resources };
  }
  const resources = report.active.map((r) =>
    resourceStatusOf(
      r,
      report.outcomes?.get(resourceKey(r)),
      tenantPlan.drifted.get(resourceKey(r)),
      report.finishedAt,
    ),
  );
  const unmanaged: ResourceStatus[] = tenantPlan.plan.changes
    .filter((c) => c.action === 'unmanaged')
    .map((c) => ({
      kind: c.kind,
      name: c.name,
      displayName: c.displayName,
      ...(c.id ? { id: c.id } : {}),
      state: 'unmanaged',
      detail: inControllerWords(c.reason),
      fields: [],
    }));
  const findings: Diagnostic[] = [...tenantPlan.excluded.values()].flat();
  return {
    ...base,
    plan: consolePlan(tenantPlan, drift),
    ...(report.apply ? { applied: report.apply.applied } : {}),
    ...(report.apply?.failed
      ? { failed: { change: report.apply.failed.change, message: report.apply.failed.error.message } }
      : {}),
    resources: [...resources, ...unmanaged],
    drift,
    ...(findings.length > 0 ? { findings } : {}),
  };
}

function describeShards(shards: readonly number[], total: number): string {
  if (total === 1)
    return shards.length === 1 ? 'holds the lease of every Tenant' : 'does not hold the lease (yet)';
  if (shards.length === 0) return `holds none of the ${total} shards (yet)`;
  const list = shards.map(shardLeaseName).join(', ');
  return `holds ${shards.length === 1 ? 'shard' : 'shards'} ${list} of ${total}`;
}

export interface ControllerConsoleFeedOptions {
  state: ConsoleState;
  /** "Reconcile now" in the console (only with --console-allow-actions). */
  allowActions: boolean;
}

export class ControllerConsoleFeed implements TenantReconcileObserver {
  readonly #state: ConsoleState;
  readonly #allowActions: boolean;
  #view: ControllerView | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Passes are recorded in order, one after the other (each may wait for its impact). */
  #recording: Promise<void> = Promise.resolve();

  constructor(options: ControllerConsoleFeedOptions) {
    this.#state = options.state;
    this.#allowActions = options.allowActions;
  }

  /** Connects the feed to the running controller (which is built with the feed as its observer). */
  attach(view: ControllerView): void {
    this.#view = view;
    if (this.#allowActions)
      this.#state.setActions({
        checkLabel: 'Reconcile now',
        checkNow: (name) => {
          const tenant = this.#heldTenant(name);
          if (tenant) view.reconcileNow(tenant.metadata.namespace, tenant.metadata.name);
        },
      });
    this.refresh();
    this.#timer = setInterval(() => this.refresh(), REFRESH_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  started(namespace: string, name: string): void {
    this.refresh();
    this.#state.beginPass({ name: `${namespace}/${name}` }, 'reconcile');
  }

  finished(report: TenantReconcileReport): void {
    const pass = passReportOf(report);
    const view = this.#view;
    this.#recording = this.#recording
      .then(async () => {
        if (pass.plan && report.live && view) {
          const port = async () => guardedPort((await view.session(report.tenant)).client, () => false);
          pass.plan = await withImpact(pass.plan, report.live, report.tenant, port);
        }
        this.#state.recordPass(pass);
      })
      // A pass the console could not take must not stop the ones after it.
      .catch(() => undefined);
  }

  /** Resolves when every pass reported so far is in the console. */
  settled(): Promise<void> {
    return this.#recording;
  }

  /** The Tenant behind a console tenant name, if this replica holds it. */
  #heldTenant(name: string): TenantResource | undefined {
    const view = this.#view;
    if (!view) return undefined;
    const held = new Set(view.heldShards());
    return view
      .tenants()
      .find(
        (t) => consoleTenantName(t) === name && held.has(view.shardOf(t.metadata.namespace, t.metadata.name)),
      );
  }

  /** The Tenants held here join the console; those deleted or held elsewhere leave it; the host note is updated. */
  refresh(): void {
    const view = this.#view;
    if (!view) return;
    const held = new Set(view.heldShards());
    const mine = new Set<string>();
    const shown = new Set(this.#state.tenants().map((t) => t.name));
    const elsewhere: { name: string; detail: string }[] = [];
    for (const tenant of view.tenants()) {
      const name = consoleTenantName(tenant);
      const shard = view.shardOf(tenant.metadata.namespace, tenant.metadata.name);
      if (held.has(shard)) {
        mine.add(name);
        if (!shown.has(name)) {
          const drift = tenant.spec.drift?.mode === 'Report' ? 'warn' : 'correct';
          this.#state.addTenant(
            { name, id: tenant.spec.tenantId },
            sourceOf(tenant.metadata.namespace),
            drift,
          );
        }
        continue;
      }
      const holder = view.holderOf(shard);
      const lease = shardLeaseName(shard);
      elsewhere.push({
        name,
        detail: holder
          ? `${lease}, held by replica ${holder}: its console shows this tenant.`
          : `${lease}, not held by any replica right now (it is being taken over).`,
      });
    }
    for (const name of shown) if (!mine.has(name)) this.#state.removeTenant(name);
    const shards = describeShards(
      [...held].sort((a, b) => a - b),
      view.shards,
    );
    const sharding = !view.leaderElect
      ? ' Leader election is off: this replica reconciles every Tenant.'
      : view.shards > 1
        ? ` Tenants are split into ${view.shards} shards (one Lease each); each replica reconciles, and shows here, only the Tenants of the shards it holds.`
        : ' Another replica takes over if this one stops; its console then shows the Tenants.';
    this.#state.setHost({
      description: `Served by controller replica ${view.identity}, which ${shards}.${sharding}`,
      elsewhere: elsewhere.sort((a, b) => a.name.localeCompare(b.name)),
      desiredState: 'the custom resources',
      driftAdvice:
        "Change the custom resource or the tenant back, or set the Tenant's spec.drift.mode to Correct to have it put back.",
    });
  }
}

export interface ControllerConsole {
  feed: ControllerConsoleFeed;
  /** Starts serving once the controller exists (it is built with `feed` as its observer). */
  serve(view: ControllerView): Promise<{ url: string; close(): Promise<void> }>;
}

/** The console of `accord controller --console-bind-address`: a feed to build the controller with, then serve. */
export function controllerConsole(options: {
  host: string | undefined;
  port: number;
  allowActions: boolean;
}): ControllerConsole {
  const state = new ConsoleState();
  const feed = new ControllerConsoleFeed({ state, allowActions: options.allowActions });
  return {
    feed,
    async serve(view) {
      feed.attach(view);
      state.setWhatIf(controllerWhatIf(view, state));
      // No host (`:8082`) means every interface, as for the metrics and probe addresses.
      const running = await startConsole({
        state,
        host: options.host ?? '0.0.0.0',
        port: options.port,
        allowActions: options.allowActions,
      });
      return {
        url: running.url,
        close: async () => {
          feed.stop();
          await running.close();
        },
      };
    },
  };
}
