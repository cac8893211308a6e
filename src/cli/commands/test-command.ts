/**
 * `accord test`: runs the scenario files in the repository's `tests/` (docs/whatif.md) against its policies, like
 * unit tests. Exit 0 when every scenario passes, 1 when one fails, errors, or a file is invalid.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Option } from 'commander';
import { hasErrors } from '../../core/diagnostics.ts';
import type { Logger } from '../../log/log-port.ts';
import { renderDiagnosticsText } from '../../render/diagnostics-text.ts';
import { renderJunit } from '../../render/junit.ts';
import { styleFor } from '../../render/style.ts';
import { renderTestRunText } from '../../render/whatif-text.ts';
import type { PolicySource } from '../../whatif-app/policy-sets.ts';
import { runPolicyTests, type TestRun } from '../../whatif-app/run-tests.ts';
import { loadPolicyTests } from '../../whatif-app/scenario-file.ts';
import { UserError } from '../errors.ts';
import { makeLogger, withRepo, type CommandRegistrar, type RepoCliOptions } from '../program.ts';
import { openWhatIfSession, reportWorkspaceInvalid } from './whatif-command.ts';

type TestCliOptions = RepoCliOptions & { junit?: string; output: 'text' | 'json'; against: PolicySource };

/**
 * Creates the missing folders above a file one level at a time. (`mkdirSync` with `recursive` spins forever on some
 * file systems that answer ENOENT to every create, such as /proc; one level at a time fails with that error.)
 */
function createParentFolders(file: string): void {
  const missing: string[] = [];
  for (let dir = dirname(resolve(file)); !existsSync(dir); dir = dirname(dir)) {
    if (missing.includes(dir)) break;
    missing.unshift(dir);
  }
  for (const dir of missing) mkdirSync(dir);
}

/** CI jobs name a report under a folder that does not exist yet (`test-results/policy.xml`): create it. */
function writeJunit(file: string, run: TestRun): void {
  try {
    createParentFolders(file);
    writeFileSync(file, renderJunit(run));
  } catch (err) {
    throw new UserError(`cannot write the JUnit report ${file}: ${(err as Error).message}`);
  }
}

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
    const text =
      opts.output === 'json'
        ? JSON.stringify(run, null, 2)
        : renderTestRunText(run, styleFor(process.stdout));
    process.stdout.write(`${text}\n`);
    if (opts.junit) writeJunit(opts.junit, run);
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
