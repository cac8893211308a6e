/**
 * `accord reconcile [--watch]`: the GitOps loop without Kubernetes. Applies the repository to the tenant; with
 * `--watch`, applies again whenever a manifest changes, and checks for drift on an interval — correcting it or only
 * reporting it (`--drift correct|warn`).
 */
import { watch, type FSWatcher } from 'node:fs';
import { Option } from 'commander';
import { hasErrors } from '../../core/diagnostics.ts';
import { hasChanges } from '../../core/plan.ts';
import { registry } from '../../kinds/registry.ts';
import type { Logger } from '../../log/log-port.ts';
import { applyPlan } from '../../pipeline/apply-plan.ts';
import { renderDiagnosticsText } from '../../render/diagnostics-text.ts';
import { renderPlanText } from '../../render/plan-text.ts';
import { styleFor } from '../../render/style.ts';
import { makeLogger, withRepo, type CommandRegistrar, type RepoCliOptions } from '../program.ts';
import { waitForSignal } from '../tenant-serve.ts';
import { openWorkspace, planWorkspace, type CommonOptions } from '../workspace.ts';

export type DriftMode = 'correct' | 'warn';
type Trigger = 'start' | 'change' | 'interval';

export interface ReconcileOptions extends CommonOptions {
  watch: boolean;
  /** Seconds between drift checks. */
  interval: number;
  drift: DriftMode;
  prune?: boolean;
}

export interface ReconcileOutcome {
  ok: boolean;
  changes: number;
  applied: number;
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
    return { ok: false, changes: 0, applied: 0 };
  }
  const run = await planWorkspace(workspace, { tenant: options.tenant, prune: options.prune }, logger);
  try {
    const plan = run.computed.plan;
    if (hasErrors(plan.diagnostics)) {
      say(`${stamp()} the plan has errors; nothing applied:\n${renderDiagnosticsText(plan.diagnostics)}`);
      return { ok: false, changes: 0, applied: 0 };
    }
    const changes = plan.summary.create + plan.summary.update + plan.summary.delete;
    if (!hasChanges(plan)) {
      if (trigger !== 'interval') say(`${stamp()} ${plan.tenant.name} is in accord with ${workspace.dir}.`);
      return { ok: true, changes: 0, applied: 0 };
    }
    const what =
      trigger === 'interval' ? 'drift detected' : trigger === 'change' ? 'manifests changed' : 'reconciling';
    say(`${stamp()} ${what}:\n${renderPlanText(plan, { style: styleFor(process.stdout) })}`);
    if (trigger === 'interval' && options.drift === 'warn') {
      say(`${stamp()} drift is only reported (--drift warn); the tenant was not changed.`);
      return { ok: true, changes, applied: 0 };
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
      say(
        `${stamp()} apply stopped: ${result.failed.change.kind} ${result.failed.change.name}: ${result.failed.error.message}`,
      );
      return { ok: false, changes, applied: result.applied.length };
    }
    say(`${stamp()} applied ${result.applied.length} change${result.applied.length === 1 ? '' : 's'}.`);
    return { ok: true, changes, applied: result.applied.length };
  } finally {
    await run.connection.close();
  }
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
    if (running) pending = pending === 'change' ? 'change' : trigger;
    else void next(trigger);
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

export async function runReconcile(
  options: ReconcileOptions,
  logger: Logger,
  stop = waitForSignal(),
): Promise<number> {
  const pass = async (trigger: Trigger): Promise<ReconcileOutcome> => {
    try {
      return await reconcileOnce(options, trigger, logger);
    } catch (err) {
      say(`${stamp()} reconcile failed: ${(err as Error).message}`);
      return { ok: false, changes: 0, applied: 0 };
    }
  };
  if (!options.watch) return (await pass('start')).ok ? 0 : 1;
  const schedule = createScheduler(async (trigger) => {
    await pass(trigger);
  });
  schedule('start');
  const watcher = watchManifests(openWorkspace(options).dir, () => schedule('change'));
  const timer = setInterval(() => schedule('interval'), Math.max(1, options.interval) * 1000);
  say(
    `${stamp()} watching ${options.dir} (drift checks every ${options.interval} s, drift is ${options.drift === 'correct' ? 'corrected' : 'only reported'}); Ctrl+C to stop.`,
  );
  await stop;
  clearInterval(timer);
  watcher.close();
  return 0;
}

type ReconcileCliOptions = RepoCliOptions & {
  watch: boolean;
  interval: string;
  drift: DriftMode;
  prune?: boolean;
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
    .action(async (opts: ReconcileCliOptions) => {
      const interval = Number(opts.interval);
      setExitCode(
        await runReconcile(
          { ...opts, interval: Number.isFinite(interval) ? interval : 60 },
          makeLogger(opts),
        ),
      );
    });
};
