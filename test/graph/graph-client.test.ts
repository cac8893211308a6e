/**
 * The real Graph client against the real local tenant over HTTPS, authenticated by a real `ClientSecretCredential`
 * (built by createCredential) whose authority is the tenant's own origin. Covers paging, 404, writes, `$batch`
 * splitting, retries through the tenant's fault injection, ambiguous writes, pacing under the tenant's rate limits,
 * Retry-After on directory 429s, and that debug logs hold no token or secret.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import tls from 'node:tls';
import type { GraphBody } from '../../src/core/graph-port.ts';
import { createCredential } from '../../src/graph/credentials.ts';
import { GraphClient, type GraphClientOptions } from '../../src/graph/graph-client.ts';
import { AmbiguousWriteError, GraphRequestError } from '../../src/graph/graph-errors.ts';
import { createLogger } from '../../src/log/logger.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

const POLICIES = '/identity/conditionalAccess/policies';
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/;

function minimalPolicy(displayName: string): GraphBody {
  return {
    displayName,
    state: 'disabled',
    conditions: {
      applications: { includeApplications: ['None'] },
      users: { includeUsers: ['None'] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  };
}

let previousCas: string[] = [];
let t: TestTenant;

before(async () => {
  // One tenant for the whole file: a second self-signed certificate with the same subject would confuse the trust
  // store. Rate limits are switched on through the control API where a test needs them.
  t = await startTestTenant({ https: true });
  previousCas = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...previousCas, t.tenant.caCertificate!]);
});
after(async () => {
  tls.setDefaultCACertificates(previousCas);
  await t.close();
});

function writerApp(t: TestTenant): { clientId: string; clientSecret: string } {
  return t.summary.apps.find((a) => a.displayName === 'accord-writer')!;
}

function createClient(t: TestTenant, options: Partial<GraphClientOptions> = {}): GraphClient {
  const app = writerApp(t);
  const credential = createCredential({
    kind: 'clientSecret',
    tenantId: t.tenantId,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    authorityHost: t.tenant.origin,
    disableInstanceDiscovery: true,
  });
  return new GraphClient({
    baseUrl: t.tenant.graphUrl,
    credential,
    baseDelayMs: 20,
    throttleBaseDelayMs: 50,
    ...options,
  });
}

async function countPoliciesNamed(client: GraphClient, displayName: string): Promise<number> {
  const all = await client.list(POLICIES);
  return all.filter((p) => p.displayName === displayName).length;
}

describe('GraphClient against the local tenant', () => {
  let client: GraphClient;
  before(() => {
    // The tenant here has no rate limits; pacing is covered below with them on.
    client = createClient(t, { conditionalAccessPerSecond: 1000, conditionalAccessBurst: 100 });
  });
  beforeEach(async () => {
    await t.control('DELETE', '/faults');
  });

  it('lists every user by following @odata.nextLink (pages of 5)', async () => {
    const everyone = await t.graph('GET', '/users?$top=999');
    const expected = (everyone.body.value as { id: string }[]).map((u) => u.id);
    const before = client.stats.byMethod.GET ?? 0;
    const users = await client.list('/users?$top=5');
    assert.deepEqual(
      users.map((u) => u.id),
      expected,
    );
    assert.ok(expected.length > 10, 'the demo directory should span several pages');
    assert.equal((client.stats.byMethod.GET ?? 0) - before, Math.ceil(expected.length / 5));
  });

  it('get answers undefined on 404 and the object otherwise', async () => {
    assert.equal(await client.get(`${POLICIES}/00000000-0000-0000-0000-000000000000`), undefined);
    assert.equal(await client.get('/users/nobody@nowhere.example'), undefined);
    const policy = await client.get('/policies/authenticationMethodsPolicy');
    assert.equal(policy?.id, 'authenticationMethodsPolicy');
  });

  it('creates, updates and deletes a Conditional Access policy', async () => {
    const created = await client.post(POLICIES, minimalPolicy('accord client crud'));
    assert.equal(typeof created.id, 'string');
    assert.equal(created.state, 'disabled');
    const patched = await client.patch(`${POLICIES}/${String(created.id)}`, {
      state: 'enabledForReportingButNotEnforced',
    });
    assert.equal(patched, undefined, 'PATCH of a policy answers 204');
    const read = await client.get(`${POLICIES}/${String(created.id)}`);
    assert.equal(read?.state, 'enabledForReportingButNotEnforced');
    await client.delete(`${POLICIES}/${String(created.id)}`);
    assert.equal(await client.get(`${POLICIES}/${String(created.id)}`), undefined);
  });

  it('a Graph error carries status, code, innerError message and request id', async () => {
    const body = minimalPolicy('accord client invalid');
    (body.conditions as { clientAppTypes: string[] }).clientAppTypes = [];
    await assert.rejects(client.post(POLICIES, body), (err: unknown) => {
      assert.ok(err instanceof GraphRequestError);
      assert.equal(err.status, 400);
      assert.equal(err.code, 'BadRequest');
      assert.match(err.message, /POST \/identity\/conditionalAccess\/policies: 400 BadRequest/);
      assert.match(err.message, /1064|clientAppTypes/i);
      assert.ok(err.requestId, 'the request id is kept for support cases');
      return true;
    });
  });

  it('a batch of 45 requests goes out as 3 $batch calls with results in request order', async () => {
    const users = await client.list('/users?$select=id');
    const ids = Array.from({ length: 44 }, (_, i) => String(users[i % users.length]!.id));
    const items = [
      ...ids.map((id) => ({ method: 'GET' as const, path: `/users/${id}?$select=id` })),
      { method: 'GET' as const, path: '/users/00000000-0000-0000-0000-000000000000' },
    ];
    const before = client.stats.batchRequests;
    const results = await client.batch(items);
    assert.equal(client.stats.batchRequests - before, 3);
    assert.equal(results.length, 45);
    results.slice(0, 44).forEach((r, i) => {
      assert.equal(r.status, 200);
      assert.equal((r.body as { id: string }).id, ids[i]);
    });
    assert.equal(results[44]!.status, 404);
  });

  it('GET succeeds after a 503, a 429 and a dropped connection', async () => {
    await t.control('PUT', '/faults', {
      rules: [{ method: 'GET', path: '^/v1.0/users', sequence: ['503', '429', 'drop'] }],
    });
    const retries = client.stats.retries;
    const users = await client.list('/users?$top=3');
    assert.ok(users.length > 0);
    assert.equal(client.stats.retries - retries, 3);
    assert.deepEqual((await t.control('GET', '/faults')).body, { injected: { '503': 1, '429': 1, drop: 1 } });
  });

  it('GET succeeds after a request that times out', async () => {
    const impatient = createClient(t, { timeoutMs: 300 });
    await t.control('PUT', '/faults', {
      rules: [{ method: 'GET', path: '^/v1.0/groups', sequence: ['timeout'], delayMs: 1500 }],
    });
    const groups = await impatient.list('/groups');
    assert.ok(groups.length > 0);
    assert.equal(impatient.stats.retries, 1);
  });

  it('POST after a clean 503 is retried and creates exactly one object', async () => {
    await t.control('PUT', '/faults', {
      rules: [{ method: 'POST', path: 'conditionalAccess/policies$', sequence: ['503'] }],
    });
    const created = await client.post(POLICIES, minimalPolicy('accord client 503'));
    assert.equal(typeof created.id, 'string');
    assert.equal(await countPoliciesNamed(client, 'accord client 503'), 1);
  });

  it('POST whose connection drops after the commit throws AmbiguousWriteError (and the object exists)', async () => {
    await t.control('PUT', '/faults', {
      rules: [{ method: 'POST', path: 'conditionalAccess/policies$', sequence: ['drop-after-commit'] }],
    });
    const posts = client.stats.byMethod.POST ?? 0;
    await assert.rejects(client.post(POLICIES, minimalPolicy('accord client ambiguous')), (err: unknown) => {
      assert.ok(err instanceof AmbiguousWriteError);
      assert.equal(err.code, 'AmbiguousWrite');
      assert.equal(err.method, 'POST');
      return true;
    });
    assert.equal((client.stats.byMethod.POST ?? 0) - posts, 1, 'never retried blindly');
    assert.equal(await countPoliciesNamed(client, 'accord client ambiguous'), 1);
  });

  it('DELETE whose connection drops after the commit is retried and succeeds', async () => {
    const created = await client.post(POLICIES, minimalPolicy('accord client delete retry'));
    await t.control('PUT', '/faults', {
      rules: [{ method: 'DELETE', path: 'conditionalAccess/policies/', sequence: ['drop-after-commit'] }],
    });
    await client.delete(`${POLICIES}/${String(created.id)}`);
    assert.equal(await countPoliciesNamed(client, 'accord client delete retry'), 0);
  });

  it('debug logs name each request but never a token or a secret', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = writerApp(t);
    const logger = createLogger({ level: 'debug', format: 'json', stream, secrets: [app.clientSecret] });
    const logged = createClient(t, { logger, conditionalAccessPerSecond: 1000 });
    await logged.list('/users?$top=10');
    await logged.get('/users/nobody@nowhere.example');
    await t.control('PUT', '/faults', {
      rules: [{ method: 'GET', path: '^/v1.0/groups', sequence: ['503'] }],
    });
    await logged.list('/groups');
    const token = (await t.token('writer')) as string;
    // Whatever a careless caller passes, redaction catches it.
    logger.debug(`calling with Bearer ${token}`, {
      authorization: `Bearer ${token}`,
      clientSecret: app.clientSecret,
    });
    logger.info(`secret is ${app.clientSecret}`);
    await new Promise((resolve) => setImmediate(resolve));
    const text = lines.join('');
    assert.ok(lines.length >= 5, text);
    assert.match(text, /"path":"\/users\?\$top=10"/);
    assert.match(text, /"status":503/);
    assert.match(text, /"requestId":"[^"]+"/);
    assert.doesNotMatch(text, JWT_SHAPED);
    assert.ok(!text.includes(token), 'no token');
    assert.ok(!text.includes(app.clientSecret), 'no client secret');
    assert.doesNotMatch(text, /bearer [A-Za-z0-9]/i);
  });
});

describe('GraphClient pacing and Retry-After with the tenant rate limits on', () => {
  before(async () => {
    await t.control('DELETE', '/faults');
    assert.equal((await t.control('PUT', '/throttle', { enabled: true })).status, 204);
  });
  after(async () => {
    await t.control('PUT', '/throttle', { enabled: false });
  });

  it('six sequential Conditional Access writes see zero 429s and take about 5 s', async () => {
    const client = createClient(t);
    await client.get('/users?$top=1'); // the token is fetched outside the timing
    const started = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await client.post(POLICIES, minimalPolicy(`accord paced ${i}`));
      ids.push(String(created.id));
    }
    for (const id of ids)
      await client.patch(`${POLICIES}/${id}`, { state: 'enabledForReportingButNotEnforced' });
    const seconds = (performance.now() - started) / 1000;
    const throttle = await t.control('GET', '/throttle');
    assert.equal(throttle.body.enabled, true);
    assert.equal(throttle.body.throttled.conditionalAccess ?? 0, 0, JSON.stringify(throttle.body));
    assert.equal(client.stats.throttled, 0);
    assert.ok(seconds >= 4.5 && seconds <= 7.5, `took ${seconds.toFixed(2)} s`);
  });

  it('a directory 429 is retried after its Retry-After', async () => {
    const app = writerApp(t);
    // A slow refill, so the budget is still spent when the request arrives however loaded the machine is.
    t.tenant.throttle.configure({ enabled: true, directoryUnitsPerSecond: 10 });
    let drained = false;
    const client = createClient(t, {
      // Spend the app's whole directory budget right before the first attempt goes out.
      fetch: (input, init) => {
        if (!drained) {
          drained = true;
          const scope = { tenantId: t.tenantId, clientId: app.clientId };
          while (t.tenant.throttle.check('directory', { ...scope, cost: 100 }).allowed);
          while (t.tenant.throttle.check('directory', { ...scope, cost: 1 }).allowed);
        }
        return fetch(input, init);
      },
    });
    const group = (await t.graph('GET', '/groups?$top=1')).body.value[0] as { id: string };
    const started = performance.now();
    const members = await client.list(`/groups/${group.id}/transitiveMembers`);
    const ms = performance.now() - started;
    assert.ok(Array.isArray(members));
    assert.equal(client.stats.throttled, 1);
    assert.ok(ms >= 950, `waited only ${ms.toFixed(0)} ms; Retry-After was at least 1 s`);
  });
});
