/**
 * The controller's work queue, with client-go's guarantees: a key is queued at most once however often it is added
 * (dirty set); a key being processed is never handed to a second worker — an add meanwhile is kept and queued again
 * when the first worker is done; failures are requeued with a per-key exponential back-off (`addRateLimited`,
 * reset by `forget`); `addAfter` schedules a key (periodic resync), keeping the earliest time when scheduled twice.
 */

export interface QueueMetrics {
  depth(depth: number): void;
  added(): void;
  retried(): void;
  /** Seconds a key waited in the queue before a worker took it. */
  waited(seconds: number): void;
  /** Seconds a worker held a key. */
  worked(seconds: number): void;
}

export interface WorkQueueOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  metrics?: QueueMetrics;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly addedAt = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private waiters: ((key: string | undefined) => void)[] = [];
  private shuttingDown = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly metrics: QueueMetrics | undefined;

  constructor(options: WorkQueueOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 300_000;
    this.metrics = options.metrics;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.metrics?.added();
    this.dirty.add(key);
    this.addedAt.set(key, performance.now());
    if (this.processing.has(key)) return;
    this.push(key);
  }

  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.delayed.set(key, { at, timer });
  }

  /** Requeue after a failure: 1 s, 2 s, 4 s … up to the maximum (5 min), per key. */
  addRateLimited(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    const delay = Math.min(this.baseDelayMs * 2 ** failures, this.maxDelayMs);
    this.metrics?.retried();
    this.addAfter(key, delay);
    return delay;
  }

  /** The key succeeded: its back-off starts over. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key, or undefined once the queue shuts down. The caller must call `done(key)`. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.processing.delete(key);
    const started = this.startedAt.get(key);
    this.startedAt.delete(key);
    if (started !== undefined) this.metrics?.worked((performance.now() - started) / 1000);
    if (this.dirty.has(key)) this.push(key);
  }

  /** Drops a queued (not processing) key and its scheduled adds: its shard is no longer ours. */
  remove(key: string): void {
    const delayed = this.delayed.get(key);
    if (delayed) clearTimeout(delayed.timer);
    this.delayed.delete(key);
    this.failures.delete(key);
    if (this.processing.has(key)) return;
    this.dirty.delete(key);
    const index = this.queue.indexOf(key);
    if (index >= 0) this.queue.splice(index, 1);
    this.metrics?.depth(this.queue.length);
  }

  keys(): string[] {
    return [...new Set([...this.queue, ...this.processing, ...this.delayed.keys()])];
  }

  len(): number {
    return this.queue.length;
  }

  isProcessing(key: string): boolean {
    return this.processing.has(key);
  }

  /** How long each key being processed has been held so far, in seconds (stuck workers show here). */
  inFlightSeconds(): number[] {
    const now = performance.now();
    return [...this.startedAt.values()].map((started) => (now - started) / 1000);
  }

  /** Stops handing out keys; workers finish what they hold. */
  shutdown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(undefined);
  }

  private push(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(this.take(key));
      return;
    }
    this.queue.push(key);
    this.metrics?.depth(this.queue.length);
  }

  private take(key: string): string {
    const index = this.queue.indexOf(key);
    if (index >= 0) this.queue.splice(index, 1);
    this.dirty.delete(key);
    this.processing.add(key);
    this.startedAt.set(key, performance.now());
    const added = this.addedAt.get(key);
    this.addedAt.delete(key);
    if (added !== undefined) this.metrics?.waited((performance.now() - added) / 1000);
    this.metrics?.depth(this.queue.length);
    return key;
  }
}
