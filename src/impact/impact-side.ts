/**
 * One side of an impact comparison (the tenant's policies, or the desired ones) compiled for bulk use: the engine,
 * the stage verdicts of every application and context, and — what makes impact over a large directory cheap —
 * per (application, context) combination the decisive policies (enforced, blocking or with controls) that its
 * resource and conditions stages let through. A user's outcome in a combination then depends only on which of
 * those policies cover the user. Pure.
 */
import type { Context, TargetApp } from '../guard/sign-in-matrix.ts';
import { BUILT_IN_STRENGTHS } from '../whatif/built-in-strengths.ts';
import { type AtomTable, atomsNamedBy, enumeratedTenants } from '../whatif/compiled/compile-identity.ts';
import { prepareConditions } from '../whatif/compiled/compile-conditions.ts';
import {
  BLOCKED,
  BLOCKED_LEGACY_CLIENT,
  type CompiledEngine,
  compileEngine,
  type ConditionsVerdicts,
  type DecisionMasks,
  INTERRUPTED,
} from '../whatif/compiled/compiled-engine.ts';
import type { StageVerdicts } from '../whatif/compiled/stage.ts';
import { createDirectoryView } from '../whatif/directory-view.ts';
import { prepareTenant } from '../whatif/prepare.ts';
import { defaultApplicationCatalogue } from '../whatif/well-known-apps.ts';
import type { ImpactInput, ImpactState } from './impact-types.ts';
import type { RequirementTable } from './requirement-labels.ts';

/** An outcome: -1 blocked by a block control, else the bitmask of open requirements (0 = granted). */
export const BLOCKED_OUTCOME = -1;

export interface ImpactSide {
  engine: CompiledEngine;
  words: number;
  /** Per policy position, the bit of its requirement. */
  requirementBits: Int32Array;
  masks: DecisionMasks;
  apps: StageVerdicts[];
  contexts: ConditionsVerdicts[];
  /** Combination k = app × contexts + context: its decisive policies at words [k × words, (k + 1) × words). */
  combinations: Uint32Array;
  /** Positions of the decisive policies that apply in at least one combination to someone. */
  relevant: number[];
}

export function compileSide(
  state: ImpactState,
  input: ImpactInput,
  atoms: AtomTable,
  requirements: RequirementTable,
): ImpactSide {
  const prepared = prepareTenant({
    tenantId: input.tenantId,
    policies: state.policies,
    namedLocations: state.namedLocations ?? [],
    authenticationStrengths: state.authenticationStrengths ?? BUILT_IN_STRENGTHS,
    directory: createDirectoryView([], input.directory.servicePrincipals ?? []),
    applications: input.catalogue ?? defaultApplicationCatalogue(),
  });
  const engine = compileEngine(prepared, { atoms });
  return {
    engine,
    words: engine.words,
    requirementBits: requirements.bitsFor(engine.policies),
    masks: engine.decisionMasks(),
    apps: [],
    contexts: [],
    combinations: new Uint32Array(0),
    relevant: [],
  };
}

/** Computes the app and context stages once, and each combination's decisive policies. */
export function prepareStages(
  side: ImpactSide,
  apps: readonly TargetApp[],
  contexts: readonly Context[],
): void {
  const { engine, words } = side;
  side.apps = apps.map((a) => engine.resource({ kind: 'application', includeApplications: [a.appId] }));
  side.contexts = contexts.map((c) => engine.conditions(prepareConditions(c.conditions, false)));
  side.combinations = new Uint32Array(apps.length * contexts.length * words);
  const reachable = new Uint32Array(words);
  side.apps.forEach((r, a) =>
    side.contexts.forEach((c, ci) => {
      const base = (a * contexts.length + ci) * words;
      for (let w = 0; w < words; w++) {
        const through = r.pass[w]! & c.pass[w]! & side.masks.decisive[w]!;
        side.combinations[base + w] = through;
        reachable[w]! |= through;
      }
    }),
  );
  side.relevant = [];
  for (let p = 0; p < engine.policies.length; p++)
    if ((reachable[p >>> 5]! & (1 << (p & 31))) !== 0) side.relevant.push(p);
}

/** The outcome of one sign-in through the engine's own `decide` (the per-user reference path). */
export function decideOutcome(side: ImpactSide, s: StageVerdicts, a: number, c: number): number {
  const decision = side.engine.decide(s, side.apps[a]!, side.contexts[c]!);
  if (decision === BLOCKED) return BLOCKED_OUTCOME;
  // A legacy client facing controls is blocked because it cannot satisfy them: reported as the requirement.
  if (decision === INTERRUPTED || decision === BLOCKED_LEGACY_CLIENT)
    return side.engine.requirementBits(side.requirementBits);
  return 0;
}

/**
 * The outcome of combination `k` for a user covered by the policies in `pass`: the same as `decideOutcome` (block
 * wins, else the requirements of the enforced policies with controls), read from the precombined stages.
 */
export function combinationOutcome(side: ImpactSide, pass: Uint32Array, k: number): number {
  const base = k * side.words;
  let blocking = 0;
  let bits = 0;
  for (let w = 0; w < side.words; w++) {
    const applies = pass[w]! & side.combinations[base + w]!;
    if (applies === 0) continue;
    blocking |= applies & side.masks.blocks[w]!;
    let word = applies & side.masks.controls[w]!;
    while (word !== 0) {
      const low = word & -word;
      bits |= side.requirementBits[w * 32 + (31 - Math.clz32(low))]!;
      word ^= low;
    }
  }
  return blocking !== 0 ? BLOCKED_OUTCOME : bits;
}

/** The atoms the relevant policies of either side name: only these can tell users apart. */
export function relevantAtoms(sides: readonly ImpactSide[]): Set<number> {
  const out = new Set<number>();
  for (const side of sides)
    for (const p of side.relevant) for (const bit of atomsNamedBy(side.engine.identity, p)) out.add(bit);
  return out;
}

/** The home tenants the relevant policies of either side enumerate. */
export function relevantTenants(sides: readonly ImpactSide[], all = false): Set<string> {
  const out = new Set<string>();
  for (const side of sides) {
    const positions = all ? side.engine.policies.map((_, i) => i) : side.relevant;
    for (const t of enumeratedTenants(side.engine.identity, positions)) out.add(t);
  }
  return out;
}
