/**
 * The What-If engine compiled for bulk use (DESIGN §5). Policies and the tenant's catalogue are compiled once; a
 * sign-in is then three stage verdicts — identity (per user), resource (per app or action) and conditions (per
 * context) — and combining them into the decision is a handful of word ANDs over policy bitsets, with no
 * allocation (`decide`). Bulk callers compute each stage once per user, app and context and reuse it; `evaluate`
 * does the three stages for one sign-in. The interpreter (`../evaluate.ts`) stays the reference: the results are
 * equal (tests), but this engine gives no notes and no merged session controls — ask the interpreter to explain.
 */
import { DEFAULT_OPTIONS, resolveSubject, type Subject } from '../evaluation-context.ts';
import { assessGrant } from '../grant-controls.ts';
import {
  findPolicyLevelReason,
  type PreparedPolicy,
  type PreparedTenant,
  prepareTenant,
} from '../prepare.ts';
import type {
  PolicyResult,
  PolicyState,
  SignIn,
  SignInContext,
  WhatIfOptions,
  WhatIfTenant,
} from '../types.ts';
import {
  compileConditions,
  conditionsStage,
  type ConditionInput,
  type ConditionsCompiler,
  prepareConditions,
} from './compile-conditions.ts';
import { AtomTable, compileIdentity, identityStage, type IdentityCompiler } from './compile-identity.ts';
import { compileResources, type ResourceCompiler, resourceStage } from './compile-resource.ts';
import {
  forEachBit,
  hasBit,
  reasonCode,
  REASONS as REASON_NAMES,
  setBit,
  wordsFor,
  type StageVerdicts,
} from './stage.ts';

export const GRANTED = 0;
export const BLOCKED = 1;
export const BLOCKED_LEGACY_CLIENT = 2;
export const INTERRUPTED = 3;
export type DecisionCode =
  typeof GRANTED | typeof BLOCKED | typeof BLOCKED_LEGACY_CLIENT | typeof INTERRUPTED;

/** The conditions stage also says whether the client is legacy (it changes grants and the decision). */
export interface ConditionsVerdicts extends StageVerdicts {
  isLegacyClient: boolean;
}

/** One policy's outcome, as the interpreter reports it minus the notes. */
export interface CompiledPolicyResult {
  policyId: string;
  displayName: string;
  state: PolicyState;
  policyApplies: boolean;
  analysisReasons: string;
  result: PolicyResult;
}

export interface CompiledResult {
  policies: CompiledPolicyResult[];
  decision: DecisionCode;
  /** Positions of the policies that block (blocked) or still require controls (interrupted). */
  decidingPolicies: number[];
}

/** Policy bitsets of `decisionMasks`. */
export interface DecisionMasks {
  decisive: Uint32Array;
  blocks: Uint32Array;
  controls: Uint32Array;
}

export interface CompileOptions extends WhatIfOptions {
  /** Share atom bits with another engine (impact compiles tenant and desired state over one table). */
  atoms?: AtomTable;
}

const REPORT_ONLY: Record<'success' | 'failure' | 'interrupted', PolicyResult> = {
  success: 'reportOnlySuccess',
  failure: 'reportOnlyFailure',
  interrupted: 'reportOnlyInterrupted',
};

function policyLevelReason(policy: PreparedPolicy): number {
  return reasonCode(findPolicyLevelReason(policy));
}

function resultIfApplies(policy: PreparedPolicy, legacy: boolean): PolicyResult {
  const outcome = assessGrant(policy.grant, {}, legacy);
  return policy.state === 'enabledForReportingButNotEnforced' ? REPORT_ONLY[outcome] : outcome;
}

function maskOf(policies: readonly PreparedPolicy[], holds: (p: PreparedPolicy) => boolean): Uint32Array {
  const mask = new Uint32Array(wordsFor(policies.length));
  policies.forEach((p, i) => holds(p) && setBit(mask, i));
  return mask;
}

export class CompiledEngine {
  readonly prepared: PreparedTenant;
  readonly policies: readonly PreparedPolicy[];
  readonly words: number;
  readonly #identity: IdentityCompiler;
  readonly #resources: ResourceCompiler;
  readonly #conditions: ConditionsCompiler;
  readonly #levelReasons: Uint8Array;
  /** Evaluable (a policy-level reason excludes a policy), enforced (enabled), blocking, with controls. */
  readonly #evaluable: Uint32Array;
  readonly #enabled: Uint32Array;
  readonly #blocks: Uint32Array;
  readonly #controls: Uint32Array;
  readonly #scratch: Uint32Array;

  constructor(prepared: PreparedTenant, options: CompileOptions = {}) {
    const full = { ...DEFAULT_OPTIONS, ...options };
    this.prepared = prepared;
    this.policies = prepared.policies;
    this.words = wordsFor(this.policies.length);
    this.#identity = compileIdentity(this.policies, prepared.tenantId, options.atoms ?? new AtomTable());
    this.#resources = compileResources(this.policies, prepared, full);
    this.#conditions = compileConditions(this.policies, prepared, full);
    this.#levelReasons = Uint8Array.from(this.policies, policyLevelReason);
    this.#evaluable = maskOf(this.policies, (p) => policyLevelReason(p) === 0);
    this.#enabled = maskOf(this.policies, (p) => p.state === 'enabled');
    this.#blocks = maskOf(this.policies, (p) => p.grant?.blocks === true);
    this.#controls = maskOf(this.policies, (p) => (p.grant?.controls.length ?? 0) > 0);
    this.#scratch = new Uint32Array(this.words);
  }

  /**
   * The policies that can change a decision — evaluable, enforced, and blocking or with controls — and, among
   * them, those that block and those with controls. Bulk callers that combine stages themselves read these.
   */
  decisionMasks(): DecisionMasks {
    const decisive = new Uint32Array(this.words);
    for (let w = 0; w < this.words; w++)
      decisive[w] = this.#evaluable[w]! & this.#enabled[w]! & (this.#blocks[w]! | this.#controls[w]!);
    return { decisive, blocks: this.#blocks.slice(), controls: this.#controls.slice() };
  }

  /** The identity compiler (atoms and per-policy user conditions), for bulk callers that key users by atoms. */
  get identity(): IdentityCompiler {
    return this.#identity;
  }

  subject(subject: Subject): StageVerdicts {
    return identityStage(this.#identity, subject);
  }

  resource(context: SignInContext): StageVerdicts {
    return resourceStage(this.#resources, context);
  }

  conditions(input: ConditionInput): ConditionsVerdicts {
    return { ...conditionsStage(this.#conditions, input), isLegacyClient: input.isLegacyClient };
  }

  /**
   * The hot path: which policies apply (written to `applies`, one bit per policy) and the decision. Block wins;
   * then a legacy client facing any control is blocked; then any enforced control interrupts (§4.1).
   */
  decide(
    s: StageVerdicts,
    r: StageVerdicts,
    c: ConditionsVerdicts,
    applies: Uint32Array = this.#scratch,
  ): DecisionCode {
    let blocking = 0;
    let controlled = 0;
    for (let w = 0; w < this.words; w++) {
      const a = s.pass[w]! & r.pass[w]! & c.pass[w]! & this.#evaluable[w]!;
      applies[w] = a;
      const enforced = a & this.#enabled[w]!;
      blocking |= enforced & this.#blocks[w]!;
      controlled |= enforced & this.#controls[w]!;
    }
    if (blocking !== 0) return BLOCKED;
    if (controlled === 0) return GRANTED;
    return c.isLegacyClient ? BLOCKED_LEGACY_CLIENT : INTERRUPTED;
  }

  /** The enforced policies behind a decision (`applies` as `decide` left it). */
  decidingPolicies(decision: DecisionCode, applies: Uint32Array = this.#scratch): number[] {
    if (decision === GRANTED) return [];
    const wanted = decision === BLOCKED ? this.#blocks : this.#controls;
    const out: number[] = [];
    forEachBit(applies, (p) => hasBit(this.#enabled, p) && hasBit(wanted, p) && out.push(p));
    return out;
  }

  /**
   * The requirements still open after `decide` (interrupted or blocked as a legacy client), as the OR of
   * `bitOfPolicy[p]` over the enforced applying policies with controls. No allocation: bulk impact calls it.
   */
  requirementBits(bitOfPolicy: Int32Array, applies: Uint32Array = this.#scratch): number {
    let bits = 0;
    for (let w = 0; w < this.words; w++) {
      let word = applies[w]! & this.#enabled[w]! & this.#controls[w]!;
      while (word !== 0) {
        const low = word & -word;
        bits |= bitOfPolicy[w * 32 + (31 - Math.clz32(low))]!;
        word ^= low;
      }
    }
    return bits;
  }

  /** One sign-in, all three stages, with per-policy results (what the interpreter gives, minus notes). */
  evaluate(signIn: SignIn): CompiledResult {
    const subject = resolveSubject(this.prepared, signIn);
    const s = this.subject(subject);
    const r = this.resource(signIn.context);
    const c = this.conditions(prepareConditions(signIn.conditions, subject.kind === 'servicePrincipal'));
    const applies = new Uint32Array(this.words);
    const decision = this.decide(s, r, c, applies);
    return {
      policies: this.policies.map((p, i) => this.#policyResult(p, i, [s, r, c], c.isLegacyClient)),
      decision,
      decidingPolicies: this.decidingPolicies(decision, applies),
    };
  }

  /** The first failing step in §5.3 order: policy level, identity, resource, then the conditions. */
  reasonAt(position: number, stages: readonly StageVerdicts[]): number {
    const level = this.#levelReasons[position]!;
    if (level !== 0) return level;
    for (const stage of stages) if (stage.reasons[position] !== 0) return stage.reasons[position]!;
    return 0;
  }

  #policyResult(
    policy: PreparedPolicy,
    i: number,
    stages: readonly StageVerdicts[],
    legacy: boolean,
  ): CompiledPolicyResult {
    const reason = this.reasonAt(i, stages);
    const isReportOnly = policy.state === 'enabledForReportingButNotEnforced';
    const result: PolicyResult =
      policy.state === 'disabled'
        ? 'notEnabled'
        : reason !== 0
          ? isReportOnly
            ? 'reportOnlyNotApplied'
            : 'notApplied'
          : resultIfApplies(policy, legacy);
    return {
      policyId: policy.id,
      displayName: policy.displayName,
      state: policy.state,
      policyApplies: reason === 0,
      analysisReasons: REASON_NAMES[reason]!,
      result,
    };
  }
}

export function compileEngine(
  tenant: WhatIfTenant | PreparedTenant,
  options: CompileOptions = {},
): CompiledEngine {
  const prepared = 'legacyTrustedRanges' in tenant ? tenant : prepareTenant(tenant);
  return new CompiledEngine(prepared, options);
}
