/** The `accord` command line: parses arguments into typed options and hands them to the commands. */
import { Command, CommanderError, Option } from 'commander';
import { createLogger } from '../log/logger.ts';
import type { Logger } from '../log/log-port.ts';
import { runApply, runDrift, runLint, runPlan, type PlanOutput } from './commands/plan-commands.ts';
import { describeOperationalError, UserError } from './errors.ts';
import { runStart } from './start.ts';
import { runTenantServe, type TenantServeOptions } from './tenant-serve.ts';

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('accord')
    .description('Policy-as-code for identity access policies, with a Graph-compatible local tenant.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command('start')
    .description('Start the local tenant with the demo directory and say how to talk to it.')
    .option('--port <n>', 'port to listen on', '4040')
    .option('--data <dir>', 'where the local tenant keeps its state', '.accord/local-tenant')
    .action(async (opts: { port: string; data: string }) => {
      exitCode = await runStart({ port: Number(opts.port), dataDir: opts.data });
    });

  const withRepo = (command: Command): Command =>
    command
      .option('--dir <dir>', 'the policy repository', '.')
      .option(
        '--tenant <name>',
        "a tenant of accord.yaml (default: accord.yaml's defaultTenant, else the embedded local tenant)",
      )
      .option('--log-level <level>', 'error, warn, info or debug', 'warn')
      .option('--log-format <format>', 'text or json (JSON lines, for CI and the controller)', 'text');

  withRepo(
    program
      .command('lint')
      .description('Check the manifests: schema, duplicates, and that every name resolves.'),
  )
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: LintCliOptions) => {
      exitCode = await runLint(opts, makeLogger(opts));
    });

  withRepo(
    program
      .command('plan')
      .description('Show what apply would change, field by field. Exit 0 none, 2 changes, 1 error.'),
  )
    .option('--out <file>', 'also save the plan (JSON) for a later `accord apply FILE`')
    .option('--prune', 'plan deletes of objects accord created that are no longer in git', false)
    .addOption(
      new Option('--output <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'),
    )
    .action(async (opts: PlanCliOptions) => {
      exitCode = await runPlan(opts, makeLogger(opts));
    });

  withRepo(
    program.command('drift').description('Compare the tenant with git. Exit 0 in accord, 2 drift, 1 error.'),
  )
    .addOption(
      new Option('--output <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'),
    )
    .action(async (opts: PlanCliOptions) => {
      exitCode = await runDrift(opts, makeLogger(opts));
    });

  withRepo(program.command('apply').description('Apply the plan (or a saved plan file) to the tenant.'))
    .argument('[planfile]', 'a plan saved with `accord plan --out`; refused if the tenant changed since')
    .option('--prune', 'delete objects accord created that are no longer in git', false)
    .option('--auto-approve', 'apply without asking', false)
    .action(async (planFile: string | undefined, opts: ApplyCliOptions) => {
      exitCode = await runApply({ ...opts, ...(planFile ? { planFile } : {}) }, makeLogger(opts));
    });

  const tenant = program.command('tenant').description('The Graph-compatible local tenant.');
  tenant
    .command('serve')
    .description('Serve Microsoft Graph (v1.0, beta) and a token endpoint for one or more local tenants.')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', 'keep state in this directory (SQLite); without it, state lives in memory')
    .option('--seed <file>', 'a directory seed file (YAML) instead of the demo organisation')
    .addOption(
      new Option('--flavor <flavor>', 'demo tenant kind')
        .choices(['workforce', 'external'])
        .default('workforce'),
    )
    .option('--tenants <n>', 'also host N-1 more demo tenants (for multi-tenant tests)', '1')
    .option('--https', 'serve HTTPS with a generated certificate (needed by @azure/identity)', false)
    .option(
      '--rate-limits',
      "enforce Graph's rate limits (Conditional Access: 1 request/s per tenant)",
      false,
    )
    .option('--faults <file>', 'a fault-injection configuration (JSON)')
    .addOption(
      new Option('--output <format>', 'how to announce readiness').choices(['text', 'json']).default('text'),
    )
    .action(async (opts: TenantServeOptions) => {
      exitCode = await runTenantServe(opts);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    if (err instanceof UserError) {
      process.stderr.write(`accord: ${err.message}\n`);
      return 1;
    }
    const described = describeOperationalError(err);
    if (described) {
      process.stderr.write(`accord: ${described}\n`);
      return 1;
    }
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
      process.stderr.write(
        `accord: cannot listen on ${e.address ?? ''}:${e.port ?? ''} (${code}); choose another --port\n`,
      );
      return 1;
    }
    throw err;
  }
  return exitCode;
}

export { UserError };

interface RepoCliOptions {
  dir: string;
  tenant?: string;
  logLevel: string;
  logFormat: string;
}
type LintCliOptions = RepoCliOptions & { output: 'text' | 'json' };
type PlanCliOptions = RepoCliOptions & { output: PlanOutput; out?: string; prune: boolean };
type ApplyCliOptions = RepoCliOptions & { prune: boolean; autoApprove: boolean };

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

function makeLogger(opts: RepoCliOptions): Logger {
  const level = LEVELS.find((l) => l === opts.logLevel);
  if (!level) throw new UserError(`--log-level must be one of ${LEVELS.join(', ')}`);
  if (opts.logFormat !== 'text' && opts.logFormat !== 'json')
    throw new UserError('--log-format must be text or json');
  return createLogger({ level, format: opts.logFormat });
}
