/**
 * The What-If engine under load (docs/benchmarks.md). On 195 policies (bench/support/whatif-fixtures.ts): single
 * evaluation latency, cold (the first evaluation after preparing the policy set, in a fresh process, preparation
 * and compilation timed apart) and warm, of the interpreter and of the compiled engine; bulk throughput of both
 * (ratio measured in this run); the impact analysis over 10,000 users × 50 applications × 8 contexts per user and
 * with equivalence classes; and the days Graph's evaluate API would need for it at 1 request/s. The 100,000-user
 * directory is bench/impact-directory.ts.
 *
 * Environment: ACCORD_BENCH_WHATIF_MS (time per throughput measure, default 1500), ACCORD_BENCH_COLD_RUNS (fresh
 * processes per cold measure, default 5).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { analyzeImpact } from '../src/impact/analyze-impact.ts';
import { subjectOf } from '../src/impact/equivalence-classes.ts';
import type { ImpactUser } from '../src/impact/impact-types.ts';
import { prepareConditions } from '../src/whatif/compiled/compile-conditions.ts';
import { compileEngine } from '../src/whatif/compiled/compiled-engine.ts';
import { evaluatePrepared } from '../src/whatif/evaluate.ts';
import { prepareTenant } from '../src/whatif/prepare.ts';
import {
  AFTER,
  APPS,
  BEFORE,
  BREAK_GLASS_GROUP,
  CONTEXTS,
  fmt,
  makeUsers,
  NAMED_LOCATIONS,
  signInsOf,
  TENANT_ID,
  whatIfTenant,
} from './support/whatif-fixtures.ts';

const BUDGET_MS = Number(process.env.ACCORD_BENCH_WHATIF_MS ?? 1500);
const COLD_RUNS = Number(process.env.ACCORD_BENCH_COLD_RUNS ?? 5);
const GRAPH_REQUESTS_PER_SECOND = 1;

interface ColdTimes {
  prepare: number;
  compile: number;
  first: number;
}

/** In a fresh process: prepare the 195 policies, (compile,) evaluate one sign-in; nothing ran before. */
function measureCold(engine: string): void {
  const users = makeUsers(100);
  const signIn = signInsOf(users, 2)[1]!;
  const tenant = whatIfTenant(BEFORE, users);
  const t0 = performance.now();
  const prepared = prepareTenant(tenant);
  const t1 = performance.now();
  const compiled = engine === 'compiled' ? compileEngine(prepared) : undefined;
  const t2 = performance.now();
  if (compiled) compiled.evaluate(signIn);
  else evaluatePrepared(prepared, signIn);
  const t3 = performance.now();
  const times: ColdTimes = { prepare: t1 - t0, compile: t2 - t1, first: t3 - t2 };
  console.log(JSON.stringify(times));
}

function coldMedian(engine: string): ColdTimes {
  const runs: ColdTimes[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const child = spawnSync(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', fileURLToPath(import.meta.url), '--cold', engine],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`cold run failed: ${child.stderr}`);
    runs.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as ColdTimes);
  }
  const mid = (pick: (t: ColdTimes) => number): number =>
    runs.map(pick).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  return { prepare: mid((t) => t.prepare), compile: mid((t) => t.compile), first: mid((t) => t.first) };
}

/** Calls per second of `fn` over about BUDGET_MS, after a warm-up. */
function rate(fn: (i: number) => unknown, perCall = 1): number {
  for (let i = 0; i < 2000; i++) fn(i);
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < BUDGET_MS) {
    for (let k = 0; k < 200; k++) fn(calls++);
  }
  return (calls * perCall) / ((performance.now() - start) / 1000);
}

function median(fn: () => unknown, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

function timeImpact(users: ImpactUser[], perUser: boolean) {
  const start = performance.now();
  const report = analyzeImpact({
    tenantId: TENANT_ID,
    before: { policies: BEFORE, namedLocations: NAMED_LOCATIONS },
    after: { policies: AFTER, namedLocations: NAMED_LOCATIONS },
    directory: { users },
    applications: APPS,
    contexts: CONTEXTS,
    breakGlass: { groups: [BREAK_GLASS_GROUP] },
    perUser,
  });
  return { ms: performance.now() - start, report };
}

function comparable(report: ReturnType<typeof analyzeImpact>): string {
  return JSON.stringify({
    ...report,
    directory: { ...report.directory, equivalenceClasses: 0 },
    evaluations: 0,
  });
}

function runLatency(): void {
  const cold = { interpreter: coldMedian('interpreter'), compiled: coldMedian('compiled') };
  const users = makeUsers(10_000);
  const prepared = prepareTenant(whatIfTenant(BEFORE, users));
  const engine = compileEngine(prepared);
  const signIns = signInsOf(users, 4096);
  const warmInterpreter = median(() => evaluatePrepared(prepared, signIns[1]!), 2001) * 1000;
  const warmCompiled = median(() => engine.evaluate(signIns[1]!), 2001) * 1000;
  const compileMs = median(() => compileEngine(prepared), 51);
  const ms = (n: number): string => n.toFixed(2);
  console.log(
    `single evaluation, 195 policies, cold (median of ${COLD_RUNS} fresh processes): preparing the policies ${ms(cold.interpreter.prepare)} ms; interpreter first evaluation ${ms(cold.interpreter.first)} ms; compiled engine: compiling ${ms(cold.compiled.compile)} ms + first evaluation ${ms(cold.compiled.first)} ms`,
  );
  console.log(
    `single evaluation, 195 policies, warm (median): interpreter ${warmInterpreter.toFixed(1)} µs, compiled ${warmCompiled.toFixed(1)} µs (all three stages, per-policy results); compiling once warm ${ms(compileMs)} ms = ${(compileMs / (warmInterpreter / 1000)).toFixed(0)} interpreter evaluations`,
  );

  const interpreterRate = rate((i) => evaluatePrepared(prepared, signIns[i & 4095]!));
  const compiledFullRate = rate((i) => engine.evaluate(signIns[i & 4095]!));
  const appStages = APPS.map((a) => engine.resource({ kind: 'application', includeApplications: [a.appId] }));
  const contextStages = CONTEXTS.map((c) => engine.conditions(prepareConditions(c.conditions, false)));
  const subjects = users.slice(0, 1000).map(subjectOf);
  // Bulk as a per-user impact runs it: a user's identity stage once, then every app × context from cached stages.
  const bulkRate = rate((i) => {
    const s = engine.subject(subjects[i % subjects.length]!);
    let acc = 0;
    for (const r of appStages) for (const c of contextStages) acc += engine.decide(s, r, c);
    return acc;
  }, APPS.length * CONTEXTS.length);
  const decideOnly = rate((i) =>
    engine.decide(contextStages[i & 7]!, appStages[i % 50]!, contextStages[(i >> 3) & 7]!),
  );
  console.log(
    `throughput (1 core): interpreter ${fmt(interpreterRate)}/s; compiled, full sign-in each ${fmt(compiledFullRate)}/s (${(compiledFullRate / interpreterRate).toFixed(1)}×); compiled bulk (user stage per user, app/context stages cached) ${fmt(bulkRate)}/s (${(bulkRate / interpreterRate).toFixed(0)}×); decide() alone ${fmt(decideOnly)}/s`,
  );

  const evaluations = 10_000 * APPS.length * CONTEXTS.length;
  const perUser = timeImpact(users, true);
  // Grouped runs are short enough for a median of three (the first one also compiles the code it runs).
  const runs = [0, 1, 2].map(() => timeImpact(users, false)).sort((a, b) => a.ms - b.ms);
  const classes = runs[1]!;
  console.log(
    `impact 10,000 users × ${APPS.length} apps × ${CONTEXTS.length} contexts = ${fmt(evaluations)} sign-ins × 2 sides: per user ${fmt(perUser.ms)} ms (${fmt((2 * evaluations) / (perUser.ms / 1000))} evaluations/s); with ${classes.report.directory.equivalenceClasses} equivalence classes ${fmt(classes.ms)} ms (median of 3, ${fmt(runs[0]!.ms)}–${fmt(runs[2]!.ms)}; ${fmt(classes.report.evaluations.performed)} evaluations per side) = ${(perUser.ms / classes.ms).toFixed(0)}× faster`,
  );
  console.log(
    `  same report both ways: ${comparable(perUser.report) === comparable(classes.report)}; ${classes.report.totals.usersAffected} users affected; first: ${classes.report.changes[0]?.summary ?? '—'}`,
  );
  const days = evaluations / GRAPH_REQUESTS_PER_SECOND / 86_400;
  console.log(
    `Graph evaluate API, one sign-in per request at 1 request/s: ${fmt(evaluations)} requests = ${days.toFixed(1)} days per side (${(2 * days).toFixed(1)} days for both)`,
  );
}

const coldAt = process.argv.indexOf('--cold');
if (coldAt >= 0) measureCold(process.argv[coldAt + 1] ?? 'interpreter');
else {
  console.log(
    `policies: ${BEFORE.length} (${BEFORE.filter((p) => p.state === 'enabled').length} enabled), apps ${APPS.length}, contexts ${CONTEXTS.length}`,
  );
  runLatency();
}
