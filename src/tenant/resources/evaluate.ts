/**
 * What If (graph-contract §9): `POST /identity/conditionalAccess/evaluate` answered by the What-If engine over the
 * tenant's own state. Each result is the policy as GET returns it plus `policyApplies` and `analysisReasons`;
 * disabled policies appear (as `policyNotEnabled`) only when `appliedPoliciesOnly` is false. The engine's notes
 * on ambiguous rules travel as the instance annotation `@accord.notes`, which Graph clients ignore.
 */
import { COLLECTIONS } from '../collections.ts';
import { notFound } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { PERMISSIONS } from '../permissions.ts';
import { presentPolicy } from '../policies/ca-policy-store.ts';
import { parseEvaluateRequest } from '../whatif/evaluate-request.ts';
import { buildWhatIfTenant } from '../whatif/tenant-view.ts';
import { evaluateSignIn } from '../../whatif/evaluate.ts';
import type { PolicyEvaluation, SignIn, WhatIfTenant } from '../../whatif/types.ts';

/** A user the directory does not hold must say what kind of external user it is (B2B direct connect). */
function checkIdentityExists(tenant: WhatIfTenant, signIn: SignIn): void {
  const identity = signIn.identity;
  if (identity.kind === 'user' && !identity.externalUserType && !tenant.directory.findUser(identity.userId)) {
    throw notFound(`User with id '${identity.userId.slice(0, 100)}' does not exist in the directory.`);
  }
  if (
    identity.kind === 'servicePrincipal' &&
    !tenant.directory.findServicePrincipal(identity.servicePrincipalId)
  ) {
    throw notFound(
      `Service principal '${identity.servicePrincipalId.slice(0, 100)}' does not exist in the directory.`,
    );
  }
}

function isListed(evaluation: PolicyEvaluation, appliedPoliciesOnly: boolean): boolean {
  return appliedPoliciesOnly ? evaluation.policyApplies : true;
}

function evaluate(ctx: GraphContext): GraphResult {
  const request = parseEvaluateRequest(ctx.request.body, ctx.version);
  const tenant = buildWhatIfTenant(ctx.store, ctx.tenant);
  checkIdentityExists(tenant, request.signIn);
  const result = evaluateSignIn(tenant, request.signIn);
  const docs = new Map(ctx.store.all(ctx.tenant.id, COLLECTIONS.caPolicies).map((d) => [d.id, d]));
  const value = result.policies
    .filter((e) => isListed(e, request.appliedPoliciesOnly))
    .map((e) => ({
      ...presentPolicy(ctx, docs.get(e.policyId)!),
      policyApplies: e.policyApplies,
      analysisReasons: e.analysisReasons,
      ...(e.notes.length > 0 ? { '@accord.notes': e.notes } : {}),
    }));
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.origin}/${ctx.version}/$metadata#Collection(microsoft.graph.whatIfAnalysisResult)`,
      value,
    },
  };
}

export const evaluateRoutes: Route[] = [
  {
    method: 'POST',
    path: '/identity/conditionalAccess/evaluate',
    permissions: PERMISSIONS.caEvaluate,
    throttle: 'conditionalAccess',
    handler: evaluate,
  },
];
