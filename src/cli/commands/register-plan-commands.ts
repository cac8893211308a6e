/** Registers `lint`, `plan`, `drift` and `apply`. */
import { Option } from 'commander';
import { makeLogger, withRepo, type CommandRegistrar, type RepoCliOptions } from '../program.ts';
import { runApply, runDrift, runLint, runPlan, type PlanOutput } from './plan-commands.ts';

type LintCliOptions = RepoCliOptions & { output: 'text' | 'json' | 'sarif' };
type PlanCliOptions = RepoCliOptions & { output: PlanOutput; out?: string; prune?: boolean };
type ApplyCliOptions = RepoCliOptions & { prune?: boolean; autoApprove: boolean };

const planOutput = (): Option =>
  new Option('--output <format>', 'output format').choices(['text', 'json', 'markdown']).default('text');

export const registerPlanCommands: CommandRegistrar = (program, setExitCode) => {
  withRepo(
    program
      .command('lint')
      .description('Check the manifests: schema, duplicates, and that every name resolves.'),
  )
    .addOption(
      new Option('--output <format>', 'output format (sarif for code scanning)')
        .choices(['text', 'json', 'sarif'])
        .default('text'),
    )
    .action(async (opts: LintCliOptions) => setExitCode(await runLint(opts, makeLogger(opts))));

  withRepo(
    program
      .command('plan')
      .description('Show what apply would change, field by field. Exit 0 none, 2 changes, 1 error.'),
  )
    .option('--out <file>', 'also save the plan (JSON) for a later `accord apply FILE`')
    .option('--prune', 'plan deletes of objects accord created that are no longer in git')
    .addOption(planOutput())
    .action(async (opts: PlanCliOptions) => setExitCode(await runPlan(opts, makeLogger(opts))));

  withRepo(
    program.command('drift').description('Compare the tenant with git. Exit 0 in accord, 2 drift, 1 error.'),
  )
    .addOption(planOutput())
    .action(async (opts: PlanCliOptions) => setExitCode(await runDrift(opts, makeLogger(opts))));

  withRepo(program.command('apply').description('Apply the plan (or a saved plan file) to the tenant.'))
    .argument('[planfile]', 'a plan saved with `accord plan --out`; refused if the tenant changed since')
    .option('--prune', 'delete objects accord created that are no longer in git')
    .option('--auto-approve', 'apply without asking', false)
    .action(async (planFile: string | undefined, opts: ApplyCliOptions) =>
      setExitCode(await runApply({ ...opts, ...(planFile ? { planFile } : {}) }, makeLogger(opts))),
    );
};
