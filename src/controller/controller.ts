/**
 * The accord controller: informers for every kind and for Tenants feed one work queue whose keys are Tenants
 * (`t:<namespace>/<name>`) and namespaces with unbound resources (`n:<namespace>`); workers reconcile one key at a
 * time each; shard leases decide which keys this replica may work on. A resource event enqueues its Tenant, so all
 * resources of a tenant are planned together on one read of the tenant; each Tenant requeues itself after its drift
 * interval (the periodic resync: drift lives in the tenant, not in etcd).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../log/log-port.ts';
import { bindResource } from './binding.ts';
import { EventRecorder } from './events.ts';
import { ResilientInformer } from './kube/informer.ts';
import { customPath, KubeRest } from './kube/kube-rest.ts';
import type { ControllerMetrics } from './metrics.ts';
import { CONTROLLER_NAME, type ReconcileResultLabel } from './metrics.ts';
import { reconcileNamespace } from './reconcile-namespace.ts';
import { TenantReconciler } from './reconcile-tenant.ts';
import {
  DELETION_POLICY_ANNOTATION,
  GROUP,
  RECONCILE_REQUESTED_ANNOTATION,
  SUSPEND_ANNOTATION,
  TENANT_INFO,
  TENANT_LABEL,
  VERSION,
  policyKinds,
  type PolicyResource,
  type TenantResource,
} from './resources.ts';
import { ShardLeases, shardLeaseName, shardOf, type LeaseTiming } from './shard-leases.ts';
import { StatusWriter } from './status.ts';
import { TenantSessions } from './tenant-session.ts';
import { WorkQueue } from './work-queue.ts';
import type { ControllerView, TenantReconcileObserver } from './reconcile-observer.ts';

export interface ControllerOptions {
  kubeConfig: KubeConfig;
  /** Watch one namespace; undefined watches all. */
  namespace?: string;
  identity: string;
  leaderElect: boolean;
  leaseNamespace: string;
  timing: LeaseTiming;
  shards: number;
  workers: number;
  resyncPeriodMs: number;
  logger: Logger;
  metrics: ControllerMetrics;
  relistMs?: number;
  watchdogMs?: number;
  /** Seconds to let in-flight reconciles finish on shutdown (default 30). */
  shutdownGraceMs?: number;
  /** Told of every Tenant reconcile (the web console). */
  observer?: TenantReconcileObserver;
}

type AnyResource = PolicyResource | TenantResource;

/** What about an object is worth a reconcile: not its status or finalizers (which the controller itself writes). */
function fingerprint(object: AnyResource): string {
  const m = object.metadata;
  const a = m.annotations ?? {};
  return [
    m.generation ?? 0,
    m.deletionTimestamp ?? '',
    m.labels?.[TENANT_LABEL] ?? '',
    a[SUSPEND_ANNOTATION] ?? '',
    a[RECONCILE_REQUESTED_ANNOTATION] ?? '',
    a[DELETION_POLICY_ANNOTATION] ?? '',
  ].join('|');
}

export class Controller {
  private readonly options: ControllerOptions;
  private readonly rest: KubeRest;
  private readonly queue: WorkQueue;
  private readonly sessions: TenantSessions;
  private readonly status: StatusWriter;
  private readonly events: EventRecorder;
  private readonly informers = new Map<string, ResilientInformer<PolicyResource>>();
  private readonly tenantInformer: ResilientInformer<TenantResource>;
  private readonly seen = new Map<string, string>();
  private readonly leases: ShardLeases | undefined;
  private workers: Promise<void>[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(options: ControllerOptions) {
    this.options = options;
    const host = new URL(options.kubeConfig.getCurrentCluster()?.server ?? 'https://unknown').host;
    this.rest = new KubeRest(options.kubeConfig, {
      onRequest: (method, status) =>
        options.metrics.restRequests.inc({ code: status === 0 ? '<error>' : String(status), method, host }),
    });
    this.queue = new WorkQueue({ metrics: options.metrics.queue });
    options.metrics.observeQueue(this.queue);
    options.metrics.maxConcurrentReconciles.set({ controller: CONTROLLER_NAME }, options.workers);
    this.sessions = new TenantSessions({
      rest: this.rest,
      logger: options.logger,
      instrumentFetch: (tenant, f) => options.metrics.instrumentFetch(tenant, f),
    });
    const fieldManager = `accord-controller`;
    this.status = new StatusWriter(this.rest, fieldManager);
    this.events = new EventRecorder(this.rest, options.logger, options.identity);
    for (const { kind, plural } of policyKinds())
      this.informers.set(kind, this.makeInformer<PolicyResource>(plural, kind));
    this.tenantInformer = this.makeInformer<TenantResource>(TENANT_INFO.plural, TENANT_INFO.kind);
    if (options.leaderElect) {
      this.leases = new ShardLeases({
        rest: this.rest,
        namespace: options.leaseNamespace,
        identity: options.identity,
        shards: options.shards,
        timing: options.timing,
        logger: options.logger,
        onAcquired: (shard) => {
          options.metrics.leaderStatus.set({ name: shardLeaseName(shard) }, 1);
          this.enqueueShard(shard);
        },
        onLost: (shard) => {
          options.metrics.leaderStatus.set({ name: shardLeaseName(shard) }, 0);
          for (const key of this.queue.keys()) if (this.shardOfKey(key) === shard) this.queue.remove(key);
        },
      });
      for (let shard = 0; shard < options.shards; shard++)
        options.metrics.leaderStatus.set({ name: shardLeaseName(shard) }, 0);
    }
  }

  private makeInformer<T extends AnyResource>(plural: string, kind: string): ResilientInformer<T> {
    const ns = this.options.namespace;
    const path = customPath(GROUP, VERSION, plural, ns);
    return new ResilientInformer<T>({
      kubeConfig: this.options.kubeConfig,
      path,
      name: kind,
      logger: this.options.logger,
      list: () => this.rest.get(path),
      relistMs: this.options.relistMs,
      watchdogMs: this.options.watchdogMs,
      onRestart: (reason) => this.options.metrics.informerRestarts.inc({ informer: kind, reason }),
      handlers: {
        onUpsert: (object) => this.onObject(object as AnyResource, false),
        onDelete: (object) => this.onObject(object as AnyResource, true),
      },
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.tenantInformer.start(), ...[...this.informers.values()].map((i) => i.start())]);
    for (let i = 0; i < this.options.workers; i++) this.workers.push(this.work());
    if (this.leases) this.leases.start();
    else for (let shard = 0; shard < this.options.shards; shard++) this.enqueueShard(shard);
    this.resyncTimer = setInterval(() => this.resyncIdle(), this.options.resyncPeriodMs);
    this.resyncTimer.unref();
    this.options.logger.info('controller started', {
      identity: this.options.identity,
      namespace: this.options.namespace ?? '(all)',
      shards: this.options.shards,
      workers: this.options.workers,
      leaderElection: this.options.leaderElect,
    });
  }

  /** Graceful stop: no new work, in-flight reconciles finish (up to the grace period), leases released. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.resyncTimer);
    this.queue.shutdown();
    const grace = new Promise<void>((resolve) =>
      setTimeout(resolve, this.options.shutdownGraceMs ?? 30_000).unref(),
    );
    await Promise.race([Promise.all(this.workers), grace]);
    await this.leases?.stop();
    await Promise.all([this.tenantInformer.stop(), ...[...this.informers.values()].map((i) => i.stop())]);
    this.rest.close();
    this.options.logger.info('controller stopped');
  }

  healthy(): boolean {
    return !this.stopping;
  }

  ready(): { ok: boolean; detail: string } {
    if (this.stopping) return { ok: false, detail: 'shutting down' };
    const waiting = [this.tenantInformer, ...this.informers.values()].filter((i) => !i.hasSynced()).length;
    return waiting === 0
      ? { ok: true, detail: 'ok' }
      : { ok: false, detail: `${waiting} informer(s) not synced` };
  }

  heldShards(): number[] {
    return this.leases ? this.leases.heldShards() : Array.from({ length: this.options.shards }, (_, i) => i);
  }

  /** What the web console reads and asks (console-feed.ts). */
  observerView(): ControllerView {
    return {
      identity: this.options.identity,
      shards: this.options.shards,
      leaderElect: this.options.leaderElect,
      tenants: () => this.tenantInformer.list(),
      resourcesIn: (ns) => this.resourcesIn(ns),
      heldShards: () => this.heldShards(),
      holderOf: (shard) => (this.leases ? this.leases.holderOf(shard) : this.options.identity),
      shardOf: (ns, name) => shardOf(`${ns}/${name}`, this.options.shards),
      session: (tenant) => this.sessions.sessionFor(tenant),
      reconcileNow: (ns, name) => this.enqueue(`t:${ns}/${name}`),
    };
  }

  private mayWork(key: string): boolean {
    return !this.leases || this.leases.holds(this.shardOfKey(key));
  }

  private shardOfKey(key: string): number {
    const body = key.slice(2);
    return shardOf(key.startsWith('n:') ? `${body}/` : body, this.options.shards);
  }

  private enqueue(key: string): void {
    if (!this.leases || this.leases.holds(this.shardOfKey(key))) this.queue.add(key);
  }

  private tenantNamesIn(namespace: string): string[] {
    return this.tenantsIn(namespace).map((t) => t.metadata.name);
  }

  private tenantsIn(namespace: string): TenantResource[] {
    return this.tenantInformer.list().filter((t) => t.metadata.namespace === namespace);
  }

  private resourcesIn(namespace: string): PolicyResource[] {
    return [...this.informers.values()].flatMap((i) =>
      i.list().filter((r) => r.metadata.namespace === namespace),
    );
  }

  private onObject(object: AnyResource, deleted: boolean): void {
    const uid = object.metadata.uid;
    const print = fingerprint(object);
    if (!deleted && this.seen.get(uid) === print) return;
    if (deleted) this.seen.delete(uid);
    else this.seen.set(uid, print);
    const ns = object.metadata.namespace;
    if (object.kind === TENANT_INFO.kind) {
      if (deleted) this.sessions.forget(`${ns}/${object.metadata.name}`);
      else this.enqueue(`t:${ns}/${object.metadata.name}`);
      this.enqueue(`n:${ns}`);
      return;
    }
    const binding = bindResource(object.metadata, this.tenantNamesIn(ns));
    this.enqueue(binding.kind === 'bound' ? `t:${ns}/${binding.tenant}` : `n:${ns}`);
  }

  private allKeys(): string[] {
    const keys = new Set<string>();
    for (const tenant of this.tenantInformer.list())
      keys.add(`t:${tenant.metadata.namespace}/${tenant.metadata.name}`);
    for (const informer of this.informers.values())
      for (const resource of informer.list()) keys.add(`n:${resource.metadata.namespace}`);
    return [...keys];
  }

  private enqueueShard(shard: number): void {
    for (const key of this.allKeys()) if (this.shardOfKey(key) === shard) this.queue.add(key);
  }

  /** Safety net for the per-tenant requeue: any Tenant of ours with nothing scheduled gets a reconcile. */
  private resyncIdle(): void {
    const scheduled = new Set(this.queue.keys());
    for (const key of this.allKeys()) if (!scheduled.has(key)) this.enqueue(key);
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const { metrics } = this.options;
      const controller = { controller: CONTROLLER_NAME };
      metrics.activeWorkers.inc(controller);
      try {
        await this.process(key);
      } catch (err) {
        // A defect (process() turns every expected failure into a result): counted as controller-runtime counts a
        // panic, and retried with back-off.
        this.options.logger.error('reconcile crashed', { key, error: (err as Error).stack ?? String(err) });
        metrics.reconcilePanics.inc(controller);
        metrics.reconcileErrors.inc(controller);
        metrics.reconcileTotal.inc({ ...controller, result: 'error' });
        if (!this.stopping) this.queue.addRateLimited(key);
      } finally {
        metrics.activeWorkers.dec(controller);
        this.queue.done(key);
      }
    }
  }

  private async process(key: string): Promise<void> {
    if (!this.mayWork(key)) return;
    const { metrics, logger } = this.options;
    const started = performance.now();
    const body = key.slice(2);
    const mayWrite = (): boolean => !this.leases || this.leases.holds(this.shardOfKey(key));
    let result: ReconcileResultLabel = 'success';
    if (key.startsWith('n:')) {
      await reconcileNamespace({
        namespace: body,
        tenants: this.tenantNamesIn(body),
        resources: this.resourcesIn(body),
        status: this.status,
        events: this.events,
        pluralOf: (kind) => this.pluralOf(kind),
        mayWrite,
      });
      this.queue.forget(key);
    } else {
      const slash = body.indexOf('/');
      const namespace = body.slice(0, slash);
      const name = body.slice(slash + 1);
      const reconciler = new TenantReconciler({
        rest: this.rest,
        sessions: this.sessions,
        status: this.status,
        events: this.events,
        metrics,
        logger,
        resyncPeriodMs: this.options.resyncPeriodMs,
        resourcesIn: (ns) => this.resourcesIn(ns),
        tenantsIn: (ns) => this.tenantsIn(ns),
        pluralOf: (kind) => this.pluralOf(kind),
        mayWrite,
        shardOf: (ns, n) => shardOf(`${ns}/${n}`, this.options.shards),
        ...(this.options.observer ? { observer: this.options.observer } : {}),
      });
      const outcome = await reconciler.reconcile(namespace, name);
      if (outcome.kind === 'ok') {
        this.queue.forget(key);
        if (outcome.requeueAfterMs > 0 && !this.stopping) {
          result = 'requeue_after';
          // ±10 % so tenants added together do not resync in lock-step.
          this.queue.addAfter(key, outcome.requeueAfterMs * (0.9 + Math.random() * 0.2));
        }
      } else {
        result = 'error';
        metrics.reconcileErrors.inc({ controller: CONTROLLER_NAME });
        const delay = this.stopping ? 0 : this.queue.addRateLimited(key);
        logger.warn('reconcile failed; retrying', {
          tenant: body,
          error: outcome.error.message,
          retryInMs: delay,
        });
      }
    }
    metrics.reconcileTotal.inc({ controller: CONTROLLER_NAME, result });
    metrics.reconcileTime.observe({ controller: CONTROLLER_NAME }, (performance.now() - started) / 1000);
    logger.debug('reconciled', { key, result, ms: Math.round(performance.now() - started) });
  }

  private pluralOf(kind: string): string {
    return policyKinds().find((k) => k.kind === kind)?.plural ?? TENANT_INFO.plural;
  }
}
