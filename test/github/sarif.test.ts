/** Lint findings as SARIF 2.1.0, and their upload to code scanning (gzip + base64) through the fake server. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runUploadSarif } from '../../src/github/github-runs.ts';
import { uploadSarif } from '../../src/github/sarif-upload.ts';
import { renderSarif } from '../../src/render/sarif.ts';
import { startFakeGithub, type FakeGithub } from './fake-github-server.ts';
import { actionsEnv, FAST_THROTTLE, testClient } from './github-test-client.ts';
import { FIXTURES, REPO_ROOT } from './plan-fixtures.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('SARIF', () => {
  let github: FakeGithub;
  before(async () => {
    github = await startFakeGithub();
  });
  after(() => github.close());

  it('renders one rule per code and results located in the manifest files', () => {
    const log = renderSarif(FIXTURES['mixed-changes']!.diagnostics, {
      toolVersion: '0.1.0',
      repoRoot: REPO_ROOT,
    });
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0]!;
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id).sort(), ['report-only', 'unmanaged']);
    const located = run.results.find((r) => r.ruleId === 'report-only')!;
    assert.equal(located.level, 'warning');
    assert.deepEqual(located.locations![0]!.physicalLocation, {
      artifactLocation: {
        uri: 'policies/conditional-access/require-mfa-guests.yaml',
        uriBaseId: '%SRCROOT%',
      },
      region: { startLine: 7, startColumn: 3 },
    });
    assert.equal(run.results.find((r) => r.ruleId === 'unmanaged')!.level, 'note');
    for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex]!.id, r.ruleId);
    // %SRCROOT% is the repository root, so the relative paths resolve to the manifests.
    const root = run.originalUriBaseIds['%SRCROOT%']!.uri;
    assert.match(root, /^file:\/\/.+\/$/);
    assert.equal(
      fileURLToPath(new URL(located.locations![0]!.physicalLocation.artifactLocation.uri, root)),
      join(REPO_ROOT, 'policies/conditional-access/require-mfa-guests.yaml'),
    );
  });

  it('uploads gzip + base64 for the commit and ref', async () => {
    const log = renderSarif(FIXTURES['mixed-changes']!.diagnostics, {
      toolVersion: '0.1.0',
      repoRoot: REPO_ROOT,
    });
    const result = await uploadSarif(testClient(github), {
      owner: 'contoso',
      repo: 'policies',
      sarif: JSON.stringify(log),
      commitSha: SHA,
      ref: 'refs/pull/7/merge',
    });
    assert.ok(result.id);
    const stored = github.sarifs.at(-1)!;
    assert.equal(stored.commitSha, SHA);
    assert.equal(stored.ref, 'refs/pull/7/merge');
    assert.deepEqual(stored.sarif, log);
  });

  it('`accord github upload-sarif` takes the commit and ref from the Actions environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-sarif-'));
    const file = join(dir, 'lint.sarif');
    writeFileSync(file, JSON.stringify(renderSarif([], { toolVersion: '0.1.0', repoRoot: dir })));
    const env = actionsEnv(github, { GITHUB_SHA: SHA, GITHUB_REF: 'refs/heads/main' });
    const line = await runUploadSarif({ file }, { env, client: { throttle: FAST_THROTTLE } });
    assert.match(line, /SARIF uploaded for refs\/heads\/main \(0123456\)/);
    assert.equal(github.sarifs.at(-1)!.ref, 'refs/heads/main');
  });

  it('refuses a file that is not SARIF before calling GitHub', async () => {
    const before = github.requests.length;
    await assert.rejects(
      uploadSarif(testClient(github), {
        owner: 'o',
        repo: 'r',
        sarif: '{"version":"1"}',
        commitSha: SHA,
        ref: 'refs/heads/main',
      }),
      /not SARIF 2\.1\.0/,
    );
    assert.equal(github.requests.length, before);
  });

  it('the fake server refuses SARIF that is not gzip + base64', async () => {
    await assert.rejects(
      testClient(github).request('POST /repos/{owner}/{repo}/code-scanning/sarifs', {
        owner: 'contoso',
        repo: 'policies',
        commit_sha: SHA,
        ref: 'refs/heads/main',
        sarif: Buffer.from('{"version":"2.1.0","runs":[]}').toString('base64'),
      }),
      (err: Error & { status?: number }) => err.status === 422,
    );
  });
});
