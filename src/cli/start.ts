/**
 * `npm start`: the main job on the embedded default. Starts the local tenant with the demo directory (state under
 * `policies/.accord/`), serves it on a port so people and tools can talk to it, and reconciles the example policy
 * repository: prints the plan, applies it, then watches for manifest changes and drift. The web console shows it
 * all on 127.0.0.1:4041 (a free port when that one is taken).
 */
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/accord-config.ts';
import { demoDirectory } from '../tenant/seed/demo.ts';
import { removeServerRecord, writeServerRecord } from '../tenant/server-record.ts';
import { startLocalTenant } from '../tenant/server.ts';
import type { ConsoleAddress } from '../console/reconcile-feed.ts';
import { runReconcile } from './commands/reconcile-command.ts';
import { registerInProcessTenant } from './connection.ts';
import { makeLogger } from './program.ts';
import { announce, waitForSignal } from './tenant-serve.ts';

export interface StartOptions {
  port: number;
  dir: string;
  interval: number;
  /** The web console's address; false serves none. */
  console: ConsoleAddress | false;
  /** The address was the default: take a free port if it is in use. */
  consoleIsDefault?: boolean;
  consoleAllowActions?: boolean;
}

export async function runStart(opts: StartOptions): Promise<number> {
  const dir = resolve(opts.dir);
  const { config } = loadConfig(dir);
  const dataDir = resolve(dir, config.localTenant.dataDir ?? join('.accord', 'local-tenant'));
  const tenant = await startLocalTenant({
    port: opts.port,
    dataDir,
    seeds: [demoDirectory({ flavor: 'workforce' })],
  });
  registerInProcessTenant(dataDir, tenant);
  writeServerRecord(dataDir, tenant);
  // Listen for signals before announcing: whoever reads the ready text may stop us at once.
  const stopped = waitForSignal();
  announce(tenant, 'text');
  process.stdout.write(`Reconciling ${dir} into it. Press Ctrl+C to stop.\n`);
  const code = await runReconcile(
    {
      dir,
      watch: true,
      interval: opts.interval,
      drift: 'correct',
      ...(opts.console
        ? {
            console: {
              ...opts.console,
              allowActions: opts.consoleAllowActions ?? false,
              anyPortIfTaken: opts.consoleIsDefault ?? false,
            },
          }
        : {}),
    },
    makeLogger({ logLevel: 'warn', logFormat: 'text' }),
    stopped,
  );
  removeServerRecord(dataDir);
  await tenant.close();
  return code;
}
