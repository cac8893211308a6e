/**
 * The control API under `/_accord/`: the admin key, the state hash that proves a refused change wrote nothing, and
 * unknown control paths.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

const POLICIES = '/identity/conditionalAccess/policies';

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

describe('local tenant: control API', () => {
  let t: TestTenant;

  /** A control call with the given admin key header (absent when undefined). */
  const withKey = async (
    key: string | undefined,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: { error?: { code: string } } }> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== undefined) headers['x-accord-admin-key'] = key;
    const response = await fetch(`${t.tenant.origin}/_accord${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as { error?: { code: string } }) : {} };
  };

  const stateHash = async (tenantId = t.tenantId): Promise<string> => {
    const reply = await t.control('GET', `/tenants/${tenantId}/state-hash`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.tenantId, tenantId);
    assert.match(reply.body.hash, /^[0-9a-f]{64}$/);
    return reply.body.hash as string;
  };

  before(async () => {
    t = await startTestTenant();
    await t.token('writer');
    await t.token('reader');
  });
  after(() => t.close());

  it('refuses a missing, wrong or near-miss admin key with 401 on every control path', async () => {
    const wrongKeys = [
      undefined,
      '',
      'wrong',
      t.tenant.adminKey.slice(0, -1),
      `${t.tenant.adminKey}x`,
      t.tenant.adminKey.toUpperCase(),
    ];
    const calls: [string, string, unknown][] = [
      ['GET', '/health', undefined],
      ['GET', '/faults', undefined],
      ['PUT', '/faults', { rules: [] }],
      ['DELETE', '/faults', undefined],
      ['GET', '/throttle', undefined],
      ['PUT', '/throttle', { enabled: true }],
      ['GET', '/tenants', undefined],
      ['POST', '/tenants', { demo: 'workforce' }],
      ['GET', `/tenants/${t.tenantId}/state-hash`, undefined],
      ['GET', '/no-such-thing', undefined],
    ];
    for (const key of wrongKeys) {
      if (key === t.tenant.adminKey) continue;
      for (const [method, path, body] of calls) {
        const reply = await withKey(key, method, path, body);
        assert.equal(reply.status, 401, `${method} ${path} with key ${JSON.stringify(key)}`);
        assert.equal(reply.body.error?.code, 'Unauthorized');
      }
    }
    assert.equal((await t.control('GET', '/health')).status, 200);
  });

  it('changes nothing on a refused control call', async () => {
    const hashBefore = await stateHash();
    const put = await withKey('wrong', 'PUT', '/faults', { rules: [{ kind: '503', rate: 1 }] });
    assert.equal(put.status, 401);
    assert.equal((await t.graph('GET', POLICIES)).status, 200, 'no fault was configured');
    assert.deepEqual((await t.control('GET', '/faults')).body, { injected: {} });

    const throttle = await withKey(undefined, 'PUT', '/throttle', {
      enabled: true,
      conditionalAccessBurst: 1,
    });
    assert.equal(throttle.status, 401);
    assert.equal((await t.control('GET', '/throttle')).body.enabled, false);
    for (let i = 0; i < 3; i++) assert.equal((await t.graph('GET', POLICIES)).status, 200);

    const tenants = await withKey('wrong', 'POST', '/tenants', { demo: 'workforce', tenantId: randomUUID() });
    assert.equal(tenants.status, 401);
    assert.equal((await t.control('GET', '/tenants')).body.length, 1);
    assert.equal(await stateHash(), hashBefore);
  });

  it('keeps faults configured when a DELETE has the wrong key', async () => {
    await t.control('PUT', '/faults', { rules: [{ path: 'namedLocations', kind: '503', rate: 1 }] });
    assert.equal((await withKey('wrong', 'DELETE', '/faults')).status, 401);
    assert.equal((await t.graph('GET', '/identity/conditionalAccess/namedLocations')).status, 503);
    assert.equal((await t.control('DELETE', '/faults')).status, 204);
    assert.equal((await t.graph('GET', '/identity/conditionalAccess/namedLocations')).status, 200);
  });

  it('state hash: stable across reads, including Graph reads in between', async () => {
    const first = await stateHash();
    assert.equal(await stateHash(), first);
    await t.graph('GET', POLICIES);
    await t.graph('GET', '/users');
    await t.graph('GET', '/policies/authenticationMethodsPolicy');
    assert.equal(await stateHash(), first);
  });

  it('state hash: changes after each write', async () => {
    const before = await stateHash();
    const created = await t.graph('POST', POLICIES, minimalPolicy(`hash ${randomUUID()}`));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const afterCreate = await stateHash();
    assert.notEqual(afterCreate, before);
    const patched = await t.graph('PATCH', `${POLICIES}/${created.body.id}`, {
      displayName: `renamed ${randomUUID()}`,
    });
    assert.equal(patched.status, 204, JSON.stringify(patched.body));
    const afterPatch = await stateHash();
    assert.notEqual(afterPatch, afterCreate);
  });

  it('state hash: unchanged after refused writes (400, 403, 401, 404)', async () => {
    const before = await stateHash();
    const invalid = { ...minimalPolicy(`invalid ${randomUUID()}`), state: 'sometimes' };
    const badRequest = await t.graph('POST', POLICIES, invalid);
    assert.equal(badRequest.status, 400, JSON.stringify(badRequest.body));
    const noGrant = { ...minimalPolicy(`no grant ${randomUUID()}`), grantControls: null };
    assert.equal((await t.graph('POST', POLICIES, noGrant)).status, 400);

    const forbidden = await t.graph('POST', POLICIES, minimalPolicy(`reader ${randomUUID()}`), {
      app: 'reader',
    });
    assert.equal(forbidden.status, 403, JSON.stringify(forbidden.body));
    assert.equal(forbidden.body.error.code, 'Authorization_RequestDenied');

    const anonymous = await t.graph('POST', POLICIES, minimalPolicy(`anonymous ${randomUUID()}`), {
      token: '',
    });
    assert.equal(anonymous.status, 401);

    const missing = await t.graph('PATCH', `${POLICIES}/${randomUUID()}`, { displayName: 'ghost' });
    assert.equal(missing.status, 404, JSON.stringify(missing.body));

    assert.equal(await stateHash(), before);
  });

  it('state hash: 404 for a tenant that is not hosted', async () => {
    const reply = await t.control('GET', `/tenants/${randomUUID()}/state-hash`);
    assert.equal(reply.status, 404, JSON.stringify(reply.body));
    assert.equal(reply.body.error.code, 'NotFound');
  });

  it('answers 404 for unknown control paths and methods', async () => {
    for (const [method, path] of [
      ['GET', '/nothing'],
      ['GET', '/'],
      ['POST', '/faults'],
      ['DELETE', '/tenants'],
      ['POST', `/tenants/${t.tenantId}/state-hash`],
      ['GET', `/tenants/${t.tenantId}`],
      ['GET', `/tenants/${t.tenantId}/state-hash/extra`],
    ] as const) {
      const reply = await t.control(method, path, method === 'POST' ? {} : undefined);
      assert.equal(reply.status, 404, `${method} ${path}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.error.code, 'NotFound');
    }
  });

  it('GET /_accord/health answers ok', async () => {
    const reply = await t.control('GET', '/health');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { ok: true });
  });
});
