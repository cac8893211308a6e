/**
 * Prometheus metrics with controller-runtime's names (so existing dashboards and alerts work) plus accord's own:
 * drift found, apply outcomes, Graph requests and throttles per tenant. One registry per controller.
 *
 * controller-runtime: controller_runtime_reconcile_total{controller,result}, …_reconcile_errors_total,
 * …_reconcile_panics_total, …_reconcile_time_seconds, …_active_workers, …_max_concurrent_reconciles; client-go's
 * workqueue_* (depth, adds, retries, queue and work durations, unfinished work, longest running processor),
 * rest_client_requests_total and leader_election_master_status.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueMetrics } from './work-queue.ts';

export const CONTROLLER_NAME = 'tenant';
const QUEUE_NAME = 'tenant';
/** controller-runtime's values of the `result` label. */
export type ReconcileResultLabel = 'success' | 'error' | 'requeue' | 'requeue_after';
const RESULTS: readonly ReconcileResultLabel[] = ['success', 'error', 'requeue', 'requeue_after'];

/** What the in-flight gauges read when scraped: the keys workers hold (work-queue.ts). */
export interface InFlightSource {
  inFlightSeconds(): number[];
}

export class ControllerMetrics {
  readonly registry = new Registry();
  readonly reconcileTotal: Counter<'controller' | 'result'>;
  readonly reconcileErrors: Counter<'controller'>;
  readonly reconcilePanics: Counter<'controller'>;
  readonly reconcileTime: Histogram<'controller'>;
  readonly activeWorkers: Gauge<'controller'>;
  readonly maxConcurrentReconciles: Gauge<'controller'>;
  readonly restRequests: Counter<'code' | 'method' | 'host'>;
  readonly leaderStatus: Gauge<'name'>;
  readonly driftDetected: Counter<'tenant' | 'mode'>;
  readonly applyOutcomes: Counter<'outcome'>;
  readonly graphRequests: Counter<'tenant' | 'status'>;
  readonly graphThrottled: Counter<'tenant'>;
  readonly informerRestarts: Counter<'informer' | 'reason'>;
  readonly queue: QueueMetrics;
  private inFlight: InFlightSource = { inFlightSeconds: () => [] };

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.reconcilePanics = new Counter({
      name: 'controller_runtime_reconcile_panics_total',
      help: 'Total number of reconciliation panics per controller',
      labelNames: ['controller'],
      registers,
    });
    this.activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: ['controller'],
      registers,
    });
    this.maxConcurrentReconciles = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'],
      registers,
    });
    this.restRequests = new Counter({
      name: 'rest_client_requests_total',
      help: 'Number of HTTP requests to the Kubernetes API server, partitioned by status code, method, and host.',
      labelNames: ['code', 'method', 'host'],
      registers,
    });
    this.reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.leaderStatus = new Gauge({
      name: 'leader_election_master_status',
      help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
      labelNames: ['name'],
      registers,
    });
    this.driftDetected = new Counter({
      name: 'accord_drift_detected_total',
      help: 'Resources found changed in the tenant by hand, by tenant and drift mode',
      labelNames: ['tenant', 'mode'],
      registers,
    });
    this.applyOutcomes = new Counter({
      name: 'accord_apply_outcomes_total',
      help: 'Changes written to tenants, by outcome (created, updated, deleted, failed, refused, orphaned)',
      labelNames: ['outcome'],
      registers,
    });
    this.graphRequests = new Counter({
      name: 'accord_graph_requests_total',
      help: 'HTTP requests sent to Microsoft Graph, by tenant and status (0: no answer)',
      labelNames: ['tenant', 'status'],
      registers,
    });
    this.graphThrottled = new Counter({
      name: 'accord_graph_throttled_total',
      help: 'Graph answers 429 (throttled), by tenant',
      labelNames: ['tenant'],
      registers,
    });
    this.informerRestarts = new Counter({
      name: 'accord_informer_restarts_total',
      help: 'Informer restarts, by informer and reason (error, watchdog, relist)',
      labelNames: ['informer', 'reason'],
      registers,
    });
    this.queue = this.queueMetrics();
    // controller-runtime starts every series at zero, so rates and alerts work before the first error.
    const controller = { controller: CONTROLLER_NAME };
    for (const result of RESULTS) this.reconcileTotal.inc({ ...controller, result }, 0);
    this.reconcileErrors.inc(controller, 0);
    this.reconcilePanics.inc(controller, 0);
    this.activeWorkers.set(controller, 0);
  }

  /** The work queue whose in-flight keys `workqueue_unfinished_work_seconds` and `…_longest_running_…` report. */
  observeQueue(source: InFlightSource): void {
    this.inFlight = source;
  }

  private queueMetrics(): QueueMetrics {
    const registers = [this.registry];
    const depth = new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: ['name'],
      registers,
    });
    const adds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames: ['name'],
      registers,
    });
    const retries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames: ['name'],
      registers,
    });
    const buckets = [0.001, 0.01, 0.1, 1, 10, 60, 300, 1000];
    const waited = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames: ['name'],
      buckets,
      registers,
    });
    const worked = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes',
      labelNames: ['name'],
      buckets,
      registers,
    });
    const labels = { name: QUEUE_NAME };
    depth.set(labels, 0);
    const inFlight = (): number[] => this.inFlight.inFlightSeconds();
    // The two in-flight gauges live in the registry only: they are computed when scraped.
    new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help: "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.",
      labelNames: ['name'],
      registers,
      collect() {
        this.set(
          labels,
          inFlight().reduce((sum, seconds) => sum + seconds, 0),
        );
      },
    });
    new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running.',
      labelNames: ['name'],
      registers,
      collect() {
        this.set(labels, Math.max(0, ...inFlight()));
      },
    });
    return {
      depth: (value) => depth.set(labels, value),
      added: () => adds.inc(labels),
      retried: () => retries.inc(labels),
      waited: (seconds) => waited.observe(labels, seconds),
      worked: (seconds) => worked.observe(labels, seconds),
    };
  }

  /** A fetch that counts each Graph request of a tenant by status. */
  instrumentFetch(tenant: string, fetchImpl: typeof fetch): typeof fetch {
    return async (input, init) => {
      try {
        const response = await fetchImpl(input, init);
        this.graphRequests.inc({ tenant, status: String(response.status) });
        if (response.status === 429) this.graphThrottled.inc({ tenant });
        return response;
      } catch (err) {
        this.graphRequests.inc({ tenant, status: '0' });
        throw err;
      }
    };
  }
}
