/**
 * `accord reconcile [--watch]`: the GitOps loop without Kubernetes. Applies the repository to the tenant; with
 * `--watch`, applies again whenever a manifest changes, and checks for drift on an interval — correcting it or only
 * reporting it (`--drift correct|warn`). With `--console [host:port]` it serves the web console (src/console/) and
 * feeds it after every pass.
 */
import { watch, type FSWatcher } from 'node:fs';
import { Option } from 'commander';
import { hasErrors } from '../../core/diagnostics.ts';
import type { Diagnostic } from '../../core/diagnostics.ts';
import { hasChanges, type Plan, type ResourceChange } from '../../core/plan.ts';
import { registry } from '../../kinds/registry.ts';
import type { Logger } from '../../log/log-port.ts';
import { applyPlan } from '../../pipeline/apply-plan.ts';
import { renderDiagnosticsText } from '../../render/diagnostics-text.ts';
import { renderPlanText } from '../../render/plan-text.ts';
import { styleFor } from '../../render/style.ts';
import { makeLogger, withRepo, type CommandRegistrar, type RepoCliOptions } from '../program.ts';
import { UserError } from '../errors.ts';
import { waitForSignal } from '../tenant-serve.ts';
import { openWorkspace, planWorkspace, type CommonOptions } from '../workspace.ts';
import {
  parseConsoleAddress,
  serveReconcileConsole,
  type ConsoleSettings,
  type ReconcileConsole,
} from '../../console/reconcile-feed.ts';

export type DriftMode = 'correct' | 'warn';
/**
 * What starts a pass: the loop starting, a manifest change, the drift interval, a request from the console, or
 * (with the console) a re-read after creating objects, which shows their ids and confirms the apply landed.
 */
export type Trigger = 'start' | 'change' | 'interval' | 'check' | 'apply' | 'verify';

/** Triggers whose changes are drift: they are corrected or only reported as `--drift` says. */
export function isDriftCheck(trigger: Trigger): boolean {
  return trigger === 'interval' || trigger === 'check';
}

export interface ReconcileOptions extends CommonOptions {
  watch: boolean;
  /** Seconds between drift checks. */
  interval: number;
  drift: DriftMode;
  prune?: boolean;
  /** Serve the web console (needs `watch`). */
  console?: ConsoleSettings;
}

export interface ReconcileOutcome {
  ok: boolean;
  changes: number;
  applied: number;
  /** What the console shows of the pass. */
  plan?: Plan;
  diagnostics?: Diagnostic[];
  appliedChanges?: ResourceChange[];
  failed?: { change: ResourceChange; message: string };
}

function say(text: string): void {
  process.stdout.write(`${text.endsWith('\n') ? text : `${text}\n`}`);
}

function stamp(): string {
  return new Date().toISOString().slice(11, 19);
}

/** One pass: plan, then apply unless this is a drift check in warn mode. */
export async function reconcileOnce(
  options: ReconcileOptions,
  trigger: Trigger,
  logger: Logger,
): Promise<ReconcileOutcome> {
  const workspace = openWorkspace(options);
  if (hasErrors(workspace.diagnostics)) {
    say(
      `${stamp()} the repository has errors; nothing applied:\n${renderDiagnosticsText(workspace.diagnostics)}`,
    );
    return { ok: false, changes: 0, applied: 0, diagnostics: workspace.diagnostics };
  }
  const run = await planWorkspace(workspace, { tenant: options.tenant, prune: options.prune }, logger);
  try {
    const plan = run.computed.plan;
    if (hasErrors(plan.diagnostics)) {
      say(`${stamp()} the plan has errors; nothing applied:\n${renderDiagnosticsText(plan.diagnostics)}`);
      return { ok: false, changes: 0, applied: 0, plan };
    }
    const changes = plan.summary.create + plan.summary.update + plan.summary.delete;
    if (!hasChanges(plan)) {
      if (trigger !== 'interval' && trigger !== 'verify')
        say(`${stamp()} ${plan.tenant.name} is in accord with ${workspace.dir}.`);
      return { ok: true, changes: 0, applied: 0, plan };
    }
    const what = isDriftCheck(trigger)
      ? 'drift detected'
      : trigger === 'change'
        ? 'manifests changed'
        : 'reconciling';
    say(`${stamp()} ${what}:\n${renderPlanText(plan, { style: styleFor(process.stdout) })}`);
    if (isDriftCheck(trigger) && options.drift === 'warn') {
      say(`${stamp()} drift is only reported (--drift warn); the tenant was not changed.`);
      return { ok: true, changes, applied: 0, plan, appliedChanges: [] };
    }
    const result = await applyPlan({
      plan,
      registry,
      port: run.connection.port,
      inventory: run.inventory,
      onProgress: (p) =>
        say(`${stamp()} [${p.step}/${p.total}] ${p.change.action} ${p.change.kind} ${p.change.name}`),
    });
    if (result.failed) {
      const { change, error } = result.failed;
      say(`${stamp()} apply stopped: ${change.kind} ${change.name}: ${error.message}`);
      return {
        ok: false,
        changes,
        applied: result.applied.length,
        plan,
        appliedChanges: result.applied,
        failed: { change, message: error.message },
      };
    }
    say(`${stamp()} applied ${result.applied.length} change${result.applied.length === 1 ? '' : 's'}.`);
    return { ok: true, changes, applied: result.applied.length, plan, appliedChanges: result.applied };
  } finally {
    await run.connection.close();
  }
}

/** Of two triggers folded into one pass, the one that applies more: an apply beats a drift check. */
function stronger(a: Trigger | undefined, b: Trigger): Trigger {
  const rank: Record<Trigger, number> = { verify: 0, interval: 1, check: 2, start: 3, change: 4, apply: 5 };
  return a !== undefined && rank[a] > rank[b] ? a : b;
}

/** Runs passes one at a time; triggers that arrive during a pass are folded into one follow-up pass. */
function createScheduler(run: (trigger: Trigger) => Promise<void>): (trigger: Trigger) => void {
  let running = false;
  let pending: Trigger | undefined;
  const next = async (trigger: Trigger): Promise<void> => {
    running = true;
    try {
      await run(trigger);
    } finally {
      running = false;
      const queued = pending;
      pending = undefined;
      if (queued) void next(queued);
    }
  };
  return (trigger) => {
    if (running) pending = stronger(pending, trigger);
    else void next(trigger);
  };
}

/** One at a time: passes and the console's What-If questions never overlap on the tenant. */
function createExclusive(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work, work);
    tail = result.catch(() => undefined);
    return result;
  };
}

function watchManifests(dir: string, onChange: () => void): FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  return watch(dir, { recursive: true }, (_event, file) => {
    const name = String(file ?? '');
    if (name.startsWith('.accord') || name.includes('/.accord/') || name.startsWith('.git')) return;
    if (!/\.ya?ml$/i.test(name)) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, 300);
  });
}

export interface ReconcileHooks {
  /** Called with the console's address once it listens. */
  onConsole?: (url: string) => void;
}

export async function runReconcile(
  options: ReconcileOptions,
  logger: Logger,
  stop = waitForSignal(),
  hooks: ReconcileHooks = {},
): Promise<number> {
  const exclusive = createExclusive();
  let web: ReconcileConsole | undefined;
  const pass = async (trigger: Trigger): Promise<ReconcileOutcome> => {
    const startedAt = new Date().toISOString();
    web?.begin(trigger);
    let outcome: ReconcileOutcome;
    let error: string | undefined;
    try {
      outcome = await exclusive(() => reconcileOnce(options, trigger, logger));
    } catch (err) {
      error = (err as Error).message;
      say(`${stamp()} reconcile failed: ${error}`);
      outcome = { ok: false, changes: 0, applied: 0 };
    }
    web?.record(trigger, startedAt, outcome, error);
    if (web && outcome.appliedChanges?.some((c) => c.action === 'create')) schedule('verify');
    return outcome;
  };
  const schedule = createScheduler(async (trigger) => {
    await pass(trigger);
  });
  if (!options.watch) {
    if (options.console)
      throw new UserError('--console needs --watch: the console shows a running reconcile loop');
    return (await pass('start')).ok ? 0 : 1;
  }
  if (options.console) {
    web = await serveReconcileConsole(options, options.console, { logger, exclusive, schedule });
    say(
      `${stamp()} console at ${web.url}${options.console.allowActions ? ' (actions enabled)' : ' (read-only)'}`,
    );
    hooks.onConsole?.(web.url);
  }
  schedule('start');
  const watcher = watchManifests(openWorkspace(options).dir, () => schedule('change'));
  const timer = setInterval(() => schedule('interval'), Math.max(1, options.interval) * 1000);
  say(
    `${stamp()} watching ${options.dir} (drift checks every ${options.interval} s, drift is ${options.drift === 'correct' ? 'corrected' : 'only reported'}); Ctrl+C to stop.`,
  );
  await stop;
  clearInterval(timer);
  watcher.close();
  await web?.close();
  return 0;
}

type ReconcileCliOptions = RepoCliOptions & {
  watch: boolean;
  interval: string;
  drift: DriftMode;
  prune?: boolean;
  console?: string | boolean;
  consoleAllowActions?: boolean;
};

export const registerReconcileCommand: CommandRegistrar = (program, setExitCode) => {
  withRepo(
    program
      .command('reconcile')
      .description('Apply the repository; with --watch, keep the tenant in accord with it.'),
  )
    .option('--watch', 'keep running: apply on every manifest change and check drift on an interval', false)
    .option('--interval <seconds>', 'seconds between drift checks', '60')
    .addOption(
      new Option('--drift <mode>', 'what to do about drift found by a check')
        .choices(['correct', 'warn'])
        .default('correct'),
    )
    .option('--prune', 'delete objects accord created that are no longer in git')
    .option('--console [host:port]', 'serve the web console (with --watch); alone: 127.0.0.1:4041')
    .option(
      '--console-allow-actions',
      'let the console request a drift check or an apply (POST with a CSRF token); read-only without it',
      false,
    )
    .action(async (opts: ReconcileCliOptions) => {
      const interval = Number(opts.interval);
      const { console: address, consoleAllowActions, ...rest } = opts;
      if (consoleAllowActions && !address) throw new UserError('--console-allow-actions needs --console');
      setExitCode(
        await runReconcile(
          {
            ...rest,
            interval: Number.isFinite(interval) ? interval : 60,
            ...(address
              ? { console: { ...parseConsoleAddress(address), allowActions: consoleAllowActions ?? false } }
              : {}),
          },
          makeLogger(opts),
        ),
      );
    });
};
