import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { error, type Diagnostic } from '../core/diagnostics.ts';
import { PLAN_FORMAT_VERSION, summarize, type ResourceChange } from '../core/plan.ts';
import type { ApplyResult } from '../pipeline/apply-plan.ts';
import type { ConditionInput } from './conditions.ts';
import { outcomeFor, tenantConditions, type OutcomeInput } from './outcomes.ts';
import type { TenantPlan } from './plan-tenant.ts';

const KEY = 'ConditionalAccessPolicy policies/mfa';
const OTHER = 'ConditionalAccessPolicy policies/other';

function change(action: ResourceChange['action'], extra: Partial<ResourceChange> = {}): ResourceChange {
  return {
    kind: 'ConditionalAccessPolicy',
    name: 'mfa',
    displayName: 'Require MFA',
    action,
    reason: 'test',
    fields: action === 'update' ? [{ path: 'state', before: 'enabled', after: 'disabled' }] : [],
    ...extra,
  };
}

interface PlanParts {
  changes?: ResourceChange[];
  owners?: [ResourceChange, string][];
  excluded?: [string, Diagnostic[]][];
  tenantErrors?: Diagnostic[];
  drifted?: [string, ResourceChange[]][];
}

function tenantPlan(parts: PlanParts = {}): TenantPlan {
  const changes = parts.changes ?? [];
  return {
    plan: {
      formatVersion: PLAN_FORMAT_VERSION,
      tenant: { name: 'policies/contoso', id: 't' },
      fingerprint: 'f',
      createdAt: '2026-03-01T00:00:00Z',
      changes,
      diagnostics: [],
      summary: summarize(changes),
    },
    excluded: new Map(parts.excluded ?? []),
    tenantErrors: parts.tenantErrors ?? [],
    drifted: new Map(parts.drifted ?? []),
    owners: new Map(parts.owners ?? changes.map((c) => [c, KEY])),
  };
}

function outcome(plan: TenantPlan, extra: Partial<OutcomeInput> = {}): ReturnType<typeof outcomeFor> {
  return outcomeFor({
    key: KEY,
    tenantName: 'policies/contoso',
    tenantPlan: plan,
    apply: undefined,
    drift: 'Correct',
    createdId: () => 'new-id',
    previousId: undefined,
    ...extra,
  });
}

/** `Type=Status/Reason` of each condition, in order. */
function summary(conditions: readonly ConditionInput[]): string[] {
  return conditions.map((c) => `${c.type}=${c.status}/${c.reason}`);
}

describe('resource outcomes', () => {
  it('a create: Ready=True with the new id, a Created event, no drift', () => {
    const result = outcome(tenantPlan({ changes: [change('create')] }));
    assert.deepEqual(summary(result.conditions), [
      'Ready=True/ReconciliationSucceeded',
      'Reconciling=False/ReconciliationSucceeded',
      'Stalled=False/ReconciliationSucceeded',
      'Drifted=False/NoDrift',
    ]);
    assert.equal(result.id, 'new-id');
    assert.equal(result.applied, true);
    assert.deepEqual(
      result.events.map((e) => `${e.type}/${e.reason}`),
      ['Normal/Created'],
    );
  });

  it('a resource with its own errors: Ready=False and Stalled=True with the reason, a Warning, nothing applied', () => {
    const diagnostics = [
      error('unresolved-name', "'No such group' matches no group", { detail: 'Fix the name or use the id' }),
    ];
    const result = outcome(tenantPlan({ excluded: [[KEY, diagnostics]] }), { previousId: 'old' });
    assert.deepEqual(summary(result.conditions), [
      'Ready=False/UnresolvedReference',
      'Reconciling=False/UnresolvedReference',
      'Stalled=True/UnresolvedReference',
    ]);
    assert.match(
      result.conditions[0]!.message,
      /'No such group' matches no group\. Fix the name or use the id/,
    );
    assert.match(result.conditions[0]!.message, /Nothing was written to the tenant/);
    assert.deepEqual([result.applied, result.failed, result.id], [false, true, 'old']);
    assert.deepEqual(
      result.events.map((e) => `${e.type}/${e.reason}`),
      ['Warning/UnresolvedReference'],
    );
  });

  it('an error that belongs to no resource stops the tenant: every resource says why', () => {
    const result = outcome(tenantPlan({ tenantErrors: [error('lockout-admins', 'every admin locked out')] }));
    assert.equal(result.conditions[0]!.reason, 'LockoutRefused');
    assert.match(result.conditions[0]!.message, /nothing was applied to tenant policies\/contoso/);
    assert.equal(result.failed, true);
  });

  it('drift in mode Correct: Drifted=False/DriftCorrected naming the fields, Ready=True', () => {
    const update = change('update', { id: 'p1' });
    const result = outcome(tenantPlan({ changes: [update], drifted: [[KEY, [update]]] }));
    assert.deepEqual(summary(result.conditions).slice(0, 1), ['Ready=True/ReconciliationSucceeded']);
    const drifted = result.conditions.find((c) => c.type === 'Drifted')!;
    assert.deepEqual([drifted.status, drifted.reason], ['False', 'DriftCorrected']);
    assert.match(drifted.message, /\(state\); corrected at /);
    assert.deepEqual(
      result.events.map((e) => e.reason),
      ['DriftCorrected'],
    );
  });

  it('drift in mode Report: Drifted=True/DriftDetected, Ready stays True, nothing applied', () => {
    const update = change('update', { id: 'p1' });
    const plan = tenantPlan({ changes: [], drifted: [[KEY, [update]]] });
    const result = outcome(plan, { drift: 'Report' });
    const drifted = result.conditions.find((c) => c.type === 'Drifted')!;
    assert.deepEqual([drifted.status, drifted.reason], ['True', 'DriftDetected']);
    assert.match(drifted.message, /reported only \(drift mode Report\), the tenant was not changed/);
    assert.equal(result.conditions[0]!.status, 'True');
    assert.equal(result.applied, false);
    assert.deepEqual(
      result.events.map((e) => `${e.type}/${e.reason}`),
      ['Warning/DriftDetected'],
    );
  });

  it('a failed write: ApplyFailed (retried, not stalled); a resource after it: DependencyNotReady', () => {
    const mine = change('create');
    const theirs = change('create', { name: 'other', displayName: 'Other' });
    const plan = tenantPlan({
      changes: [mine, theirs],
      owners: [
        [mine, KEY],
        [theirs, OTHER],
      ],
    });
    const apply: ApplyResult = {
      applied: [],
      failed: { change: mine, error: new Error('400 BadRequest') },
      remaining: [mine, theirs],
    };
    const failed = outcome(plan, { apply });
    assert.deepEqual(summary(failed.conditions), [
      'Ready=False/ApplyFailed',
      'Reconciling=False/ApplyFailed',
      'Stalled=False/ApplyFailed',
    ]);
    assert.match(failed.conditions[0]!.message, /create of 'Require MFA' failed: 400 BadRequest/);
    const waiting = outcome(plan, { apply, key: OTHER });
    assert.equal(waiting.conditions[0]!.reason, 'DependencyNotReady');
  });
});

describe('tenant conditions', () => {
  it('Ready=True counting resources; resources left out are named', () => {
    const ok = tenantConditions({ tenantPlan: tenantPlan(), apply: undefined, drift: 'Correct', active: 2 });
    assert.deepEqual(summary(ok), [
      'Ready=True/ReconciliationSucceeded',
      'Reconciling=False/ReconciliationSucceeded',
      'Stalled=False/ReconciliationSucceeded',
      'Drifted=False/NoDrift',
    ]);
    assert.match(ok[0]!.message, /reconciled 2 resource\(s\)/);
    const partial = tenantConditions({
      tenantPlan: tenantPlan({ excluded: [[KEY, [error('schema', 'bad')]]] }),
      apply: undefined,
      drift: 'Correct',
      active: 2,
    });
    assert.match(partial[0]!.message, /1 resource\(s\) not ready: ConditionalAccessPolicy policies\/mfa/);
  });

  it('drift reported on the Tenant in mode Report', () => {
    const conditions = tenantConditions({
      tenantPlan: tenantPlan({ drifted: [[KEY, [change('update')]]] }),
      apply: undefined,
      drift: 'Report',
      active: 1,
    });
    const drifted = conditions.find((c) => c.type === 'Drifted')!;
    assert.deepEqual([drifted.status, drifted.reason], ['True', 'DriftDetected']);
  });
});
