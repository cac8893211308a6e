/**
 * What the `accord github …` commands do, given typed options and the environment: read the saved plan, talk to
 * GitHub through the adapter, write the job summary. Returns one line to print.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PLAN_FORMAT_VERSION, type Plan } from '../core/plan.ts';
import { syncDriftIssue } from './drift-issue.ts';
import { githubClientFromEnv, GithubConfigError, type GithubClientOptions } from './github-client.ts';
import { commitFromEnv, pullRequestFromEnv, repoFromEnv, runUrlFromEnv } from './github-context.ts';
import { upsertPlanComment } from './plan-comment.ts';
import { renderPlanComment } from './plan-comment-markdown.ts';
import { uploadSarif } from './sarif-upload.ts';
import { appendStepSummary } from './step-summary.ts';

export interface GithubRunContext {
  env: NodeJS.ProcessEnv;
  /** Passed to the octokit client (tests shorten the throttling pacing). */
  client?: Omit<GithubClientOptions, 'token' | 'baseUrl'>;
}

export function readPlanFile(path: string): Plan {
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(path, 'utf8')) as Plan;
  } catch (err) {
    throw new GithubConfigError(`cannot read the plan file ${path}: ${(err as Error).message}`);
  }
  if (plan.formatVersion !== PLAN_FORMAT_VERSION || !Array.isArray(plan.changes))
    throw new GithubConfigError(`${path} is not an accord plan (format version ${PLAN_FORMAT_VERSION})`);
  return plan;
}

function withTenantName(plan: Plan, name: string | undefined): Plan {
  return name ? { ...plan, tenant: { ...plan.tenant, name } } : plan;
}

function repoRootOf(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(explicit ?? env.GITHUB_WORKSPACE ?? '.');
}

export interface PlanCommentRun {
  plan: string;
  repo?: string;
  pr?: string;
  tenantName?: string;
  repoRoot?: string;
}

export async function runPlanComment(options: PlanCommentRun, ctx: GithubRunContext): Promise<string> {
  const plan = withTenantName(readPlanFile(options.plan), options.tenantName);
  const repo = repoFromEnv(options.repo, ctx.env);
  const issueNumber = pullRequestFromEnv(options.pr, ctx.env);
  const runUrl = runUrlFromEnv(ctx.env);
  const comment = renderPlanComment(plan, { repoRoot: repoRootOf(options.repoRoot, ctx.env), runUrl });
  const summary = appendStepSummary(comment.full, ctx.env);
  const client = githubClientFromEnv(ctx.env, ctx.client);
  const result = await upsertPlanComment(client, { ...repo, issueNumber }, plan.tenant.name, comment);
  const cut = comment.truncated
    ? summary.written
      ? ' (truncated; the full plan is in the job summary)'
      : ' (truncated; no job summary to hold the full plan)'
    : '';
  return `plan comment ${result.outcome}: ${result.url}${cut}`;
}

export interface DriftIssueRun {
  plan: string;
  repo?: string;
  tenantName?: string;
  repoRoot?: string;
}

export async function runDriftIssue(options: DriftIssueRun, ctx: GithubRunContext): Promise<string> {
  const plan = withTenantName(readPlanFile(options.plan), options.tenantName);
  const repo = repoFromEnv(options.repo, ctx.env);
  const runUrl = runUrlFromEnv(ctx.env);
  const client = githubClientFromEnv(ctx.env, ctx.client);
  const result = await syncDriftIssue(client, repo, plan, {
    repoRoot: repoRootOf(options.repoRoot, ctx.env),
    runUrl,
  });
  return result.url
    ? `drift issue ${result.outcome}: ${result.url}`
    : `drift issue ${result.outcome}: tenant ${plan.tenant.name} matches git`;
}

export interface UploadSarifRun {
  file: string;
  repo?: string;
  sha?: string;
  ref?: string;
}

export async function runUploadSarif(options: UploadSarifRun, ctx: GithubRunContext): Promise<string> {
  let sarif: string;
  try {
    sarif = readFileSync(options.file, 'utf8');
  } catch (err) {
    throw new GithubConfigError(`cannot read ${options.file}: ${(err as Error).message}`);
  }
  const repo = repoFromEnv(options.repo, ctx.env);
  const commit = commitFromEnv({ sha: options.sha, ref: options.ref }, ctx.env);
  const client = githubClientFromEnv(ctx.env, ctx.client);
  const result = await uploadSarif(client, { ...repo, sarif, commitSha: commit.sha, ref: commit.ref });
  return `SARIF uploaded for ${commit.ref} (${commit.sha.slice(0, 7)})${result.id ? `: analysis ${result.id}` : ''}`;
}

export interface StepSummaryRun {
  plan: string;
  tenantName?: string;
  repoRoot?: string;
}

/** The plan in the job summary only (apply and drift runs, where there is no pull request). */
export function runStepSummary(options: StepSummaryRun, ctx: GithubRunContext): string {
  const plan = withTenantName(readPlanFile(options.plan), options.tenantName);
  const rendered = renderPlanComment(plan, { repoRoot: repoRootOf(options.repoRoot, ctx.env) });
  const result = appendStepSummary(rendered.full, ctx.env);
  return result.written
    ? `plan written to the job summary ${result.path}`
    : 'no job summary (GITHUB_STEP_SUMMARY unset)';
}
