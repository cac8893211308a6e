/**
 * Impact over a 100,000-user directory (docs/benchmarks.md; goal: under one second). The same fixture as
 * bench/whatif-engine.ts, measured in one run two ways: the previous method (a string key per user over every
 * atom any policy names, then every class × application × context through `decide`) and the current one
 * (analyzeImpact: classes keyed by a hash over the atoms decisive policies name, identity signatures, distinct
 * (application, context) combinations). Then the current method's steps one by one, to show what limits it.
 */
import { groupUsers, subjectOf } from '../src/impact/equivalence-classes.ts';
import { analyzeImpact } from '../src/impact/analyze-impact.ts';
import { evaluateByClass } from '../src/impact/evaluate-classes.ts';
import {
  compileSide,
  decideOutcome,
  type ImpactSide,
  prepareStages,
  relevantAtoms,
  relevantTenants,
} from '../src/impact/impact-side.ts';
import { ImpactTally } from '../src/impact/impact-tally.ts';
import type { ImpactInput, ImpactUser } from '../src/impact/impact-types.ts';
import { RequirementTable } from '../src/impact/requirement-labels.ts';
import { AtomTable } from '../src/whatif/compiled/compile-identity.ts';
import {
  AFTER,
  APPS,
  BEFORE,
  BREAK_GLASS_GROUP,
  CONTEXTS,
  fmt,
  makeUsers,
  NAMED_LOCATIONS,
  TENANT_ID,
} from './support/whatif-fixtures.ts';

const USERS = 100_000;

function inputFor(users: ImpactUser[]): ImpactInput {
  return {
    tenantId: TENANT_ID,
    before: { policies: BEFORE, namedLocations: NAMED_LOCATIONS },
    after: { policies: AFTER, namedLocations: NAMED_LOCATIONS },
    directory: { users },
    applications: APPS,
    contexts: CONTEXTS,
    breakGlass: { groups: [BREAK_GLASS_GROUP] },
  };
}

function compileBoth(input: ImpactInput) {
  const atoms = new AtomTable();
  const requirements = new RequirementTable();
  const sides: [ImpactSide, ImpactSide] = [
    compileSide(input.before, input, atoms, requirements),
    compileSide(input.after, input, atoms, requirements),
  ];
  for (const side of sides) prepareStages(side, APPS, CONTEXTS);
  return { atoms, requirements, sides };
}

/** The previous method, for the ratio: returns the users affected and the class count. */
function previousMethod(input: ImpactInput): { affected: number; classes: number } {
  const { atoms, sides } = compileBoth(input);
  const classes = new Map<string, { user: ImpactUser; size: number }>();
  for (const user of input.directory.users) {
    const bits: number[] = [];
    const add = (key: string): void => {
      const bit = atoms.find(key);
      if (bit !== undefined) bits.push(bit);
    };
    add(`u:${user.id.toLowerCase()}`);
    for (const g of user.transitiveGroupIds) add(`g:${g.toLowerCase()}`);
    for (const r of user.activeRoleTemplateIds) add(`r:${r.toLowerCase()}`);
    const breakGlass = user.transitiveGroupIds.some((g) => g.toLowerCase() === BREAK_GLASS_GROUP);
    const key = `${bits.sort((a, b) => a - b).join(',')}|${user.externalUserType ?? 'member'}|${breakGlass}`;
    const found = classes.get(key);
    if (found) found.size++;
    else classes.set(key, { user, size: 1 });
  }
  let affected = 0;
  for (const { user, size } of classes.values()) {
    const subject = subjectOf(user);
    const [sb, sa] = sides.map((s) => s.engine.subject(subject));
    let changed = false;
    for (let a = 0; a < APPS.length; a++)
      for (let c = 0; c < CONTEXTS.length; c++)
        if (decideOutcome(sides[0], sb!, a, c) !== decideOutcome(sides[1], sa!, a, c)) changed = true;
    if (changed) affected += size;
  }
  return { affected, classes: classes.size };
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/** The median of three timings (the machine is shared: one slow run says little). */
function median3<T>(fn: () => T): { ms: number; value: T } {
  return [0, 1, 2].map(() => timed(fn)).sort((a, b) => a.ms - b.ms)[1]!;
}

const users = makeUsers(USERS);
const input = inputFor(users);
const sign = `${fmt(USERS)} users × ${APPS.length} apps × ${CONTEXTS.length} contexts (${fmt(USERS * APPS.length * CONTEXTS.length)} sign-ins per side)`;
// Warm the code paths on a small directory first, so that neither method pays for compiling JavaScript.
analyzeImpact(inputFor(users.slice(0, 2000)));
previousMethod(inputFor(users.slice(0, 2000)));

// The current method three times (median) and step by step, then the previous one (its garbage would weigh on
// whatever ran after it).
const runs = [0, 1, 2].map(() => timed(() => analyzeImpact(input))).sort((a, b) => a.ms - b.ms);
const current = runs[1]!;
const report = current.value;
const compiled = median3(() => compileBoth(input));
const { atoms, requirements, sides } = compiled.value;
const grouped = median3(() =>
  groupUsers(users, {
    atoms,
    tenantId: TENANT_ID,
    relevantAtoms: relevantAtoms(sides),
    relevantTenants: relevantTenants(sides),
    breakGlassUsers: new Set(),
    breakGlassGroups: new Set([BREAK_GLASS_GROUP]),
  }),
);
let tally = new ImpactTally({ apps: APPS, contexts: CONTEXTS, requirements });
const evaluated = median3(() => {
  tally = new ImpactTally({ apps: APPS, contexts: CONTEXTS, requirements });
  return evaluateByClass(grouped.value, sides, tally);
});
const reported = median3(() =>
  tally.report({
    directory: { users: USERS, equivalenceClasses: grouped.value.length, breakGlassAccounts: 2 },
    applications: APPS.length,
    contexts: CONTEXTS.length,
    evaluations: { performed: evaluated.value, represented: USERS * APPS.length * CONTEXTS.length },
  }),
);
const decisive = sides.map((s) => s.relevant.length).join(' / ');
const stepLines = [
  `  steps (median of 3 each): compile both sides + app/context stages ${fmt(compiled.ms)} ms; group ${fmt(USERS)} users into ${fmt(grouped.value.length)} classes ${fmt(grouped.ms)} ms (${((grouped.ms * 1e6) / USERS).toFixed(0)} ns per user); evaluate classes ${fmt(evaluated.ms)} ms; report ${fmt(reported.ms)} ms`,
  `  decisive policies reachable before / after: ${decisive} of ${BEFORE.length} / ${AFTER.length}; atoms that tell users apart: ${relevantAtoms(sides).size} of ${atoms.size}`,
];

const previous = timed(() => previousMethod(input));
console.log(
  `impact ${sign}: previous method ${fmt(previous.ms)} ms (${fmt(previous.value.classes)} classes); now ${fmt(current.ms)} ms (median of 3; ${fmt(runs[0]!.ms)}–${fmt(runs[2]!.ms)}) with ${fmt(report.directory.equivalenceClasses)} classes (${fmt(report.evaluations.performed)} evaluations per side) = ${(previous.ms / current.ms).toFixed(1)}× faster`,
);
console.log(
  `  same users affected: ${previous.value.affected === report.totals.usersAffected} (${fmt(report.totals.usersAffected)}); newly blocked ${fmt(report.totals.usersNewlyBlocked)}; first: ${report.changes[0]?.summary ?? '—'}`,
);
for (const line of stepLines) console.log(line);
