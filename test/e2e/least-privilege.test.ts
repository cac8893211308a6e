/**
 * Least privilege: with the read-only `accord-reader` identity of the demo tenant, `plan` and `drift`
 * work, and `apply` fails cleanly before any write — not a single POST, PATCH or DELETE reaches the tenant (a
 * fault-injection tripwire counts them; the state hash proves nothing changed), one clear line on stderr, exit 1,
 * no stack trace. The CLI signs in as the reader with ACCORD_LOCAL_IDENTITY=reader. Also through the real Graph
 * client: a reader's write is answered 403 and reported as `Authorization_RequestDenied`.
 */
import assert from 'node:assert/strict';
import { copyExampleRepository, runAccord, type CliRun } from '../helpers/cli.ts';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GraphRequestError } from '../../src/core/graph-port.ts';
import { localClientCredential } from '../../src/cli/local-credential.ts';
import { GraphClient } from '../../src/graph/graph-client.ts';
import { registry } from '../../src/kinds/registry.ts';
import { applyPlan } from '../../src/pipeline/apply-plan.ts';
import { computePlan } from '../../src/pipeline/compute-plan.ts';
import { InventoryStore } from '../../src/pipeline/inventory.ts';
import { loadManifests } from '../../src/pipeline/load-manifests.ts';
import { startTestTenant, type AppName, type TestTenant } from '../helpers/local-tenant.ts';
import { fetchToken, minimalCaPolicy, spawnCliTenant, type CliTenant } from '../reliability/cli-tenant.ts';

const accord = (args: string[], identity: AppName): Promise<CliRun> =>
  runAccord(args, { ACCORD_LOCAL_IDENTITY: identity });

/** Counts every write to a policy route: a `slow` fault of 0 ms on POST, PATCH and DELETE is a tripwire. */
const WRITE_TRIPWIRE = {
  rules: ['POST', 'PATCH', 'DELETE'].map((method) => ({
    method,
    path: '^/(v1\\.0|beta)/(identity|policies)/',
    kind: 'slow',
    rate: 1,
    delayMs: 0,
  })),
};

describe('least privilege: the read-only identity', () => {
  let repo: string;
  let server: CliTenant;

  before(async () => {
    repo = copyExampleRepository({ prefix: 'least-privilege' });
    server = await spawnCliTenant({ dataDir: join(repo, '.accord', 'local-tenant') });
  });

  after(async () => {
    await server?.kill('SIGTERM');
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  async function control(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${server.ready.url}/_accord${path}`, {
      method,
      headers: { 'x-accord-admin-key': server.ready.adminKey, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} /_accord${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }

  const stateHash = async (): Promise<string> =>
    JSON.stringify(await control('GET', `/tenants/${server.ready.tenantId}/state-hash`));

  it('plans with the reader (exit 2: the example repository is not applied yet)', async () => {
    const run = await accord(['plan', '--dir', repo], 'reader');
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stdout, /\+ ConditionalAccessPolicy require-mfa-all-users/);
    assert.equal(run.stderr, '');
  });

  it('refuses apply with the reader before a single write, in one clear line', async () => {
    const before = await stateHash();
    await control('PUT', '/faults', WRITE_TRIPWIRE);
    const run = await accord(['apply', '--dir', repo, '--auto-approve'], 'reader');
    const injected = (await control('GET', '/faults')) as { injected: Record<string, number> };
    await control('DELETE', '/faults');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.deepEqual(injected.injected, {}, 'write requests reached the tenant');
    assert.equal(await stateHash(), before, 'the tenant changed');
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `stderr is not one line:\n${run.stderr}`);
    assert.match(lines[0]!, /^accord: /);
    assert.match(lines[0]!, /Policy\.ReadWrite\.ConditionalAccess/);
    assert.match(lines[0]!, /nothing was applied/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'a stack trace');
    assert.doesNotMatch(run.stdout, /^\[\d+\/\d+\]/m, 'progress of a write was printed');
  });

  it('drift works with the reader: none after the writer applied, a field after a change by hand', async () => {
    const applied = await accord(['apply', '--dir', repo, '--auto-approve'], 'writer');
    assert.equal(applied.code, 0, applied.stderr);
    const clean = await accord(['drift', '--dir', repo], 'reader');
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.equal(clean.stderr, '');

    // Someone switches a policy to report-only in the portal.
    const token = await fetchToken(server.ready, 'writer');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const list = (await (
      await fetch(`${server.ready.graphUrl}/identity/conditionalAccess/policies`, { headers })
    ).json()) as { value: { id: string; displayName: string }[] };
    const policy = list.value.find((p) => p.displayName === 'Require MFA for all users');
    assert.ok(policy);
    const patched = await fetch(`${server.ready.graphUrl}/identity/conditionalAccess/policies/${policy.id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ state: 'enabledForReportingButNotEnforced' }),
    });
    assert.equal(patched.status, 204);

    const drift = await accord(['drift', '--dir', repo, '--output', 'json'], 'reader');
    assert.equal(drift.code, 2, drift.stderr);
    const plan = JSON.parse(drift.stdout) as {
      changes: { name: string; action: string; fields: { path: string }[] }[];
    };
    const change = plan.changes.find((c) => c.name === 'require-mfa-all-users');
    assert.equal(change?.action, 'update');
    assert.deepEqual(
      change.fields.map((f) => f.path),
      ['state'],
    );
  });

  it('refuses an apply that only touches the methods policy, naming only that permission', async () => {
    const file = join(repo, 'authentication-methods', 'authentication-methods.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('state: enabled', 'state: disabled'));
    // The drifted CA policy from the previous test is still there: put it back first with the writer.
    const fixed = await accord(['apply', '--dir', repo, '--auto-approve'], 'writer');
    assert.equal(fixed.code, 0, fixed.stderr);
    writeFileSync(file, readFileSync(file, 'utf8').replace('state: disabled', 'state: enabled'));
    const before = await stateHash();
    const run = await accord(['apply', '--dir', repo, '--auto-approve'], 'reader');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(await stateHash(), before);
    assert.match(
      run.stderr,
      /Policy\.ReadWrite\.AuthenticationMethod \(to change AuthenticationMethodsPolicy\)/,
    );
    assert.doesNotMatch(run.stderr, /Policy\.ReadWrite\.ConditionalAccess/);
  });
});

describe('least privilege through the Graph client', () => {
  let tenant: TestTenant;

  before(async () => {
    tenant = await startTestTenant();
  });

  after(async () => {
    await tenant?.close();
  });

  function clientFor(app: AppName): GraphClient {
    const registration = tenant.summary.apps.find((a) => a.displayName === `accord-${app}`)!;
    return new GraphClient({
      baseUrl: tenant.tenant.graphUrl,
      credential: localClientCredential(
        tenant.summary.tokenEndpoint,
        registration.clientId,
        registration.clientSecret,
      ),
      conditionalAccessPerSecond: 1000,
      conditionalAccessBurst: 1000,
      baseDelayMs: 10,
    });
  }

  it("decodes the token's permissions", async () => {
    const reader = await clientFor('reader').grantedPermissions();
    const writer = await clientFor('writer').grantedPermissions();
    assert.ok(reader && writer);
    assert.ok(reader.includes('Policy.Read.All'));
    assert.ok(!reader.includes('Policy.ReadWrite.ConditionalAccess'));
    assert.ok(writer.includes('Policy.ReadWrite.ConditionalAccess'));
    const opaque = new GraphClient({
      baseUrl: tenant.tenant.graphUrl,
      credential: {
        getToken: () => Promise.resolve({ token: 'opaque', expiresOnTimestamp: Date.now() + 3.6e6 }),
      },
    });
    assert.equal(await opaque.grantedPermissions(), undefined);
  });

  it('a write with the reader is answered 403 and reported as Authorization_RequestDenied', async () => {
    const client = clientFor('reader');
    const before = client.stats.total;
    await assert.rejects(
      client.post('/identity/conditionalAccess/policies', minimalCaPolicy('reader was here')),
      (err: unknown) => {
        assert.ok(err instanceof GraphRequestError);
        assert.equal(err.status, 403);
        assert.equal(err.code, 'Authorization_RequestDenied');
        assert.match(
          err.message,
          /POST \/identity\/conditionalAccess\/policies: 403 Authorization_RequestDenied/,
        );
        return true;
      },
    );
    assert.equal(client.stats.total - before, 1, 'a 403 is not retried');
    const list = await tenant.graph('GET', '/identity/conditionalAccess/policies');
    assert.ok(
      !(list.body.value as { displayName: string }[]).some((p) => p.displayName === 'reader was here'),
    );
  });

  it('applyPlan with the reader refuses before any write and names the permission', async () => {
    const client = clientFor('reader');
    const dir = copyExampleRepository({ prefix: 'least-privilege-plan' });
    try {
      const inventory = new InventoryStore(join(dir, '.accord', 'inventory.json'), tenant.tenantId);
      const { plan } = await computePlan({
        manifests: loadManifests(dir).manifests,
        registry,
        port: client,
        tenant: { name: 'local', id: tenant.tenantId },
        inventory: inventory.snapshot(),
        prune: false,
      });
      assert.ok(plan.summary.create > 0);
      const writesBefore = ['PATCH', 'DELETE'].map((m) => client.stats.byMethod[m] ?? 0);
      const postsBefore = client.stats.byMethod.POST ?? 0;
      await assert.rejects(
        applyPlan({ plan, registry, port: client, inventory }),
        (err: unknown) =>
          err instanceof GraphRequestError &&
          err.code === 'Authorization_RequestDenied' &&
          /Policy\.ReadWrite\.ConditionalAccess/.test(err.message),
      );
      assert.deepEqual(
        ['PATCH', 'DELETE'].map((m) => client.stats.byMethod[m] ?? 0),
        writesBefore,
      );
      assert.equal(client.stats.byMethod.POST ?? 0, postsBefore);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
