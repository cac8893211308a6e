/**
 * Zero false drift, end to end: a corpus of realistic objects that together use every
 * property of graph-contract §2.2–2.7 (plus named locations of all four range types and a country location, and
 * custom strengths) is created through Graph with the writer's token; then the real CLI runs `accord export` and
 * `accord plan` as child processes against that tenant (served by `accord tenant serve` for the repository's data
 * directory). The plan must exit 0 with nothing to create, update or delete.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAccord } from '../helpers/cli.ts';
import { fetchToken, spawnCliTenant, type CliTenant } from '../reliability/cli-tenant.ts';
import { roundTripCorpus, type CorpusIds } from './round-trip-corpus.ts';

type Json = Record<string, unknown>;

async function runCli(args: string[]): Promise<{ code: number; output: string }> {
  const run = await runAccord(args);
  return { code: run.code, output: run.stdout + run.stderr };
}

describe('round trip: create through Graph → accord export → accord plan', () => {
  const repo = mkdtempSync(join(tmpdir(), 'accord-round-trip-'));
  const dataDir = join(repo, '.accord', 'local-tenant');
  let server: CliTenant;
  let token = '';

  async function graph(method: string, path: string, body?: unknown): Promise<Json> {
    const response = await fetch(`${server.ready.graphUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
    return text === '' ? {} : (JSON.parse(text) as Json);
  }

  async function directoryIds(): Promise<CorpusIds['users']> {
    const users = (await graph('GET', '/users?$select=id,userPrincipalName')).value as Json[];
    return Object.fromEntries(users.map((u) => [String(u.userPrincipalName).split('@')[0], String(u.id)]));
  }

  before(async () => {
    mkdirSync(dataDir, { recursive: true });
    server = await spawnCliTenant({ dataDir });
    token = await fetchToken(server.ready);
  });
  after(async () => {
    await server?.kill();
    rmSync(repo, { recursive: true, force: true });
  });

  it('shows zero changes for a tenant exported from itself', { timeout: 120_000 }, async () => {
    const ids: CorpusIds = { users: await directoryIds(), locations: {}, strengths: {} };
    const corpus = roundTripCorpus();
    for (const location of corpus.namedLocations) {
      const created = await graph('POST', '/identity/conditionalAccess/namedLocations', location.body);
      ids.locations[location.key] = String(created.id);
    }
    for (const strength of corpus.strengths) {
      const created = await graph('POST', '/policies/authenticationStrengthPolicies', strength.body);
      ids.strengths[strength.key] = String(created.id);
    }
    const policies = corpus.policies(ids);
    assert.ok(policies.length >= 15, `only ${policies.length} policies`);
    for (const policy of policies) await graph('POST', '/identity/conditionalAccess/policies', policy);
    for (const patch of corpus.methodPatches)
      await graph(
        'PATCH',
        `/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/${patch.id}`,
        patch.body,
      );
    for (const partner of corpus.partners)
      await graph('POST', '/policies/crossTenantAccessPolicy/partners', partner);

    const exported = await runCli(['export', '--dir', repo]);
    assert.equal(exported.code, 0, `accord export failed:\n${exported.output}`);

    const plan = await runCli(['plan', '--dir', repo]);
    assert.equal(plan.code, 0, `accord plan found changes (false drift):\n${plan.output}`);
    assert.match(plan.output, /0 to create, 0 to update, 0 to delete/);
    const unchanged = /(\d+) unchanged/.exec(plan.output);
    assert.ok(unchanged && Number(unchanged[1]) >= policies.length, plan.output);
    console.log(
      `round-trip: ${policies.length} policies, ${corpus.namedLocations.length} named locations, ${corpus.strengths.length} strengths; ${plan.output.trim().split('\n').at(-1)}`,
    );
  });
});
