/**
 * `accord test`: runs the scenario files in the repository's `tests/` (docs/whatif.md) against its policies, like
 * unit tests. Exit 0 when every scenario passes, 1 when one fails, errors, or a file is invalid.
 */
import { writeFileSync } from 'node:fs';
import { Option } from 'commander';
import { hasErrors } from '../../core/diagnostics.ts';
import type { Logger } from '../../log/log-port.ts';
import { renderDiagnosticsText } from '../../render/diagnostics-text.ts';
import { renderJunit } from '../../render/junit.ts';
import { styleFor } from '../../render/style.ts';
import { renderTestRunText } from '../../render/whatif-text.ts';
import type { PolicySource } from '../../whatif-app/policy-sets.ts';
import { runPolicyTests } from '../../whatif-app/run-tests.ts';
import { loadPolicyTests } from '../../whatif-app/scenario-file.ts';
import { UserError } from '../errors.ts';
import { makeLogger, withRepo, type CommandRegistrar, type RepoCliOptions } from '../program.ts';
import { openWhatIfSession, reportWorkspaceInvalid } from './whatif-command.ts';

type TestCliOptions = RepoCliOptions & { junit?: string; output: 'text' | 'json'; against: PolicySource };

export async function runTest(opts: TestCliOptions, logger: Logger): Promise<number> {
  const loaded = loadPolicyTests(opts.dir);
  if (hasErrors(loaded.diagnostics)) {
    process.stderr.write(`${renderDiagnosticsText(loaded.diagnostics, styleFor(process.stderr))}\n`);
    return 1;
  }
  const opened = await openWhatIfSession(
    { dir: opts.dir, tenant: opts.tenant, against: opts.against },
    logger,
  ).catch(reportWorkspaceInvalid);
  if (typeof opened === 'number') return opened;
  try {
    const run = await runPolicyTests(opened.session, loaded.files);
    if (opts.junit) {
      try {
        writeFileSync(opts.junit, renderJunit(run));
      } catch (err) {
        throw new UserError(`cannot write the JUnit report ${opts.junit}: ${(err as Error).message}`);
      }
    }
    const text =
      opts.output === 'json'
        ? JSON.stringify(run, null, 2)
        : renderTestRunText(run, styleFor(process.stdout));
    process.stdout.write(`${text}\n`);
    return run.counts.failed + run.counts.errors > 0 ? 1 : 0;
  } finally {
    await opened.close();
  }
}

export const registerTestCommand: CommandRegistrar = (program, setExitCode) => {
  withRepo(
    program
      .command('test')
      .description("Run the repository's policy tests (tests/*.yaml): sign-ins and what should happen."),
  )
    .option('--junit <file>', 'also write a JUnit XML report (for CI)')
    .addOption(
      new Option('--against <policies>', "the repository's policies or the tenant's")
        .choices(['desired', 'tenant'])
        .default('desired'),
    )
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: TestCliOptions) => setExitCode(await runTest(opts, makeLogger(opts))));
};
