/**
 * The safety checks a plan carries (DESIGN §3 "safety gates"): the semantic lint over the desired state and the
 * lockout guard over the tenant as the plan leaves it. Reads the directory facts once (the only I/O), then runs
 * the pure rules. `plan`, `lint` and `apply` all show the result; errors stop `apply` before any write.
 */
import { hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import type { GraphPort } from '../core/graph-port.ts';
import type { DesiredObject, LiveObject } from '../core/kind.ts';
import { summarize, type Plan } from '../core/plan.ts';
import { createKey } from '../lint/lint-input.ts';
import { lintPolicies } from '../lint/lint-policies.ts';
import { CA_POLICY_KIND } from '../lint/policy-view.ts';
import { readTenantFacts } from '../lint/read-tenant-facts.ts';
import type { TenantFacts } from '../lint/tenant-facts.ts';
import type { CallerRef } from './caller-identity.ts';
import { checkLockout } from './check-lockout.ts';
import { lockoutDiagnostic } from './guard-diagnostics.ts';
import { stateAfterPlan } from './tenant-after-plan.ts';

export interface SafetySettings {
  breakGlass: { users: readonly string[]; groups: readonly string[] };
  /** The identity running accord, when known. */
  caller?: CallerRef;
}

export interface SafetyInput {
  plan: Plan;
  live: ReadonlyMap<string, readonly LiveObject[]>;
  /** The desired objects (empty for a saved plan: then only the guard runs). */
  desired: readonly DesiredObject[];
  port: GraphPort;
  safety: SafetySettings;
  /** Readable names of ids (the resolution's), for messages. */
  names?: ReadonlyMap<string, string>;
}

/** The lockout guard alone, on facts already read. */
export function guardDiagnostics(
  plan: Pick<Plan, 'changes'>,
  live: SafetyInput['live'],
  facts: TenantFacts,
  names?: ReadonlyMap<string, string>,
): Diagnostic[] {
  const findings = checkLockout({
    after: stateAfterPlan(plan, live),
    facts,
    ...(names ? { appNames: names } : {}),
  });
  return findings.map((f) => lockoutDiagnostic(f, facts.breakGlass));
}

/** The semantic lint alone, on facts already read. */
export function lintDiagnostics(
  plan: Pick<Plan, 'changes'>,
  live: SafetyInput['live'],
  desired: readonly DesiredObject[],
  facts: TenantFacts,
  names?: ReadonlyMap<string, string>,
): Diagnostic[] {
  const creates = new Set(
    plan.changes.filter((c) => c.action === 'create').map((c) => createKey(c.kind, c.name)),
  );
  return lintPolicies({
    desired,
    live,
    creates,
    policyCountAfter: stateAfterPlan(plan, live).policies.length,
    facts,
    ...(names ? { names } : {}),
  });
}

export async function runSafetyChecks(input: SafetyInput): Promise<Diagnostic[]> {
  return (await runSafetyChecksWithFacts(input)).diagnostics;
}

/** The checks, and the tenant facts they read (break-glass accounts resolved to ids, the caller, methods). */
export async function runSafetyChecksWithFacts(
  input: SafetyInput,
): Promise<{ diagnostics: Diagnostic[]; facts: TenantFacts }> {
  const facts = await readTenantFacts(input.port, {
    tenantId: input.plan.tenant.id,
    breakGlass: input.safety.breakGlass,
    policies: input.desired.filter((d) => d.kind === CA_POLICY_KIND).map((d) => d.state),
    ...(input.safety.caller ? { caller: input.safety.caller } : {}),
  });
  const diagnostics = [
    ...lintDiagnostics(input.plan, input.live, input.desired, facts, input.names),
    ...guardDiagnostics(input.plan, input.live, facts, input.names),
  ];
  return { diagnostics, facts };
}

/** Adds the safety diagnostics to the plan; with an error among them the plan changes nothing (as compute-plan does). */
export function addToPlan(plan: Plan, diagnostics: readonly Diagnostic[]): void {
  plan.diagnostics.push(...diagnostics);
  if (hasErrors(plan.diagnostics)) {
    plan.changes = [];
    plan.summary = summarize([]);
  }
}
