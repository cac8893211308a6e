/**
 * Risk and flow conditions (ca-evaluation §2.9, §2.11): sign-in, user, service principal and insider risk, and
 * authentication flows. An empty policy list is "not configured"; missing input is `none`.
 */
import { addNote, type ConditionCheck, type Verdict } from './evaluation-context.ts';
import { splitFlags } from './json-read.ts';
import type { AnalysisReason } from './types.ts';

function checkLevel(levels: ReadonlySet<string>, input: string | undefined, reason: AnalysisReason): Verdict {
  return levels.size === 0 || levels.has((input ?? 'none').toLowerCase()) ? undefined : reason;
}

export const checkSignInRisk: ConditionCheck = (policy, ctx) =>
  checkLevel(policy.signInRisk, ctx.signIn.conditions.signInRiskLevel, 'signInRisk');

export const checkUserRisk: ConditionCheck = (policy, ctx) =>
  checkLevel(policy.userRisk, ctx.signIn.conditions.userRiskLevel, 'userRisk');

/** Service principal risk only concerns service principal sign-ins; Graph has no reason for it (§6 #13). */
export const checkServicePrincipalRisk: ConditionCheck = (policy, ctx, notes) => {
  if (ctx.subject.kind !== 'servicePrincipal') return undefined;
  const verdict = checkLevel(
    policy.servicePrincipalRisk,
    ctx.signIn.conditions.servicePrincipalRiskLevel,
    'workloadIdentities',
  );
  if (verdict) {
    addNote(notes, {
      code: 'servicePrincipalRiskReason',
      message: "Service principal risk not met: reported as 'workloadIdentities'.",
    });
  }
  return verdict;
};

/** `none` never matches a configured insider risk condition. */
export const checkInsiderRisk: ConditionCheck = (policy, ctx) => {
  if (policy.insiderRisk.size === 0) return undefined;
  const level = (ctx.signIn.conditions.insiderRiskLevel ?? 'none').toLowerCase();
  return policy.insiderRisk.has(level) ? undefined : 'insiderRisk';
};

export const checkAuthenticationFlow: ConditionCheck = (policy, ctx) => {
  if (policy.transferMethods.size === 0) return undefined;
  const used = splitFlags(ctx.signIn.conditions.authenticationFlow?.transferMethod);
  for (const method of used) if (policy.transferMethods.has(method.toLowerCase())) return undefined;
  return 'authenticationFlow';
};
