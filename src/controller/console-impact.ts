/**
 * The sign-in impact of a controller plan, for the web console only: the reconcile itself does not compute it (it
 * reads the whole directory), so the console's feed does, after the reconcile, on the tenant as that reconcile read
 * it — the same `computePlanImpact` as `accord plan`. Only plans that change sign-ins get one.
 */
import { warning, type Diagnostic } from '../core/diagnostics.ts';
import type { GraphPort } from '../core/graph-port.ts';
import type { LiveObject } from '../core/kind.ts';
import type { Plan } from '../core/plan.ts';
import { computePlanImpact } from '../impact/plan-impact.ts';
import { readTenantFacts } from '../lint/read-tenant-facts.ts';
import type { TenantResource } from './resources.ts';

const SIGN_IN_KINDS = new Set(['ConditionalAccessPolicy', 'NamedLocation', 'AuthenticationStrengthPolicy']);

export function changesSignIns(plan: Pick<Plan, 'changes'>): boolean {
  return plan.changes.some(
    (c) => c.action !== 'no-op' && c.action !== 'unmanaged' && SIGN_IN_KINDS.has(c.kind),
  );
}

/** The plan with its impact, or with a warning saying why there is none. The plan given is not changed. */
export async function withImpact(
  plan: Plan,
  live: ReadonlyMap<string, readonly LiveObject[]>,
  tenant: TenantResource,
  port: () => Promise<GraphPort>,
): Promise<Plan> {
  if (!changesSignIns(plan)) return plan;
  try {
    const graph = await port();
    const facts = await readTenantFacts(graph, {
      tenantId: tenant.spec.tenantId,
      breakGlass: {
        users: tenant.spec.breakGlass?.users ?? [],
        groups: tenant.spec.breakGlass?.groups ?? [],
      },
      policies: [],
    });
    const impact = await computePlanImpact(graph, plan, live, {
      tenantId: tenant.spec.tenantId,
      breakGlass: {
        users: facts.breakGlass.users.map((u) => u.id),
        groups: facts.breakGlass.groups.map((g) => g.id),
      },
    });
    return { ...plan, impact };
  } catch (err) {
    const note: Diagnostic = warning(
      'impact-unavailable',
      `the sign-in impact could not be computed: ${(err as Error).message}`,
    );
    return { ...plan, diagnostics: [...plan.diagnostics, note] };
  }
}
