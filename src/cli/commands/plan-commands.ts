/**
 * `accord lint`, `accord plan`, `accord drift`, `accord apply`: thin shells that parse options, run the pipeline
 * and pick a renderer. Exit codes: 0 nothing to do, 2 changes or drift, 1 error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { hasErrors } from '../../core/diagnostics.ts';
import { hasChanges, PLAN_FORMAT_VERSION, type Plan } from '../../core/plan.ts';
import { registry } from '../../kinds/registry.ts';
import type { Logger } from '../../log/log-port.ts';
import { applyPlan, orderChanges } from '../../pipeline/apply-plan.ts';
import { fingerprintTenant } from '../../pipeline/build-plan.ts';
import { InventoryStore } from '../../pipeline/inventory.ts';
import { readTenant } from '../../pipeline/read-tenant.ts';
import { renderDiagnosticsText } from '../../render/diagnostics-text.ts';
import { renderPlanMarkdown } from '../../render/plan-markdown.ts';
import { renderPlanText } from '../../render/plan-text.ts';
import { renderSarif } from '../../render/sarif.ts';
import { styleFor } from '../../render/style.ts';
import { UserError } from '../errors.ts';
import { connect, openWorkspace, planWorkspace, WorkspaceInvalid, type CommonOptions } from '../workspace.ts';
import { reviewPlan } from '../review-plan.ts';

export type PlanOutput = 'text' | 'json' | 'markdown';

/** Reported in SARIF's tool section. */
const ACCORD_VERSION = '0.1.0';

export interface PlanOptions extends CommonOptions {
  out?: string;
  output: PlanOutput;
  prune?: boolean;
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Renders a plan; `repoRoot` makes the Markdown's manifest paths relative to the repository. */
export function renderPlan(plan: Plan, output: PlanOutput, repoRoot?: string): string {
  if (output === 'json') return JSON.stringify(plan, null, 2);
  if (output === 'markdown') return renderPlanMarkdown(plan, { repoRoot });
  return renderPlanText(plan, { style: styleFor(process.stdout) });
}

function reportInvalid(err: unknown): number {
  if (err instanceof WorkspaceInvalid) {
    process.stderr.write(`${renderDiagnosticsText(err.diagnostics, styleFor(process.stderr))}\n`);
    return 1;
  }
  throw err;
}

export async function runLint(
  options: CommonOptions & { output: 'text' | 'json' | 'sarif' },
  logger: Logger,
): Promise<number> {
  const workspace = openWorkspace(options);
  let diagnostics = workspace.diagnostics;
  if (!hasErrors(diagnostics)) {
    // Reference checks need the tenant's directory: resolve every name, write nothing.
    const run = await planWorkspace(workspace, { tenant: options.tenant, impact: false }, logger).catch(
      reportInvalid,
    );
    if (typeof run === 'number') return run;
    await run.connection.close();
    diagnostics = run.computed.plan.diagnostics;
  }
  if (options.output === 'sarif') {
    const repoRoot = process.env.GITHUB_WORKSPACE ?? workspace.dir;
    write(JSON.stringify(renderSarif(diagnostics, { toolVersion: ACCORD_VERSION, repoRoot }), null, 2));
  } else if (options.output === 'json') write(JSON.stringify({ diagnostics }, null, 2));
  else write(renderDiagnosticsText(diagnostics, styleFor(process.stdout)) || 'No problems found.');
  return hasErrors(diagnostics) ? 1 : 0;
}

export async function runPlan(options: PlanOptions, logger: Logger): Promise<number> {
  const workspace = openWorkspace(options);
  const run = await planWorkspace(workspace, { tenant: options.tenant, prune: options.prune }, logger).catch(
    reportInvalid,
  );
  if (typeof run === 'number') return run;
  await run.connection.close();
  const plan = run.computed.plan;
  if (options.out) writeFileSync(options.out, `${JSON.stringify(plan, null, 2)}\n`);
  write(renderPlan(plan, options.output, process.env.GITHUB_WORKSPACE ?? workspace.dir));
  if (hasErrors(plan.diagnostics)) return 1;
  return hasChanges(plan) ? 2 : 0;
}

export async function runDrift(options: Omit<PlanOptions, 'out' | 'prune'>, logger: Logger): Promise<number> {
  const code = await runPlan({ ...options, prune: false }, logger);
  return code;
}

export interface ApplyOptions extends CommonOptions {
  planFile?: string;
  prune?: boolean;
  autoApprove: boolean;
}

function readSavedPlan(path: string): Plan {
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(path, 'utf8')) as Plan;
  } catch (err) {
    throw new UserError(`cannot read the plan file ${path}: ${(err as Error).message}`);
  }
  if (plan.formatVersion !== PLAN_FORMAT_VERSION || !Array.isArray(plan.changes)) {
    throw new UserError(`${path} is not an accord plan (format version ${PLAN_FORMAT_VERSION})`);
  }
  return plan;
}

/** On a terminal, asks; elsewhere (CI) there is no one to ask, and --auto-approve is required. */
async function confirmOnTerminal(count: number): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(
      `Apply these ${count} change${count === 1 ? '' : 's'} to the tenant? Only 'yes' applies: `,
    );
    return answer.trim() === 'yes';
  } finally {
    prompt.close();
  }
}

export async function runApply(options: ApplyOptions, logger: Logger): Promise<number> {
  const workspace = openWorkspace(options);
  let plan: Plan;
  let connection;
  let inventory: InventoryStore;
  if (options.planFile) {
    plan = readSavedPlan(options.planFile);
    connection = await connect(workspace, options.tenant, logger);
    inventory = new InventoryStore(connection.inventoryPath, connection.tenantId);
    const live = await readTenant(connection.port, registry);
    if (plan.tenant.id !== connection.tenantId || fingerprintTenant(live) !== plan.fingerprint) {
      await connection.close();
      throw new UserError(
        `the tenant changed since ${options.planFile} was computed; run 'accord plan' again and review the new plan`,
      );
    }
    // Lockout guard on the saved plan too (accord safety checks): its errors stop the apply below.
    const opened = connection;
    // A saved plan was reviewed when it was made, but the tenant is read again: the guard runs on it once more.
    await reviewPlan(
      {
        plan,
        live,
        desired: [],
        port: opened.port,
        config: workspace.config,
        tenant: options.tenant,
        impact: false,
      },
      logger,
    ).catch(async (err: unknown) => {
      await opened.close();
      throw err;
    });
  } else {
    const run = await planWorkspace(
      workspace,
      { tenant: options.tenant, prune: options.prune, impact: false },
      logger,
    ).catch(reportInvalid);
    if (typeof run === 'number') return run;
    ({ connection, inventory } = run);
    plan = run.computed.plan;
  }
  try {
    if (hasErrors(plan.diagnostics)) {
      process.stderr.write(
        `${renderDiagnosticsText(plan.diagnostics, styleFor(process.stderr))}\nNothing was applied.\n`,
      );
      return 1;
    }
    write(renderPlanText(plan, { style: styleFor(process.stdout) }));
    const steps = orderChanges(plan, registry);
    if (steps.length === 0) return 0;
    if (!options.autoApprove && !(await confirmOnTerminal(steps.length))) {
      throw new UserError(
        'apply changes the tenant: review the plan above and run again with --auto-approve',
      );
    }
    const result = await applyPlan({
      plan,
      registry,
      port: connection.port,
      inventory,
      onProgress: (p) =>
        write(
          `[${p.step}/${p.total}] ${p.change.action} ${p.change.kind} ${p.change.name}${p.outcome === 'done' ? '' : ` (${p.outcome})`}`,
        ),
    });
    if (result.failed) {
      process.stderr.write(
        `accord: ${result.failed.change.action} ${result.failed.change.kind} ${result.failed.change.name} failed: ${result.failed.error.message}\n` +
          `${result.applied.length} of ${steps.length} changes were applied; run 'accord plan' to see what remains.\n`,
      );
      return 1;
    }
    write(`Applied ${result.applied.length} change${result.applied.length === 1 ? '' : 's'}.`);
    return 0;
  } finally {
    await connection.close();
  }
}
