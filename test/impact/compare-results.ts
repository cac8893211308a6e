/** Asserts that the compiled engine's answer equals the interpreter's (everything but notes and session controls). */
import assert from 'node:assert/strict';
import {
  BLOCKED,
  BLOCKED_LEGACY_CLIENT,
  type CompiledResult,
  GRANTED,
  INTERRUPTED,
} from '../../src/whatif/compiled/compiled-engine.ts';
import type { WhatIfResult } from '../../src/whatif/types.ts';

function decisionOf(result: WhatIfResult): { code: number; policies: string[] } {
  const d = result.decision;
  if (d.kind === 'granted') return { code: GRANTED, policies: [] };
  if (d.kind === 'interrupted') return { code: INTERRUPTED, policies: d.requirements.map((r) => r.policyId) };
  return {
    code: d.cause === 'blockControl' ? BLOCKED : BLOCKED_LEGACY_CLIENT,
    policies: d.blockingPolicies.map((p) => p.policyId),
  };
}

export function compareResults(expected: WhatIfResult, actual: CompiledResult, label: string): void {
  const strip = (r: {
    policyId: string;
    policyApplies: boolean;
    analysisReasons: string;
    result: string;
  }) => ({
    policyId: r.policyId,
    policyApplies: r.policyApplies,
    analysisReasons: r.analysisReasons,
    result: r.result,
  });
  assert.deepEqual(actual.policies.map(strip), expected.policies.map(strip), `${label}: policies`);
  const decision = decisionOf(expected);
  assert.equal(actual.decision, decision.code, `${label}: decision`);
  const ids = actual.decidingPolicies.map((p) => actual.policies[p]!.policyId);
  assert.deepEqual(ids, decision.policies, `${label}: deciding policies`);
}
