/**
 * Plan CPU time, excluding I/O (docs/benchmarks.md). Reads the maximum-size tenant of bench/plan-requests.ts once
 * through the real pipeline (recording every answer), then replays it from memory and times the pure stages over
 * many iterations: expand (manifests → desired objects, with the prepared lookup) and `buildPlan` (matching, diff,
 * fingerprint) — the headline figure — and, for the whole picture, normalizing the live objects (`readTenant` over
 * replayed answers), name resolution (`resolveReferences`, directory answers served from memory), the whole
 * `computePlan`, and ajv validation of the manifests. Sizes: 10, 195 and 2,000 Conditional Access policies (other
 * kinds fixed at their maximum); 2,000 is above Graph's cap and is built in memory by copying the 195.
 *
 * Environment: ACCORD_BENCH_CPU_MS (time per measure, default 1500), ACCORD_BENCH_CPU_SIZES (default 10,195,2000).
 */
import type { GraphBody } from '../src/core/graph-port.ts';
import type { DesiredObject, LiveObject } from '../src/core/kind.ts';
import { ID_ANNOTATION, pinnedId, type Manifest } from '../src/core/manifest.ts';
import { registry } from '../src/kinds/registry.ts';
import { buildPlan } from '../src/pipeline/build-plan.ts';
import { computePlan } from '../src/pipeline/compute-plan.ts';
import { readTenant } from '../src/pipeline/read-tenant.ts';
import { resolveReferences, type Resolution } from '../src/pipeline/resolve-references.ts';
import { validateManifests } from '../src/pipeline/validate-manifests.ts';
import { stableGuid } from '../src/tenant/seed/guid.ts';
import { startMaxTenant } from './support/max-tenant.ts';
import { RecordingPort, ReplayPort, type Recording } from './support/replay-port.ts';

const BUDGET_MS = Number(process.env.ACCORD_BENCH_CPU_MS ?? 1500);
const SIZES = (process.env.ACCORD_BENCH_CPU_SIZES ?? '10,195,2000').split(',').map(Number);
const TARGET_MS = 50;
const POLICIES_PATH = '/identity/conditionalAccess/policies';
const KIND = 'ConditionalAccessPolicy';
const TENANT = { name: 'bench', id: 'bench' };

interface Timing {
  min: number;
  wall: number;
  cpu: number;
  runs: number;
}

interface Sample {
  wall: number;
  cpu: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Runs `fn` for about BUDGET_MS (at least 5 times) after a short warm-up; wall and CPU ms per call. */
async function measure(fn: () => unknown): Promise<Timing> {
  const warmUntil = performance.now() + Math.min(300, BUDGET_MS / 5);
  for (let i = 0; i < 2 || performance.now() < warmUntil; i++) await fn();
  const samples: Sample[] = [];
  const until = performance.now() + BUDGET_MS;
  while (samples.length < 5 || performance.now() < until) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    samples.push({ wall, cpu: (cpu.user + cpu.system) / 1000 });
  }
  return {
    min: Math.min(...samples.map((s) => s.wall)),
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    runs: samples.length,
  };
}

/** Copy `r` of a policy: a new id and display name (so nothing collides), the same names inside. */
function copyId(id: string, r: number): string {
  return r === 0 ? id : stableGuid(`bench:copy:${r}:${id}`);
}

function copyName(name: string, r: number): string {
  return r === 0 ? name : `${name} (copy ${r})`;
}

interface Scenario {
  policies: number;
  manifests: Manifest[];
  port: ReplayPort;
}

function scenario(recording: Recording, manifests: readonly Manifest[], n: number): Scenario {
  const baseManifests = manifests.filter((m) => m.kind === KIND);
  const others = manifests.filter((m) => m.kind !== KIND);
  const baseLive = recording.lists.get(POLICIES_PATH) ?? [];
  const liveById = new Map(baseLive.map((b) => [String(b.id).toLowerCase(), b]));
  const policyManifests: Manifest[] = [];
  const policyBodies: GraphBody[] = [];
  for (let k = 0; k < n; k++) {
    const base = baseManifests[k % baseManifests.length]!;
    const r = Math.floor(k / baseManifests.length);
    const id = pinnedId(base)!;
    const body = liveById.get(id.toLowerCase());
    if (!body) throw new Error(`no live policy ${id}`);
    const newId = copyId(id, r);
    policyManifests.push({
      ...base,
      metadata: {
        name: `${base.metadata.name}${r === 0 ? '' : `-copy-${r}`}`,
        annotations: { [ID_ANNOTATION]: newId },
      },
      spec: { ...base.spec, displayName: copyName(String(base.spec.displayName), r) },
    });
    policyBodies.push({ ...body, id: newId, displayName: copyName(String(body.displayName), r) });
  }
  return {
    policies: n,
    manifests: [...others, ...policyManifests],
    port: new ReplayPort(recording, new Map([[POLICIES_PATH, policyBodies]])),
  };
}

function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

const tenant = await startMaxTenant();
let recording: Recording;
let manifests: Manifest[];
try {
  const recorder = new RecordingPort(
    tenant.client('reader', { conditionalAccessPerSecond: 1000, conditionalAccessBurst: 1000 }),
  );
  const real = await computePlan({
    manifests: tenant.manifests,
    registry,
    port: recorder,
    tenant: TENANT,
    inventory: new Map(),
    prune: false,
  });
  if (real.plan.summary.noOp !== real.plan.changes.length || real.plan.diagnostics.length > 0)
    throw new Error(`the recorded plan is not all no-op: ${JSON.stringify(real.plan.summary)}`);
  recording = recorder.recording;
  manifests = tenant.manifests;
} finally {
  await tenant.close();
}

console.log(
  `plan CPU time, I/O excluded (node ${process.version}; median per plan over ~${BUDGET_MS} ms of iterations per measure; the targets are judged on median CPU time)`,
);
const rows: { n: number; pure: number; whole: number }[] = [];
for (const n of SIZES) {
  const s = scenario(recording, manifests, n);
  const live = await readTenant(s.port, registry);
  const resolution: Resolution = await resolveReferences({
    manifests: s.manifests,
    registry,
    port: s.port,
    live,
  });
  if (resolution.diagnostics.length > 0)
    throw new Error(`resolution failed: ${resolution.diagnostics[0]!.summary}`);
  const expand = (): DesiredObject[] =>
    s.manifests.flatMap((m) => registry.get(m.kind)?.expand(m, resolution.lookup) ?? []);
  const desired = expand();
  const build = (d: readonly DesiredObject[], l: ReadonlyMap<string, readonly LiveObject[]>) =>
    buildPlan({
      tenant: TENANT,
      registry,
      desired: d,
      live: l,
      inventory: new Map(),
      prune: false,
      names: resolution.names,
    });
  const check = build(desired, live);
  const liveCount = [...live.values()].reduce((a, b) => a + b.length, 0);
  if (check.summary.noOp !== check.changes.length)
    throw new Error(`${n} policies: the plan is not all no-op: ${JSON.stringify(check.summary)}`);

  const expandT = await measure(expand);
  const buildT = await measure(() => build(desired, live));
  const pureT = await measure(() => build(expand(), live));
  const readT = await measure(() => readTenant(s.port, registry));
  const resolveT = await measure(() =>
    resolveReferences({ manifests: s.manifests, registry, port: s.port, live }),
  );
  const wholeT = await measure(() =>
    computePlan({
      manifests: s.manifests,
      registry,
      port: s.port,
      tenant: TENANT,
      inventory: new Map(),
      prune: false,
    }),
  );
  const validateT = await measure(() => validateManifests(s.manifests));

  console.log(
    `${String(n).padStart(5)} policies (${s.manifests.length} manifests → ${desired.length} desired, ${liveCount} live objects; plan ${check.changes.length} no-op)`,
  );
  const line = (label: string, t: Timing): void =>
    console.log(
      `    ${label.padEnd(44)} ${fmt(t.wall).padStart(7)} ms wall ${fmt(t.cpu).padStart(7)} ms CPU, min ${fmt(t.min)} ms wall (${t.runs} runs)`,
    );
  line('expand (prepared lookup)', expandT);
  line('buildPlan (match, diff, fingerprint)', buildT);
  line('pure plan = expand + buildPlan', pureT);
  line('normalize live (readTenant, replayed)', readT);
  line('resolve names (directory served from memory)', resolveT);
  line('whole computePlan (replayed, no I/O)', wholeT);
  line('validate manifests (ajv; before the plan)', validateT);
  rows.push({ n, pure: pureT.cpu, whole: wholeT.cpu });
}

const at = rows.find((r) => r.n === 195);
if (at) {
  console.log(
    `195 policies, median CPU time: pure plan ${fmt(at.pure)} ms (${at.pure < TARGET_MS ? 'meets' : 'misses'} the < ${TARGET_MS} ms target, ${(TARGET_MS / at.pure).toFixed(1)}× headroom); ` +
      `whole computePlan without I/O ${fmt(at.whole)} ms (${at.whole < TARGET_MS ? 'meets' : 'misses'} it, ${(TARGET_MS / at.whole).toFixed(1)}×)`,
  );
}
for (let i = 1; i < rows.length; i++) {
  const a = rows[i - 1]!;
  const b = rows[i]!;
  const per100 = (x: number, y: number): string => fmt(((y - x) / (b.n - a.n)) * 100);
  console.log(
    `growth ${a.n} → ${b.n} policies (CPU): pure plan +${per100(a.pure, b.pure)} ms per 100 policies, whole computePlan +${per100(a.whole, b.whole)} ms per 100 policies` +
      ` (×${(b.pure / a.pure).toFixed(1)} and ×${(b.whole / a.whole).toFixed(1)} for ×${(b.n / a.n).toFixed(1)} policies)`,
  );
}
