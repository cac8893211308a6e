/**
 * Shard leases against a small in-memory Lease store with the API server's rules that matter here: create fails
 * when the Lease exists, update fails unless it carries the current resourceVersion.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../log/log-port.ts';
import { KubeError, type KubeRest } from './kube/kube-rest.ts';
import { DEFAULT_LEASE_TIMING, ShardLeases, shardLeaseName, type LeaseTiming } from './shard-leases.ts';

interface StoredLease {
  metadata: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
  spec: { holderIdentity?: string | null; leaseDurationSeconds?: number; renewTime?: string | null };
}

class LeaseStore {
  readonly leases = new Map<string, StoredLease>();
  /** Replicas whose requests fail as if the API server were unreachable from them. */
  readonly cutOff = new Set<string>();
  private version = 0;

  restFor(identity: string): KubeRest {
    const check = (): void => {
      if (this.cutOff.has(identity)) throw new KubeError(0, 'Unreachable', 'connection refused');
    };
    const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
    const rest = {
      get: async (path: string) => {
        check();
        const lease = this.leases.get(nameOf(path));
        if (!lease) throw new KubeError(404, 'NotFound', 'not found');
        return structuredClone(lease);
      },
      post: async (_path: string, body: StoredLease) => {
        check();
        if (this.leases.has(body.metadata.name)) throw new KubeError(409, 'AlreadyExists', 'exists');
        return this.store(body);
      },
      put: async (path: string, body: StoredLease) => {
        check();
        const current = this.leases.get(nameOf(path));
        if (!current || current.metadata.resourceVersion !== body.metadata.resourceVersion)
          throw new KubeError(409, 'Conflict', 'the object has been modified');
        return this.store(body);
      },
    };
    return rest as unknown as KubeRest;
  }

  private store(lease: StoredLease): StoredLease {
    const stored = structuredClone(lease);
    stored.metadata.resourceVersion = String(++this.version);
    this.leases.set(stored.metadata.name, stored);
    return structuredClone(stored);
  }
}

const FAST: LeaseTiming = { leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 100 };

function replica(
  store: LeaseStore,
  identity: string,
  options: { shards?: number; timing?: LeaseTiming } = {},
): { leases: ShardLeases; acquired: number[]; lost: number[] } {
  const acquired: number[] = [];
  const lost: number[] = [];
  const leases = new ShardLeases({
    rest: store.restFor(identity),
    namespace: 'accord-system',
    identity,
    shards: options.shards ?? 1,
    timing: options.timing ?? FAST,
    logger: silentLogger,
    onAcquired: (shard) => acquired.push(shard),
    onLost: (shard) => lost.push(shard),
  });
  return { leases, acquired, lost };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('shard leases', () => {
  it("defaults to client-go's timing: lease 15 s, renew deadline 10 s, retry 2 s", () => {
    assert.deepEqual(DEFAULT_LEASE_TIMING, {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
  });

  it('one replica holds the Lease, written with its identity and duration; a second one waits', async () => {
    const store = new LeaseStore();
    const a = replica(store, 'replica-a', { timing: DEFAULT_LEASE_TIMING });
    const b = replica(store, 'replica-b', { timing: DEFAULT_LEASE_TIMING });
    a.leases.start();
    try {
      await until(() => a.leases.holds(0), 'replica-a holds shard 0');
      const lease = store.leases.get(shardLeaseName(0))!;
      assert.equal(lease.spec.holderIdentity, 'replica-a');
      assert.equal(lease.spec.leaseDurationSeconds, 15);
      b.leases.start();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(b.leases.holds(0), false, 'a live lease is never taken');
      assert.equal(b.leases.holderOf(0), 'replica-a');
      assert.deepEqual(b.acquired, []);
      // A graceful stop releases the lease: the other replica takes it without waiting for expiry.
      await a.leases.stop();
      assert.equal(store.leases.get(shardLeaseName(0))!.spec.holderIdentity, null);
      await b.leases.stop();
      const c = replica(store, 'replica-c', { timing: DEFAULT_LEASE_TIMING });
      c.leases.start();
      await until(() => c.leases.holds(0), 'replica-c takes the released lease at once');
      await c.leases.stop();
    } finally {
      await a.leases.stop();
      await b.leases.stop();
    }
  });

  it('a replica that cannot renew stops writing after the renew deadline; another takes over after expiry', async () => {
    const store = new LeaseStore();
    const a = replica(store, 'replica-a');
    const b = replica(store, 'replica-b');
    a.leases.start();
    try {
      await until(() => a.leases.holds(0), 'replica-a holds shard 0');
      b.leases.start();
      store.cutOff.add('replica-a');
      await until(() => !a.leases.holds(0), 'replica-a gives up writing');
      await until(() => a.lost.includes(0), 'replica-a is told it lost shard 0');
      await until(() => b.leases.holds(0), 'replica-b takes shard 0');
      assert.equal(store.leases.get(shardLeaseName(0))!.spec.holderIdentity, 'replica-b');
      store.cutOff.delete('replica-a');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(a.leases.holds(0), false, 'the old holder does not take it back');
    } finally {
      await a.leases.stop();
      await b.leases.stop();
    }
  });

  it('replicas share the shards evenly, a Lease each', async () => {
    const store = new LeaseStore();
    const a = replica(store, 'replica-a', { shards: 4 });
    const b = replica(store, 'replica-b', { shards: 4 });
    a.leases.start();
    try {
      await until(() => a.leases.heldShards().length === 4, 'replica-a holds all four');
      b.leases.start();
      await until(
        () => a.leases.heldShards().length === 2 && b.leases.heldShards().length === 2,
        'two shards each',
      );
      const held = [...a.leases.heldShards(), ...b.leases.heldShards()].sort();
      assert.deepEqual(held, [0, 1, 2, 3], 'every shard held by exactly one replica');
    } finally {
      await a.leases.stop();
      await b.leases.stop();
    }
  });
});
