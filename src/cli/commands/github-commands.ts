/**
 * `accord github …`: the GitHub front end for CI. `plan-comment` (the sticky pull-request comment),
 * `drift-issue` (one issue per drifted tenant), `upload-sarif` (lint findings to code scanning) and
 * `step-summary` (the plan in the job summary). Each reads a plan saved with `accord plan --out`.
 */
import type { Command } from 'commander';
import { GithubConfigError } from '../../github/github-client.ts';
import {
  runDriftIssue,
  runPlanComment,
  runStepSummary,
  runUploadSarif,
  type DriftIssueRun,
  type PlanCommentRun,
  type StepSummaryRun,
  type UploadSarifRun,
} from '../../github/github-runs.ts';
import { SarifInvalid } from '../../github/sarif-upload.ts';
import { UserError } from '../errors.ts';
import type { CommandRegistrar } from '../program.ts';

interface HttpFailure {
  status: number;
  message: string;
}

function isHttpFailure(err: unknown): err is HttpFailure {
  return err instanceof Error && typeof (err as Partial<HttpFailure>).status === 'number';
}

/** User mistakes and GitHub's refusals become one line; anything else is a defect and keeps its stack. */
async function asUserErrors(run: () => Promise<string> | string): Promise<void> {
  try {
    process.stdout.write(`${await run()}\n`);
  } catch (err) {
    if (err instanceof GithubConfigError || err instanceof SarifInvalid) throw new UserError(err.message);
    if (isHttpFailure(err))
      throw new UserError(`GitHub answered ${err.status}: ${err.message.split('\n')[0] ?? ''}`);
    throw err;
  }
}

const planOptions = (command: Command): Command =>
  command
    .requiredOption('--plan <file>', 'a plan saved with `accord plan --out FILE`')
    .option('--tenant-name <name>', "the tenant's name in markers and titles (default: the plan's)")
    .option('--repo-root <dir>', 'paths are shown relative to this (default: GITHUB_WORKSPACE, else .)');

export const registerGithubCommands: CommandRegistrar = (program, setExitCode) => {
  const github = program
    .command('github')
    .description('GitHub front end: plan comments, drift issues, SARIF upload, job summary (for Actions).');

  planOptions(github.command('plan-comment'))
    .description(
      'Post the plan as one sticky pull-request comment, updated in place; full plan in the job summary.',
    )
    .option('--repo <owner/name>', 'default: GITHUB_REPOSITORY')
    .option('--pr <n>', 'default: the pull request of the event (GITHUB_EVENT_PATH)')
    .action(async (opts: PlanCommentRun) => {
      await asUserErrors(() => runPlanComment(opts, { env: process.env }));
      setExitCode(0);
    });

  planOptions(github.command('drift-issue'))
    .description('Open, update, close or reopen the tenant’s drift issue (label accord-drift).')
    .option('--repo <owner/name>', 'default: GITHUB_REPOSITORY')
    .action(async (opts: DriftIssueRun) => {
      await asUserErrors(() => runDriftIssue(opts, { env: process.env }));
      setExitCode(0);
    });

  planOptions(github.command('step-summary'))
    .description('Append the plan (Markdown) to the job summary ($GITHUB_STEP_SUMMARY).')
    .action(async (opts: StepSummaryRun) => {
      await asUserErrors(() => runStepSummary(opts, { env: process.env }));
      setExitCode(0);
    });

  github
    .command('upload-sarif')
    .description('Upload a SARIF file (`accord lint --output sarif`) to code scanning.')
    .requiredOption('--file <file>', 'the SARIF file')
    .option('--repo <owner/name>', 'default: GITHUB_REPOSITORY')
    .option('--sha <commit>', 'default: GITHUB_SHA')
    .option('--ref <ref>', 'default: GITHUB_REF')
    .action(async (opts: UploadSarifRun) => {
      await asUserErrors(() => runUploadSarif(opts, { env: process.env }));
      setExitCode(0);
    });
};
