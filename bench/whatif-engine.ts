/**
 * The What-If engine under bulk load (issue 4, "Benchmarks"; docs/benchmarks.md). On 195 policies (the synthetic
 * tenant's, plus a guest-MFA change for impact): single evaluation latency of the interpreter and the compiled
 * engine; bulk throughput of both (ratio measured in this run); the impact analysis over 10,000 users × 50
 * applications × 8 contexts per user and with equivalence classes; the days Graph's evaluate API would need for
 * it at 1 request/s; and a 100,000-user directory, with where the time goes.
 *
 * Environment: ACCORD_BENCH_WHATIF_MS (time per throughput measure, default 1500).
 */
import { analyzeImpact } from '../src/impact/analyze-impact.ts';
import type { ImpactContext, ImpactUser } from '../src/impact/impact-types.ts';
import { syntheticDirectory } from '../src/tenant/seed/synthetic.ts';
import { WELL_KNOWN_APPLICATIONS } from '../src/tenant/seed/well-known.ts';
import { stableGuid } from '../src/tenant/seed/guid.ts';
import { mulberry32 } from '../src/util/random.ts';
import { BUILT_IN_STRENGTHS } from '../src/whatif/built-in-strengths.ts';
import { prepareConditions } from '../src/whatif/compiled/compile-conditions.ts';
import { compileEngine } from '../src/whatif/compiled/compiled-engine.ts';
import { subjectOf } from '../src/impact/equivalence-classes.ts';
import { createDirectoryView } from '../src/whatif/directory-view.ts';
import { evaluatePrepared } from '../src/whatif/evaluate.ts';
import { prepareTenant } from '../src/whatif/prepare.ts';
import type { PolicyDocument, SignIn } from '../src/whatif/types.ts';
import { AZURE_MANAGEMENT_APP_ID, defaultApplicationCatalogue } from '../src/whatif/well-known-apps.ts';

const BUDGET_MS = Number(process.env.ACCORD_BENCH_WHATIF_MS ?? 1500);
const TENANT_ID = 'bench-tenant';
const GRAPH_REQUESTS_PER_SECOND = 1;

const seed = syntheticDirectory({ users: 10, groups: 200, policies: 195 });
const groupIds = seed.groups.map((g) => g.id!);
const breakGlassGroup = groupIds[groupIds.length - 1]!;
const rolePool = [
  '62e90394-69f5-4237-9190-012177145e10',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  'fe930be7-5e62-47db-91af-98c3a49a38b1',
];
const BEFORE: PolicyDocument[] = (seed.conditionalAccessPolicies ?? []).map((p, i) => ({
  ...p,
  id: `syn-${i}`,
}));
const GUEST_MFA: PolicyDocument = {
  id: 'guest-mfa-azure',
  displayName: 'Guests MFA on Azure management',
  state: 'enabled',
  conditions: {
    users: {
      includeGuestsOrExternalUsers: {
        guestOrExternalUserTypes: 'b2bCollaborationGuest,internalGuest',
        externalTenants: { membershipKind: 'all' },
      },
    },
    applications: { includeApplications: [AZURE_MANAGEMENT_APP_ID] },
    clientAppTypes: ['all'],
  },
  grantControls: { operator: 'OR', builtInControls: ['mfa'] },
};
/** The desired state: one new policy, and five report-only policies switched on. */
const AFTER: PolicyDocument[] = [
  ...BEFORE.map((p, i) => (i % 3 === 1 && i < 16 ? { ...p, state: 'enabled' } : p)),
  GUEST_MFA,
];
const APPS = [
  ...WELL_KNOWN_APPLICATIONS.map((a) => ({ appId: a.appId, label: a.displayName })),
  { appId: AZURE_MANAGEMENT_APP_ID, label: 'Windows Azure Service Management API' },
];
while (APPS.length < 50)
  APPS.push({ appId: stableGuid(`bench-app-${APPS.length}`), label: `Line-of-business app ${APPS.length}` });
APPS.length = 50;
const CONTEXTS: ImpactContext[] = [];
for (const clientAppType of ['browser', 'mobileAppsAndDesktopClients'])
  for (const devicePlatform of ['windows', 'iOS'])
    for (const [where, ipAddress] of [
      ['trusted', '203.0.113.9'],
      ['untrusted', '198.18.0.1'],
    ] as const)
      CONTEXTS.push({
        label: `${clientAppType} on ${devicePlatform}, ${where}`,
        conditions: { clientAppType, devicePlatform, ipAddress },
      });

function makeUsers(count: number): ImpactUser[] {
  const random = mulberry32(count);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const guest = i % 10 === 9;
    return {
      id: stableGuid(`bench-user-${i}`),
      userPrincipalName: `user${i}@bench.example`,
      userType: guest ? 'Guest' : 'Member',
      transitiveGroupIds: i < 2 ? [breakGlassGroup] : [pick(groupIds), pick(groupIds), pick(groupIds)],
      activeRoleTemplateIds: i % 250 === 3 ? [pick(rolePool)] : [],
      ...(guest
        ? {
            externalUserType: pick(['b2bCollaborationGuest', 'internalGuest', 'otherExternalUser'] as const),
            homeTenantId: 'partner',
          }
        : {}),
    };
  });
}

function tenantOf(policies: PolicyDocument[], users: ImpactUser[]) {
  return prepareTenant({
    tenantId: TENANT_ID,
    policies,
    namedLocations: (seed.namedLocations ?? []).map((l, i) => ({ ...l, id: `loc-${i}` })),
    authenticationStrengths: BUILT_IN_STRENGTHS,
    directory: createDirectoryView(users),
    applications: defaultApplicationCatalogue(),
  });
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

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const users10k = makeUsers(10_000);
const prepared = tenantOf(BEFORE, users10k);
const engine = compileEngine(prepared);
const signIns: SignIn[] = Array.from({ length: 4096 }, (_, i) => ({
  identity: { kind: 'user', userId: users10k[(i * 7919) % users10k.length]!.id },
  context: { kind: 'application', includeApplications: [APPS[i % APPS.length]!.appId] },
  conditions: CONTEXTS[i % CONTEXTS.length]!.conditions,
}));

console.log(
  `policies: ${BEFORE.length} (${BEFORE.filter((p) => p.state === 'enabled').length} enabled), apps ${APPS.length}, contexts ${CONTEXTS.length}`,
);
const interpreterLatency = median(() => evaluatePrepared(prepared, signIns[1]!), 2001) * 1000;
const compiledLatency = median(() => engine.evaluate(signIns[1]!), 2001) * 1000;
console.log(
  `single evaluation, 195 policies (median): interpreter ${interpreterLatency.toFixed(1)} µs, compiled ${compiledLatency.toFixed(1)} µs (all three stages, per-policy results)`,
);

const interpreterRate = rate((i) => evaluatePrepared(prepared, signIns[i & 4095]!));
const compiledFullRate = rate((i) => engine.evaluate(signIns[i & 4095]!));
const appStages = APPS.map((a) => engine.resource({ kind: 'application', includeApplications: [a.appId] }));
const contextStages = CONTEXTS.map((c) => engine.conditions(prepareConditions(c.conditions, false)));
const subjects = users10k.slice(0, 1000).map(subjectOf);
// Bulk as impact runs it: a user's identity stage once, then every app × context combined from cached stages.
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

function timeImpact(users: ImpactUser[], perUser: boolean) {
  const start = performance.now();
  const report = analyzeImpact({
    tenantId: TENANT_ID,
    before: { policies: BEFORE, namedLocations: [] },
    after: { policies: AFTER },
    directory: { users },
    applications: APPS,
    contexts: CONTEXTS,
    breakGlass: { groups: [breakGlassGroup] },
    perUser,
  });
  return { ms: performance.now() - start, report };
}

const evaluations = 10_000 * APPS.length * CONTEXTS.length;
const perUser = timeImpact(users10k, true);
const classes = timeImpact(users10k, false);
console.log(
  `impact 10,000 users × ${APPS.length} apps × ${CONTEXTS.length} contexts = ${fmt(evaluations)} sign-ins × 2 sides: per user ${fmt(perUser.ms)} ms (${fmt((2 * evaluations) / (perUser.ms / 1000))} evaluations/s); with ${classes.report.directory.equivalenceClasses} equivalence classes ${fmt(classes.ms)} ms (${classes.report.evaluations.performed.toLocaleString('en-US')} per side)`,
);
console.log(
  `  same answer both ways: ${JSON.stringify(perUser.report.totals) === JSON.stringify(classes.report.totals)}; ${classes.report.totals.usersAffected} users affected; first: ${classes.report.changes[0]?.summary ?? '—'}`,
);
const days = evaluations / GRAPH_REQUESTS_PER_SECOND / 86_400;
console.log(
  `Graph evaluate API, one sign-in per request at 1 request/s: ${fmt(evaluations)} requests = ${days.toFixed(1)} days per side (${(2 * days).toFixed(1)} days for both)`,
);

const users100k = makeUsers(100_000);
const big = timeImpact(users100k, false);
const groupStart = performance.now();
analyzeImpact({
  tenantId: TENANT_ID,
  before: { policies: BEFORE },
  after: { policies: AFTER },
  directory: { users: users100k },
  applications: [],
  contexts: [],
  breakGlass: { groups: [breakGlassGroup] },
});
const groupingMs = performance.now() - groupStart;
console.log(
  `impact 100,000 users × ${APPS.length} × ${CONTEXTS.length} (${fmt(100_000 * APPS.length * CONTEXTS.length)} sign-ins): ${fmt(big.ms)} ms with ${big.report.directory.equivalenceClasses} classes; of which compiling + grouping users (no apps/contexts) ${fmt(groupingMs)} ms`,
);
