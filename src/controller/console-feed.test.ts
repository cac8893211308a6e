import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarize, type Plan, type ResourceChange } from '../core/plan.ts';
import { ConsoleState, statusWordOf } from '../console/console-state.ts';
import { startConsole } from '../console/server.ts';
import { ConditionType, Reason } from './conditions.ts';
import { ControllerConsoleFeed, passReportOf } from './console-feed.ts';
import { notReady, ready } from './status.ts';
import type { ResourceOutcome } from './outcomes.ts';
import type { TenantPlan } from './plan-tenant.ts';
import type { ControllerView, TenantReconcileReport } from './reconcile-observer.ts';
import type { PolicyResource, TenantResource } from './resources.ts';

const AT = '2026-01-01T00:00:00.000Z';

function tenant(namespace: string, name = 'contoso', drift: 'Correct' | 'Report' = 'Report'): TenantResource {
  return {
    apiVersion: 'accord.dev/v1alpha1',
    kind: 'Tenant',
    metadata: { name, namespace, uid: `${namespace}-${name}` },
    spec: { tenantId: 't1', credentials: {}, drift: { mode: drift } },
  };
}

function resource(name: string, settled: boolean): PolicyResource {
  return {
    apiVersion: 'accord.dev/v1alpha1',
    kind: 'ConditionalAccessPolicy',
    metadata: { name, namespace: 'team', uid: name, generation: 2 },
    spec: { displayName: `Policy ${name}` },
    status: {
      observedGeneration: settled ? 2 : 1,
      id: `id-${name}`,
      conditions: settled
        ? [{ type: 'Ready', status: 'True', reason: 'x', message: 'x', lastTransitionTime: AT }]
        : [],
    },
  };
}

function change(name: string, action: ResourceChange['action']): ResourceChange {
  return {
    kind: 'ConditionalAccessPolicy',
    name,
    displayName: `Policy ${name}`,
    action,
    reason:
      action === 'unmanaged'
        ? 'in the tenant, not in git; accord leaves it alone'
        : '1 field differs from git',
    id: `id-${name}`,
    fields: action === 'no-op' ? [] : [{ path: 'state', before: 'disabled', after: 'enabled' }],
    file: `ConditionalAccessPolicy team/${name}`,
  };
}

function plan(changes: ResourceChange[]): Plan {
  return {
    formatVersion: 1,
    tenant: { name: 'team/contoso', id: 't1' },
    fingerprint: 'f',
    createdAt: AT,
    changes,
    diagnostics: [],
    summary: summarize(changes),
  };
}

function outcome(conditions: ResourceOutcome['conditions'], id?: string): ResourceOutcome {
  return { conditions, applied: false, failed: false, events: [], ...(id ? { id } : {}) };
}

describe('the controller console feed', () => {
  it('a drift check in mode Report: the drift left alone is in the plan, the resource Drifted from its conditions', () => {
    const drifted = change('a', 'update');
    const tenantPlan: TenantPlan = {
      plan: plan([change('b', 'no-op'), change('stray', 'unmanaged')]),
      excluded: new Map([
        [
          'ConditionalAccessPolicy team/c',
          [{ severity: 'error', code: 'unresolved-reference', summary: 'no group named Ops' }],
        ],
      ]),
      tenantErrors: [],
      drifted: new Map([['ConditionalAccessPolicy team/a', [drifted]]]),
      owners: new Map(),
    };
    const report: TenantReconcileReport = {
      tenant: tenant('team'),
      startedAt: AT,
      finishedAt: AT,
      drift: 'Report',
      active: [resource('a', true), resource('b', true), resource('c', true)],
      tenantPlan,
      outcomes: new Map([
        [
          'ConditionalAccessPolicy team/a',
          outcome([
            ...ready('applied'),
            {
              type: ConditionType.Drifted,
              status: 'True',
              reason: Reason.DriftDetected,
              message: 'changed by hand',
            },
          ]),
        ],
        ['ConditionalAccessPolicy team/b', outcome(ready('in accord'))],
        [
          'ConditionalAccessPolicy team/c',
          outcome(notReady(Reason.UnresolvedReference, 'no group named Ops', true)),
        ],
      ]),
    };
    const pass = passReportOf(report);
    assert.equal(pass.tenant.name, 'team/contoso');
    assert.equal(pass.driftCheck, true);
    assert.equal(pass.trigger, 'drift check');
    assert.equal(pass.driftMode, 'warn');
    assert.deepEqual(pass.plan?.summary, { create: 0, update: 1, delete: 0, noOp: 1, unmanaged: 1 });
    assert.deepEqual(pass.drift, [drifted]);
    assert.equal(
      pass.plan?.changes.find((c) => c.name === 'a')?.reason,
      '1 field differs from the custom resources',
    );
    assert.deepEqual(
      pass.resources?.map((r) => [r.name, r.state, r.detail ?? '', r.fields]),
      [
        ['a', 'drifted', 'DriftDetected: changed by hand', ['state']],
        ['b', 'inSync', '', []],
        ['c', 'error', 'UnresolvedReference: no group named Ops', []],
        ['stray', 'unmanaged', 'in the tenant, not in the custom resources; accord leaves it alone', []],
      ],
    );
    assert.equal(pass.findings?.[0]?.code, 'unresolved-reference');

    const state = new ConsoleState();
    state.recordPass(pass);
    const view = state.tenants()[0]!;
    assert.equal(statusWordOf(view), 'Drifted');
    assert.equal(view.driftHistory[0]?.resolution, 'reported');
    assert.deepEqual(
      view.driftHistory[0]?.drifted.map((d) => d.name),
      ['a'],
    );
    assert.equal(view.findings.length, 1);
    assert.equal(view.resources.find((r) => r.name === 'a')?.id, 'id-a');
  });

  it('a reconcile of a new generation is not a drift check; errors and suspension have their own outcome', () => {
    const base = { tenant: tenant('team'), startedAt: AT, finishedAt: AT, drift: 'Correct' as const };
    const created = change('a', 'create');
    const changed = passReportOf({
      ...base,
      active: [resource('a', false)],
      tenantPlan: {
        plan: plan([created]),
        excluded: new Map(),
        tenantErrors: [],
        drifted: new Map(),
        owners: new Map(),
      },
      apply: { applied: [created], remaining: [] },
      outcomes: new Map([
        ['ConditionalAccessPolicy team/a', { ...outcome(ready('created'), 'new-id'), applied: true }],
      ]),
    });
    assert.equal(changed.driftCheck, false);
    assert.equal(changed.trigger, 'resources changed');
    assert.deepEqual(
      changed.resources?.map((r) => [r.state, r.id, r.lastApplied]),
      [['inSync', 'new-id', AT]],
    );

    const failed = passReportOf({ ...base, active: [resource('a', true)], error: 'Graph is unreachable' });
    assert.equal(failed.error, 'Graph is unreachable');
    assert.match(failed.resources?.[0]?.detail ?? '', /Tenant contoso is not ready: Graph is unreachable/);

    const state = new ConsoleState();
    state.recordPass(passReportOf({ ...base, active: [], suspended: true }));
    assert.equal(statusWordOf(state.tenants()[0]!), 'Suspended');
  });

  it('serves the Tenants of the shards this replica holds, names the holder of the others, and reconciles on request', async () => {
    const tenants = [tenant('mine', 'a'), tenant('theirs', 'b'), tenant('orphan', 'c')];
    const shards: Record<string, number> = { 'mine/a': 0, 'theirs/b': 1, 'orphan/c': 2 };
    let held = [0];
    const requested: string[] = [];
    const view: ControllerView = {
      identity: 'replica-a',
      shards: 3,
      leaderElect: true,
      tenants: () => tenants,
      resourcesIn: () => [],
      heldShards: () => held,
      holderOf: (shard) => (shard === 1 ? 'replica-b' : held.includes(shard) ? 'replica-a' : undefined),
      shardOf: (ns, name) => shards[`${ns}/${name}`]!,
      session: () => Promise.reject(new Error('no Graph in this test')),
      reconcileNow: (ns, name) => requested.push(`${ns}/${name}`),
    };
    const state = new ConsoleState();
    const feed = new ControllerConsoleFeed({ state, allowActions: true });
    feed.attach(view);
    try {
      assert.deepEqual(
        state.tenants().map((t) => t.name),
        ['mine/a'],
      );
      assert.match(state.host?.description ?? '', /replica replica-a, which holds shard accord-shard-0 of 3/);
      assert.deepEqual(state.host?.elsewhere, [
        {
          name: 'orphan/c',
          detail: 'accord-shard-2, not held by any replica right now (it is being taken over).',
        },
        {
          name: 'theirs/b',
          detail: 'accord-shard-1, held by replica replica-b: its console shows this tenant.',
        },
      ]);
      const version = state.version;
      feed.refresh();
      assert.equal(state.version, version, 'nothing changed, so pages do not refresh');

      const console = await startConsole({ state, host: '127.0.0.1', port: 0, allowActions: true });
      try {
        const page = await (await fetch(console.url)).text();
        assert.match(page, /Held by another replica/);
        assert.match(page, />Reconcile now</);
        assert.doesNotMatch(page, /Apply now/);
        const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
        assert.ok(csrf);
        const post = (action: string, tenantName: string) =>
          fetch(new URL(`/actions/${action}`, console.url), {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ csrf, tenant: tenantName }).toString(),
          });
        assert.equal((await post('check', 'mine/a')).status, 303);
        const after = await (await fetch(new URL('/?requested=check', console.url))).text();
        assert.match(after, /“Reconcile now” was requested/);
        assert.deepEqual(requested, ['mine/a']);
        assert.equal((await post('check', 'theirs/b')).status, 400, 'not a tenant of this console');
        assert.equal((await post('apply', 'mine/a')).status, 403, 'no Apply now from the controller');
        assert.deepEqual(requested, ['mine/a']);
      } finally {
        await console.close();
      }

      // The shard moves away: its Tenant leaves this console.
      held = [];
      feed.refresh();
      assert.deepEqual(state.tenants(), []);
      assert.match(state.host?.description ?? '', /holds none of the 3 shards/);
    } finally {
      feed.stop();
    }
  });
});
