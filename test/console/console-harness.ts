/**
 * Test harness for the web console: a real local tenant on loopback (the demo directory, in memory), registered as
 * the embedded tenant of a temporary copy of `policies/`, and the real reconcile loop (`runReconcile --watch`) with
 * the console on a free loopback port. Polls the console's JSON twin to wait for what a test needs.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReconcile, type DriftMode } from '../../src/cli/commands/reconcile-command.ts';
import { registerInProcessTenant } from '../../src/cli/connection.ts';
import { createLogger } from '../../src/log/logger.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

export interface ConsoleLoop {
  dir: string;
  tenant: TestTenant;
  readonly url: string;
  /** GET a console path and parse the JSON. */
  json<T = any>(path: string): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests index freely
  /** Polls `check` (which returns a value when satisfied) until it does, or fails after `timeoutMs`. */
  waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  /** The status of every resource, once the tenant is Ready and every managed resource has its Graph id. */
  waitReady(): Promise<StatusJson>;
  policyId(name: string): Promise<string>;
  /** Stops the reconcile loop and starts a new one on the same repository and tenant (`url` changes). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface ResourceJson {
  kind: string;
  name: string;
  displayName: string;
  id?: string;
  state: string;
  fields: string[];
  lastApplied?: string;
}

export interface StatusJson {
  version: number;
  tenants: { name: string; status: string; resources: ResourceJson[]; lastPass?: { trigger: string } }[];
}

export interface LoopOptions {
  drift: DriftMode;
  /** Seconds between drift checks. */
  interval: number;
  allowActions: boolean;
}

const REPO_POLICIES = join(process.cwd(), 'policies');

export async function startConsoleLoop(options: LoopOptions): Promise<ConsoleLoop> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-console-'));
  cpSync(REPO_POLICIES, dir, { recursive: true, filter: (src) => !src.includes('.accord') });
  const tenant = await startTestTenant();
  registerInProcessTenant(join(dir, '.accord', 'local-tenant'), tenant.tenant);
  const launch = async (): Promise<{ url: string; stop: () => Promise<void> }> => {
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let consoleUrl: string | undefined;
    const done = runReconcile(
      {
        dir,
        watch: true,
        interval: options.interval,
        drift: options.drift,
        console: { host: '127.0.0.1', port: 0, allowActions: options.allowActions },
      },
      createLogger({ level: 'error', format: 'text' }),
      stopped,
      { onConsole: (url) => (consoleUrl = url) },
    );
    const started = Date.now();
    while (!consoleUrl) {
      if (Date.now() - started > 30_000) throw new Error('the console did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    return {
      url: consoleUrl.replace(/\/$/, ''),
      stop: async () => {
        stop();
        await done;
      },
    };
  };
  let running = await launch();

  const json = async <T>(path: string): Promise<T> => {
    const reply = await fetch(`${running.url}${path}`);
    return (await reply.json()) as T;
  };
  const waitFor = async <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const value = await check();
        if (value !== undefined) return value;
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const waitReady = () =>
    waitFor('every resource in sync', async () => {
      const status = (await json('/api/status')) as StatusJson;
      const t = status.tenants[0];
      const managed = t?.resources.filter((r) => r.state !== 'unmanaged') ?? [];
      const ready =
        t?.status === 'Ready' && managed.length > 0 && managed.every((r) => r.state === 'inSync' && r.id);
      return ready ? status : undefined;
    });
  const policyId = async (name: string) => {
    const status = (await json('/api/status')) as StatusJson;
    const found = status.tenants[0]?.resources.find((r) => r.name === name);
    if (!found?.id) throw new Error(`no id for ${name}`);
    return found.id;
  };
  return {
    dir,
    tenant,
    get url() {
      return running.url;
    },
    json,
    waitFor,
    waitReady,
    policyId,
    async restart() {
      await running.stop();
      running = await launch();
    },
    async stop() {
      await running.stop();
      await tenant.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
