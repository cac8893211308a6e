/**
 * Local tenant benchmarks (docs/benchmarks.md):
 *  (a) start-up: spawn `accord tenant serve --output json` and time until the ready line, with a fresh data
 *      directory (seeding the demo directory) and with an existing one (loading it);
 *  (b) read throughput of `GET /v1.0/identity/conditionalAccess/policies` with 195 policies in the tenant: the
 *      server in a child process, the load generator here with keep-alive sockets.
 *
 * Environment: ACCORD_BENCH_STARTS (default 7), ACCORD_BENCH_SECONDS (default 5), ACCORD_BENCH_CONNECTIONS
 * (default 32).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fetchToken,
  isMissingRoute,
  minimalCaPolicy,
  spawnCliTenant,
  type CliTenant,
} from '../test/reliability/cli-tenant.ts';

const STARTS = Number(process.env.ACCORD_BENCH_STARTS ?? 7);
const SECONDS = Number(process.env.ACCORD_BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.ACCORD_BENCH_CONNECTIONS ?? 32);
const START_TARGET_MS = 500;
const READ_TARGET_RPS = 3000;
const POLICY_COUNT = 195;
const POLICIES_PATH = '/v1.0/identity/conditionalAccess/policies';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function benchStartup(): Promise<void> {
  const fresh: number[] = [];
  const existing: number[] = [];
  const dirs: string[] = [];
  try {
    for (let i = 0; i < STARTS; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'accord-bench-'));
      dirs.push(dir);
      const first = await spawnCliTenant({ dataDir: dir });
      fresh.push(first.startMs);
      await first.kill('SIGTERM');
      const again = await spawnCliTenant({ dataDir: dir });
      existing.push(again.startMs);
      await again.kill('SIGTERM');
    }
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  const line = (label: string, values: number[]): string => {
    const m = median(values);
    const verdict = m < START_TARGET_MS ? 'meets' : 'misses';
    return `start-up, ${label}: median ${m.toFixed(0)} ms over ${values.length} starts (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)}; ${verdict} the < ${START_TARGET_MS} ms target, ${(START_TARGET_MS / m).toFixed(2)}×)`;
  };
  console.log(line('fresh data dir (seeds the demo directory)', fresh));
  console.log(line('existing data dir', existing));
}

function policyBody(i: number): Record<string, unknown> {
  const body = minimalCaPolicy(`bench policy ${String(i).padStart(3, '0')}`);
  // Vary the shape a little so the list looks like a real tenant's, not 195 copies.
  const conditions = body.conditions as Record<string, unknown>;
  conditions.clientAppTypes = i % 3 === 0 ? ['exchangeActiveSync', 'other'] : ['all'];
  if (i % 4 === 1) conditions.platforms = { includePlatforms: ['android', 'iOS'], excludePlatforms: [] };
  if (i % 5 === 2) conditions.signInRiskLevels = ['high', 'medium'];
  body.state = ['disabled', 'enabledForReportingButNotEnforced'][i % 2];
  if (i % 2 === 1) body.grantControls = { operator: 'OR', builtInControls: ['mfa'] };
  return body;
}

async function seedPolicies(server: CliTenant, token: string): Promise<number> {
  const existing = await fetch(`${server.ready.url}${POLICIES_PATH}?$count=true`, {
    headers: { authorization: `Bearer ${token}`, consistencylevel: 'eventual' },
  });
  const listed = (await existing.json()) as { value?: unknown[] };
  let have = listed.value?.length ?? 0;
  for (let start = have; start < POLICY_COUNT; start += 20) {
    const requests = [];
    for (let i = start; i < Math.min(POLICY_COUNT, start + 20); i++) {
      requests.push({
        id: String(i),
        method: 'POST',
        url: '/identity/conditionalAccess/policies',
        headers: { 'content-type': 'application/json' },
        body: policyBody(i),
      });
    }
    const response = await fetch(`${server.ready.url}/v1.0/$batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requests }),
    });
    const reply = (await response.json()) as { responses?: { id: string; status: number; body?: unknown }[] };
    for (const r of reply.responses ?? []) {
      if (r.status === 201) have++;
      else console.log(`  seeding policy ${r.id}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    }
  }
  return have;
}

interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

function get(agent: Agent, url: URL, token: string, gzip: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        agent,
        headers: { authorization: `Bearer ${token}`, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function load(
  url: URL,
  token: string,
  seconds: number,
  record: boolean,
  gzip = false,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const status = await get(agent, url, token, gzip).catch(() => 0);
      const ms = performance.now() - t0;
      requests++;
      if (status !== 200) errors++;
      if (record) latencies.push(ms);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  agent.destroy();
  return { requests, errors, seconds: (performance.now() - started) / 1000, latencies };
}

async function benchPolicyList(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-'));
  const server = await spawnCliTenant({ dataDir: dir });
  try {
    const writer = await fetchToken(server.ready, 'writer');
    const probe = await fetch(`${server.ready.url}${POLICIES_PATH}`, {
      headers: { authorization: `Bearer ${writer}` },
    });
    const probeBody = (await probe.json()) as unknown;
    if (isMissingRoute(probe.status, probeBody)) {
      console.log(`policy list: not measured — ${POLICIES_PATH} is not implemented yet (${probe.status})`);
      await benchPipelineBaseline(server, writer);
      return;
    }
    const count = await seedPolicies(server, writer);
    const reader = await fetchToken(server.ready, 'reader');
    const url = new URL(`${server.ready.url}${POLICIES_PATH}`);
    const check = await fetch(url, { headers: { authorization: `Bearer ${reader}` } });
    const body = (await check.json()) as { value?: unknown[] };
    const bytes = JSON.stringify(body).length;
    await load(url, reader, 1, false);
    const result = await load(url, reader, SECONDS, true);
    report(
      `policy list (${count} policies, ${body.value?.length ?? 0} per page, ${(bytes / 1024).toFixed(0)} KiB, identity encoding)`,
      result,
    );
    // Graph clients (the SDKs, fetch) ask for gzip; Graph and the local tenant compress.
    await load(url, reader, 1, false, true);
    report(
      `policy list (${count} policies, gzip, as Graph clients ask for it)`,
      await load(url, reader, SECONDS, true, true),
    );
  } finally {
    await server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** While no collection route exists: the cost of the request pipeline itself (token check, routing, error body). */
async function benchPipelineBaseline(server: CliTenant, token: string): Promise<void> {
  const url = new URL(`${server.ready.url}${POLICIES_PATH}`);
  await load(url, token, 1, false);
  report(
    'pipeline baseline (auth + routing + 400 body, no handler)',
    await load(url, token, SECONDS, true),
    false,
  );
}

function report(label: string, result: LoadResult, againstTarget = true): void {
  const rps = result.requests / result.seconds;
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const ratio = againstTarget
    ? ` (${(rps / READ_TARGET_RPS).toFixed(2)}× the ${READ_TARGET_RPS.toLocaleString('en')} target)`
    : '';
  console.log(
    `${label}: ${rps.toFixed(0)} req/s${ratio}, p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms` +
      ` — ${result.requests} requests in ${result.seconds.toFixed(1)} s over ${CONNECTIONS} keep-alive connections, ${result.errors} non-200`,
  );
}

console.log(
  `local tenant benchmarks (node ${process.version}, ${STARTS} starts, ${SECONDS} s load, ${CONNECTIONS} connections)`,
);
await benchStartup();
await benchPolicyList();
