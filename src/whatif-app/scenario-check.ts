/**
 * Whether a What-If report meets a scenario's expectation; each unmet part is one sentence saying what was expected
 * and what happened (the reason a failing test prints). Pure.
 */
import { describeControl, describeOutcome } from '../render/whatif-text.ts';
import type { ReportedPolicy, WhatIfReport } from './run-sign-in.ts';
import type { Expectation } from './scenario-file.ts';

function findPolicy(report: WhatIfReport, ref: string): ReportedPolicy | undefined {
  const key = ref.toLowerCase();
  return report.policies.find((p) => p.name?.toLowerCase() === key || p.displayName.toLowerCase() === key);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map((x) => x.toLowerCase()));
  const right = new Set(b.map((x) => x.toLowerCase()));
  return left.size === right.size && [...left].every((x) => right.has(x));
}

function list(values: readonly string[]): string {
  return values.length > 0 ? values.join(', ') : 'none';
}

function checkPolicies(
  report: WhatIfReport,
  refs: readonly string[] | undefined,
  applies: boolean,
): string[] {
  const failures: string[] = [];
  for (const ref of refs ?? []) {
    const policy = findPolicy(report, ref);
    if (!policy)
      failures.push(`no policy '${ref}' among the evaluated policies (give metadata.name or displayName)`);
    else if (applies && !policy.policyApplies)
      failures.push(
        `expected '${ref}' to apply, but it does not (${policy.reason ?? policy.analysisReasons})`,
      );
    else if (!applies && policy.policyApplies)
      failures.push(`expected '${ref}' not to apply, but it applies`);
  }
  return failures;
}

function requiredControls(report: WhatIfReport): string[] {
  return report.outcome.kind === 'interrupted' ? report.outcome.requires : [];
}

/** The blocking policies by both names, so either may be written. */
function blockingPolicies(report: WhatIfReport): ReportedPolicy[] {
  if (report.decision.kind !== 'blocked') return [];
  const ids = new Set(report.decision.blockingPolicies.map((p) => p.policyId));
  return report.policies.filter((p) => ids.has(p.policyId));
}

function checkBlockedBy(report: WhatIfReport, expected: readonly string[]): string[] {
  const blocking = blockingPolicies(report);
  const matches =
    expected.length === blocking.length &&
    expected.every((ref) =>
      blocking.some((p) => sameSet([ref], [p.name ?? '']) || sameSet([ref], [p.displayName])),
    );
  if (matches) return [];
  return [`expected blocked by ${list(expected)}, but ${describeOutcome(report.outcome)}`];
}

export function checkExpectation(expect: Expectation, report: WhatIfReport): string[] {
  const failures: string[] = [];
  if (expect.outcome && expect.outcome !== report.outcome.kind)
    failures.push(`expected ${expect.outcome}, but ${describeOutcome(report.outcome)}`);
  if (expect.requires && !sameSet(expect.requires, requiredControls(report))) {
    const wanted = list(expect.requires.map(describeControl));
    failures.push(`expected to require ${wanted}, but ${describeOutcome(report.outcome)}`);
  }
  failures.push(
    ...checkPolicies(report, expect.applies, true),
    ...checkPolicies(report, expect.notApplies, false),
  );
  if (expect.blockedBy) failures.push(...checkBlockedBy(report, expect.blockedBy));
  return failures;
}
