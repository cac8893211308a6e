/**
 * Sharding (docs/benchmarks.md): 2,000 Tenants (each its own tenant in one local tenant process, one Conditional
 * Access policy each, Graph's pacing of 1 request/s per tenant) split into 6 shards (Leases accord-shard-0..5).
 *   1. one replica creates everything, then resyncs every tenant: the single-replica throughput;
 *   2. two more replicas join: the time until the shards are shared 2/2/2, then a resync of every tenant —
 *      throughput against one replica, and every tenant reconciled by exactly one replica (from their logs);
 *   3. one replica is SIGKILLed: the time until its shards are held by the others, and until its tenants are
 *      reconciled again.
 *   ACCORD_BENCH_TENANTS (default 2000), ACCORD_BENCH_WORKERS (per replica, default 32) change the size.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shardOf } from '../src/controller/shard-leases.ts';
import { demoDirectory } from '../src/tenant/seed/demo.ts';
import {
  API,
  createNamespace,
  kube,
  memoryOf,
  pool,
  scrape,
  seconds,
  smallTenant,
  startBenchEnv,
  startReplica,
  tenantResource,
  waitUntil,
  type Replica,
} from './support/controller-env.ts';

const TENANTS = Number(process.env.ACCORD_BENCH_TENANTS ?? 2000);
const WORKERS = Number(process.env.ACCORD_BENCH_WORKERS ?? 32);
const SHARDS = 6;
const NAMESPACES = 20;
const writer = { clientId: '5d3f9c1e-7b2a-4e8d-9c6f-1a2b3c4d5e6f', clientSecret: 'bench-writer-secret' };

const demo = demoDirectory({ flavor: 'workforce' });
const permissions = demo.appRegistrations.find((a) => a.displayName === 'accord-writer')!.permissions;
const seeds = Array.from({ length: TENANTS }, (_, i) => smallTenant(i, writer, permissions));
const setupStarted = performance.now();
const env = await startBenchEnv(seeds);
const logDir = mkdtempSync(join(tmpdir(), 'accord-bench-shards-'));
const replicas: Replica[] = [];
const tenants = env.local.tenants().map((summary, i) => ({
  namespace: `shard-bench-${i % NAMESPACES}`,
  name: `t-${i}`,
  id: summary.id,
}));
const keyOf = (t: { namespace: string; name: string }): string => `${t.namespace}/${t.name}`;

async function reconciles(list: Replica[]): Promise<number> {
  let total = 0;
  for (const replica of list)
    total += await scrape(replica, 'controller_runtime_reconcile_total', 'result="requeue_after"');
  return total;
}

async function readyTenants(): Promise<number> {
  let ready = 0;
  for (let n = 0; n < NAMESPACES; n++) {
    const list = (await kube(env.server, 'GET', `${API}/namespaces/shard-bench-${n}/tenants`)) as {
      items: { status?: { resources?: number; conditions?: { type: string; status: string }[] } }[];
    };
    ready += list.items.filter(
      (t) =>
        t.status?.resources === 1 &&
        t.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
  }
  return ready;
}

async function requestResync(list: typeof tenants): Promise<void> {
  const mark = new Date().toISOString();
  await pool(list, 16, (t) =>
    kube(
      env.server,
      'PATCH',
      `${API}/namespaces/${t.namespace}/tenants/${t.name}`,
      { metadata: { annotations: { 'accord.dev/reconcile-requested-at': mark } } },
      'application/merge-patch+json',
    ),
  );
}

async function holders(): Promise<(string | undefined)[]> {
  return Promise.all(
    Array.from({ length: SHARDS }, async (_, shard) => {
      const res = await env.server.request<{ spec: { holderIdentity?: string | null } }>(
        'GET',
        `/apis/coordination.k8s.io/v1/namespaces/default/leases/accord-shard-${shard}`,
      );
      return res.status === 200 ? (res.body.spec.holderIdentity ?? undefined) : undefined;
    }),
  );
}

function logOffsets(list: Replica[]): Map<string, number> {
  return new Map(list.map((r) => [r.identity, statSync(r.logPath).size]));
}

/** Waits until every tenant of `list` was reconciled (per the replicas' logs) since the offsets. */
async function waitReconciled(
  list: Replica[],
  offsets: Map<string, number>,
  wanted: typeof tenants,
  what: string,
): Promise<Map<string, Set<string>>> {
  let byKey = new Map<string, Set<string>>();
  await waitUntil(
    async () => {
      byKey = reconciledKeys(list, offsets);
      return wanted.every((t) => byKey.has(keyOf(t)));
    },
    what,
    60 * 60_000,
    500,
  );
  return byKey;
}

/** Waits until no replica has work queued and their reconcile counts stand still. */
async function waitIdle(list: Replica[]): Promise<void> {
  let last = -1;
  await waitUntil(
    async () => {
      let depth = 0;
      for (const replica of list) depth += await scrape(replica, 'workqueue_depth');
      const count = await reconciles(list);
      const idle = depth === 0 && count === last;
      last = count;
      return idle;
    },
    'replicas idle',
    10 * 60_000,
    2_000,
  );
}

/** Keys each replica reconciled since the given log offsets. */
function reconciledKeys(list: Replica[], offsets: Map<string, number>): Map<string, Set<string>> {
  const byKey = new Map<string, Set<string>>();
  for (const replica of list) {
    const text = readFileSync(replica.logPath, 'utf8').slice(offsets.get(replica.identity) ?? 0);
    for (const match of text.matchAll(/reconciled key=t:(\S+) result=requeue_after/g)) {
      const set = byKey.get(match[1]!) ?? new Set<string>();
      set.add(replica.identity);
      byKey.set(match[1]!, set);
    }
  }
  return byKey;
}

try {
  for (let n = 0; n < NAMESPACES; n++) await createNamespace(env.server, `shard-bench-${n}`, writer);
  await pool(tenants, 16, async (t) => {
    await kube(
      env.server,
      'POST',
      `${API}/namespaces/${t.namespace}/tenants`,
      tenantResource(env.local, t.name, t.id, { rateLimit: { conditionalAccessPerSecond: 1 } }),
    );
    await kube(env.server, 'POST', `${API}/namespaces/${t.namespace}/conditionalaccesspolicies`, {
      apiVersion: 'accord.dev/v1alpha1',
      kind: 'ConditionalAccessPolicy',
      metadata: { name: `mfa-${t.name}`, labels: { 'accord.dev/tenant': t.name } },
      spec: {
        displayName: 'Require MFA (report-only)',
        state: 'enabledForReportingButNotEnforced',
        conditions: {
          users: { includeUsers: ['All'], excludeGroups: ['Emergency access accounts'] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
        },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      },
    });
  });
  console.log(
    `set-up: ${TENANTS} tenants (local tenant + Tenant + policy each) in ${seconds(performance.now() - setupStarted)} s`,
  );
  const args = ['--shards', String(SHARDS), '--workers', String(WORKERS), '--log-level', 'debug'];

  // 1. One replica.
  let started = performance.now();
  const first = await startReplica(env.server, 'replica-1', logDir, args);
  replicas.push(first);
  await waitUntil(
    async () => (await readyTenants()) === TENANTS,
    'every tenant created by one replica',
    60 * 60_000,
    2_000,
  );
  const initialMs = performance.now() - started;
  await waitIdle([first]);
  let offsets = logOffsets([first]);
  started = performance.now();
  await requestResync(tenants);
  await waitReconciled([first], offsets, tenants, 'one resync by one replica');
  const resyncOneMs = performance.now() - started;
  console.log(
    `one replica: created ${TENANTS} tenants in ${seconds(initialMs)} s; one resync of all in ${seconds(resyncOneMs)} s (${(TENANTS / (resyncOneMs / 1000)).toFixed(1)} tenants/s)`,
  );

  // 2. Three replicas.
  started = performance.now();
  replicas.push(
    await startReplica(env.server, 'replica-2', logDir, args),
    await startReplica(env.server, 'replica-3', logDir, args),
  );
  await waitUntil(
    async () => {
      const held = await holders();
      return replicas.every((r) => held.filter((h) => h === r.identity).length === SHARDS / 3);
    },
    'shards shared 2/2/2',
    5 * 60_000,
    500,
  );
  const balanceMs = performance.now() - started;
  await waitIdle(replicas);
  offsets = logOffsets(replicas);
  started = performance.now();
  await requestResync(tenants);
  await waitReconciled(replicas, offsets, tenants, 'one resync by three replicas');
  const resyncThreeMs = performance.now() - started;
  await waitIdle(replicas);
  const byKey = reconciledKeys(replicas, offsets);
  const missing = tenants.filter((t) => !byKey.has(keyOf(t))).length;
  const twice = [...byKey.values()].filter((set) => set.size > 1).length;
  const perReplica = replicas.map((r) => [...byKey.values()].filter((set) => set.has(r.identity)).length);
  console.log(
    `three replicas: shards shared 2/2/2 ${seconds(balanceMs)} s after two joined; one resync of all in ${seconds(resyncThreeMs)} s (${(TENANTS / (resyncThreeMs / 1000)).toFixed(1)} tenants/s)`,
  );
  console.log(`  throughput against one replica: ${(resyncOneMs / resyncThreeMs).toFixed(2)}×`);
  console.log(
    `  tenants reconciled per replica: ${perReplica.join(' / ')}; by more than one replica: ${twice}; by none: ${missing}`,
  );
  console.log(
    `  RSS: ${replicas.map((r) => `${r.identity} ${memoryOf(r.child.pid!).rssMb.toFixed(0)} MB`).join(', ')}`,
  );

  // 3. Kill one.
  const victim = replicas[2]!;
  const victimShards = (await holders())
    .map((h, shard) => (h === victim.identity ? shard : -1))
    .filter((s) => s >= 0);
  const orphaned = tenants.filter((t) => victimShards.includes(shardOf(keyOf(t), SHARDS)));
  const survivors = replicas.slice(0, 2);
  offsets = logOffsets(survivors);
  const killedAt = performance.now();
  victim.child.kill('SIGKILL');
  await victim.exited;
  await waitUntil(
    async () => {
      const held = await holders();
      return held.every((h) => h !== undefined && h !== victim.identity);
    },
    'the killed replica’s shards taken over',
    5 * 60_000,
    250,
  );
  const takeoverMs = performance.now() - killedAt;
  // The new holders enqueue every tenant of the shards they take: no request needed.
  await waitReconciled(survivors, offsets, orphaned, 'its tenants reconciled again');
  const recoveredMs = performance.now() - killedAt;
  console.log(
    `killed replica-3 (shards ${victimShards.join(', ')}, ${orphaned.length} tenants): leases held by the others after ${seconds(takeoverMs)} s; its tenants reconciled again ${seconds(recoveredMs)} s after the kill`,
  );
  console.log(`logs: ${logDir}`);
} finally {
  for (const replica of replicas) await replica.stop('SIGKILL');
  await env.close();
}
