/** The sticky plan comment through octokit against the fake GitHub server: create, update in place, skip unchanged. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGithubClient } from '../../src/github/github-client.ts';
import { upsertPlanComment } from '../../src/github/plan-comment.ts';
import { renderPlanComment } from '../../src/github/plan-comment-markdown.ts';
import { startFakeGithub, type FakeGithub } from './fake-github-server.ts';
import { testClient } from './github-test-client.ts';
import { FIXTURES, hugePlan, locationCreate, planWith } from './plan-fixtures.ts';

const REPO = 'contoso/policies';

describe('sticky plan comment', () => {
  let github: FakeGithub;
  before(async () => {
    github = await startFakeGithub();
  });
  after(() => github.close());

  function pullRequestWithNoise(noise: number): number {
    const pr = github.addIssue(REPO, { isPullRequest: true, title: 'Require MFA' });
    for (let i = 0; i < noise; i++) github.addComment(REPO, pr.number, `review comment ${i}`);
    return pr.number;
  }

  it('is created, updated in place, and not re-posted when unchanged — past 150 other comments', async () => {
    const number = pullRequestWithNoise(150);
    const client = testClient(github);
    const target = { owner: 'contoso', repo: 'policies', issueNumber: number };
    const first = renderPlanComment(FIXTURES['mixed-changes']!);

    const created = await upsertPlanComment(client, target, 'production', first);
    assert.equal(created.outcome, 'created');
    // More comments arrive after ours: it is now on page 1 of 2 at per_page=100, never on the last page.
    for (let i = 0; i < 60; i++) github.addComment(REPO, number, `later comment ${i}`);

    const again = await upsertPlanComment(client, target, 'production', first);
    assert.equal(again.outcome, 'unchanged');
    assert.equal(again.commentId, created.commentId);

    const second = renderPlanComment(planWith([locationCreate]));
    const updated = await upsertPlanComment(client, target, 'production', second);
    assert.equal(updated.outcome, 'updated');
    assert.equal(updated.commentId, created.commentId);

    const ours = github
      .commentsOn(REPO, number)
      .filter((c) => c.body.includes('<!-- accord:plan tenant=production -->'));
    assert.equal(ours.length, 1, 'never a second sticky comment');
    assert.equal(ours[0]!.body, second.body);
    assert.equal(github.countRequests('POST', /\/issues\/\d+\/comments$/), 1);
    assert.equal(github.countRequests('PATCH', /\/issues\/comments\/\d+$/), 1);
    assert.ok(github.countRequests('GET', /\/issues\/\d+\/comments$/) >= 6, 'every page was read');
  });

  it('keeps one comment per tenant on the same pull request', async () => {
    const number = pullRequestWithNoise(3);
    const client = testClient(github);
    const target = { owner: 'contoso', repo: 'policies', issueNumber: number };
    await upsertPlanComment(client, target, 'production', renderPlanComment(FIXTURES['mixed-changes']!));
    const staging = planWith([locationCreate], 'staging');
    const result = await upsertPlanComment(client, target, 'staging', renderPlanComment(staging));
    assert.equal(result.outcome, 'created');
    const bodies = github.commentsOn(REPO, number).map((c) => c.body);
    assert.equal(bodies.filter((b) => b.includes('tenant=production')).length, 1);
    assert.equal(bodies.filter((b) => b.includes('tenant=staging')).length, 1);
  });

  it('removes stray copies left by two runs racing', async () => {
    const number = pullRequestWithNoise(0);
    const body = renderPlanComment(FIXTURES['no-changes']!).body;
    github.addComment(REPO, number, body);
    github.addComment(REPO, number, body);
    const client = testClient(github);
    const result = await upsertPlanComment(
      client,
      { owner: 'contoso', repo: 'policies', issueNumber: number },
      'production',
      renderPlanComment(FIXTURES['mixed-changes']!),
    );
    assert.equal(result.outcome, 'updated');
    assert.equal(result.removedDuplicates, 1);
    assert.equal(github.commentsOn(REPO, number).length, 1);
  });

  it('posts a truncated plan that GitHub accepts, where the full one is refused with 422', async () => {
    const number = pullRequestWithNoise(0);
    const client = testClient(github);
    const comment = renderPlanComment(hugePlan());
    await assert.rejects(
      client.rest.issues.createComment({
        owner: 'contoso',
        repo: 'policies',
        issue_number: number,
        body: comment.full,
      }),
      (err: Error & { status?: number }) => err.status === 422,
    );
    const result = await upsertPlanComment(
      client,
      { owner: 'contoso', repo: 'policies', issueNumber: number },
      'production',
      comment,
    );
    assert.equal(result.outcome, 'created');
  });

  it('is refused without the right token', async () => {
    const stranger = createGithubClient({ token: 'ghs_wrong', baseUrl: github.url, warn: () => undefined });
    await assert.rejects(
      stranger.rest.issues.listComments({ owner: 'contoso', repo: 'policies', issue_number: 1 }),
      (err: Error & { status?: number }) => err.status === 401,
    );
  });
});
