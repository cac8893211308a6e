/**
 * What rides on every plan after it is computed: the semantic lint and the lockout guard (an error among them means
 * the plan changes nothing, so apply writes nothing), and the sign-in impact of the change (who is affected).
 */
import { warning } from '../core/diagnostics.ts';
import type { GraphPort } from '../core/graph-port.ts';
import type { DesiredObject, LiveObject } from '../core/kind.ts';
import type { Plan } from '../core/plan.ts';
import type { AccordConfig } from '../config/accord-config.ts';
import { callerOf } from '../guard/caller-identity.ts';
import { addToPlan, runSafetyChecksWithFacts, type SafetySettings } from '../guard/safety-checks.ts';
import { computePlanImpact } from '../impact/plan-impact.ts';
import type { Logger } from '../log/log-port.ts';

/** Kinds whose changes can change who signs in how. */
const SIGN_IN_KINDS = new Set(['ConditionalAccessPolicy', 'NamedLocation', 'AuthenticationStrengthPolicy']);

export interface ReviewInput {
  plan: Plan;
  live: ReadonlyMap<string, readonly LiveObject[]>;
  /** The desired objects (empty for a saved plan: then only the guard runs). */
  desired: readonly DesiredObject[];
  port: GraphPort;
  names?: ReadonlyMap<string, string>;
  config: AccordConfig;
  tenant: string | undefined;
  /** Compute the sign-in impact (not needed to decide whether apply may run). */
  impact: boolean;
}

export function safetySettings(config: AccordConfig, tenant: string | undefined): SafetySettings {
  const caller = callerOf(config, tenant, process.env);
  return { breakGlass: config.safety.breakGlass, ...(caller ? { caller } : {}) };
}

function changesSignIns(plan: Plan): boolean {
  return plan.changes.some(
    (c) => c.action !== 'no-op' && c.action !== 'unmanaged' && SIGN_IN_KINDS.has(c.kind),
  );
}

export async function reviewPlan(input: ReviewInput, logger: Logger): Promise<void> {
  const { diagnostics, facts } = await runSafetyChecksWithFacts({
    plan: input.plan,
    live: input.live,
    desired: input.desired,
    port: input.port,
    safety: safetySettings(input.config, input.tenant),
    ...(input.names ? { names: input.names } : {}),
  });
  // Impact is computed on the plan as it stands, before any error clears its changes.
  if (input.impact && changesSignIns(input.plan)) {
    try {
      input.plan.impact = await computePlanImpact(input.port, input.plan, input.live, {
        tenantId: input.plan.tenant.id,
        breakGlass: {
          users: facts.breakGlass.users.map((u) => u.id),
          groups: facts.breakGlass.groups.map((g) => g.id),
        },
      });
    } catch (err) {
      logger.warn('sign-in impact could not be computed', { error: (err as Error).message });
      diagnostics.push(
        warning('impact-unavailable', `the sign-in impact could not be computed: ${(err as Error).message}`),
      );
    }
  }
  addToPlan(input.plan, diagnostics);
}
