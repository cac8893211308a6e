/**
 * Controller at scale (docs/benchmarks.md): 1,000 custom resources across 20 tenants of one local tenant process
 * (40 Conditional Access policies and 10 named locations each), reconciled by one `accord controller` replica
 * against a real API server, with Graph's pacing of 1 Conditional Access request per second per tenant. Measures the
 * time until every resource is Ready, the Graph requests of one resync of every tenant against the theoretical
 * minimum (tenants × collections) and against one read per resource, and the controller's memory.
 *   ACCORD_BENCH_TENANTS, ACCORD_BENCH_RESOURCES (per tenant) change the size.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphClient } from '../src/graph/graph-client.ts';
import { registry } from '../src/kinds/registry.ts';
import { readTenant } from '../src/pipeline/read-tenant.ts';
import { localClientCredential } from '../src/cli/local-credential.ts';
import {
  API,
  cpuSecondsOf,
  createNamespace,
  demoTenant,
  kube,
  memoryOf,
  pool,
  scrape,
  seconds,
  startBenchEnv,
  startReplica,
  tenantResource,
  waitUntil,
  writerOf,
} from './support/controller-env.ts';

const TENANTS = Number(process.env.ACCORD_BENCH_TENANTS ?? 20);
const PER_TENANT = Number(process.env.ACCORD_BENCH_RESOURCES ?? 50);
const LOCATIONS = Math.round(PER_TENANT / 5);

const env = await startBenchEnv(Array.from({ length: TENANTS }, (_, i) => demoTenant(i)));
const logDir = mkdtempSync(join(tmpdir(), 'accord-bench-controller-'));
const summaries = env.local.tenants();
try {
  // Collections: what one read of a tenant costs (the floor for a resync), measured on the first tenant.
  const writer0 = writerOf(summaries[0]!);
  let listRequests = 0;
  const probe = new GraphClient({
    baseUrl: env.local.graphUrl,
    credential: localClientCredential(summaries[0]!.tokenEndpoint, writer0.clientId, writer0.clientSecret),
    conditionalAccessPerSecond: 1000,
    conditionalAccessBurst: 1000,
    fetch: (input, init) => {
      listRequests++;
      return fetch(input, init);
    },
  });
  await readTenant(probe, registry);
  const collections = listRequests;

  const setupStarted = performance.now();
  await pool(summaries, 4, async (summary) => {
    const index = summaries.indexOf(summary);
    const ns = `bench-${index}`;
    await createNamespace(env.server, ns, writerOf(summary));
    await kube(
      env.server,
      'POST',
      `${API}/namespaces/${ns}/tenants`,
      tenantResource(env.local, 'tenant', summary.id),
    );
    const resources = Array.from({ length: PER_TENANT }, (_, i) =>
      i < LOCATIONS
        ? {
            apiVersion: 'accord.dev/v1alpha1',
            kind: 'NamedLocation',
            metadata: { name: `office-${i}` },
            spec: {
              '@odata.type': '#microsoft.graph.ipNamedLocation',
              displayName: `Office ${i}`,
              isTrusted: false,
              ipRanges: [
                { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: `10.${index}.${i}.0/24` },
              ],
            },
            plural: 'namedlocations',
          }
        : {
            apiVersion: 'accord.dev/v1alpha1',
            kind: 'ConditionalAccessPolicy',
            metadata: { name: `policy-${i}` },
            spec: {
              displayName: `Bench policy ${i}`,
              state: 'enabledForReportingButNotEnforced',
              conditions: {
                users: { includeUsers: ['All'], excludeGroups: ['Emergency access accounts'] },
                applications: { includeApplications: ['All'] },
                locations: { includeLocations: ['All'], excludeLocations: [`office-${i % LOCATIONS}`] },
                clientAppTypes: ['all'],
              },
              grantControls: { operator: 'OR', builtInControls: ['mfa'] },
            },
            plural: 'conditionalaccesspolicies',
          },
    );
    await pool(resources, 4, async ({ plural, ...resource }) =>
      kube(env.server, 'POST', `${API}/namespaces/${ns}/${plural}`, resource),
    );
  });
  console.log(
    `set-up: ${TENANTS} tenants × ${PER_TENANT} resources (${LOCATIONS} named locations, ${PER_TENANT - LOCATIONS} policies) in ${seconds(performance.now() - setupStarted)} s`,
  );

  const countReady = async (): Promise<number> => {
    let ready = 0;
    for (let index = 0; index < TENANTS; index++) {
      for (const plural of ['conditionalaccesspolicies', 'namedlocations']) {
        const list = (await kube(env.server, 'GET', `${API}/namespaces/bench-${index}/${plural}`)) as {
          items: { status?: { conditions?: { type: string; status: string }[] } }[];
        };
        ready += list.items.filter((r) =>
          r.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        ).length;
      }
    }
    return ready;
  };

  const started = performance.now();
  const replica = await startReplica(env.server, 'bench-scale', logDir, [
    '--workers',
    String(TENANTS),
    '--log-level',
    'info',
  ]);
  let peakRss = 0;
  const total = TENANTS * PER_TENANT;
  await waitUntil(
    async () => {
      peakRss = Math.max(peakRss, memoryOf(replica.child.pid!).rssMb);
      return (await countReady()) === total;
    },
    `${total} resources Ready`,
    30 * 60_000,
    2_000,
  );
  const readyMs = performance.now() - started;
  const afterCreate = memoryOf(replica.child.pid!);
  const cpuCreate = cpuSecondsOf(replica.child.pid!);

  // One resync of every tenant: ask each Tenant to reconcile now and count Graph requests until all are done.
  const graphBefore = await scrape(replica, 'accord_graph_requests_total');
  const reconcilesBefore = await scrape(replica, 'controller_runtime_reconcile_total', 'controller="tenant"');
  const resyncStarted = performance.now();
  const mark = new Date().toISOString();
  await pool(summaries, 10, async (summary) =>
    kube(
      env.server,
      'PATCH',
      `${API}/namespaces/bench-${summaries.indexOf(summary)}/tenants/tenant`,
      { metadata: { annotations: { 'accord.dev/reconcile-requested-at': mark } } },
      'application/merge-patch+json',
    ),
  );
  await waitUntil(
    async () =>
      (await scrape(replica, 'controller_runtime_reconcile_total', 'controller="tenant"')) >=
      reconcilesBefore + TENANTS,
    'one resync of every tenant',
    10 * 60_000,
    250,
  );
  const resyncMs = performance.now() - resyncStarted;
  const perCycle = (await scrape(replica, 'accord_graph_requests_total')) - graphBefore;
  const steady = memoryOf(replica.child.pid!);
  const cpuResync = cpuSecondsOf(replica.child.pid!) - cpuCreate;
  await replica.stop('SIGTERM');

  const floor = TENANTS * collections;
  const naive = floor + total;
  console.log('');
  console.log(
    `resources Ready:           ${total} in ${seconds(readyMs)} s (${(total / (readyMs / 1000)).toFixed(1)} resources/s; Graph pacing 1 Conditional Access request/s per tenant)`,
  );
  console.log(
    `one resync of all tenants: ${seconds(resyncMs)} s, ${perCycle} Graph requests (${(perCycle / TENANTS).toFixed(1)} per tenant)`,
  );
  console.log(
    `tenants × collections:     ${TENANTS} × ${collections} = ${floor}; measured / floor = ${(perCycle / floor).toFixed(2)}`,
  );
  console.log(
    `one read per resource:     ${naive} requests (${floor} lists + ${total} resources); naive / measured = ${(naive / perCycle).toFixed(1)}×`,
  );
  console.log(
    `controller RSS:            ${afterCreate.rssMb.toFixed(0)} MB after creating everything, ${steady.rssMb.toFixed(0)} MB after the resync, peak ${Math.max(peakRss, steady.peakMb).toFixed(0)} MB`,
  );
  console.log(
    `controller CPU:            ${cpuCreate.toFixed(1)} s to create everything, ${cpuResync.toFixed(2)} s for the resync (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
  );
  console.log(`logs:                      ${logDir}`);
} finally {
  await env.close();
}
