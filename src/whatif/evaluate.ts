/**
 * The What-If engine's entry points: evaluate a sign-in against the tenant's policies (ca-evaluation §5.4) and
 * combine the applying ones into a decision (§4). This is the straightforward interpreter; it stays the reference
 * for a compiled engine, which shares `prepareTenant` and the types.
 */
import { DEFAULT_OPTIONS, type EvaluationContext, resolveSubject } from './evaluation-context.ts';
import { evaluatePolicy, type PolicyVerdict } from './evaluate-policy.ts';
import {
  assessGrant,
  isControlSatisfied,
  isGrantSatisfied,
  isLegacyClient,
  withoutUnprovableDeviceState,
} from './grant-controls.ts';
import { type PreparedPolicy, type PreparedTenant, prepareTenant } from './prepare.ts';
import { registrationStrengthSubstitutions } from './registration-strengths.ts';
import { mergeSessionControls } from './session-controls.ts';
import type {
  Decision,
  GrantRequirement,
  PolicyEvaluation,
  PolicyRef,
  PolicyResult,
  SessionOutcome,
  SessionState,
  SignIn,
  WhatIfNote,
  WhatIfOptions,
  WhatIfResult,
  WhatIfTenant,
} from './types.ts';

interface Assessed {
  policy: PreparedPolicy;
  verdict: PolicyVerdict;
}

const REPORT_ONLY_RESULTS = {
  success: 'reportOnlySuccess',
  failure: 'reportOnlyFailure',
  interrupted: 'reportOnlyInterrupted',
} as const;

function assessPolicies(prepared: PreparedTenant, signIn: SignIn, options: WhatIfOptions): Assessed[] {
  const ctx: EvaluationContext = {
    tenant: prepared,
    signIn,
    subject: resolveSubject(prepared, signIn),
    options: { ...DEFAULT_OPTIONS, ...options },
  };
  return prepared.policies.map((policy) => ({ policy, verdict: evaluatePolicy(policy, ctx) }));
}

function resultOf({ policy, verdict }: Assessed, session: SessionState, legacyClient: boolean): PolicyResult {
  if (policy.state === 'disabled') return 'notEnabled';
  const isReportOnly = policy.state === 'enabledForReportingButNotEnforced';
  if (!verdict.policyApplies) return isReportOnly ? 'reportOnlyNotApplied' : 'notApplied';
  const outcome = assessGrant(policy.grant, session, legacyClient);
  return isReportOnly ? REPORT_ONLY_RESULTS[outcome] : outcome;
}

function toEvaluation(assessed: Assessed, result: PolicyResult): PolicyEvaluation {
  const { policy, verdict } = assessed;
  return {
    policyId: policy.id,
    displayName: policy.displayName,
    state: policy.state,
    policyApplies: verdict.policyApplies,
    analysisReasons: verdict.analysisReasons,
    result,
    notes: verdict.notes,
  };
}

function refOf(policy: PreparedPolicy): PolicyRef {
  return { policyId: policy.id, displayName: policy.displayName };
}

/** What is still required: for AND only the unmet controls, for OR the choice of all of them. */
function requirementOf(policy: PreparedPolicy, session: SessionState): GrantRequirement {
  const grant = policy.grant!;
  const controls =
    grant.operator === 'AND' ? grant.controls.filter((c) => !isControlSatisfied(c, session)) : grant.controls;
  return { ...refOf(policy), operator: grant.operator, controls };
}

/** Block wins; then every enforced grant must be met (§4.1). */
function decide(enforced: readonly PreparedPolicy[], session: SessionState, legacyClient: boolean): Decision {
  const blocking = enforced.filter((p) => p.grant?.blocks);
  if (blocking.length > 0)
    return { kind: 'blocked', cause: 'blockControl', blockingPolicies: blocking.map(refOf) };
  const withControls = enforced.filter((p) => p.grant && p.grant.controls.length > 0);
  if (legacyClient && withControls.length > 0) {
    return { kind: 'blocked', cause: 'legacyClient', blockingPolicies: withControls.map(refOf) };
  }
  const unmet = withControls.filter((p) => !isGrantSatisfied(p.grant!, session, false));
  return unmet.length === 0
    ? { kind: 'granted' }
    : { kind: 'interrupted', requirements: unmet.map((p) => requirementOf(p, session)) };
}

function collectNotes(evaluations: readonly PolicyEvaluation[], extra: readonly WhatIfNote[]): WhatIfNote[] {
  const out: WhatIfNote[] = [];
  for (const note of [...evaluations.flatMap((e) => e.notes), ...extra]) {
    if (!out.some((n) => n.code === note.code)) out.push(note);
  }
  return out;
}

/** The policies as they bind this sign-in: a user-action strength preferred over theirs (§4.1). */
function withPrecedence(assessed: readonly Assessed[], signIn: SignIn): Assessed[] {
  const applying = assessed.filter((a) => a.verdict.policyApplies).map((a) => a.policy);
  const substitutions = registrationStrengthSubstitutions(applying, signIn);
  if (substitutions.size === 0) return [...assessed];
  return assessed.map((a) => {
    const substitution = substitutions.get(a.policy);
    if (!substitution) return a;
    const notes = [...a.verdict.notes, substitution.note];
    return { policy: substitution.policy, verdict: { ...a.verdict, notes } };
  });
}

function combine(original: readonly Assessed[], signIn: SignIn, claimed: SessionState): WhatIfResult {
  const assessed = withPrecedence(original, signIn);
  const legacyClient = isLegacyClient(signIn.conditions.clientAppType);
  const provable = withoutUnprovableDeviceState(claimed, signIn.conditions);
  const session = provable ?? claimed;
  const policies = assessed.map((a) => toEvaluation(a, resultOf(a, session, legacyClient)));
  const enforced = assessed
    .filter((a) => a.verdict.policyApplies && a.policy.state === 'enabled')
    .map((a) => a.policy);
  const decision = decide(enforced, session, legacyClient);
  const extra: WhatIfNote[] = [];
  if (provable) {
    extra.push({
      code: 'deviceCodeFlowDeviceState',
      message:
        'A device code flow cannot present the device state: a compliant or hybrid joined device does not count (§2.11).',
    });
  }
  if (decision.kind === 'blocked' && decision.cause === 'legacyClient') {
    extra.push({
      code: 'legacyClientCannotSatisfy',
      message:
        'A legacy client can neither prompt nor send device state: the required controls block it (§2.8).',
    });
  }
  return {
    policies,
    decision,
    sessionControls: mergeSessionControls(enforced),
    notes: collectNotes(policies, extra),
  };
}

function isPreparedTenant(tenant: WhatIfTenant | PreparedTenant): tenant is PreparedTenant {
  return 'legacyTrustedRanges' in tenant;
}

/** Evaluates a sign-in on an already prepared tenant (bulk callers prepare once). */
export function evaluatePrepared(
  prepared: PreparedTenant,
  signIn: SignIn,
  options: WhatIfOptions = {},
): WhatIfResult {
  return combine(assessPolicies(prepared, signIn, options), signIn, {});
}

/** Per policy applies or the first failing condition, and the decision before the user has done anything. */
export function evaluateSignIn(
  tenant: WhatIfTenant,
  signIn: SignIn,
  options: WhatIfOptions = {},
): WhatIfResult {
  return evaluatePrepared(prepareTenant(tenant), signIn, options);
}

/** Whether what the user did in `session` meets every enforced requirement (granted), and what is still unmet. */
export function evaluateWithSession(
  tenant: WhatIfTenant | PreparedTenant,
  signIn: SignIn,
  session: SessionState,
  options: WhatIfOptions = {},
): SessionOutcome {
  const prepared = isPreparedTenant(tenant) ? tenant : prepareTenant(tenant);
  const result = combine(assessPolicies(prepared, signIn, options), signIn, session);
  const unmet = result.decision.kind === 'interrupted' ? result.decision.requirements : [];
  return { ...result, granted: result.decision.kind === 'granted', unmet };
}
