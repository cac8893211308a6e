/**
 * The console as the reconcile loop hosts it (`accord reconcile --watch --console`, `npm start`): one tenant, fed
 * after every pass; What If answered from the repository and its tenant; actions scheduled as loop passes. The
 * drift history is kept beside the inventory (`.accord/drift-history.json`), so a restart does not lose it.
 */
import type { ReconcileOptions, ReconcileOutcome, Trigger } from '../cli/commands/reconcile-command.ts';
import { UserError } from '../cli/errors.ts';
import { openWorkspace } from '../cli/workspace.ts';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../log/log-port.ts';
import { ConsoleState } from './console-state.ts';
import { DriftHistoryFileStore } from './drift-history-file.ts';
import { startConsole } from './server.ts';
import { workspaceWhatIf, type Exclusive } from './workspace-whatif.ts';

export const DEFAULT_CONSOLE_HOST = '127.0.0.1';
export const DEFAULT_CONSOLE_PORT = 4041;

export interface ConsoleAddress {
  host: string;
  port: number;
}

export interface ConsoleSettings extends ConsoleAddress {
  allowActions: boolean;
  /** When the port is taken, listen on a free one instead of failing (the default address of `npm start`). */
  anyPortIfTaken?: boolean;
}

/** `host:port`, `[v6]:port`, `:port` or a port alone; `true` (the flag without a value) is 127.0.0.1:4041. */
export function parseConsoleAddress(value: string | true): ConsoleAddress {
  if (value === true || value.trim() === '')
    return { host: DEFAULT_CONSOLE_HOST, port: DEFAULT_CONSOLE_PORT };
  const text = value.trim();
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port > 65535)
    throw new UserError(`--console takes host:port, e.g. 127.0.0.1:4041 or :4041 (got '${text}')`);
  return { host: match[1] || match[2] || DEFAULT_CONSOLE_HOST, port };
}

const TRIGGER_WORDS: Record<Trigger, string> = {
  start: 'start',
  change: 'manifests changed',
  interval: 'drift check',
  check: 'drift check requested in the console',
  apply: 'apply requested in the console',
  verify: 'check after apply',
};

export interface ReconcileConsole {
  url: string;
  state: ConsoleState;
  begin(trigger: Trigger): void;
  record(trigger: Trigger, startedAt: string, outcome: ReconcileOutcome, error?: string): void;
  close(): Promise<void>;
}

export interface LoopHandles {
  logger: Logger;
  exclusive: Exclusive;
  schedule: (trigger: Trigger) => void;
}

export async function serveReconcileConsole(
  options: ReconcileOptions,
  settings: ConsoleSettings,
  loop: LoopHandles,
): Promise<ReconcileConsole> {
  const workspace = openWorkspace(options);
  const tenant = { name: options.tenant ?? workspace.config.defaultTenant ?? 'local' };
  const history = new DriftHistoryFileStore(
    join(dirname(resolve(workspace.dir, workspace.config.ownership.inventory)), 'drift-history.json'),
    loop.logger,
  );
  const state = new ConsoleState({ onDriftHistory: (name, checks) => history.save(name, checks) });
  state.addTenant(tenant, workspace.dir, options.drift);
  state.restoreDriftHistory(tenant, history.load(tenant.name));
  state.setWhatIf(workspaceWhatIf({ dir: options.dir, tenant: options.tenant }, loop.logger, loop.exclusive));
  if (settings.allowActions)
    state.setActions({ checkNow: () => loop.schedule('check'), applyNow: () => loop.schedule('apply') });
  const listen = (port: number) =>
    startConsole({ state, host: settings.host, port, allowActions: settings.allowActions });
  const running = await listen(settings.port).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE' || !settings.anyPortIfTaken) throw err;
    return listen(0);
  });
  return {
    url: running.url,
    state,
    begin: (trigger) => state.beginPass(tenant, TRIGGER_WORDS[trigger]),
    record: (trigger, startedAt, outcome, error) =>
      state.recordPass({
        tenant: { name: tenant.name, ...(outcome.plan ? { id: outcome.plan.tenant.id } : {}) },
        source: workspace.dir,
        trigger: TRIGGER_WORDS[trigger],
        driftCheck: trigger === 'interval' || trigger === 'check',
        driftMode: options.drift,
        startedAt,
        finishedAt: new Date().toISOString(),
        ...(outcome.plan ? { plan: outcome.plan } : {}),
        ...(outcome.diagnostics ? { diagnostics: outcome.diagnostics } : {}),
        ...(outcome.appliedChanges ? { applied: outcome.appliedChanges } : {}),
        ...(outcome.failed ? { failed: outcome.failed } : {}),
        ...(error ? { error } : {}),
      }),
    close: running.close,
  };
}
