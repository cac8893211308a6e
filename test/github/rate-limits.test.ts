/** octokit's retry and throttling plugins carry accord through GitHub's secondary rate limits (403 and 429). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { upsertPlanComment } from '../../src/github/plan-comment.ts';
import { renderPlanComment } from '../../src/github/plan-comment-markdown.ts';
import { startFakeGithub, type FakeGithub } from './fake-github-server.ts';
import { testClient } from './github-test-client.ts';
import { FIXTURES } from './plan-fixtures.ts';

describe('secondary rate limits', () => {
  let github: FakeGithub;
  before(async () => {
    github = await startFakeGithub();
  });
  after(() => github.close());

  it('a 403 and a 429 secondary rate limit are waited out (retry-after) and the comment still lands once', async () => {
    const pr = github.addIssue('contoso/policies', { isPullRequest: true });
    const warnings: string[] = [];
    const client = testClient(github, warnings);
    github.rateLimitNext('403');
    const started = Date.now();
    const listed = client.rest.issues.listComments({
      owner: 'contoso',
      repo: 'policies',
      issue_number: pr.number,
    });
    assert.equal((await listed).status, 200);
    github.rateLimitNext('429');
    const result = await upsertPlanComment(
      client,
      { owner: 'contoso', repo: 'policies', issueNumber: pr.number },
      'production',
      renderPlanComment(FIXTURES['mixed-changes']!),
    );
    assert.equal(result.outcome, 'created');
    assert.ok(Date.now() - started >= 1900, 'retry-after: 1 was honoured twice');
    assert.equal(github.commentsOn('contoso/policies', pr.number).length, 1);
    assert.equal(github.requests.filter((r) => r.status === 403 || r.status === 429).length, 2);
    // The 403 goes through the throttling plugin (which warns); octokit's retry plugin takes the 429 itself.
    assert.ok(
      warnings.some((w) => /secondary rate limit on GET/.test(w)),
      JSON.stringify(warnings),
    );
  });

  it('gives up after the configured retries and reports the status', async () => {
    const client = testClient(github);
    github.rateLimitNext('403', '403', '403', '403', '403');
    await assert.rejects(
      client.rest.issues.listComments({ owner: 'contoso', repo: 'policies', issue_number: 1 }),
      (err: Error & { status?: number }) => err.status === 403,
    );
  });
});
