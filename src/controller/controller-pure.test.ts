import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindResource } from './binding.ts';
import { setCondition, sameConditions } from './conditions.ts';
import { parseDuration } from './duration.ts';
import { parseBindAddress } from './http-endpoints.ts';
import { shardLeaseName, shardOf } from './shard-leases.ts';

describe('resource binding', () => {
  it('the label names the Tenant; else the only one; else a reason', () => {
    assert.deepEqual(bindResource({ labels: { 'accord.dev/tenant': 'b' } }, ['a', 'b']), {
      kind: 'bound',
      tenant: 'b',
    });
    assert.deepEqual(bindResource({}, ['a']), { kind: 'bound', tenant: 'a' });
    assert.equal((bindResource({}, []) as { reason: string }).reason, 'TenantNotFound');
    assert.equal((bindResource({}, ['a', 'b']) as { reason: string }).reason, 'TenantAmbiguous');
    assert.equal(
      (bindResource({ labels: { 'accord.dev/tenant': 'c' } }, ['a']) as { reason: string }).reason,
      'TenantNotFound',
    );
  });
});

describe('conditions', () => {
  it('lastTransitionTime moves only when the status changes', () => {
    const t1 = new Date('2026-01-01T00:00:00Z');
    const t2 = new Date('2026-01-01T01:00:00Z');
    const ready = {
      type: 'Ready',
      status: 'True',
      reason: 'ReconciliationSucceeded',
      message: 'ok',
    } as const;
    const first = setCondition(undefined, ready, 1, t1);
    const same = setCondition(first, { ...ready, message: 'still ok' }, 2, t2);
    assert.equal(same[0]!.lastTransitionTime, t1.toISOString());
    assert.equal(same[0]!.observedGeneration, 2);
    const flipped = setCondition(same, { ...ready, status: 'False', reason: 'ApplyFailed' }, 2, t2);
    assert.equal(flipped[0]!.lastTransitionTime, t2.toISOString());
    assert.ok(sameConditions(first, setCondition(first, ready, 1, t2)));
  });
});

describe('durations and bind addresses', () => {
  it('parses Go-style durations', () => {
    assert.equal(parseDuration('15s'), 15_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration(undefined), undefined);
    assert.throws(() => parseDuration('5 minutes'), /not a duration/);
  });

  it('parses controller-runtime bind addresses; 0 disables', () => {
    assert.deepEqual(parseBindAddress(':8080'), { host: undefined, port: 8080 });
    assert.deepEqual(parseBindAddress('127.0.0.1:9090'), { host: '127.0.0.1', port: 9090 });
    assert.deepEqual(parseBindAddress('[::1]:8081'), { host: '::1', port: 8081 });
    assert.equal(parseBindAddress('0'), undefined);
    assert.throws(() => parseBindAddress('8080'), /not a bind address/);
  });
});

describe('shards', () => {
  it('a key always lands on the same shard, and shards share keys evenly', () => {
    assert.equal(shardOf('ns/tenant', 7), shardOf('ns/tenant', 7));
    const counts = new Array<number>(4).fill(0);
    for (let i = 0; i < 4_000; i++) counts[shardOf(`ns-${i}/tenant`, 4)]! += 1;
    for (const count of counts) assert.ok(count > 800 && count < 1_200, `uneven: ${counts.join(', ')}`);
    assert.equal(shardLeaseName(0), 'accord-shard-0');
  });
});
