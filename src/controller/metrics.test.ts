import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ControllerMetrics } from './metrics.ts';
import { WorkQueue } from './work-queue.ts';

/** The value of one series in the Prometheus text format, or undefined when it is not exposed. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('controller metrics', () => {
  it("exposes controller-runtime's and client-go's metric names, and accord's own", async () => {
    const text = await new ControllerMetrics().registry.metrics();
    const expected = [
      'controller_runtime_reconcile_total counter',
      'controller_runtime_reconcile_errors_total counter',
      'controller_runtime_reconcile_panics_total counter',
      'controller_runtime_reconcile_time_seconds histogram',
      'controller_runtime_active_workers gauge',
      'controller_runtime_max_concurrent_reconciles gauge',
      'workqueue_depth gauge',
      'workqueue_adds_total counter',
      'workqueue_retries_total counter',
      'workqueue_queue_duration_seconds histogram',
      'workqueue_work_duration_seconds histogram',
      'workqueue_unfinished_work_seconds gauge',
      'workqueue_longest_running_processor_seconds gauge',
      'rest_client_requests_total counter',
      'leader_election_master_status gauge',
      'accord_drift_detected_total counter',
      'accord_apply_outcomes_total counter',
      'accord_graph_requests_total counter',
      'accord_graph_throttled_total counter',
      'accord_informer_restarts_total counter',
    ];
    for (const typed of expected) assert.ok(text.includes(`# TYPE ${typed}\n`), `# TYPE ${typed}`);
  });

  it('starts the reconcile series at zero, as controller-runtime does', async () => {
    const text = await new ControllerMetrics().registry.metrics();
    for (const result of ['success', 'error', 'requeue', 'requeue_after'])
      assert.equal(
        valueOf(text, `controller_runtime_reconcile_total{controller="tenant",result="${result}"}`),
        0,
      );
    assert.equal(valueOf(text, 'controller_runtime_reconcile_errors_total{controller="tenant"}'), 0);
    assert.equal(valueOf(text, 'controller_runtime_active_workers{controller="tenant"}'), 0);
  });

  it('reports work in flight: unfinished work and the longest running processor, zero once done', async () => {
    const metrics = new ControllerMetrics();
    const queue = new WorkQueue({ metrics: metrics.queue });
    metrics.observeQueue(queue);
    queue.add('t:ns/a');
    queue.add('t:ns/b');
    const first = await queue.get();
    const second = await queue.get();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const busy = await metrics.registry.metrics();
    const unfinished = valueOf(busy, 'workqueue_unfinished_work_seconds{name="tenant"}')!;
    const longest = valueOf(busy, 'workqueue_longest_running_processor_seconds{name="tenant"}')!;
    assert.ok(longest > 0, `longest running ${longest}`);
    assert.ok(unfinished > longest, `unfinished ${unfinished} sums both keys (longest ${longest})`);
    assert.equal(valueOf(busy, 'workqueue_adds_total{name="tenant"}'), 2);
    queue.done(first!);
    queue.done(second!);
    const idle = await metrics.registry.metrics();
    assert.equal(valueOf(idle, 'workqueue_unfinished_work_seconds{name="tenant"}'), 0);
    assert.equal(valueOf(idle, 'workqueue_longest_running_processor_seconds{name="tenant"}'), 0);
    queue.shutdown();
  });

  it('counts Graph requests per tenant and status, and 429s as throttles', async () => {
    const metrics = new ControllerMetrics();
    const answers = [200, 429, 200];
    const fetchImpl = metrics.instrumentFetch('ns/contoso', (() =>
      Promise.resolve(new Response(null, { status: answers.shift()! }))) as typeof fetch);
    for (let i = 0; i < 3; i++) await fetchImpl('https://graph.invalid/v1.0/x');
    const failing = metrics.instrumentFetch('ns/contoso', (() =>
      Promise.reject(new Error('refused'))) as typeof fetch);
    await assert.rejects(failing('https://graph.invalid/v1.0/x'), /refused/);
    const text = await metrics.registry.metrics();
    assert.equal(valueOf(text, 'accord_graph_requests_total{tenant="ns/contoso",status="200"}'), 2);
    assert.equal(valueOf(text, 'accord_graph_requests_total{tenant="ns/contoso",status="429"}'), 1);
    assert.equal(valueOf(text, 'accord_graph_requests_total{tenant="ns/contoso",status="0"}'), 1);
    assert.equal(valueOf(text, 'accord_graph_throttled_total{tenant="ns/contoso"}'), 1);
  });
});
