/**
 * action.yml run as GitHub runs a composite action (parsed, inputs and env substituted, `run:` scripts in bash)
 * against the embedded local tenant and the fake GitHub server: plan on a pull request (sticky comment + job
 * summary, not re-posted on a second run) and scheduled drift (one issue).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { readAction, runAction, type StepRun } from './action-runner.ts';
import { startFakeGithub, type FakeGithub } from './fake-github-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPO = 'contoso/policies';

describe('action.yml, run as GitHub would', () => {
  let github: FakeGithub;
  let work: string;
  let prNumber: number;
  before(async () => {
    github = await startFakeGithub();
    work = mkdtempSync(join(tmpdir(), 'accord-action-'));
    cpSync(join(ROOT, 'policies'), join(work, 'repo'), {
      recursive: true,
      filter: (source) => !source.includes('.accord'),
    });
    prNumber = github.addIssue(REPO, { isPullRequest: true, title: 'Add policies' }).number;
  });
  after(() => github.close());

  async function run(
    command: string,
    event: string,
    payload: unknown,
  ): Promise<{ steps: StepRun[]; summary: string }> {
    const temp = mkdtempSync(join(work, `${command}-`));
    const eventPath = join(temp, 'event.json');
    writeFileSync(eventPath, JSON.stringify(payload));
    const summary = join(temp, 'summary.md');
    writeFileSync(summary, '');
    const env: NodeJS.ProcessEnv = {
      PATH: [join(ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
      HOME: process.env.HOME ?? temp,
      NO_COLOR: '1',
      ACCORD_CLI: `node ${join(ROOT, 'bin', 'accord.js')}`,
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_WORKSPACE: work,
      GITHUB_TOKEN: github.token,
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.test',
      GITHUB_REPOSITORY: REPO,
      GITHUB_RUN_ID: '77',
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: temp,
    };
    const steps = await runAction(readAction(join(ROOT, 'action.yml')), {
      inputs: { command, dir: 'repo' },
      env,
      workdir: work,
      tempDir: temp,
    });
    return { steps, summary: readFileSync(summary, 'utf8') };
  }

  function accordStep(steps: StepRun[]): StepRun {
    const step = steps.find((s) => s.name.startsWith('accord '))!;
    assert.equal(step.status, 0, `${step.name} failed:\n${step.stdout}\n${step.stderr}`);
    return step;
  }

  it('plan on a pull request posts one sticky comment and writes the job summary', async () => {
    const { steps, summary } = await run('plan', 'pull_request', { pull_request: { number: prNumber } });
    assert.deepEqual(
      steps.filter((s) => s.skipped).map((s) => s.name),
      ['Set up Node.js 24'],
    );
    const step = accordStep(steps);
    assert.equal(step.outputs['exit-code'], '2', 'the example policies are changes against the demo tenant');
    assert.match(step.stdout, /plan comment created/);
    const comments = github.commentsOn(REPO, prNumber);
    assert.equal(comments.length, 1);
    assert.match(comments[0]!.body, /<!-- accord:plan tenant=local -->/);
    assert.match(comments[0]!.body, /#### Sign-in impact/);
    assert.match(summary, /### accord plan — local/);

    const again = accordStep(
      (await run('plan', 'pull_request', { pull_request: { number: prNumber } })).steps,
    );
    assert.match(again.stdout, /plan comment unchanged/);
    assert.equal(github.commentsOn(REPO, prNumber).length, 1);
  });

  it('scheduled drift opens one issue labelled accord-drift', async () => {
    const step = accordStep((await run('drift', 'schedule', {})).steps);
    assert.equal(step.outputs['exit-code'], '2');
    assert.match(step.stdout, /drift issue opened/);
    const issues = (github.issues.get(REPO) ?? []).filter((i) => i.labels.includes('accord-drift'));
    assert.equal(issues.length, 1);
    accordStep((await run('drift', 'schedule', {})).steps);
    assert.equal((github.issues.get(REPO) ?? []).filter((i) => i.labels.includes('accord-drift')).length, 1);
  });

  it('an unknown command fails the step', async () => {
    const { steps } = await run('destroy', 'push', {});
    const step = steps.find((s) => s.name.startsWith('accord '))!;
    assert.equal(step.status, 1);
    assert.match(step.stdout, /::error::command must be plan, apply, drift or lint/);
  });
});
