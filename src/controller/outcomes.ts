/**
 * What a tenant reconcile means for each resource: its conditions, its status fields and the events to record,
 * derived from the tenant plan and the apply result. Pure.
 */
import type { ResourceChange } from '../core/plan.ts';
import type { ApplyResult } from '../pipeline/apply-plan.ts';
import { ConditionType, Reason, type ConditionInput } from './conditions.ts';
import type { EventType } from './events.ts';
import type { DriftMode, TenantPlan } from './plan-tenant.ts';
import { describeDiagnostics, notReady, ready, reasonForDiagnostics } from './status.ts';

export interface ResourceOutcome {
  conditions: ConditionInput[];
  /** status.id when the resource maps to one tenant object. */
  id?: string;
  applied: boolean;
  failed: boolean;
  events: { type: EventType; reason: string; action: string; note: string }[];
}

export interface OutcomeInput {
  key: string;
  tenantName: string;
  tenantPlan: TenantPlan;
  apply: ApplyResult | undefined;
  drift: DriftMode;
  /** The id recorded in the inventory for a create (kind, name → id). */
  createdId: (change: ResourceChange) => string | undefined;
  /** The id the resource had before (kept when nothing else names one). */
  previousId: string | undefined;
}

function fieldList(changes: readonly ResourceChange[]): string {
  const paths = [...new Set(changes.flatMap((c) => c.fields.map((f) => f.path)))];
  if (paths.length === 0)
    return changes.some((c) => c.action === 'create') ? 'the object was deleted' : 'fields';
  return paths.slice(0, 8).join(', ') + (paths.length > 8 ? ` and ${paths.length - 8} more` : '');
}

function describeWrite(change: ResourceChange): string {
  if (change.action === 'create') return 'created';
  const count = change.fields.length;
  return `updated ${count} field${count === 1 ? '' : 's'} (${fieldList([change])})`;
}

export function outcomeFor(input: OutcomeInput): ResourceOutcome {
  const { key, tenantPlan, apply } = input;
  const excluded = tenantPlan.excluded.get(key);
  if (excluded) {
    const reason = reasonForDiagnostics(excluded);
    const message = `${describeDiagnostics(excluded)}. Nothing was written to the tenant for this resource.`;
    return {
      conditions: notReady(reason, message, true),
      applied: false,
      failed: true,
      events: [{ type: 'Warning', reason, action: 'Plan', note: message }],
      ...(input.previousId ? { id: input.previousId } : {}),
    };
  }
  if (tenantPlan.tenantErrors.length > 0) {
    const reason = reasonForDiagnostics(tenantPlan.tenantErrors);
    const message = `nothing was applied to tenant ${input.tenantName}: ${describeDiagnostics(tenantPlan.tenantErrors)}`;
    return { conditions: notReady(reason, message, true), applied: false, failed: true, events: [] };
  }
  const changes = tenantPlan.plan.changes.filter((c) => tenantPlan.owners.get(c) === key);
  const writes = changes.filter((c) => c.action === 'create' || c.action === 'update');
  const failedChange =
    apply?.failed && tenantPlan.owners.get(apply.failed.change) === key ? apply.failed : undefined;
  const notReached = writes.some((c) => apply?.remaining.includes(c) && c !== failedChange?.change);
  const ids = changes.map((c) => c.id ?? input.createdId(c)).filter((id): id is string => id !== undefined);
  const id = ids.length === 1 ? ids[0] : ids.length === 0 ? input.previousId : undefined;
  const withId = id ? { id } : {};
  if (failedChange) {
    const message = `${failedChange.change.action} of '${failedChange.change.displayName}' failed: ${failedChange.error.message}`;
    return {
      conditions: notReady(Reason.ApplyFailed, message, false),
      applied: false,
      failed: true,
      events: [{ type: 'Warning', reason: Reason.ApplyFailed, action: 'Apply', note: message }],
      ...withId,
    };
  }
  if (notReached) {
    const message = `not applied yet: an earlier change to tenant ${input.tenantName} failed (${apply!.failed!.change.kind} ${apply!.failed!.change.name}); retrying`;
    return {
      conditions: notReady(Reason.DependencyNotReady, message, false),
      applied: false,
      failed: true,
      events: [],
      ...withId,
    };
  }
  const events: ResourceOutcome['events'] = [];
  const conditions: ConditionInput[] = [];
  const drifted = tenantPlan.drifted.get(key);
  const where = `tenant ${input.tenantName}${id ? ` (id ${id})` : ''}`;
  let readyMessage = `in accord with ${where}`;
  if (drifted && input.drift === 'Report') {
    const message = `changed in the tenant by hand (${fieldList(drifted)}); reported only (drift mode Report), the tenant was not changed`;
    conditions.push({ type: ConditionType.Drifted, status: 'True', reason: Reason.DriftDetected, message });
    events.push({ type: 'Warning', reason: Reason.DriftDetected, action: 'Compare', note: message });
    readyMessage = `applied to ${where}; drift reported (see Drifted)`;
  } else if (drifted) {
    const message = `changed in the tenant by hand (${fieldList(drifted)}); corrected at ${new Date().toISOString()}`;
    conditions.push({ type: ConditionType.Drifted, status: 'False', reason: Reason.DriftCorrected, message });
    events.push({ type: 'Warning', reason: Reason.DriftCorrected, action: 'Apply', note: message });
  } else {
    conditions.push({
      type: ConditionType.Drifted,
      status: 'False',
      reason: Reason.NoDrift,
      message: 'the tenant matched at the last comparison',
    });
  }
  if (writes.length > 0 && !(drifted && input.drift === 'Report')) {
    readyMessage = `${writes.map(describeWrite).join('; ')} in ${where}`;
    if (!drifted)
      for (const change of writes)
        events.push({
          type: 'Normal',
          reason: change.action === 'create' ? 'Created' : 'Updated',
          action: 'Apply',
          note: `${describeWrite(change)} in ${where}`,
        });
  }
  return {
    conditions: [...ready(readyMessage), ...conditions],
    applied: writes.length > 0,
    failed: false,
    events,
    ...withId,
  };
}

export interface TenantOutcomeInput {
  tenantPlan: TenantPlan;
  apply: ApplyResult | undefined;
  drift: DriftMode;
  active: number;
}

/** The Tenant's own conditions: the reconcile as a whole, and drift across its resources. */
export function tenantConditions({ tenantPlan, apply, drift, active }: TenantOutcomeInput): ConditionInput[] {
  const problems = [...tenantPlan.excluded.keys()];
  const drifted = tenantPlan.drifted.size;
  const driftCondition: ConditionInput =
    drifted > 0 && drift === 'Report'
      ? {
          type: ConditionType.Drifted,
          status: 'True',
          reason: Reason.DriftDetected,
          message: `${drifted} resource(s) changed in the tenant by hand (reported only)`,
        }
      : {
          type: ConditionType.Drifted,
          status: 'False',
          reason: drifted > 0 ? Reason.DriftCorrected : Reason.NoDrift,
          message:
            drifted > 0
              ? `${drifted} resource(s) changed by hand were corrected`
              : 'the tenant matched at the last comparison',
        };
  if (tenantPlan.tenantErrors.length > 0) {
    const message = `nothing applied: ${describeDiagnostics(tenantPlan.tenantErrors)}`;
    return [...notReady(reasonForDiagnostics(tenantPlan.tenantErrors), message, true), driftCondition];
  }
  if (apply?.failed)
    return [
      ...notReady(Reason.ApplyFailed, `apply failed: ${apply.failed.error.message}`, false),
      driftCondition,
    ];
  const message =
    problems.length > 0
      ? `reconciled; ${problems.length} resource(s) not ready: ${problems.slice(0, 5).join(', ')}`
      : `reconciled ${active} resource(s)`;
  return [...ready(message), driftCondition];
}
