/** The `accord` command line: parses arguments into typed options and hands them to the commands. */
import { Command, CommanderError, Option } from 'commander';
import { describeOperationalError, UserError } from './errors.ts';
import type { CommandRegistrar } from './program.ts';
import type { TenantServeOptions } from './tenant-serve.ts';

/**
 * The pipeline commands' modules, loaded only when needed: `accord tenant serve` and `accord start` must start in
 * well under half a second, and loading every command (Graph client, What-If, GitHub, …) costs more than that.
 */
const PIPELINE_COMMANDS: readonly (() => Promise<CommandRegistrar>)[] = [
  async () => (await import('./commands/register-plan-commands.ts')).registerPlanCommands,
  async () => (await import('./commands/export-commands.ts')).registerExportCommands,
  async () => (await import('./commands/init-command.ts')).registerInitCommand,
  async () => (await import('./commands/reconcile-command.ts')).registerReconcileCommand,
  async () => (await import('./commands/whatif-command.ts')).registerWhatIfCommand,
  async () => (await import('./commands/test-command.ts')).registerTestCommand,
  async () => (await import('./commands/github-commands.ts')).registerGithubCommands,
  async () => (await import('./commands/controller-command.ts')).registerControllerCommand,
];

const LIGHT_COMMANDS = new Set(['tenant', 'start']);

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('accord')
    .description('Policy-as-code for identity access policies, with a Graph-compatible local tenant.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command('start')
    .description(
      'The main job on the embedded default: serve the local tenant (demo directory) and reconcile a policy repository into it, watching for changes and drift.',
    )
    .option('--port <n>', 'port to serve the local tenant on (0 picks a free one)', '4040')
    .option('--dir <dir>', 'the policy repository', 'policies')
    .option('--interval <seconds>', 'seconds between drift checks', '30')
    .option('--console <host:port>', 'where to serve the web console (default 127.0.0.1:4041)')
    .option('--no-console', 'do not serve the web console')
    .option('--console-allow-actions', 'let the console request a drift check or an apply', false)
    .action(
      async (opts: {
        port: string;
        dir: string;
        interval: string;
        console?: string | boolean;
        consoleAllowActions: boolean;
      }) => {
        const { runStart } = await import('./start.ts');
        const { parseConsoleAddress } = await import('../console/reconcile-feed.ts');
        exitCode = await runStart({
          port: Number(opts.port),
          dir: opts.dir,
          interval: Number(opts.interval) || 30,
          // Commander leaves it undefined when neither --console nor --no-console is given.
          console: opts.console === false ? false : parseConsoleAddress(opts.console ?? true),
          consoleIsDefault: opts.console === undefined || opts.console === true,
          consoleAllowActions: opts.consoleAllowActions,
        });
      },
    );

  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  if (!LIGHT_COMMANDS.has(argv[0] ?? '')) {
    for (const load of PIPELINE_COMMANDS) (await load())(program, setExitCode);
  }

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
    .option(
      '--demo-app [port]',
      'also serve the sample sign-in app on its own port (a free one unless given); it is always at /{tenant}/_accord/demo-app/ too',
    )
    .addOption(
      new Option('--output <format>', 'how to announce readiness').choices(['text', 'json']).default('text'),
    )
    .action(async (opts: TenantServeOptions) => {
      const { runTenantServe } = await import('./tenant-serve.ts');
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
