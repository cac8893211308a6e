/**
 * The controller as operators run it: `accord controller` child processes with Lease leader election against a real
 * API server and the local tenant. Two replicas: only the leader reconciles (its metrics count reconciles, the
 * other's stay at zero); after the leader is SIGKILLed the other takes the lease once it expires (never earlier, and under 20 s by the Lease's timestamps) and carries on, with
 * every tenant object written exactly once (POSTs counted by the local tenant). Then the API server is restarted
 * under the survivor (same etcd and port): its informers and leases recover and new work is done. Finally SIGTERM:
 * a clean exit that releases the lease.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  caPolicy,
  condition,
  eventually,
  resourcePath,
  spawnController,
  startControllerEnv,
  type ChildController,
  type ControllerEnv,
  type Resource,
} from './controller-harness.ts';

const CAP = 'conditionalaccesspolicies';
const NS = 'ha';
const LEASE = '/apis/coordination.k8s.io/v1/namespaces/default/leases/accord-shard-0';
/** controller-runtime's names, and accord's own. */
const METRIC_NAMES = [
  'controller_runtime_reconcile_total',
  'controller_runtime_reconcile_errors_total',
  'controller_runtime_reconcile_time_seconds',
  'workqueue_depth',
  'workqueue_adds_total',
  'workqueue_retries_total',
  'workqueue_queue_duration_seconds',
  'workqueue_work_duration_seconds',
  'leader_election_master_status',
  'accord_drift_detected_total',
  'accord_apply_outcomes_total',
  'accord_graph_requests_total',
  'accord_graph_throttled_total',
];

interface LeaseSpec {
  holderIdentity?: string;
  acquireTime?: string;
  renewTime?: string;
  leaseDurationSeconds?: number;
  leaseTransitions?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function reconcileCount(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('controller_runtime_reconcile_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

describe(
  'accord controller replicas: leader election, failover, API server restart',
  { timeout: 10 * 60_000 },
  () => {
    let env: ControllerEnv;
    const logDir = mkdtempSync(join(tmpdir(), 'accord-controller-logs-'));
    const replicas: ChildController[] = [];
    const ports = new Map<string, number>();
    const probes = new Map<string, number>();

    const start = async (identity: string): Promise<ChildController> => {
      const port = await freePort();
      const probe = await freePort();
      ports.set(identity, port);
      probes.set(identity, probe);
      const replica = spawnController(env.server.kubeconfigPath, identity, logDir, [
        '--metrics-bind-address',
        `127.0.0.1:${port}`,
        '--health-probe-bind-address',
        `127.0.0.1:${probe}`,
      ]);
      replicas.push(replica);
      return replica;
    };

    const holder = async (): Promise<string | undefined> => {
      const res = await env.kube<{ spec: { holderIdentity?: string } }>('GET', LEASE);
      return res.status === 200 ? (res.body.spec.holderIdentity ?? undefined) : undefined;
    };

    const lease = async (): Promise<LeaseSpec> => {
      const res = await env.kube<{ spec: LeaseSpec }>('GET', LEASE);
      assert.equal(res.status, 200, res.text);
      return res.body.spec;
    };

    const get = async (name: string): Promise<Resource | undefined> => {
      const res = await env.kube('GET', resourcePath(CAP, NS, name));
      return res.status === 200 ? res.body : undefined;
    };

    const waitReady = (name: string, generation = 1): Promise<Resource> =>
      eventually(
        async () => {
          const resource = await get(name);
          return condition(resource, 'Ready')?.status === 'True' &&
            resource?.status?.observedGeneration === generation
            ? resource
            : undefined;
        },
        `${name} Ready`,
        90_000,
      );

    const creates = (): number =>
      env.writes.filter((w) => w.method === 'POST' && /\/identity\/conditionalAccess\/policies$/.test(w.path))
        .length;

    before(async () => {
      env = await startControllerEnv();
      await env.createTenantNamespace(NS);
    });

    after(async () => {
      for (const replica of replicas) await replica.stop('SIGKILL');
      await env?.close();
    });

    it('two replicas: only the leader writes; a SIGKILLed leader is replaced once its lease expires (under 20 s), without duplicate writes', async () => {
      const first = await start('replica-a');
      await eventually(async () => (await holder()) === 'replica-a', 'replica-a holds the lease');
      await start('replica-b');
      // The standby is ready (its informers have listed, it is trying for the lease) before the work starts.
      await eventually(
        async () => (await fetch(`http://127.0.0.1:${probes.get('replica-b')!}/readyz`)).status === 200,
        'replica-b ready',
      );
      for (const n of [1, 2, 3]) {
        const res = await env.kube('POST', resourcePath(CAP, NS), caPolicy(`ha-${n}`, `K8s HA ${n}`));
        assert.equal(res.status, 201, res.text);
      }
      const ids = new Map<string, string>();
      for (const n of [1, 2, 3]) ids.set(`ha-${n}`, (await waitReady(`ha-${n}`)).status!.id!);
      assert.equal(creates(), 3, 'each policy created once');
      assert.ok((await reconcileCount(ports.get('replica-a')!)) > 0, 'the leader reconciles');
      const metrics = await (await fetch(`http://127.0.0.1:${ports.get('replica-a')!}/metrics`)).text();
      for (const name of METRIC_NAMES)
        assert.ok(metrics.includes(`# TYPE ${name} `), `metric ${name} is served`);
      assert.match(metrics, /leader_election_master_status\{name="accord-shard-0"\} 1/);
      assert.equal((await fetch(`http://127.0.0.1:${probes.get('replica-a')!}/healthz`)).status, 200);
      assert.equal(await reconcileCount(ports.get('replica-b')!), 0, 'the standby does not');

      const killedAt = Date.now();
      first.child.kill('SIGKILL');
      await first.exited;
      const before = await lease();
      assert.equal(before.holderIdentity, 'replica-a');
      // A liveness bound, not a speed figure (bench/controller-shards.ts measures takeover).
      await eventually(async () => (await holder()) === 'replica-b', 'replica-b holds the lease', 60_000);
      console.log(`# lease taken over ${Date.now() - killedAt} ms after SIGKILL (lease 15 s, retry 2 s)`);
      const taken = await lease();
      assert.equal(taken.leaseTransitions, (before.leaseTransitions ?? 0) + 1, 'one transition');
      assert.equal(taken.leaseDurationSeconds, 15);
      // The standby waited for the dead leader's lease to expire (it never takes a live lease early).
      const waitedMs = Date.parse(taken.acquireTime!) - Date.parse(before.renewTime!);
      assert.ok(waitedMs >= 15_000, `acquired ${waitedMs} ms after the last renewal`);
      // …and took it within the lease plus a retry period or two: under 20 s by the Lease's own timestamps.
      assert.ok(waitedMs < 20_000, `acquired ${waitedMs} ms after the last renewal`);

      const res = await env.kube('POST', resourcePath(CAP, NS), caPolicy('ha-4', 'K8s HA 4'));
      assert.equal(res.status, 201, res.text);
      await waitReady('ha-4');
      for (const n of [1, 2, 3])
        assert.equal((await get(`ha-${n}`))?.status?.id, ids.get(`ha-${n}`), 'the same tenant objects');
      assert.equal(creates(), 4, 'no policy was created twice');
      assert.ok((await reconcileCount(ports.get('replica-b')!)) > 0, 'the new leader reconciles');
      const policies = await env.graph('GET', '/identity/conditionalAccess/policies');
      const ours = (policies.body.value as { displayName: string }[]).filter((p) =>
        p.displayName.startsWith('K8s HA '),
      );
      assert.equal(ours.length, 4, 'four policies, no duplicates');
    });

    it('the API server restarted mid-run: the controller recovers and keeps reconciling', async () => {
      const survivor = replicas.find((r) => r.identity === 'replica-b')!;
      assert.equal(survivor.child.exitCode, null);
      await env.server.restartApiServer({ downMs: 3_000 });
      // A change made after the restart must reach the tenant: the watch was re-established.
      const patched = await env.kube(
        'PATCH',
        resourcePath(CAP, NS, 'ha-1'),
        { spec: { state: 'disabled' } },
        'application/merge-patch+json',
      );
      assert.equal(patched.status, 200, patched.text);
      await waitReady('ha-1', 2);
      const created = await env.kube('POST', resourcePath(CAP, NS), caPolicy('ha-5', 'K8s HA 5'));
      assert.equal(created.status, 201, created.text);
      await waitReady('ha-5');
      const policies = await env.graph('GET', '/identity/conditionalAccess/policies');
      const one = (policies.body.value as { displayName: string; state: string }[]).find(
        (p) => p.displayName === 'K8s HA 1',
      );
      assert.equal(one?.state, 'disabled');
      assert.equal(creates(), 5);
      assert.equal(await holder(), 'replica-b');
    });

    it('SIGTERM: a clean exit that releases the lease', async () => {
      const survivor = replicas.find((r) => r.identity === 'replica-b')!;
      const code = await survivor.stop('SIGTERM');
      assert.equal(code, 0);
      assert.equal(await holder(), undefined, 'released');
    });
  },
);
