/**
 * Graph's throttling as the local tenant models it (graph-contract §7.4, ADR 0003):
 * - Conditional Access and named locations: about 1 request per second per tenant across all apps, and the 429
 *   carries no Retry-After (clients must pace themselves).
 * - Directory resources: token buckets of resource units per app and tenant (3,500 / 5,000 / 8,000 per 10 s for
 *   tenants under 50, up to 500 and over 500 users), 150,000 per 20 s per app, and write quotas (3,000 per 150 s per
 *   app and tenant, 18,000 per 5 min per tenant). Every directory answer carries `x-ms-resource-unit`, and
 *   `x-ms-throttle-limit-percentage` once more than 80% of a budget is used; a 429 carries Retry-After,
 *   `x-ms-throttle-scope` and `x-ms-throttle-information`.
 * - Invitations: 150 per 5 s per tenant; user flows: 300 per minute per tenant and 200 per minute per app.
 */
import type { ThrottleFamily } from './graph-types.ts';

export interface ThrottleOptions {
  enabled: boolean;
  /** Conditional Access requests per second per tenant (default 1). */
  conditionalAccessPerSecond?: number;
  /** How many CA requests may arrive back to back before pacing applies (default 2). */
  conditionalAccessBurst?: number;
  /** Directory resource units refilled per second per app and tenant (default: a tenth of the size's budget). */
  directoryUnitsPerSecond?: number;
}

export interface ThrottleScope {
  tenantId: string;
  clientId: string;
  /** Resource units of the request (`directoryCost`). */
  cost: number;
  /** POST, PATCH, PUT or DELETE: also counts against the write quotas. */
  write?: boolean;
  /** Users in the tenant, which sets the app+tenant budget (default: a small tenant). */
  directorySize?: number;
}

export type ThrottleDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; retryAfterSeconds: number | undefined; headers: Record<string, string> };

class TokenBucket {
  private tokens: number;
  private last: number;
  readonly capacity: number;
  private readonly perMs: number;
  constructor(capacity: number, perSecond: number) {
    this.capacity = capacity;
    this.perMs = perSecond / 1000;
    this.tokens = capacity;
    this.last = performance.now();
  }

  /** Milliseconds until `cost` tokens are there (0 when they are). */
  waitFor(cost: number): number {
    const now = performance.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    return this.tokens >= cost ? 0 : (cost - this.tokens) / this.perMs;
  }

  consume(cost: number): void {
    this.tokens -= cost;
  }

  /** The share of the budget in use, 0 (full bucket) to 1 (empty). */
  get usage(): number {
    return 1 - this.tokens / this.capacity;
  }
}

/** One budget a request counts against, with the names Graph gives it on a 429. */
interface Budget {
  key: string;
  capacity: number;
  perSecond: number;
  cost: number;
  scope: string;
  information: string;
}

/** Resource-unit cost of a directory request (graph-contract §7.4, throttling-limits). */
export function directoryCost(method: string, path: string, query: URLSearchParams): number {
  const p = path.toLowerCase();
  let cost = 1;
  if (method === 'GET') {
    if (/^\/users\/?$/.test(p)) cost = 2;
    else if (p.endsWith('/transitivemembers')) cost = 5;
    else if (p.endsWith('/members')) cost = 3;
    else if (p.endsWith('/transitivememberof') || p.endsWith('/memberof')) cost = 2;
    if (query.has('$select')) cost -= 1;
    if (query.has('$expand')) cost += 1;
    const top = Number(query.get('$top') ?? '100');
    if (top < 20) cost -= 1;
  } else if (p.endsWith('/ismemberof') || p.endsWith('/checkmembergroups')) {
    cost = 4;
  } else if (p.endsWith('/directoryobjects/getbyids')) {
    cost = 3;
  } else if (p.endsWith('/getmembergroups')) {
    cost = 2;
  }
  return Math.max(1, cost);
}

/** The app+tenant resource-unit budget per 10 s by tenant size (S under 50 users, M up to 500, L above). */
export function directoryBudget(users: number): number {
  if (users < 50) return 3_500;
  return users <= 500 ? 5_000 : 8_000;
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

  private bucket(budget: Budget): TokenBucket {
    const key = `${budget.key}:${budget.capacity}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(budget.capacity, budget.perSecond);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private directoryBudgets(scope: ThrottleScope): Budget[] {
    const { tenantId: tenant, clientId: app } = scope;
    const perSecond = this.options.directoryUnitsPerSecond ?? directoryBudget(scope.directorySize ?? 0) / 10;
    const units = 'ResourceUnitLimitExceeded';
    const budgets: Budget[] = [
      {
        key: `dir:${tenant}:${app}`,
        capacity: perSecond * 10,
        perSecond,
        cost: scope.cost,
        scope: `Tenant_Application/ReadWrite/${app}/${tenant}`,
        information: units,
      },
      {
        key: `dir-app:${app}`,
        capacity: 150_000,
        perSecond: 7_500,
        cost: scope.cost,
        scope: `Application/ReadWrite/${app}/${tenant}`,
        information: units,
      },
    ];
    if (scope.write) {
      const writes = 'WriteLimitExceeded';
      budgets.push(
        {
          key: `dirw:${tenant}:${app}`,
          capacity: 3_000,
          perSecond: 20,
          cost: 1,
          scope: `Tenant_Application/Write/${app}/${tenant}`,
          information: writes,
        },
        {
          key: `dirw-app:${app}`,
          capacity: 70_000,
          perSecond: 70_000 / 300,
          cost: 1,
          scope: `Application/Write/${app}/${tenant}`,
          information: writes,
        },
        {
          key: `dirw-tenant:${tenant}`,
          capacity: 18_000,
          perSecond: 60,
          cost: 1,
          scope: `Tenant/Write/${app}/${tenant}`,
          information: writes,
        },
      );
    }
    return budgets;
  }

  private budgets(family: ThrottleFamily, scope: ThrottleScope): Budget[] {
    const { tenantId: tenant, clientId: app } = scope;
    const simple = (key: string, capacity: number, perSecond: number, where: string): Budget => ({
      key,
      capacity,
      perSecond,
      cost: 1,
      scope: where,
      information: 'RequestLimitExceeded',
    });
    switch (family) {
      case 'conditionalAccess':
        return [
          simple(
            `ca:${tenant}`,
            this.options.conditionalAccessBurst ?? 2,
            this.options.conditionalAccessPerSecond ?? 1,
            `Tenant/ReadWrite/${app}/${tenant}`,
          ),
        ];
      case 'directory':
        return this.directoryBudgets(scope);
      case 'invitations':
        return [simple(`inv:${tenant}`, 150, 30, `Tenant/ReadWrite/${app}/${tenant}`)];
      case 'userFlows':
        return [
          simple(`flows:${tenant}`, 300, 5, `Tenant/ReadWrite/${app}/${tenant}`),
          simple(
            `flows-app:${tenant}:${app}`,
            200,
            200 / 60,
            `Tenant_Application/ReadWrite/${app}/${tenant}`,
          ),
        ];
      default:
        return [];
    }
  }

  check(family: ThrottleFamily, scope: ThrottleScope): ThrottleDecision {
    const headers: Record<string, string> =
      family === 'directory' ? { 'x-ms-resource-unit': String(scope.cost) } : {};
    if (!this.options.enabled) return { allowed: true, headers };
    const budgets = this.budgets(family, scope).map((budget) => ({ budget, bucket: this.bucket(budget) }));
    // Nothing is taken unless every budget has room, so a refused request costs nothing.
    const waits = budgets.map(({ budget, bucket }) => ({ budget, wait: bucket.waitFor(budget.cost) }));
    const blocking = waits.reduce<(typeof waits)[number] | undefined>(
      (worst, next) => (next.wait > 0 && (!worst || next.wait > worst.wait) ? next : worst),
      undefined,
    );
    if (blocking) {
      this.throttled.set(family, (this.throttled.get(family) ?? 0) + 1);
      if (family === 'conditionalAccess')
        return { allowed: false, retryAfterSeconds: undefined, headers: {} };
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil(blocking.wait / 1000)),
        headers:
          family === 'directory'
            ? {
                ...headers,
                'x-ms-throttle-scope': blocking.budget.scope,
                'x-ms-throttle-information': blocking.budget.information,
              }
            : {},
      };
    }
    for (const { budget, bucket } of budgets) bucket.consume(budget.cost);
    if (family === 'directory') {
      const usage = Math.max(...budgets.map(({ bucket }) => bucket.usage));
      if (usage > 0.8) headers['x-ms-throttle-limit-percentage'] = usage.toFixed(2);
    }
    return { allowed: true, headers };
  }
}
