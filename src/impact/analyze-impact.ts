/**
 * Sign-in impact of a plan: the outcomes that change between the tenant's policies and the desired ones, over the
 * directory's users × the applications × representative contexts. Both sides are compiled over one atom table;
 * users fall into equivalence classes (equivalence-classes.ts) and each class is evaluated once per app and
 * context on each side, with the app and context stages computed once. An outcome is "blocked" or the set of
 * requirements still open; the differences are counted per user, per app and per requirement. Pure.
 */
import { signInContexts, targetApps, type Context, type TargetApp } from '../guard/sign-in-matrix.ts';
import { BUILT_IN_STRENGTHS } from '../whatif/built-in-strengths.ts';
import { AtomTable } from '../whatif/compiled/compile-identity.ts';
import { prepareConditions } from '../whatif/compiled/compile-conditions.ts';
import {
  BLOCKED,
  type CompiledEngine,
  compileEngine,
  INTERRUPTED,
  BLOCKED_LEGACY_CLIENT,
  type ConditionsVerdicts,
} from '../whatif/compiled/compiled-engine.ts';
import type { StageVerdicts } from '../whatif/compiled/stage.ts';
import { createDirectoryView } from '../whatif/directory-view.ts';
import { prepareTenant } from '../whatif/prepare.ts';
import { defaultApplicationCatalogue } from '../whatif/well-known-apps.ts';
import { groupUsers, type UserClass } from './equivalence-classes.ts';
import { ImpactTally } from './impact-tally.ts';
import type { ImpactInput, ImpactReport, ImpactState } from './impact-types.ts';
import { RequirementTable } from './requirement-labels.ts';

/** An outcome: -1 blocked by a block control, else the bitmask of open requirements (0 = granted). */
const BLOCKED_OUTCOME = -1;

interface Side {
  engine: CompiledEngine;
  requirementBits: Int32Array;
  apps: StageVerdicts[];
  contexts: ConditionsVerdicts[];
}

function compileSide(
  state: ImpactState,
  input: ImpactInput,
  atoms: AtomTable,
  requirements: RequirementTable,
): Side {
  const prepared = prepareTenant({
    tenantId: input.tenantId,
    policies: state.policies,
    namedLocations: state.namedLocations ?? [],
    authenticationStrengths: state.authenticationStrengths ?? BUILT_IN_STRENGTHS,
    directory: createDirectoryView([], input.directory.servicePrincipals ?? []),
    applications: input.catalogue ?? defaultApplicationCatalogue(),
  });
  const engine = compileEngine(prepared, { atoms });
  return { engine, requirementBits: requirements.bitsFor(engine.policies), apps: [], contexts: [] };
}

function prepareStages(side: Side, apps: readonly TargetApp[], contexts: readonly Context[]): void {
  side.apps = apps.map((a) => side.engine.resource({ kind: 'application', includeApplications: [a.appId] }));
  side.contexts = contexts.map((c) => side.engine.conditions(prepareConditions(c.conditions, false)));
}

function outcome(side: Side, s: StageVerdicts, a: number, c: number): number {
  const decision = side.engine.decide(s, side.apps[a]!, side.contexts[c]!);
  if (decision === BLOCKED) return BLOCKED_OUTCOME;
  // A legacy client facing controls is blocked because it cannot satisfy them: reported as the requirement.
  if (decision === INTERRUPTED || decision === BLOCKED_LEGACY_CLIENT)
    return side.engine.requirementBits(side.requirementBits);
  return 0;
}

function relevantTenants(sides: readonly Side[]): Set<string> {
  const out = new Set<string>();
  const specs = sides.flatMap((side) =>
    side.engine.policies.flatMap((p) => [p.users?.includeGuests, p.users?.excludeGuests]),
  );
  for (const spec of specs) if (spec && spec.tenants !== 'all') for (const t of spec.tenants) out.add(t);
  return out;
}

function lowerAll(values: readonly string[] | undefined): Set<string> {
  return new Set((values ?? []).map((v) => v.toLowerCase()));
}

function evaluateClass(cls: UserClass, index: number, sides: [Side, Side], tally: ImpactTally): void {
  const [before, after] = sides;
  const sb = before.engine.subject(cls.representative);
  const sa = after.engine.subject(cls.representative);
  for (let a = 0; a < before.apps.length; a++) {
    for (let c = 0; c < before.contexts.length; c++) {
      const ob = outcome(before, sb, a, c);
      const oa = outcome(after, sa, a, c);
      if (ob !== oa) tally.record(cls, index, a, c, ob, oa);
    }
  }
}

export function analyzeImpact(input: ImpactInput): ImpactReport {
  const atoms = new AtomTable();
  const requirements = new RequirementTable();
  const sides: [Side, Side] = [
    compileSide(input.before, input, atoms, requirements),
    compileSide(input.after, input, atoms, requirements),
  ];
  const apps = input.applications ?? targetApps([...input.before.policies, ...input.after.policies]);
  const contexts = input.contexts ?? signInContexts(input.after.namedLocations ?? []);
  for (const side of sides) prepareStages(side, apps, contexts);
  const classes = groupUsers(input.directory.users, {
    atoms,
    tenantId: input.tenantId,
    relevantTenants: relevantTenants(sides),
    breakGlassUsers: lowerAll(input.breakGlass?.users),
    breakGlassGroups: lowerAll(input.breakGlass?.groups),
    perUser: input.perUser,
  });
  const tally = new ImpactTally({ apps, contexts, requirements });
  classes.forEach((cls, i) => evaluateClass(cls, i, sides, tally));
  const users = input.directory.users.length;
  return tally.report({
    directory: {
      users,
      equivalenceClasses: classes.length,
      breakGlassAccounts: classes.filter((c) => c.isBreakGlass).reduce((n, c) => n + c.size, 0),
    },
    applications: apps.length,
    contexts: contexts.length,
    evaluations: {
      performed: classes.length * apps.length * contexts.length,
      represented: users * apps.length * contexts.length,
    },
  });
}
