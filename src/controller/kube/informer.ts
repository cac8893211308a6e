/**
 * An informer that keeps going: `@kubernetes/client-node`'s ListWatch (list, then watch from the list's
 * resourceVersion, relist on 410 Gone) wrapped so that
 *   - an error (the API server restarting, a broken connection, a refused list) restarts it after an exponential
 *     back-off (1 s doubling to 30 s) instead of leaving it stopped, as ListWatch does on its own;
 *   - a watchdog restarts it when nothing at all (no event, no reconnect) has happened for `watchdogMs`: a watch
 *     that stalls without closing;
 *   - every `relistMs` it is replaced by a fresh list, so a missed event cannot live longer than that.
 * The cache survives restarts: a new ListWatch reports deletions against the previous list.
 */
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '../../log/log-port.ts';

export interface InformerHandlers<T> {
  onUpsert(object: T): void;
  onDelete(object: T): void;
}

export interface InformerOptions<T> {
  kubeConfig: KubeConfig;
  /** Collection path, e.g. `/apis/accord.dev/v1alpha1/tenants` or `…/namespaces/ns/tenants`. */
  path: string;
  list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;
  handlers: InformerHandlers<T>;
  logger: Logger;
  name: string;
  relistMs?: number;
  watchdogMs?: number;
  /** Called with each restart (for metrics). */
  onRestart?: (reason: 'error' | 'watchdog' | 'relist') => void;
}

const BASE_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

type Keyed = { metadata: { namespace?: string; name?: string } };

function keyOf(object: Keyed): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

export class ResilientInformer<T extends Keyed> {
  private readonly options: InformerOptions<T>;
  private current: ListWatch<KubernetesObject> | undefined;
  private known = new Map<string, T>();
  private stopped = true;
  private backoffMs = 0;
  private lastActivity = Date.now();
  private timers: NodeJS.Timeout[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private synced = false;

  constructor(options: InformerOptions<T>) {
    this.options = options;
  }

  /** Starts and resolves after the first list (or its failure, which is retried in the background); never rejects. */
  async start(): Promise<void> {
    this.stopped = false;
    const watchdogMs = this.options.watchdogMs ?? 90_000;
    this.timers.push(
      setInterval(
        () => {
          if (Date.now() - this.lastActivity > watchdogMs) this.restart('watchdog');
        },
        Math.min(watchdogMs, 10_000),
      ),
    );
    this.timers.push(setInterval(() => this.restart('relist'), this.options.relistMs ?? 10 * 60_000));
    for (const timer of this.timers) timer.unref();
    try {
      await this.launch();
    } catch (err) {
      // Setting up the watch can throw too (credentials that cannot be read right now): retried like any error.
      this.options.logger.warn('informer start failed; retrying after a back-off', {
        informer: this.options.name,
        error: (err as Error).message,
        backoffMs: this.nextBackoff(),
      });
      this.scheduleRestart();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    clearTimeout(this.restartTimer);
    const current = this.current;
    this.current = undefined;
    await current?.stop();
  }

  /** True once a list has succeeded (the cache reflects the API server at some point). */
  hasSynced(): boolean {
    return this.synced;
  }

  list(): T[] {
    return [...this.known.values()];
  }

  get(namespace: string, name: string): T | undefined {
    return this.known.get(`${namespace}/${name}`);
  }

  private async launch(): Promise<void> {
    if (this.stopped) return;
    // ListWatch's types say Date where the wire has strings; objects pass through it untouched.
    const listWatch = new ListWatch<KubernetesObject>(
      this.options.path,
      new Watch(this.options.kubeConfig),
      async () => {
        const list = await this.options.list();
        this.reconcileList(list.items);
        this.synced = true;
        return {
          apiVersion: 'v1',
          kind: 'List',
          items: list.items as unknown as KubernetesObject[],
          metadata: list.metadata ?? {},
        };
      },
      false,
    );
    const touch = (): void => {
      this.lastActivity = Date.now();
    };
    listWatch.on('add', (object) => {
      touch();
      this.backoffMs = 0;
      this.upsert(object as unknown as T);
    });
    listWatch.on('update', (object) => {
      touch();
      this.backoffMs = 0;
      this.upsert(object as unknown as T);
    });
    listWatch.on('delete', (object) => {
      touch();
      this.remove(object as unknown as T);
    });
    listWatch.on('connect', touch);
    listWatch.on('error', (err) => {
      if (this.current !== listWatch || this.stopped) return;
      this.options.logger.warn('watch failed; restarting after a back-off', {
        informer: this.options.name,
        error: (err as Error | undefined)?.message ?? String(err),
        backoffMs: this.nextBackoff(),
      });
      this.scheduleRestart();
    });
    this.current = listWatch;
    this.lastActivity = Date.now();
    await listWatch.start();
  }

  private nextBackoff(): number {
    return this.backoffMs === 0 ? BASE_BACKOFF_MS : Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }

  private scheduleRestart(): void {
    this.backoffMs = this.nextBackoff();
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => this.restart('error'), this.backoffMs);
    this.restartTimer.unref();
  }

  private restart(reason: 'error' | 'watchdog' | 'relist'): void {
    if (this.stopped) return;
    this.options.onRestart?.(reason);
    if (reason === 'watchdog')
      this.options.logger.warn('watch silent for too long; restarting', { informer: this.options.name });
    const previous = this.current;
    this.current = undefined;
    void previous?.stop();
    this.launch().catch((err: unknown) => {
      this.options.logger.warn('informer restart failed', {
        informer: this.options.name,
        error: (err as Error).message,
      });
      this.scheduleRestart();
    });
  }

  private upsert(object: T): void {
    this.known.set(keyOf(object), object);
    this.options.handlers.onUpsert(object);
  }

  private remove(object: T): void {
    this.known.delete(keyOf(object));
    this.options.handlers.onDelete(object);
  }

  /** A fresh list replaces the cache: whatever the previous one knew and this one lacks was deleted meanwhile. */
  private reconcileList(items: readonly T[]): void {
    const present = new Set(items.map(keyOf));
    for (const [key, object] of this.known) {
      if (!present.has(key)) {
        this.known.delete(key);
        this.options.handlers.onDelete(object);
      }
    }
  }
}
