/**
 * Faults correctness bar: randomized applies through the real Graph client against the local tenant with
 * ~10% of Graph requests answered 429, 500, 503, a timeout, a dropped connection, or a write that commits and then
 * loses its answer. Each run draws a random desired state (creates, updates, and deletes with pruning, against
 * whatever the previous run left), applies with faults on — re-planning after a failed apply, at most 5 rounds —
 * then, with faults off, checks: a fresh plan shows zero changes, every desired object exists exactly once, and no
 * pool object that is no longer desired remains.
 *
 * Runs in-process (the pieces `src/cli/workspace.ts` wires), with quick retries so 200 runs fit in about a minute.
 * ACCORD_APPLY_FAULT_RUNS (default 200) sets the number of runs; ACCORD_APPLY_FAULT_SEED replays one sequence;
 * ACCORD_APPLY_FAULT_RATE sets each kind's rate; ACCORD_APPLY_FAULT_FAIL_FAST=1 stops at the first run that
 * duplicates, loses or leaves an object behind (with that run's log).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasErrors } from '../../src/core/diagnostics.ts';
import { hasChanges, type Plan } from '../../src/core/plan.ts';
import { GraphClient } from '../../src/graph/graph-client.ts';
import { localClientCredential } from '../../src/cli/local-credential.ts';
import { registry } from '../../src/kinds/registry.ts';
import { applyPlan } from '../../src/pipeline/apply-plan.ts';
import { computePlan } from '../../src/pipeline/compute-plan.ts';
import { InventoryStore } from '../../src/pipeline/inventory.ts';
import { loadManifests } from '../../src/pipeline/load-manifests.ts';
import { validateManifests } from '../../src/pipeline/validate-manifests.ts';
import type { FaultKind, FaultRule } from '../../src/tenant/faults.ts';
import { mulberry32 } from '../../src/util/random.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';
import { auditPool, drawDesiredState, POOL_COLLECTIONS, writeDesiredState } from './apply-fault-pool.ts';

const RUNS = Number(process.env.ACCORD_APPLY_FAULT_RUNS ?? 200);
const SEED = Number(process.env.ACCORD_APPLY_FAULT_SEED ?? Date.now() % 2 ** 31);
const MAX_ROUNDS = 5;
const MAX_PLAN_ATTEMPTS = 5;
const TIMEOUT_MS = 100;
/** Each kind at this rate: seven kinds make about 10% of requests fail. */
const RATE_PER_KIND = Number(process.env.ACCORD_APPLY_FAULT_RATE ?? 0.015);

const FAULT_KINDS: readonly FaultKind[] = [
  '429',
  '500',
  '503',
  'timeout',
  'drop',
  'drop-after-commit',
  'timeout-after-commit',
];

function faultRules(): FaultRule[] {
  return FAULT_KINDS.map((kind) => ({
    kind,
    rate: RATE_PER_KIND,
    ...(kind === 'timeout' || kind === 'timeout-after-commit' ? { delayMs: TIMEOUT_MS + 100 } : {}),
  }));
}

/** An error message without ids, to count failures by cause. */
function normalize(message: string): string {
  return message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>').slice(0, 140);
}

interface Totals {
  runs: number;
  faults: number;
  faultsByKind: Record<string, number>;
  duplicated: string[];
  lost: string[];
  leftover: string[];
  replans: number;
  applyFailures: Record<string, number>;
  notConverged: string[];
  writes: number;
}

describe('apply under injected faults', { timeout: 600_000 }, () => {
  let tenant: TestTenant;
  let dir: string;
  let client: GraphClient;

  before(async () => {
    tenant = await startTestTenant();
    dir = mkdtempSync(join(tmpdir(), 'accord-apply-faults-'));
    writeFileSync(join(dir, 'accord.yaml'), 'prune: true\n');
    const writer = tenant.summary.apps.find((a) => a.displayName === 'accord-writer')!;
    client = new GraphClient({
      baseUrl: tenant.tenant.graphUrl,
      credential: localClientCredential(tenant.summary.tokenEndpoint, writer.clientId, writer.clientSecret),
      baseDelayMs: 20,
      throttleBaseDelayMs: 20,
      maxDelayMs: 200,
      timeoutMs: TIMEOUT_MS,
      longTimeoutMs: TIMEOUT_MS,
      conditionalAccessPerSecond: 100_000,
      conditionalAccessBurst: 100_000,
    });
  });

  after(async () => {
    await tenant?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function plan(inventory: InventoryStore): Promise<Plan> {
    const loaded = loadManifests(dir);
    const diagnostics = [...loaded.diagnostics, ...validateManifests(loaded.manifests)];
    assert.ok(!hasErrors(diagnostics), `generated manifests are invalid: ${JSON.stringify(diagnostics)}`);
    const computed = await computePlan({
      manifests: loaded.manifests,
      registry,
      port: client,
      tenant: { name: 'local', id: tenant.tenantId },
      inventory: inventory.snapshot(),
      prune: true,
      diagnostics,
    });
    assert.ok(
      !hasErrors(computed.plan.diagnostics),
      `plan has errors: ${JSON.stringify(computed.plan.diagnostics)}`,
    );
    return computed.plan;
  }

  /** Plans up to MAX_PLAN_ATTEMPTS times, telling of each attempt and each failure. */
  async function planWithRetries(
    inventory: InventoryStore,
    onAttempt: () => void,
    onFailure: (failure: Error) => void,
  ): Promise<Plan | undefined> {
    for (let attempt = 0; attempt < MAX_PLAN_ATTEMPTS; attempt++) {
      onAttempt();
      try {
        return await plan(inventory);
      } catch (err) {
        if (err instanceof assert.AssertionError) throw err;
        onFailure(err as Error);
      }
    }
    return undefined;
  }

  async function listPool(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const [kind, path] of Object.entries(POOL_COLLECTIONS)) {
      const reply = await tenant.graph('GET', `${path}?$top=999`);
      assert.equal(reply.status, 200, `listing ${path}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body['@odata.nextLink'], undefined, `${path} has more than one page`);
      out.set(
        kind,
        (reply.body.value as { displayName: string }[]).map((o) => o.displayName),
      );
    }
    return out;
  }

  it(`converges in ${RUNS} randomized applies with 0 duplicated and 0 lost objects (seed ${SEED})`, async () => {
    const totals: Totals = {
      runs: 0,
      faults: 0,
      faultsByKind: {},
      duplicated: [],
      lost: [],
      leftover: [],
      replans: 0,
      applyFailures: {},
      notConverged: [],
      writes: 0,
    };
    const inventoryPath = join(dir, '.accord', 'inventory.json');
    for (let run = 0; run < RUNS; run++) {
      const random = mulberry32(SEED + run * 7919);
      const desired = drawDesiredState(random);
      writeDesiredState(dir, desired);
      const inventory = new InventoryStore(inventoryPath, tenant.tenantId);

      const put = await tenant.control('PUT', '/faults', {
        seed: SEED + run,
        rules: faultRules(),
      });
      assert.equal(put.status, 204);
      let converged = false;
      const log: string[] = [];
      let plans = 0;
      for (let round = 0; round < MAX_ROUNDS && !converged; round++) {
        // A read that fails (a 500 is a clean failure the client does not retry) is read again, as a user would
        // run 'accord plan' again; only an apply that ends early uses up a round.
        const current = await planWithRetries(
          inventory,
          () => {
            if (plans++ > 0) totals.replans++;
          },
          (failure) => {
            const key = `plan: ${normalize(failure.message)}`;
            totals.applyFailures[key] = (totals.applyFailures[key] ?? 0) + 1;
            log.push(`round ${round}: ${key}`);
          },
        );
        if (!current) continue;
        if (!hasChanges(current)) {
          converged = true;
          break;
        }
        const result = await applyPlan({ plan: current, registry, port: client, inventory });
        totals.writes += result.applied.length;
        log.push(
          `round ${round}: planned ${current.changes.filter((c) => c.action !== 'no-op' && c.action !== 'unmanaged').length}, applied ${result.applied.length}${result.failed ? `, failed: ${result.failed.change.action} ${result.failed.change.name}: ${result.failed.error.message}` : ''}`,
        );
        if (!result.failed) {
          converged = true;
          break;
        }
        const key = `${result.failed.change.action} ${result.failed.change.kind}: ${normalize(result.failed.error.message)}`;
        totals.applyFailures[key] = (totals.applyFailures[key] ?? 0) + 1;
      }
      const injected = (await tenant.control('GET', '/faults')).body as {
        injected: Record<string, number>;
      };
      assert.equal((await tenant.control('DELETE', '/faults')).status, 204);
      for (const [kind, count] of Object.entries(injected.injected)) {
        totals.faults += count;
        totals.faultsByKind[kind] = (totals.faultsByKind[kind] ?? 0) + count;
      }
      if (!converged) totals.notConverged.push(`run ${run}`);

      // Faults off: the truth.
      const final = await plan(inventory);
      const remaining = final.changes.filter((c) => ['create', 'update', 'delete'].includes(c.action));
      assert.deepEqual(
        remaining.map((c) => `${c.action} ${c.kind} ${c.name}: ${c.reason}`),
        [],
        `run ${run} (seed ${SEED}): a fresh plan after the apply still has changes\n${log.join('\n')}`,
      );
      const audit = auditPool(desired, await listPool());
      if (process.env.ACCORD_APPLY_FAULT_FAIL_FAST) {
        assert.deepEqual(audit, { duplicated: [], lost: [], leftover: [] }, `run ${run}:\n${log.join('\n')}`);
      }
      totals.duplicated.push(...audit.duplicated.map((d) => `run ${run}: ${d}`));
      totals.lost.push(...audit.lost.map((d) => `run ${run}: ${d}`));
      totals.leftover.push(...audit.leftover.map((d) => `run ${run}: ${d}`));
      totals.runs++;
    }

    console.log(
      `apply-faults: ${totals.runs} runs, ${totals.faults} faults injected, ${totals.duplicated.length} duplicated, ` +
        `${totals.lost.length} lost, ${totals.replans} re-plans`,
    );
    console.log(
      `apply-faults: seed ${SEED}; ${totals.writes} changes applied; faults by kind ${JSON.stringify(totals.faultsByKind)}; ` +
        `${totals.leftover.length} undesired pool objects left; ${totals.notConverged.length} runs needed more than ${MAX_ROUNDS} rounds`,
    );
    for (const [reason, count] of Object.entries(totals.applyFailures).sort((a, b) => b[1] - a[1]))
      console.log(`  failed round ×${count}: ${reason}`);
    assert.ok(totals.faults > 0, 'no fault was injected');
    assert.deepEqual(totals.duplicated, [], 'duplicated objects');
    assert.deepEqual(totals.lost, [], 'lost objects');
    assert.deepEqual(totals.leftover, [], 'undesired pool objects left behind');
  });
});
