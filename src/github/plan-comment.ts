/**
 * The sticky plan comment: one per tenant per pull request, found by its hidden marker (paging through every
 * comment), updated in place, and left alone when the plan content is unchanged.
 */
import type { GithubClient } from './github-client.ts';
import type { RepoRef } from './github-context.ts';
import { planMarker, readHashMarker } from './markers.ts';
import type { PlanComment } from './plan-comment-markdown.ts';

export interface CommentTarget extends RepoRef {
  issueNumber: number;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export interface UpsertResult {
  outcome: UpsertOutcome;
  commentId: number;
  url: string;
  /** Stray copies of the sticky comment (from a race between two runs) that were deleted. */
  removedDuplicates: number;
}

interface IssueComment {
  id: number;
  body?: string | null;
  html_url: string;
}

/** Every comment of the issue or pull request carrying the marker, oldest first. */
export async function findMarkedComments(
  client: GithubClient,
  target: CommentTarget,
  marker: string,
): Promise<IssueComment[]> {
  const found: IssueComment[] = [];
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    for (const comment of page.data) if (comment.body?.includes(marker)) found.push(comment);
  }
  return found;
}

export async function upsertPlanComment(
  client: GithubClient,
  target: CommentTarget,
  tenantName: string,
  comment: PlanComment,
): Promise<UpsertResult> {
  const repo = { owner: target.owner, repo: target.repo };
  const [sticky, ...duplicates] = await findMarkedComments(client, target, planMarker(tenantName));
  for (const stray of duplicates) await client.rest.issues.deleteComment({ ...repo, comment_id: stray.id });
  const removedDuplicates = duplicates.length;
  if (!sticky) {
    const created = await client.rest.issues.createComment({
      ...repo,
      issue_number: target.issueNumber,
      body: comment.body,
    });
    return { outcome: 'created', commentId: created.data.id, url: created.data.html_url, removedDuplicates };
  }
  if (readHashMarker(sticky.body) === comment.hash)
    return { outcome: 'unchanged', commentId: sticky.id, url: sticky.html_url, removedDuplicates };
  const updated = await client.rest.issues.updateComment({
    ...repo,
    comment_id: sticky.id,
    body: comment.body,
  });
  return { outcome: 'updated', commentId: updated.data.id, url: updated.data.html_url, removedDuplicates };
}
