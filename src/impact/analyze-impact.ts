/**
 * Sign-in impact of a plan: the outcomes that change between the tenant's policies and the desired ones, over the
 * directory's users × the applications × representative contexts. Both sides are compiled over one atom table
 * (impact-side.ts), with the app and context stages computed once. Users fall into equivalence classes keyed by
 * what the decisive policies can test (equivalence-classes.ts), and classes and (app, context) combinations that
 * cannot differ are evaluated once (evaluate-classes.ts). An outcome is "blocked" or the set of requirements still
 * open; the differences are counted per user, per app and per requirement. `perUser` evaluates every user on its
 * own through the engine's `decide`: the reference the classes are checked against. Pure.
 */
import { signInContexts, targetApps } from '../guard/sign-in-matrix.ts';
import { AtomTable } from '../whatif/compiled/compile-identity.ts';
import { groupUsers, type UserClass } from './equivalence-classes.ts';
import { evaluateByClass } from './evaluate-classes.ts';
import {
  compileSide,
  decideOutcome,
  type ImpactSide,
  prepareStages,
  relevantAtoms,
  relevantTenants,
} from './impact-side.ts';
import { ImpactTally } from './impact-tally.ts';
import type { ImpactInput, ImpactReport } from './impact-types.ts';
import { RequirementTable } from './requirement-labels.ts';

function lowerAll(values: readonly string[] | undefined): Set<string> {
  return new Set((values ?? []).map((v) => v.toLowerCase()));
}

/** Every user, every app, every context through `decide`; returns the evaluations performed per side. */
function evaluatePerUser(
  classes: readonly UserClass[],
  sides: readonly [ImpactSide, ImpactSide],
  tally: ImpactTally,
): number {
  const [before, after] = sides;
  classes.forEach((cls, i) => {
    const sb = before.engine.subject(cls.representative);
    const sa = after.engine.subject(cls.representative);
    for (let a = 0; a < before.apps.length; a++) {
      for (let c = 0; c < before.contexts.length; c++) {
        const ob = decideOutcome(before, sb, a, c);
        const oa = decideOutcome(after, sa, a, c);
        if (ob !== oa) tally.record(cls, i, a, c, ob, oa);
      }
    }
  });
  return classes.length * before.apps.length * before.contexts.length;
}

export function analyzeImpact(input: ImpactInput): ImpactReport {
  const atoms = new AtomTable();
  const requirements = new RequirementTable();
  const sides: [ImpactSide, ImpactSide] = [
    compileSide(input.before, input, atoms, requirements),
    compileSide(input.after, input, atoms, requirements),
  ];
  const apps = input.applications ?? targetApps([...input.before.policies, ...input.after.policies]);
  const contexts = input.contexts ?? signInContexts(input.after.namedLocations ?? []);
  for (const side of sides) prepareStages(side, apps, contexts);
  const perUser = input.perUser === true;
  const classes = groupUsers(input.directory.users, {
    atoms,
    tenantId: input.tenantId,
    ...(perUser ? {} : { relevantAtoms: relevantAtoms(sides) }),
    relevantTenants: relevantTenants(sides, perUser),
    breakGlassUsers: lowerAll(input.breakGlass?.users),
    breakGlassGroups: lowerAll(input.breakGlass?.groups),
    perUser,
  });
  const tally = new ImpactTally({ apps, contexts, requirements });
  const performed = perUser ? evaluatePerUser(classes, sides, tally) : evaluateByClass(classes, sides, tally);
  const users = input.directory.users.length;
  const report = tally.report({
    directory: {
      users,
      equivalenceClasses: classes.length,
      breakGlassAccounts: classes.filter((c) => c.isBreakGlass).reduce((n, c) => n + c.size, 0),
    },
    applications: apps.length,
    contexts: contexts.length,
    evaluations: { performed, represented: users * apps.length * contexts.length },
  });
  const unknownHomes = unknownHomeTenantNote(input, relevantTenants(sides));
  if (unknownHomes) report.notes.push(unknownHomes);
  return report;
}

/**
 * Graph does not say which tenant a guest comes from: when a decisive policy is scoped to enumerated external
 * tenants, the external users whose home tenant is unknown are counted as outside every one of them.
 */
function unknownHomeTenantNote(input: ImpactInput, enumerated: ReadonlySet<string>): string | undefined {
  if (enumerated.size === 0) return undefined;
  const unknown = input.directory.users.filter(
    (u) => u.externalUserType !== undefined && u.externalUserType !== 'internalGuest' && !u.homeTenantId,
  ).length;
  if (unknown === 0) return undefined;
  return `${unknown} external user${unknown === 1 ? '' : 's'} with no known home tenant (Graph does not report it) ${unknown === 1 ? 'is' : 'are'} counted as outside the external tenants that policies enumerate.`;
}
