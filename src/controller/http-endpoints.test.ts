import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serveMetrics, serveProbes } from './http-endpoints.ts';
import { ControllerMetrics } from './metrics.ts';

const loopback = { host: '127.0.0.1', port: 0 };

describe('the controller HTTP endpoints', () => {
  it('/healthz while running; /readyz only once synced, with the reason when not', async () => {
    let state = { healthy: true, ready: { ok: false, detail: '2 informer(s) not synced' } };
    const endpoint = await serveProbes(loopback, { healthy: () => state.healthy, ready: () => state.ready });
    const get = async (path: string): Promise<[number, string]> => {
      const response = await fetch(`http://127.0.0.1:${endpoint.port}${path}`);
      return [response.status, await response.text()];
    };
    try {
      assert.deepEqual(await get('/healthz'), [200, 'ok']);
      assert.deepEqual(await get('/readyz'), [503, '2 informer(s) not synced']);
      state = { healthy: true, ready: { ok: true, detail: 'ok' } };
      assert.deepEqual(await get('/readyz'), [200, 'ok']);
      state = { healthy: false, ready: { ok: false, detail: 'shutting down' } };
      assert.deepEqual(await get('/healthz'), [500, 'unhealthy']);
      assert.deepEqual(await get('/readyz'), [503, 'shutting down']);
      assert.equal((await get('/metrics'))[0], 404);
    } finally {
      await endpoint.close();
    }
  });

  it('/metrics in the Prometheus text format', async () => {
    const metrics = new ControllerMetrics();
    const endpoint = await serveMetrics(loopback, metrics.registry);
    try {
      const response = await fetch(`http://127.0.0.1:${endpoint.port}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(await response.text(), /^# TYPE controller_runtime_reconcile_total counter$/m);
      assert.equal((await fetch(`http://127.0.0.1:${endpoint.port}/other`)).status, 404);
    } finally {
      await endpoint.close();
    }
  });
});
