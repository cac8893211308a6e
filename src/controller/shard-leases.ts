/**
 * Leader election per shard with coordination.k8s.io/v1 Leases named `accord-shard-<i>` (i = 0..N-1; one shard is
 * plain leader election). Timing as client-go's: a lease is held for `leaseDurationMs` after its holder's last
 * renewal as *observed locally* (never comparing clocks across machines), renewed every `retryPeriodMs`, and given
 * up when it could not be renewed for `renewDeadlineMs`. Writes use the lease's resourceVersion, so two replicas
 * can never both win one lease.
 *
 * Sharing: a replica takes free shards up to its fair share, ceil(N / replicas), where the replicas are the live
 * holders plus the contenders. A replica that holds fewer than its share while every shard is taken marks itself a
 * contender on a lease of the busiest holder (annotation `accord.dev/contender`); that holder then releases one
 * lease, which the contender takes. So a new replica gets its share within a few retry periods, and the shards of a
 * replica that died are taken once its leases expire.
 */
import type { Logger } from '../log/log-port.ts';
import { isConflict, isNotFound, type KubeRest } from './kube/kube-rest.ts';

export const SHARD_LEASE_PREFIX = 'accord-shard-';
const CONTENDER_ANNOTATION = 'accord.dev/contender';

export interface LeaseTiming {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
  spec: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

interface Observation {
  lease: Lease | undefined;
  /** Local time the holder/renewTime last changed. */
  observedAt: number;
  version: string;
}

export interface ShardLeaseOptions {
  rest: KubeRest;
  namespace: string;
  identity: string;
  shards: number;
  timing: LeaseTiming;
  logger: Logger;
  onAcquired(shard: number): void;
  onLost(shard: number): void;
}

/** A stable shard for a key (FNV-1a of `namespace/name`): the same on every replica and every restart. */
export function shardOf(key: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

export function shardLeaseName(shard: number): string {
  return `${SHARD_LEASE_PREFIX}${shard}`;
}

function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class ShardLeases {
  private readonly options: ShardLeaseOptions;
  private readonly held = new Map<number, { lastRenew: number; lease: Lease }>();
  private readonly observed = new Map<number, Observation>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private round: Promise<void> = Promise.resolve();

  constructor(options: ShardLeaseOptions) {
    this.options = options;
  }

  holds(shard: number): boolean {
    const held = this.held.get(shard);
    return held !== undefined && Date.now() - held.lastRenew < this.options.timing.renewDeadlineMs;
  }

  heldShards(): number[] {
    return [...this.held.keys()].filter((s) => this.holds(s)).sort((a, b) => a - b);
  }

  /** Who holds a shard as last observed; undefined when it is free or its holder stopped renewing. */
  holderOf(shard: number): string | undefined {
    if (this.holds(shard)) return this.options.identity;
    const observation = this.observed.get(shard);
    const holder = observation?.lease?.spec.holderIdentity;
    if (!observation || !holder || holder === this.options.identity) return undefined;
    return Date.now() - observation.observedAt < this.options.timing.leaseDurationMs ? holder : undefined;
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Stops renewing and releases every lease held (graceful shutdown: the next replica need not wait). */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.round;
    await Promise.all([...this.held.keys()].map((shard) => this.release(shard)));
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.round = this.runRound()
        .catch((err: unknown) =>
          this.options.logger.warn('lease round failed', { error: (err as Error).message }),
        )
        .finally(() => this.schedule(this.nextDelay()));
    }, delayMs);
  }

  /** The next round: the retry period, or sooner when an observed lease expires before that. */
  private nextDelay(): number {
    const { retryPeriodMs, leaseDurationMs } = this.options.timing;
    let delay = retryPeriodMs;
    const now = Date.now();
    for (const [shard, observation] of this.observed) {
      if (this.held.has(shard) || !observation.lease?.spec.holderIdentity) continue;
      const expiresIn = observation.observedAt + leaseDurationMs - now + 50;
      if (expiresIn > 0) delay = Math.min(delay, expiresIn);
    }
    return Math.max(50, delay);
  }

  private async runRound(): Promise<void> {
    const { shards, identity } = this.options;
    const leases = await Promise.all(
      Array.from({ length: shards }, (_, shard) => this.read(shard).catch(() => undefined)),
    );
    // Shards whose renewal has been failing past the deadline are lost.
    for (const shard of [...this.held.keys()]) if (!this.holds(shard)) this.lose(shard);
    const now = Date.now();
    const liveHolder = (shard: number): string | undefined => {
      const observation = this.observed.get(shard);
      const holder = observation?.lease?.spec.holderIdentity;
      if (!holder) return undefined;
      if (holder === identity) return this.held.has(shard) ? identity : undefined;
      return now - observation.observedAt < this.options.timing.leaseDurationMs ? holder : undefined;
    };
    const replicas = new Set<string>([identity]);
    for (let shard = 0; shard < shards; shard++) {
      const holder = liveHolder(shard);
      if (holder) replicas.add(holder);
      const contender = this.contenderOf(leases[shard]);
      if (contender) replicas.add(contender);
    }
    const fair = Math.ceil(shards / replicas.size);

    // Renew what we hold; release beyond our share when someone is waiting for it.
    let surplus = this.held.size - fair;
    for (const shard of [...this.held.keys()]) {
      const lease = leases[shard];
      const contender = this.contenderOf(lease);
      if (surplus > 0 && contender && contender !== identity) {
        surplus--;
        await this.release(shard);
        continue;
      }
      await this.renew(shard);
    }
    // Take free shards up to our share.
    let wanted = fair - this.held.size;
    for (let shard = 0; shard < shards && wanted > 0; shard++) {
      if (this.held.has(shard) || liveHolder(shard)) continue;
      if (await this.acquire(shard)) wanted--;
    }
    // Still short: ask the busiest holder for one.
    if (wanted > 0) await this.contend(liveHolder);
  }

  private contenderOf(lease: Lease | undefined): string | undefined {
    const value = lease?.metadata.annotations?.[CONTENDER_ANNOTATION];
    if (!value) return undefined;
    const [who, at] = value.split('@');
    if (!who || Date.now() - Date.parse(at ?? '') > this.options.timing.leaseDurationMs) return undefined;
    return who;
  }

  private async contend(liveHolder: (shard: number) => string | undefined): Promise<void> {
    const counts = new Map<string, number[]>();
    for (let shard = 0; shard < this.options.shards; shard++) {
      const holder = liveHolder(shard);
      if (!holder || holder === this.options.identity) continue;
      counts.set(holder, [...(counts.get(holder) ?? []), shard]);
    }
    const busiest = [...counts.values()].sort((a, b) => b.length - a.length)[0];
    if (!busiest || busiest.length <= this.held.size + 1) return;
    const shard = busiest[busiest.length - 1]!;
    const lease = this.observed.get(shard)?.lease;
    if (!lease) return;
    const marked: Lease = {
      ...lease,
      metadata: {
        ...lease.metadata,
        annotations: {
          ...(lease.metadata.annotations ?? {}),
          [CONTENDER_ANNOTATION]: `${this.options.identity}@${new Date().toISOString()}`,
        },
      },
    };
    await this.write(shard, marked).catch(() => undefined);
  }

  private path(shard?: number): string {
    const base = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.options.namespace)}/leases`;
    return shard === undefined ? base : `${base}/${shardLeaseName(shard)}`;
  }

  private async read(shard: number): Promise<Lease | undefined> {
    let lease: Lease | undefined;
    try {
      lease = await this.options.rest.get<Lease>(this.path(shard));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.observe(shard, lease);
    return lease;
  }

  private observe(shard: number, lease: Lease | undefined): void {
    const version = `${lease?.spec.holderIdentity ?? ''}|${lease?.spec.renewTime ?? ''}`;
    const previous = this.observed.get(shard);
    if (!previous || previous.version !== version)
      this.observed.set(shard, { lease, observedAt: Date.now(), version });
    else previous.lease = lease;
  }

  private spec(previous: Lease | undefined, now: Date): Lease['spec'] {
    const same = previous?.spec.holderIdentity === this.options.identity;
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: Math.ceil(this.options.timing.leaseDurationMs / 1000),
      acquireTime: same && previous?.spec.acquireTime ? previous.spec.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (previous?.spec.leaseTransitions ?? 0) + (same || !previous ? 0 : 1),
    };
  }

  private async acquire(shard: number): Promise<boolean> {
    const previous = this.observed.get(shard)?.lease;
    const now = new Date();
    try {
      let lease: Lease;
      if (!previous) {
        lease = await this.options.rest.post<Lease>(this.path(), {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: shardLeaseName(shard), namespace: this.options.namespace },
          spec: this.spec(undefined, now),
        });
      } else {
        const annotations = Object.fromEntries(
          Object.entries(previous.metadata.annotations ?? {}).filter(([k]) => k !== CONTENDER_ANNOTATION),
        );
        lease = await this.write(shard, {
          ...previous,
          metadata: { ...previous.metadata, annotations },
          spec: this.spec(previous, now),
        });
      }
      this.held.set(shard, { lastRenew: Date.now(), lease });
      this.observe(shard, lease);
      this.options.logger.info('acquired shard lease', { lease: shardLeaseName(shard) });
      this.options.onAcquired(shard);
      return true;
    } catch (err) {
      if (!isConflict(err) && !(err as { status?: number }).status)
        this.options.logger.warn('could not acquire lease', {
          lease: shardLeaseName(shard),
          error: (err as Error).message,
        });
      return false;
    }
  }

  private async renew(shard: number): Promise<void> {
    const held = this.held.get(shard);
    if (!held) return;
    const current = this.observed.get(shard)?.lease ?? held.lease;
    if (current.spec.holderIdentity !== this.options.identity) {
      // Someone else holds it now (we were too slow to renew): it is theirs.
      this.lose(shard);
      return;
    }
    try {
      const lease = await this.write(shard, { ...current, spec: this.spec(current, new Date()) });
      held.lastRenew = Date.now();
      held.lease = lease;
      this.observe(shard, lease);
    } catch (err) {
      this.options.logger.debug('lease renewal failed', {
        lease: shardLeaseName(shard),
        error: (err as Error).message,
      });
    }
  }

  private async release(shard: number): Promise<void> {
    const held = this.held.get(shard);
    if (!held) return;
    this.lose(shard);
    const current = this.observed.get(shard)?.lease ?? held.lease;
    try {
      await this.write(shard, {
        ...current,
        spec: {
          ...current.spec,
          holderIdentity: null,
          leaseDurationSeconds: 1,
          renewTime: microTime(new Date()),
        },
      });
      this.options.logger.info('released shard lease', { lease: shardLeaseName(shard) });
    } catch {
      // It expires on its own.
    }
  }

  private lose(shard: number): void {
    if (!this.held.delete(shard)) return;
    this.options.logger.info('lost shard lease', { lease: shardLeaseName(shard) });
    this.options.onLost(shard);
  }

  private async write(shard: number, lease: Lease): Promise<Lease> {
    const written = await this.options.rest.put<Lease>(this.path(shard), lease);
    this.observe(shard, written);
    return written;
  }
}
