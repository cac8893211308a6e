/**
 * Apply pacing (docs/benchmarks.md): N Conditional Access policy creates applied by `applyPlan` through a
 * `GraphClient` with Graph's pacing (1 request/s for Conditional Access, burst 1) against a local tenant with rate
 * limits on (1 request/s per tenant, burst 2, 429s without Retry-After — as Graph). Reports the wall time of the
 * apply, its ratio to N seconds, and the number of 429s the tenant answered (`GET /_accord/throttle`).
 *
 * Environment: ACCORD_BENCH_APPLY_N (default 20).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_VERSION, type Manifest } from '../src/core/manifest.ts';
import { localClientCredential } from '../src/cli/local-credential.ts';
import { GraphClient } from '../src/graph/graph-client.ts';
import { registry } from '../src/kinds/registry.ts';
import { applyPlan } from '../src/pipeline/apply-plan.ts';
import { computePlan } from '../src/pipeline/compute-plan.ts';
import { InventoryStore } from '../src/pipeline/inventory.ts';
import { startTestTenant, type TestTenant } from '../test/helpers/local-tenant.ts';

const N = Number(process.env.ACCORD_BENCH_APPLY_N ?? 20);
const TARGET_RATIO = 1.15;

function policyManifest(i: number): Manifest {
  const name = `bench-apply-${String(i).padStart(3, '0')}`;
  const location = { file: `bench/${name}.yaml`, line: 1, column: 1 };
  return {
    apiVersion: API_VERSION,
    kind: 'ConditionalAccessPolicy',
    metadata: { name },
    spec: {
      displayName: `Bench apply ${String(i).padStart(3, '0')}`,
      state: i % 2 === 0 ? 'disabled' : 'enabledForReportingButNotEnforced',
      conditions: {
        users: { includeUsers: ['None'] },
        applications: { includeApplications: ['None'] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: [i % 3 === 0 ? 'block' : 'mfa'] },
    },
    source: { file: location.file, document: 0, location, locate: () => location },
  };
}

async function throttled(t: TestTenant): Promise<Record<string, number>> {
  const reply = await t.control('GET', '/throttle');
  const body = reply.body as unknown as { enabled?: boolean; throttled?: Record<string, number> };
  if (body.enabled !== true) throw new Error(`the tenant's rate limits are off: ${JSON.stringify(body)}`);
  return body.throttled ?? {};
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

const t = await startTestTenant({ rateLimits: true });
const dir = mkdtempSync(join(tmpdir(), 'accord-bench-apply-'));
try {
  const writer = t.summary.apps.find((a) => a.displayName === 'accord-writer')!;
  // Graph's pacing: the client's defaults (1 request/s for Conditional Access, burst 1).
  const client = new GraphClient({
    baseUrl: t.tenant.graphUrl,
    credential: localClientCredential(t.summary.tokenEndpoint, writer.clientId, writer.clientSecret),
  });
  const manifests = Array.from({ length: N }, (_, i) => policyManifest(i));
  const planStarted = performance.now();
  const { plan } = await computePlan({
    manifests,
    registry,
    port: client,
    tenant: { name: 'bench', id: t.tenantId },
    inventory: new Map(),
    prune: false,
  });
  const planSeconds = (performance.now() - planStarted) / 1000;
  if (plan.summary.create !== N)
    throw new Error(`expected ${N} creates, got ${JSON.stringify(plan.summary)}`);
  const planRequests = client.stats.total;

  const before = await throttled(t);
  const stats0 = { ...client.stats };
  const inventory = new InventoryStore(join(dir, 'inventory.json'), t.tenantId);
  const started = performance.now();
  const result = await applyPlan({
    plan,
    registry,
    port: client,
    inventory,
    onProgress: (p) => {
      if (p.step % 5 === 0 || p.step === p.total)
        console.log(`  ${p.step}/${p.total} at ${((performance.now() - started) / 1000).toFixed(2)} s`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const after = await throttled(t);
  if (result.failed)
    throw new Error(`apply failed at ${result.failed.change.name}: ${result.failed.error.message}`);

  const tenant429s = sum(after) - sum(before);
  const caTenant429s = (after.conditionalAccess ?? 0) - (before.conditionalAccess ?? 0);
  const listed = await t.graph('GET', '/identity/conditionalAccess/policies');
  const present = ((listed.body as unknown as { value?: { displayName?: string }[] }).value ?? []).filter(
    (p) => String(p.displayName).startsWith('Bench apply '),
  ).length;
  const ratio = seconds / N;
  console.log(
    `apply pacing (node ${process.version}, ${N} Conditional Access policy creates, tenant rate limits on)`,
  );
  console.log(
    `  plan: ${planRequests} requests in ${planSeconds.toFixed(2)} s (reads of Conditional Access are paced too)`,
  );
  console.log(
    `  apply: ${result.applied.length} creates in ${seconds.toFixed(2)} s = ${ratio.toFixed(3)} × N seconds ` +
      `(${ratio <= TARGET_RATIO ? 'meets' : 'misses'} the ≤ ${TARGET_RATIO} × N target); ${present} policies in the tenant afterwards`,
  );
  console.log(
    `  429s answered by the tenant during the apply: ${tenant429s} (${caTenant429s} Conditional Access; target 0); ` +
      `client: ${client.stats.total - stats0.total} requests, ${client.stats.throttled - stats0.throttled} throttled, ` +
      `${client.stats.retries - stats0.retries} retries, ${((client.stats.pacedMs - stats0.pacedMs) / 1000).toFixed(2)} s waiting in the pacer`,
  );
} finally {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
}
