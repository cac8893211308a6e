/** The drift issue's lifecycle through octokit against the fake GitHub server: open → update → close → reopen. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DRIFT_LABEL, syncDriftIssue } from '../../src/github/drift-issue.ts';
import { startFakeGithub, type FakeGithub, type FakeIssue } from './fake-github-server.ts';
import { testClient } from './github-test-client.ts';
import { legacyDelete, locationCreate, mfaUpdate, planWith, unchanged } from './plan-fixtures.ts';

const REPO = { owner: 'contoso', repo: 'policies' };

describe('drift issue', () => {
  let github: FakeGithub;
  before(async () => {
    github = await startFakeGithub();
  });
  after(() => github.close());

  const issues = (): FakeIssue[] => github.issues.get('contoso/policies') ?? [];

  it('opens one issue, updates it when the drift changes, closes it when gone, reopens it when back', async () => {
    const client = testClient(github);
    // Other issues, including another accord-drift issue for another tenant and a pull request, must not be touched.
    github.addIssue('contoso/policies', { title: 'unrelated', labels: ['bug'] });
    github.addIssue('contoso/policies', { title: 'a PR', isPullRequest: true, labels: [DRIFT_LABEL] });
    await syncDriftIssue(client, REPO, planWith([locationCreate], 'staging'));

    const opened = await syncDriftIssue(client, REPO, planWith([mfaUpdate, unchanged]));
    assert.equal(opened.outcome, 'opened');
    const issue = issues().find((i) => i.number === opened.issueNumber)!;
    assert.deepEqual(issue.labels, [DRIFT_LABEL]);
    assert.equal(issue.title, 'accord: drift in tenant production');
    assert.match(issue.body, /<!-- accord:drift tenant=production -->/);

    assert.equal((await syncDriftIssue(client, REPO, planWith([mfaUpdate, unchanged]))).outcome, 'unchanged');
    assert.equal(github.commentsOn('contoso/policies', issue.number).length, 0);

    const updated = await syncDriftIssue(client, REPO, planWith([mfaUpdate, locationCreate]), {
      runUrl: 'https://github.test/contoso/policies/actions/runs/9',
    });
    assert.equal(updated.outcome, 'updated');
    assert.equal(updated.issueNumber, issue.number);
    const [changeNote] = github.commentsOn('contoso/policies', issue.number);
    assert.match(
      changeNote!.body,
      /Newly drifted[\s\S]*NamedLocation `contoso-headquarters` \(apply would create it\)/,
    );
    assert.doesNotMatch(changeNote!.body, /Back in accord/);
    assert.match(issue.body, /contoso-headquarters/);

    const changedAgain = await syncDriftIssue(client, REPO, planWith([locationCreate, legacyDelete]));
    assert.equal(changedAgain.outcome, 'updated');
    const notes = github.commentsOn('contoso/policies', issue.number);
    assert.match(
      notes.at(-1)!.body,
      /Newly drifted[\s\S]*old-block-legacy[\s\S]*Back in accord with git[\s\S]*require-mfa-all-users/,
    );

    const closed = await syncDriftIssue(client, REPO, planWith([unchanged]));
    assert.equal(closed.outcome, 'closed');
    assert.equal(issue.state, 'closed');
    assert.match(github.commentsOn('contoso/policies', issue.number).at(-1)!.body, /drift is gone/);
    assert.equal((await syncDriftIssue(client, REPO, planWith([unchanged]))).outcome, 'none');

    const reopened = await syncDriftIssue(client, REPO, planWith([mfaUpdate]));
    assert.equal(reopened.outcome, 'reopened');
    assert.equal(reopened.issueNumber, issue.number);
    assert.equal(issue.state, 'open');
    assert.match(github.commentsOn('contoso/policies', issue.number).at(-1)!.body, /Drift is back/);

    const production = issues().filter((i) => i.body.includes('tenant=production'));
    assert.equal(production.length, 1, 'never one issue per run');
    assert.equal(issues().filter((i) => i.body.includes('tenant=staging')).length, 1);
  });

  it('finds its issue among more than a page of labelled issues', async () => {
    const client = testClient(github);
    const repo = { owner: 'contoso', repo: 'many' };
    const first = await syncDriftIssue(client, repo, planWith([mfaUpdate]));
    for (let i = 0; i < 130; i++)
      github.addIssue('contoso/many', { title: `other ${i}`, labels: [DRIFT_LABEL] });
    const second = await syncDriftIssue(client, repo, planWith([locationCreate]));
    assert.equal(second.outcome, 'updated');
    assert.equal(second.issueNumber, first.issueNumber);
  });
});
