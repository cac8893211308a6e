/**
 * Impact for a plan: the tenant's policies as read (before) against the tenant as the plan leaves it (after, as the
 * lockout guard sees it), over the whole directory read in few requests. The one I/O edge of impact.
 */
import type { GraphPort } from '../core/graph-port.ts';
import type { LiveObject } from '../core/kind.ts';
import type { Plan } from '../core/plan.ts';
import { stateAfterPlan } from '../guard/tenant-after-plan.ts';
import { CA_POLICY_KIND, NAMED_LOCATION_KIND, STRENGTH_KIND } from '../lint/policy-view.ts';
import { BUILT_IN_STRENGTHS } from '../whatif/built-in-strengths.ts';
import type { AuthenticationStrength } from '../whatif/types.ts';
import { analyzeImpact } from './analyze-impact.ts';
import type { ImpactReport, ImpactState } from './impact-types.ts';
import { readImpactDirectory } from './read-impact-directory.ts';

export interface PlanImpactOptions {
  tenantId: string;
  breakGlass?: { users?: readonly string[]; groups?: readonly string[] };
}

function liveState(live: ReadonlyMap<string, readonly LiveObject[]>): ImpactState {
  const withId = (kind: string) => (live.get(kind) ?? []).map((l) => ({ ...l.state, id: l.id }));
  const strengths: AuthenticationStrength[] = (live.get(STRENGTH_KIND) ?? []).map((l) => ({
    id: l.id,
    displayName: l.displayName,
    allowedCombinations: Array.isArray(l.state.allowedCombinations)
      ? l.state.allowedCombinations.map(String)
      : [],
  }));
  return {
    policies: withId(CA_POLICY_KIND),
    namedLocations: withId(NAMED_LOCATION_KIND),
    authenticationStrengths: strengths.length > 0 ? strengths : BUILT_IN_STRENGTHS,
  };
}

export async function computePlanImpact(
  port: GraphPort,
  plan: Pick<Plan, 'changes'>,
  live: ReadonlyMap<string, readonly LiveObject[]>,
  options: PlanImpactOptions,
): Promise<ImpactReport> {
  const before = liveState(live);
  const afterPlan = stateAfterPlan(plan, live);
  const after: ImpactState = {
    policies: afterPlan.policies.map((p) => p.document),
    namedLocations: afterPlan.namedLocations,
    authenticationStrengths:
      afterPlan.authenticationStrengths.length > 0 ? afterPlan.authenticationStrengths : BUILT_IN_STRENGTHS,
  };
  const { directory } = await readImpactDirectory(port, [...before.policies, ...after.policies], {
    breakGlassGroups: options.breakGlass?.groups,
  });
  return analyzeImpact({
    tenantId: options.tenantId,
    before,
    after,
    directory,
    breakGlass: options.breakGlass,
  });
}
