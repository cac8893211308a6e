/**
 * Fault injection through the control API (`PUT /_accord/faults`): every fault kind, route matching, scripted
 * sequences, seeded rates, counts, clearing, and refused configurations.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestTenant, type GraphReply, type TestTenant } from '../helpers/local-tenant.ts';

const POLICIES = '/identity/conditionalAccess/policies';
const METHODS_POLICY = '/policies/authenticationMethodsPolicy';

function minimalPolicy(displayName: string): Record<string, unknown> {
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

function assertGraphError(reply: GraphReply, status: number, code: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.equal(reply.body?.error?.code, code);
  assert.equal(typeof reply.body.error.message, 'string');
  assert.ok(reply.body.error.message.length > 0);
  assert.match(reply.body.error.innerError.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  assert.equal(reply.body.error.innerError['request-id'], reply.headers.get('request-id'));
}

/** Every CA policy of the tenant, following `@odata.nextLink`. */
async function allPolicies(t: TestTenant): Promise<{ id: string; displayName: string }[]> {
  const all: { id: string; displayName: string }[] = [];
  let path: string | undefined = POLICIES;
  while (path) {
    const reply = await t.graph('GET', path);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    all.push(...(reply.body.value as { id: string; displayName: string }[]));
    const next = reply.body['@odata.nextLink'] as string | undefined;
    path = next ? next.slice(`${t.tenant.origin}/v1.0`.length) : undefined;
  }
  return all;
}

/** A raw Graph call (for the faults that close the connection or must be timed out by the client). */
async function rawFetch(
  t: TestTenant,
  method: string,
  path: string,
  init: { body?: unknown; signal?: AbortSignal } = {},
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${await t.token('writer')}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${t.tenant.origin}/v1.0${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
}

async function setFaults(t: TestTenant, config: unknown): Promise<void> {
  const reply = await t.control('PUT', '/faults', config);
  assert.equal(reply.status, 204, JSON.stringify(reply.body));
}

async function healthy(t: TestTenant): Promise<void> {
  assert.equal((await t.control('GET', '/health')).status, 200);
  const reply = await t.graph('GET', METHODS_POLICY);
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
}

describe('local tenant: fault injection', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
    await t.token('writer');
    await t.token('reader');
  });
  beforeEach(async () => {
    assert.equal((await t.control('DELETE', '/faults')).status, 204);
  });
  after(() => t.close());

  it('429: Graph error body and no Retry-After (Conditional Access style)', async () => {
    await setFaults(t, { rules: [{ path: 'conditionalAccess/policies', kind: '429', rate: 1 }] });
    const reply = await t.graph('GET', POLICIES);
    assertGraphError(reply, 429, 'TooManyRequests');
    assert.equal(reply.headers.get('retry-after'), null);
  });

  for (const [kind, code] of [
    ['500', 'InternalServerError'],
    ['503', 'ServiceUnavailable'],
    ['504', 'GatewayTimeout'],
  ] as const) {
    it(`${kind}: status and Graph error body`, async () => {
      await setFaults(t, { rules: [{ path: 'conditionalAccess/policies', kind, rate: 1 }] });
      const reply = await t.graph('GET', POLICIES);
      assertGraphError(reply, Number(kind), code);
    });
  }

  it('drop: the connection is closed without an answer', async () => {
    await setFaults(t, { rules: [{ path: 'authenticationMethodsPolicy', kind: 'drop', rate: 1 }] });
    await assert.rejects(t.graph('GET', METHODS_POLICY), TypeError);
    assert.deepEqual((await t.control('GET', '/faults')).body, { injected: { drop: 1 } });
    await t.control('DELETE', '/faults');
    await healthy(t);
  });

  it('slow: the correct answer arrives after delayMs', async () => {
    await setFaults(t, {
      rules: [{ path: 'authenticationMethodsPolicy', kind: 'slow', rate: 1, delayMs: 300 }],
    });
    const started = performance.now();
    const reply = await t.graph('GET', METHODS_POLICY);
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 300, `answered after ${elapsed.toFixed(0)} ms`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.id, 'authenticationMethodsPolicy');
    assert.ok(Array.isArray(reply.body.authenticationMethodConfigurations));
  });

  it('timeout: a client with a 200 ms timeout gives up, and the server stays healthy', async () => {
    await setFaults(t, {
      rules: [{ path: 'authenticationMethodsPolicy', sequence: ['timeout'], delayMs: 1_500 }],
    });
    const started = performance.now();
    await assert.rejects(
      rawFetch(t, 'GET', METHODS_POLICY, { signal: AbortSignal.timeout(200) }),
      (err: Error) => err.name === 'TimeoutError',
    );
    // A TimeoutError (not a closed connection) and well before delayMs: the client ended the request.
    assert.ok(performance.now() - started < 1_400);
    await healthy(t);
  });

  it('timeout without a client timeout: the server closes the connection after delayMs', async () => {
    await setFaults(t, {
      rules: [{ path: 'authenticationMethodsPolicy', sequence: ['timeout'], delayMs: 250 }],
    });
    const started = performance.now();
    await assert.rejects(rawFetch(t, 'GET', METHODS_POLICY), TypeError);
    assert.ok(performance.now() - started >= 250);
    await healthy(t);
  });

  it('drop-after-commit: the client sees a dropped connection, yet the policy was created', async () => {
    const name = `drop-after-commit ${randomUUID()}`;
    await setFaults(t, {
      rules: [{ method: 'POST', path: 'conditionalAccess/policies', kind: 'drop-after-commit', rate: 1 }],
    });
    await assert.rejects(t.graph('POST', POLICIES, minimalPolicy(name)), TypeError);
    // Reads are not affected by a POST-only rule.
    const found = (await allPolicies(t)).filter((p) => p.displayName === name);
    assert.equal(found.length, 1, 'exactly one policy was committed');
    const byId = await t.graph('GET', `${POLICIES}/${found[0]!.id}`);
    assert.equal(byId.status, 200);
    assert.equal(byId.body.state, 'disabled');
  });

  it('timeout-after-commit: the client times out, yet the policy was created', async () => {
    const name = `timeout-after-commit ${randomUUID()}`;
    await setFaults(t, {
      rules: [
        {
          method: 'POST',
          path: 'conditionalAccess/policies',
          kind: 'timeout-after-commit',
          rate: 1,
          delayMs: 1_000,
        },
      ],
    });
    await assert.rejects(
      rawFetch(t, 'POST', POLICIES, { body: minimalPolicy(name), signal: AbortSignal.timeout(250) }),
      (err: Error) => err.name === 'TimeoutError',
    );
    const found = (await allPolicies(t)).filter((p) => p.displayName === name);
    assert.equal(found.length, 1, 'exactly one policy was committed');
    const counts = await t.control('GET', '/faults');
    assert.deepEqual(counts.body, { injected: { 'timeout-after-commit': 1 } });
  });

  it('route matching: only requests matching the path regex and the method get the fault', async () => {
    await setFaults(t, {
      rules: [{ method: 'POST', path: '^/v1\\.0/identity/conditionalAccess/', kind: '503', rate: 1 }],
    });
    // Same path, other method: not matched.
    assert.equal((await t.graph('GET', POLICIES)).status, 200);
    // Same method, other path: not matched (a validation error proves the handler ran).
    const batch = await t.graph('POST', '/$batch', { requests: [] });
    assert.notEqual(batch.status, 503);
    // Same path under beta: the regex names v1.0, so not matched.
    assert.notEqual((await t.graph('POST', POLICIES, {}, { version: 'beta' })).status, 503);
    // Method and path match.
    assertGraphError(await t.graph('POST', POLICIES, {}), 503, 'ServiceUnavailable');
    assert.deepEqual((await t.control('GET', '/faults')).body, { injected: { '503': 1 } });
  });

  it('the method of a rule matches case-insensitively and a path-only rule matches every method', async () => {
    await setFaults(t, {
      rules: [
        { method: 'get', path: 'authenticationMethodsPolicy$', kind: '500', rate: 1 },
        { path: 'namedLocations', kind: '504', rate: 1 },
      ],
    });
    assert.equal((await t.graph('GET', METHODS_POLICY)).status, 500);
    assert.equal((await t.graph('GET', '/identity/conditionalAccess/namedLocations')).status, 504);
    assert.equal((await t.graph('POST', '/identity/conditionalAccess/namedLocations', {})).status, 504);
    assert.equal((await t.graph('GET', POLICIES)).status, 200);
  });

  it('sequence: exactly the scripted outcomes, then normal answers', async () => {
    await setFaults(t, { rules: [{ path: 'conditionalAccess/policies', sequence: ['503', 'ok', '429'] }] });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.graph('GET', POLICIES)).status);
    assert.deepEqual(statuses, [503, 200, 429, 200, 200]);
    assert.deepEqual((await t.control('GET', '/faults')).body, { injected: { '503': 1, '429': 1 } });
  });

  it('rate with a seed: about half the requests fail at 0.5, and the same seed repeats the same sequence', async () => {
    const run = async (seed: number): Promise<number[]> => {
      await setFaults(t, { seed, rules: [{ path: 'authenticationMethodsPolicy', kind: '503', rate: 0.5 }] });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push((await t.graph('GET', METHODS_POLICY)).status);
      const counts = await t.control('GET', '/faults');
      assert.equal(counts.body.injected['503'] ?? 0, statuses.filter((s) => s === 503).length);
      return statuses;
    };
    const first = await run(42);
    assert.ok(
      first.every((s) => s === 200 || s === 503),
      'only the configured fault',
    );
    const failures = first.filter((s) => s === 503).length;
    assert.ok(failures >= 70 && failures <= 130, `${failures} of 200 failed`);
    assert.deepEqual(await run(42), first);
    assert.notDeepEqual(await run(43), first);
  });

  it('rate 0 never injects and rate 1 always does', async () => {
    await setFaults(t, {
      rules: [
        { path: 'authenticationMethodsPolicy', kind: '500', rate: 0 },
        { path: 'namedLocations', kind: '500', rate: 1 },
      ],
    });
    for (let i = 0; i < 10; i++) {
      assert.equal((await t.graph('GET', METHODS_POLICY)).status, 200);
      assert.equal((await t.graph('GET', '/identity/conditionalAccess/namedLocations')).status, 500);
    }
    assert.deepEqual((await t.control('GET', '/faults')).body, { injected: { '500': 10 } });
  });

  it('GET /_accord/faults counts by kind; DELETE stops injecting and resets the counts', async () => {
    await setFaults(t, {
      rules: [
        { path: 'authenticationMethodsPolicy', sequence: ['500', '503', '503'] },
        { path: 'namedLocations', kind: '504', rate: 1 },
      ],
    });
    for (let i = 0; i < 3; i++) await t.graph('GET', METHODS_POLICY);
    await t.graph('GET', '/identity/conditionalAccess/namedLocations');
    await t.graph('GET', '/identity/conditionalAccess/namedLocations');
    const counts = await t.control('GET', '/faults');
    assert.equal(counts.status, 200);
    assert.deepEqual(counts.body, { injected: { '500': 1, '503': 2, '504': 2 } });

    assert.equal((await t.control('DELETE', '/faults')).status, 204);
    assert.equal((await t.graph('GET', '/identity/conditionalAccess/namedLocations')).status, 200);
    assert.deepEqual((await t.control('GET', '/faults')).body, { injected: {} });
  });

  it('refuses invalid configurations with 400 and keeps the previous one', async () => {
    await setFaults(t, { rules: [{ path: 'namedLocations', kind: '503', rate: 1 }] });
    const invalid: unknown[] = [
      { rules: [{ kind: 'teapot', rate: 1 }] },
      { rules: [{ kind: '503', rate: 2 }] },
      { rules: [{ kind: '503', rate: -0.1 }] },
      { rules: [{ kind: '503', rate: '0.5' }] },
      { rules: [{ path: '([unclosed', kind: '503', rate: 1 }] },
      { rules: [{ sequence: ['503', 'boom'] }] },
      { rules: [{ rate: 0.5 }] },
      {
        rules: [
          { path: 'namedLocations', kind: '503', rate: 1 },
          { kind: 'nope', rate: 1 },
        ],
      },
      {},
      [],
    ];
    for (const config of invalid) {
      const reply = await t.control('PUT', '/faults', config);
      assert.equal(reply.status, 400, `${JSON.stringify(config)} → ${reply.status}`);
      assert.equal(reply.body.error.code, 'BadRequest');
      assert.match(reply.body.error.message, /^Invalid fault configuration/);
    }
    const malformed = await fetch(`${t.tenant.origin}/_accord/faults`, {
      method: 'PUT',
      headers: { 'x-accord-admin-key': t.tenant.adminKey, 'content-type': 'application/json' },
      body: '{"rules": [',
    });
    assert.equal(malformed.status, 400);
    // The last valid configuration is still in force.
    assert.equal((await t.graph('GET', '/identity/conditionalAccess/namedLocations')).status, 503);
  });
});
