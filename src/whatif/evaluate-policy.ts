/**
 * Does one policy apply to the sign-in? The checks run in the order of ca-evaluation §5.3, and the first that
 * fails names the reason (Graph's `analysisReasons`, one value).
 */
import type { ConditionCheck, EvaluationContext } from './evaluation-context.ts';
import { checkIdentity } from './match-identity.ts';
import { checkClientApp, checkDeviceFilter, checkPlatform } from './match-device.ts';
import { checkLocation } from './match-locations.ts';
import { checkResource } from './match-resources.ts';
import {
  checkAuthenticationFlow,
  checkInsiderRisk,
  checkServicePrincipalRisk,
  checkSignInRisk,
  checkUserRisk,
} from './match-risk.ts';
import { findPolicyLevelReason, type PreparedPolicy } from './prepare.ts';
import type { AnalysisReason, WhatIfNote } from './types.ts';

/** §5.3 steps 3–12. */
export const CONDITION_CHECKS: readonly ConditionCheck[] = [
  checkIdentity,
  checkResource,
  checkPlatform,
  checkDeviceFilter,
  checkClientApp,
  checkLocation,
  checkSignInRisk,
  checkUserRisk,
  checkServicePrincipalRisk,
  checkInsiderRisk,
  checkAuthenticationFlow,
];

export interface PolicyVerdict {
  policyApplies: boolean;
  analysisReasons: AnalysisReason;
  notes: WhatIfNote[];
}

/** Reading a ruled-out combination as `invalidPolicy` is inferred (§5.3 step 2): say which rule. */
function levelNotes(policy: PreparedPolicy, reason: AnalysisReason): WhatIfNote[] {
  if (reason !== 'invalidPolicy' || !policy.isInvalidCombination) return [];
  return [{ code: 'invalidCombination', message: `Not evaluated: ${policy.invalid}.` }];
}

export function evaluatePolicy(policy: PreparedPolicy, ctx: EvaluationContext): PolicyVerdict {
  const policyReason = findPolicyLevelReason(policy);
  if (policyReason) {
    return { policyApplies: false, analysisReasons: policyReason, notes: levelNotes(policy, policyReason) };
  }
  const notes: WhatIfNote[] = [];
  for (const check of CONDITION_CHECKS) {
    const reason = check(policy, ctx, notes);
    if (reason) return { policyApplies: false, analysisReasons: reason, notes };
  }
  return { policyApplies: true, analysisReasons: 'notSet', notes };
}
