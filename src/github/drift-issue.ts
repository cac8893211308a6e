/**
 * One open issue per drifted tenant, labelled `accord-drift` and found by its hidden marker: opened on first drift,
 * updated in place (with a comment saying what changed) when the drift changes, closed with a comment when it is
 * gone, reopened when it returns. Never one issue per run.
 */
import { hasChanges, type Plan } from '../core/plan.ts';
import type { GithubClient } from './github-client.ts';
import type { RepoRef } from './github-context.ts';
import { markdownText } from '../render/markdown-text.ts';
import { driftMarker, readHashMarker } from './markers.ts';
import {
  describeDriftChange,
  driftIssueTitle,
  readDriftEntries,
  renderDriftIssueBody,
} from './drift-report.ts';
import type { PlanCommentOptions } from './plan-comment-markdown.ts';

export const DRIFT_LABEL = 'accord-drift';

export type DriftOutcome = 'opened' | 'updated' | 'unchanged' | 'closed' | 'reopened' | 'none';

export interface DriftIssueResult {
  outcome: DriftOutcome;
  issueNumber?: number;
  url?: string;
}

interface IssueSummary {
  number: number;
  state: string;
  body?: string | null;
  html_url: string;
  updated_at: string;
  pull_request?: unknown;
}

/** The tenant's drift issue: the open one, else the most recently updated closed one. */
export async function findDriftIssue(
  client: GithubClient,
  repo: RepoRef,
  tenantName: string,
): Promise<IssueSummary | undefined> {
  const marker = driftMarker(tenantName);
  const mine: IssueSummary[] = [];
  const pages = client.paginate.iterator(client.rest.issues.listForRepo, {
    ...repo,
    labels: DRIFT_LABEL,
    state: 'all',
    per_page: 100,
  });
  for await (const page of pages) {
    for (const issue of page.data) if (!issue.pull_request && issue.body?.includes(marker)) mine.push(issue);
  }
  const open = mine.find((i) => i.state === 'open');
  if (open) return open;
  return mine.sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1))[0];
}

export async function syncDriftIssue(
  client: GithubClient,
  repo: RepoRef,
  plan: Plan,
  options: PlanCommentOptions = {},
): Promise<DriftIssueResult> {
  const existing = await findDriftIssue(client, repo, plan.tenant.name);
  if (!hasChanges(plan)) return closeIfOpen(client, repo, existing, options.runUrl);
  const report = renderDriftIssueBody(plan, options);
  if (!existing) {
    const created = await client.rest.issues.create({
      ...repo,
      title: driftIssueTitle(plan.tenant.name),
      body: report.body,
      labels: [DRIFT_LABEL],
    });
    return { outcome: 'opened', issueNumber: created.data.number, url: created.data.html_url };
  }
  const target = { ...repo, issue_number: existing.number };
  const reopening = existing.state !== 'open';
  if (!reopening && readHashMarker(existing.body) === report.fingerprint)
    return { outcome: 'unchanged', issueNumber: existing.number, url: existing.html_url };
  const before = reopening ? [] : readDriftEntries(existing.body);
  await client.rest.issues.update({
    ...target,
    body: report.body,
    ...(reopening ? { state: 'open' as const } : {}),
  });
  const note = reopening
    ? `Drift is back in tenant **${markdownText(plan.tenant.name)}**; reopening.\n\n${describeDriftChange(before, report.entries)}`
    : describeDriftChange(before, report.entries);
  await client.rest.issues.createComment({ ...target, body: withRun(note, options.runUrl) });
  return {
    outcome: reopening ? 'reopened' : 'updated',
    issueNumber: existing.number,
    url: existing.html_url,
  };
}

function withRun(text: string, runUrl: string | undefined): string {
  return runUrl ? `${text}\n\nSeen by [this run](${runUrl}).` : text;
}

async function closeIfOpen(
  client: GithubClient,
  repo: RepoRef,
  existing: IssueSummary | undefined,
  runUrl: string | undefined,
): Promise<DriftIssueResult> {
  if (!existing || existing.state !== 'open') return { outcome: 'none' };
  const target = { ...repo, issue_number: existing.number };
  await client.rest.issues.createComment({
    ...target,
    body: withRun('The drift is gone: the tenant matches git again. Closing.', runUrl),
  });
  await client.rest.issues.update({ ...target, state: 'closed', state_reason: 'completed' });
  return { outcome: 'closed', issueNumber: existing.number, url: existing.html_url };
}
