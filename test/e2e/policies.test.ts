/**
 * The CLI end to end on the example repository in policies/: the real binary, a real local tenant served from the
 * repository's data directory, and the exit codes CI relies on (0 none, 2 changes, 1 error).
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyExampleRepository, runAccord as accord } from '../helpers/cli.ts';
import { fetchToken, spawnCliTenant, type CliTenant } from '../reliability/cli-tenant.ts';

describe('accord on the example policy repository', () => {
  let repo: string;
  let tenant: CliTenant;

  before(async () => {
    repo = copyExampleRepository({ prefix: 'e2e' });
    tenant = await spawnCliTenant({ dataDir: join(repo, '.accord', 'local-tenant') });
  });

  after(async () => {
    await tenant.kill('SIGTERM');
    rmSync(repo, { recursive: true, force: true });
  });

  it('lint finds no errors; creating MFA policies straight as enabled is a warning', async () => {
    const run = await accord(['lint', '--dir', repo]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /\b0 errors\b/);
    assert.match(run.stdout, /require-mfa-all-users\.yaml:\d+:\d+: warning\[create-enabled\]/);
  });

  it('lint --output sarif gives code scanning results located in the manifests', async () => {
    const run = await accord(['lint', '--dir', repo, '--output', 'sarif']);
    assert.equal(run.code, 0, run.stderr);
    const sarif = JSON.parse(run.stdout) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === 'create-enabled')!;
    const where = result.locations[0]!.physicalLocation;
    assert.match(
      where.artifactLocation.uri,
      /conditional-access\/require-mfa-(all-users|guests-azure-management)\.yaml$/,
    );
    assert.ok(where.region.startLine > 0);
  });

  it('plan shows the creates and exits 2', async () => {
    const run = await accord(['plan', '--dir', repo]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stdout, /\+ ConditionalAccessPolicy require-mfa-all-users/);
    assert.match(run.stdout, /excludeGroups: \["Emergency access accounts"\]/);
    assert.match(run.stdout, /4 to create, 0 to update, 0 to delete/);
  });

  it('plan --output json is the documented format', async () => {
    const run = await accord(['plan', '--dir', repo, '--output', 'json']);
    assert.equal(run.code, 2);
    const plan = JSON.parse(run.stdout) as {
      formatVersion: number;
      changes: { kind: string; action: string; fields: unknown[] }[];
    };
    assert.equal(plan.formatVersion, 1);
    const creates = plan.changes.filter((c) => c.action === 'create');
    assert.equal(creates.length, 4);
    assert.ok(creates.every((c) => Array.isArray(c.fields) && c.fields.length > 0));
  });

  it('apply without --auto-approve changes nothing', async () => {
    const run = await accord(['apply', '--dir', repo]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /--auto-approve/);
    assert.equal((await accord(['plan', '--dir', repo])).code, 2);
  });

  it('apply creates named locations before the policies and the next plan is empty', async () => {
    const run = await accord(['apply', '--dir', repo, '--auto-approve']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n').filter((l) => /^\[\d+\/4\]/.test(l));
    assert.equal(lines.length, 4);
    assert.match(lines[0]!, /NamedLocation/);
    const plan = await accord(['plan', '--dir', repo]);
    assert.equal(plan.code, 0, plan.stdout);
    assert.match(plan.stdout, /0 to create, 0 to update, 0 to delete, 5 unchanged/);
  });

  it('drift exits 2 after a change made in the tenant by hand, and apply corrects it', async () => {
    const token = await fetchToken(tenant.ready, 'writer');
    const list = (await (
      await fetch(`${tenant.ready.graphUrl}/identity/conditionalAccess/policies`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { value: { id: string; displayName: string }[] };
    const policy = list.value.find((p) => p.displayName === 'Require MFA for all users')!;
    const patch = await fetch(`${tenant.ready.graphUrl}/identity/conditionalAccess/policies/${policy.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'disabled' }),
    });
    assert.equal(patch.status, 204);
    const drift = await accord(['drift', '--dir', repo]);
    assert.equal(drift.code, 2);
    assert.match(drift.stdout, /state: "disabled" → "enabled"/);
    assert.equal((await accord(['apply', '--dir', repo, '--auto-approve'])).code, 0);
    assert.equal((await accord(['drift', '--dir', repo])).code, 0);
  });

  it('a saved plan is refused once the tenant changed', async () => {
    const file = join(repo, '..', `${repo.split('/').pop()}-plan.json`);
    const path = join(repo, 'conditional-access', 'block-legacy-authentication.yaml');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('state: enabledForReportingButNotEnforced', 'state: disabled'),
    );
    const saved = await accord(['plan', '--dir', repo, '--out', file]);
    assert.equal(saved.code, 2);
    const token = await fetchToken(tenant.ready, 'writer');
    await fetch(`${tenant.ready.graphUrl}/identity/conditionalAccess/namedLocations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        '@odata.type': '#microsoft.graph.countryNamedLocation',
        displayName: 'Made by hand',
        countriesAndRegions: ['FR'],
      }),
    });
    const refused = await accord(['apply', file, '--dir', repo, '--auto-approve']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /tenant changed since/);
    const fresh = await accord(['plan', '--dir', repo, '--out', file]);
    assert.equal(fresh.code, 2);
    assert.match(fresh.stdout, /\? NamedLocation Made by hand — unmanaged/);
    const applied = await accord(['apply', file, '--dir', repo, '--auto-approve']);
    assert.equal(applied.code, 0, applied.stderr);
  });

  it('an unresolvable name is an error with file and line, and nothing is written', async () => {
    const path = join(repo, 'conditional-access', 'require-mfa-all-users.yaml');
    const original = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      original.replace(
        'excludeGroups: [Emergency access accounts]',
        'excludeGroups: [Emergency acess accounts]',
      ),
    );
    try {
      const run = await accord(['apply', '--dir', repo, '--auto-approve']);
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        /require-mfa-all-users\.yaml:\d+:\d+: error\[unresolved-name\]: 'Emergency acess accounts'/,
      );
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    } finally {
      writeFileSync(path, original);
    }
  });
});
