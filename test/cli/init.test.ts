/** `accord init` end to end: the real CLI creates a repository that lints, plans and applies against the embedded tenant. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Plan } from '../../src/core/plan.ts';

const BIN = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));
const FILES = [
  'accord.yaml',
  'conditional-access/require-mfa-all-users.yaml',
  'tests/break-glass-never-blocked.yaml',
  '.gitignore',
  '.vscode/settings.json',
];

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

const root = mkdtempSync(join(tmpdir(), 'accord-init-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('accord init', () => {
  const repo = join(root, 'policies');

  it('creates the repository files', async () => {
    const result = await runCli(['init', '--dir', repo]);
    assert.equal(result.code, 0, result.stderr);
    for (const file of FILES) assert.ok(existsSync(join(repo, file)), file);
    assert.match(readFileSync(join(repo, 'accord.yaml'), 'utf8'), /^# tenants:/m);
  });

  it('refuses to overwrite without --force, and restores the files with it', async () => {
    const config = join(repo, 'accord.yaml');
    writeFileSync(config, 'prune: true\n');
    const refused = await runCli(['init', '--dir', repo]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /nothing was written/);
    assert.equal(readFileSync(config, 'utf8'), 'prune: true\n');
    const forced = await runCli(['init', '--dir', repo, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(config, 'utf8'), /groups: \[Emergency access accounts\]/);
  });

  it('lints clean and plans one report-only policy against the embedded tenant, then applies it', async () => {
    const lint = await runCli(['lint', '--dir', repo]);
    assert.equal(lint.code, 0, `${lint.stdout}${lint.stderr}`);
    const plan = await runCli(['plan', '--dir', repo, '--output', 'json']);
    assert.equal(plan.code, 2, plan.stderr);
    const changes = (JSON.parse(plan.stdout) as Plan).changes.filter((c) => c.action === 'create');
    assert.deepEqual(
      changes.map((c) => [c.kind, c.name]),
      [['ConditionalAccessPolicy', 'require-mfa-all-users']],
    );
    assert.equal(changes[0]!.payload?.state, 'enabledForReportingButNotEnforced');
    const apply = await runCli(['apply', '--dir', repo, '--auto-approve']);
    assert.equal(apply.code, 0, apply.stderr);
    const again = await runCli(['plan', '--dir', repo]);
    assert.equal(again.code, 0, again.stdout);
  });
});
