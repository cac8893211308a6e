/**
 * Sharding against a real API server: two controllers (in this process, separate informers, clients and leases)
 * with `--shards 4` share the Leases accord-shard-0..3 two and two — the second one asks the first for its share —
 * with no shard held twice; every Tenant reports its shard and is reconciled, both replicas doing work. When one
 * stops (releasing its Leases), the other takes all four and keeps reconciling. (Which replica reconciled which
 * tenant, at scale: bench/controller-shards.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { shardOf } from '../../src/controller/shard-leases.ts';
import {
  caPolicy,
  condition,
  eventually,
  resourcePath,
  startControllerEnv,
  startInProcessController,
  type ControllerEnv,
  type InProcessController,
  type Resource,
} from './controller-harness.ts';

const SHARDS = 4;
const TENANTS = 8;

describe('accord controller shards', { timeout: 10 * 60_000 }, () => {
  let env: ControllerEnv;
  const controllers: InProcessController[] = [];

  before(async () => {
    env = await startControllerEnv();
  });

  after(async () => {
    for (const controller of controllers) await controller.stop();
    await env?.close();
  });

  const holders = async (): Promise<(string | undefined)[]> =>
    Promise.all(
      Array.from({ length: SHARDS }, async (_, shard) => {
        const res = await env.kube<{ spec: { holderIdentity?: string | null } }>(
          'GET',
          `/apis/coordination.k8s.io/v1/namespaces/default/leases/accord-shard-${shard}`,
        );
        return res.status === 200 ? (res.body.spec.holderIdentity ?? undefined) : undefined;
      }),
    );

  const reconciled = async (controller: InProcessController): Promise<number> => {
    const metric = await controller.metrics.reconcileTotal.get();
    return metric.values.reduce((sum, v) => sum + v.value, 0);
  };

  it('two replicas share the shards, both reconcile, a stopped replica is replaced', async () => {
    const a = await startInProcessController(env, { identity: 'shard-a', shards: SHARDS });
    controllers.push(a);
    await eventually(async () => (await holders()).every((h) => h === 'shard-a'), 'shard-a holds all shards');
    const b = await startInProcessController(env, { identity: 'shard-b', shards: SHARDS });
    controllers.push(b);
    await eventually(async () => {
      const held = await holders();
      return (
        held.filter((h) => h === 'shard-a').length === 2 && held.filter((h) => h === 'shard-b').length === 2
      );
    }, 'shards shared 2/2');
    const held = await holders();

    for (let i = 0; i < TENANTS; i++) {
      await env.createTenantNamespace(`sharded-${i}`);
      const res = await env.kube(
        'POST',
        resourcePath('conditionalaccesspolicies', `sharded-${i}`),
        caPolicy('mfa', `K8s sharded ${i}`),
      );
      assert.equal(res.status, 201, res.text);
    }
    for (let i = 0; i < TENANTS; i++) {
      const tenant = await eventually(async () => {
        const res = await env.kube('GET', resourcePath('tenants', `sharded-${i}`, 'contoso'));
        const resource = res.body as Resource & { status?: { shard?: number } };
        return condition(resource, 'Ready')?.status === 'True' ? resource : undefined;
      }, `sharded-${i} Ready`);
      const shard = shardOf(`sharded-${i}/contoso`, SHARDS);
      assert.equal((tenant as { status?: { shard?: number } }).status?.shard, shard);
      assert.ok(held[shard] === 'shard-a' || held[shard] === 'shard-b');
    }
    assert.ok((await reconciled(a)) > 0 && (await reconciled(b)) > 0, 'both replicas did work');
    assert.equal(
      a.controller.heldShards().length + b.controller.heldShards().length,
      SHARDS,
      'no shard held twice',
    );
    assert.deepEqual([...a.controller.heldShards(), ...b.controller.heldShards()].sort(), [0, 1, 2, 3]);

    await b.stop();
    controllers.pop();
    await eventually(
      async () => (await holders()).every((h) => h === 'shard-a'),
      'shard-a takes the released shards',
    );
    const res = await env.kube(
      'POST',
      resourcePath('conditionalaccesspolicies', 'sharded-0'),
      caPolicy('second', 'K8s sharded second'),
    );
    assert.equal(res.status, 201, res.text);
    await eventually(async () => {
      const got = await env.kube('GET', resourcePath('conditionalaccesspolicies', 'sharded-0', 'second'));
      return condition(got.body, 'Ready')?.status === 'True';
    }, 'reconciled after the takeover');
  });
});
