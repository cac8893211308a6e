/**
 * The informer's recovery, against a loopback HTTP server that answers the watch as told: it fails (500), it stays
 * silent (a watch that stalls without closing), or it streams events. The list comes from the test directly.
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { silentLogger } from '../../log/log-port.ts';
import { ResilientInformer } from './informer.ts';

interface Thing {
  metadata: { namespace: string; name: string; resourceVersion: string };
}

type WatchMode = 'fail' | 'silent';

const thing = (name: string, resourceVersion = '1'): Thing => ({
  metadata: { namespace: 'ns', name, resourceVersion },
});

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ResilientInformer', () => {
  let server: Server;
  let kubeConfig: KubeConfig;
  let mode: WatchMode = 'silent';
  let watches = 0;
  const open: ServerResponse[] = [];

  before(async () => {
    server = createServer((req, res) => {
      if (!(req.url ?? '').includes('watch=true')) {
        res.writeHead(404).end();
        return;
      }
      watches += 1;
      if (mode === 'fail') {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      open.push(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        {
          name: 'loopback',
          server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          // client-node refuses plain http unless told; there is no TLS to verify on loopback here.
          skipTLSVerify: true,
        },
      ],
      users: [{ name: 'anonymous' }],
      contexts: [{ name: 'test', cluster: 'loopback', user: 'anonymous' }],
      currentContext: 'test',
    });
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function informer(
    items: () => Thing[],
    options: { relistMs?: number; watchdogMs?: number } = {},
  ): { informer: ResilientInformer<Thing>; restarts: string[]; upserts: string[]; deletes: string[] } {
    const restarts: string[] = [];
    const upserts: string[] = [];
    const deletes: string[] = [];
    const created = new ResilientInformer<Thing>({
      kubeConfig,
      path: '/apis/example.dev/v1/things',
      name: 'Thing',
      logger: silentLogger,
      list: () => Promise.resolve({ items: items(), metadata: { resourceVersion: '10' } }),
      handlers: {
        onUpsert: (object) => upserts.push(object.metadata.name),
        onDelete: (object) => deletes.push(object.metadata.name),
      },
      onRestart: (reason) => restarts.push(reason),
      ...options,
    });
    return { informer: created, restarts, upserts, deletes };
  }

  it('lists, syncs, and restarts a failed watch after a back-off instead of stopping', async () => {
    mode = 'fail';
    watches = 0;
    const { informer: subject, restarts, upserts } = informer(() => [thing('a'), thing('b')]);
    await subject.start();
    try {
      assert.equal(subject.hasSynced(), true);
      assert.deepEqual(upserts.sort(), ['a', 'b']);
      assert.deepEqual(
        subject.list().map((t) => t.metadata.name),
        ['a', 'b'],
      );
      await until(() => restarts.includes('error'), 'a restart after the failed watch');
      mode = 'silent';
      const before = watches;
      await until(() => watches > before, 'the watch opened again');
    } finally {
      await subject.stop();
    }
  });

  it('start never rejects: a watch that cannot even be set up is retried like any error', async () => {
    const strict = new KubeConfig();
    // Plain http without skipTLSVerify: client-node throws while setting the watch up, every time.
    strict.loadFromOptions({
      clusters: [{ ...kubeConfig.getCurrentCluster()!, skipTLSVerify: false }],
      users: kubeConfig.getUsers(),
      contexts: kubeConfig.getContexts(),
      currentContext: kubeConfig.getCurrentContext(),
    });
    const restarts: string[] = [];
    const subject = new ResilientInformer<Thing>({
      kubeConfig: strict,
      path: '/apis/example.dev/v1/things',
      name: 'Thing',
      logger: silentLogger,
      list: () => Promise.resolve({ items: [], metadata: { resourceVersion: '1' } }),
      handlers: { onUpsert: () => undefined, onDelete: () => undefined },
      onRestart: (reason) => restarts.push(reason),
    });
    await subject.start();
    try {
      await until(() => restarts.includes('error'), 'a restart after the failed set-up');
    } finally {
      await subject.stop();
    }
  });

  it('restarts a watch that stays silent (the watchdog)', async () => {
    mode = 'silent';
    const { informer: subject, restarts } = informer(() => [thing('a')], { watchdogMs: 200 });
    await subject.start();
    try {
      await until(() => restarts.includes('watchdog'), 'a watchdog restart');
      assert.equal(subject.hasSynced(), true);
    } finally {
      await subject.stop();
    }
  });

  it('relists periodically and reports what disappeared meanwhile as deleted', async () => {
    mode = 'silent';
    let items = [thing('a'), thing('b')];
    const { informer: subject, restarts, deletes } = informer(() => items, { relistMs: 200 });
    await subject.start();
    try {
      items = [thing('a')];
      await until(() => deletes.includes('b'), 'b reported deleted');
      assert.ok(restarts.includes('relist'));
      assert.deepEqual(
        subject.list().map((t) => t.metadata.name),
        ['a'],
      );
    } finally {
      await subject.stop();
    }
  });

  it('delivers watch events to the handlers and the cache', async () => {
    mode = 'silent';
    open.length = 0;
    const { informer: subject, upserts, deletes } = informer(() => [thing('a')]);
    await subject.start();
    try {
      await until(() => open.length > 0, 'the watch open');
      const stream = open[open.length - 1]!;
      stream.write(`${JSON.stringify({ type: 'ADDED', object: thing('c', '11') })}\n`);
      await until(() => upserts.includes('c'), 'c added');
      stream.write(`${JSON.stringify({ type: 'DELETED', object: thing('a', '12') })}\n`);
      await until(() => deletes.includes('a'), 'a deleted');
      assert.deepEqual(
        subject.list().map((t) => t.metadata.name),
        ['c'],
      );
      assert.equal(subject.get('ns', 'c')?.metadata.resourceVersion, '11');
    } finally {
      await subject.stop();
    }
  });
});
