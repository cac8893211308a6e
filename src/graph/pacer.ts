/**
 * Client-side pacing per path family, so a long apply sees no 429 at all. Conditional Access (policies, named
 * locations, their deleted items) is limited by Graph to about 1 request per second per tenant and its 429s carry
 * no Retry-After (graph-contract §7.4): those requests pass a token bucket. Every family can also be paused as a
 * whole after a 429 (for the Retry-After it named, or the client's own back-off) so concurrent requests of that
 * family wait instead of piling up more 429s.
 */

export type PathFamily = 'conditionalAccess' | 'directory' | 'other';

const CONDITIONAL_ACCESS =
  /^\/(identity\/conditionalaccess\/(policies|namedlocations|deleteditems)|policies\/conditionalaccesspolicies)(\/|\?|\(|$)/i;
const DIRECTORY =
  /^\/(users|groups|serviceprincipals|directoryroles|directoryroletemplates|directoryobjects|rolemanagement|applications|invitations|organization|devices|me)(\/|\?|\(|\$|$)/i;

/** The family of a path relative to the version root (`/users?…`) or of a full URL (`https://…/v1.0/users`). */
export function classifyPath(pathOrUrl: string): PathFamily {
  let path = pathOrUrl;
  if (/^https?:\/\//i.test(path)) {
    const url = new URL(path);
    path = url.pathname.replace(/^\/(v1\.0|beta)(?=\/)/i, '') + url.search;
  }
  if (CONDITIONAL_ACCESS.test(path)) return 'conditionalAccess';
  if (DIRECTORY.test(path)) return 'directory';
  return 'other';
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A token bucket whose waiters are served in arrival order. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly perMs: number;
  private readonly capacity: number;
  private readonly clock: Clock;

  constructor(options: { perSecond: number; burst: number; clock: Clock }) {
    this.perMs = options.perSecond / 1000;
    this.capacity = Math.max(1, options.burst);
    this.clock = options.clock;
    this.tokens = this.capacity;
    this.last = options.clock.now();
  }

  /** Waits for a token; resolves with the milliseconds waited. */
  acquire(): Promise<number> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** Empties the bucket (after a 429, the server's budget is clearly spent). */
  drain(): void {
    this.refill();
    this.tokens = 0;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
  }

  private async take(): Promise<number> {
    this.refill();
    let waited = 0;
    if (this.tokens < 1) {
      waited = Math.ceil((1 - this.tokens) / this.perMs);
      await this.clock.sleep(waited);
      this.refill();
    }
    this.tokens = Math.max(0, this.tokens - 1);
    return waited;
  }
}

export interface PacerOptions {
  /** Conditional Access requests per second (default 1, Graph's per-tenant limit). */
  conditionalAccessPerSecond?: number;
  /** Conditional Access requests allowed back to back (default 1). */
  conditionalAccessBurst?: number;
  clock?: Clock;
}

export class Pacer {
  private readonly clock: Clock;
  private readonly conditionalAccess: TokenBucket;
  private readonly pausedUntil = new Map<PathFamily, number>();

  constructor(options: PacerOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.conditionalAccess = new TokenBucket({
      perSecond: options.conditionalAccessPerSecond ?? 1,
      burst: options.conditionalAccessBurst ?? 1,
      clock: this.clock,
    });
  }

  /** Waits until a request of this family may be sent; resolves with the milliseconds waited. */
  async waitTurn(family: PathFamily): Promise<number> {
    let waited = await this.waitPause(family);
    if (family === 'conditionalAccess') {
      waited += await this.conditionalAccess.acquire();
      // A pause may have started while this request waited in the bucket's queue.
      waited += await this.waitPause(family);
    }
    return waited;
  }

  /** Holds every request of the family for `ms` (a 429's Retry-After, or the client's own back-off). */
  pause(family: PathFamily, ms: number): void {
    const until = this.clock.now() + ms;
    this.pausedUntil.set(family, Math.max(this.pausedUntil.get(family) ?? 0, until));
    if (family === 'conditionalAccess') this.conditionalAccess.drain();
  }

  private async waitPause(family: PathFamily): Promise<number> {
    const until = this.pausedUntil.get(family) ?? 0;
    const wait = until - this.clock.now();
    if (wait <= 0) return 0;
    await this.clock.sleep(wait);
    return wait;
  }
}
