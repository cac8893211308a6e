/**
 * Graph's throttling as the local tenant models it (graph-contract §7.4):
 * - Conditional Access and named locations: about 1 request per second per tenant across all apps, and the 429
 *   carries no Retry-After (clients must pace themselves).
 * - Directory reads/writes: resource units per app and tenant (3,500 per 10 s for a small tenant), 429 with
 *   Retry-After.
 * - Invitations: 150 per 5 s per tenant; user flows: 300 per minute per tenant.
 */
import type { ThrottleFamily } from './graph-types.ts';

export interface ThrottleOptions {
  enabled: boolean;
  /** Conditional Access requests per second per tenant (default 1). */
  conditionalAccessPerSecond?: number;
  /** How many CA requests may arrive back to back before pacing applies (default 2). */
  conditionalAccessBurst?: number;
  /** Directory resource units refilled per second per app and tenant (default 350: 3,500 per 10 s). */
  directoryUnitsPerSecond?: number;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number | undefined };

class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly perMs: number;
  constructor(capacity: number, perSecond: number) {
    this.capacity = capacity;
    this.perMs = perSecond / 1000;
    this.tokens = capacity;
    this.last = performance.now();
  }

  take(cost: number): number | undefined {
    const now = performance.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return undefined;
    }
    return (cost - this.tokens) / this.perMs;
  }
}

/** Resource-unit cost of a directory request (graph-contract §7.4). */
export function directoryCost(method: string, path: string, query: URLSearchParams): number {
  let cost = 1;
  const p = path.toLowerCase();
  if (method === 'GET') {
    if (/^\/users\/?$/.test(p)) cost = 2;
    else if (p.endsWith('/transitivemembers')) cost = 5;
    else if (p.endsWith('/members')) cost = 3;
    else if (p.endsWith('/transitivememberof')) cost = 2;
    if (query.has('$select')) cost -= 1;
    if (query.has('$expand')) cost += 1;
    const top = Number(query.get('$top') ?? '100');
    if (top < 20) cost -= 1;
  } else if (p.endsWith('/ismemberof')) {
    cost = 4;
  }
  return Math.max(1, cost);
}

export class Throttle {
  private options: ThrottleOptions;
  private readonly buckets = new Map<string, TokenBucket>();
  /** 429s answered, by family. */
  readonly throttled = new Map<ThrottleFamily, number>();

  constructor(options: ThrottleOptions) {
    this.options = options;
  }

  configure(options: ThrottleOptions): void {
    this.options = options;
    this.buckets.clear();
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  private bucket(key: string, capacity: number, perSecond: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(capacity, perSecond);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  check(
    family: ThrottleFamily,
    scope: { tenantId: string; clientId: string; cost: number },
  ): ThrottleDecision {
    if (!this.options.enabled || family === 'none') return { allowed: true };
    let waitMs: number | undefined;
    let sendRetryAfter = true;
    if (family === 'conditionalAccess') {
      const rate = this.options.conditionalAccessPerSecond ?? 1;
      const burst = this.options.conditionalAccessBurst ?? 2;
      waitMs = this.bucket(`ca:${scope.tenantId}`, burst, rate).take(1);
      sendRetryAfter = false;
    } else if (family === 'directory') {
      waitMs = this.bucket(
        `dir:${scope.tenantId}:${scope.clientId}`,
        3500,
        this.options.directoryUnitsPerSecond ?? 350,
      ).take(scope.cost);
    } else if (family === 'invitations') {
      waitMs = this.bucket(`inv:${scope.tenantId}`, 150, 30).take(1);
    } else {
      waitMs = this.bucket(`flows:${scope.tenantId}`, 300, 5).take(1);
    }
    if (waitMs === undefined) return { allowed: true };
    this.throttled.set(family, (this.throttled.get(family) ?? 0) + 1);
    return {
      allowed: false,
      retryAfterSeconds: sendRetryAfter ? Math.max(1, Math.ceil(waitMs / 1000)) : undefined,
    };
  }
}
