/**
 * The workflow files and action.yml reference only what exists: they parse; every `uses:` of this repository's action
 * passes inputs action.yml declares (and every required one); every `${{ inputs.x }}` in action.yml is declared;
 * permissions are real GitHub permission keys with read/write/none. actionlint runs too when it is installed in
 * .cache/bin (`GOBIN=$PWD/.cache/bin go install github.com/rhysd/actionlint/cmd/actionlint@latest`).
 */
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { readAction } from './action-runner.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ACTION_REF = /^(?:accord-dev\/accord@.+|\.\/?)$/;
const PERMISSIONS = new Set([
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
]);

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on'?: unknown;
  permissions?: unknown;
  environment?: unknown;
  steps?: Step[];
}
interface Workflow {
  on?: unknown;
  permissions?: unknown;
  jobs?: Record<string, Job>;
}

function workflowFiles(): string[] {
  return ['.github/workflows', '.github/policy-repo-workflows'].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(dir, f)),
  );
}

function readWorkflow(file: string): Workflow {
  return parse(readFileSync(join(ROOT, file), 'utf8')) as Workflow;
}

function permissionProblems(where: string, permissions: unknown): string[] {
  if (permissions === undefined || permissions === 'read-all' || permissions === 'write-all') return [];
  if (typeof permissions !== 'object' || permissions === null)
    return [`${where}: permissions must be a mapping`];
  return Object.entries(permissions).flatMap(([key, value]) => [
    ...(PERMISSIONS.has(key) ? [] : [`${where}: unknown permission '${key}'`]),
    ...(['read', 'write', 'none'].includes(String(value))
      ? []
      : [`${where}: ${key}: ${String(value)} is not read/write/none`]),
  ]);
}

const ACTIONLINT_VERSION = 'v1.7.12';

/**
 * actionlint, built from its Go module when missing and kept outside the clone (CI starts from a fresh clone; the
 * Go module proxy is reachable), so the workflows are always checked by the real linter.
 */
function ensureActionlint(): string {
  const bin = join(process.env.ACCORD_TOOLS_DIR ?? join(homedir(), '.cache', 'accord', 'bin'), 'actionlint');
  if (existsSync(bin)) return bin;
  const local = join(ROOT, '.cache', 'bin', 'actionlint');
  if (existsSync(local)) return local;
  const built = spawnSync(
    'go',
    ['install', `github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}`],
    {
      env: { ...process.env, GOBIN: dirname(bin), GOFLAGS: '-mod=mod' },
      encoding: 'utf8',
    },
  );
  assert.equal(built.status, 0, `could not build actionlint: ${built.stderr}`);
  return bin;
}

describe('workflow lint', () => {
  const action = readAction(join(ROOT, 'action.yml'));

  it('action.yml is a composite action whose expressions name declared inputs', () => {
    assert.equal(action.runs.using, 'composite');
    const text = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    const used = [...text.matchAll(/\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}/g)].map((m) => m[1]!);
    assert.ok(used.length > 0);
    for (const name of used) assert.ok(name in action.inputs, `action.yml uses undeclared input '${name}'`);
    for (const step of action.runs.steps) {
      if (step.run) assert.equal(step.shell, 'bash', 'composite run steps need a shell');
    }
    assert.deepEqual(Object.keys(action.inputs).sort(), ['command', 'dir', 'github-token', 'tenant']);
  });

  for (const file of workflowFiles()) {
    it(`${file} parses, has valid permissions, and calls the action with its inputs`, () => {
      const workflow = readWorkflow(file);
      assert.ok(workflow.on, 'no trigger');
      const problems = permissionProblems(file, workflow.permissions);
      for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
        assert.ok(job['runs-on'], `${name}: no runs-on`);
        problems.push(...permissionProblems(`${file} ${name}`, job.permissions));
        for (const step of job.steps ?? []) {
          assert.ok(
            (step.uses === undefined) !== (step.run === undefined),
            `${name}: a step needs uses or run`,
          );
          if (!step.uses || !ACTION_REF.test(step.uses)) continue;
          const given = Object.keys(step.with ?? {});
          for (const input of given)
            if (!(input in action.inputs)) problems.push(`${file} ${name}: unknown input '${input}'`);
          for (const [input, spec] of Object.entries(action.inputs))
            if (spec.required && !given.includes(input))
              problems.push(`${file} ${name}: missing input '${input}'`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it('the example workflows ask for what each job needs', () => {
    const perms = (f: string): Record<string, string> =>
      readWorkflow(`.github/policy-repo-workflows/${f}`).permissions as Record<string, string>;
    assert.equal(perms('plan-on-pr.yml')['id-token'], 'write');
    assert.equal(perms('plan-on-pr.yml')['pull-requests'], 'write');
    assert.equal(perms('drift.yml').issues, 'write');
    const apply = readWorkflow('.github/policy-repo-workflows/apply-on-merge.yml');
    assert.equal(apply.jobs!.apply!.environment, 'production');
    const ci = readWorkflow('.github/workflows/ci.yml');
    assert.ok(ci.jobs!.check!.steps!.some((s) => s.run === 'npm run check'));
  });

  it('actionlint finds nothing', { timeout: 600_000 }, () => {
    const actionlint = ensureActionlint();
    const result = spawnSync(actionlint, ['-no-color', ...workflowFiles()], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});
