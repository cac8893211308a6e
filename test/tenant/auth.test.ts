import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

describe('local tenant: tokens and authorisation', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
  });
  after(() => t.close());

  it('issues a client-credentials token for a seeded app', async () => {
    const token = await t.token('reader');
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refuses a wrong client secret with an AADSTS error', async () => {
    const app = t.summary.apps[0]!;
    const response = await fetch(t.summary.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: 'wrong',
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    assert.equal(response.status, 401);
    const body = (await response.json()) as { error: string; error_codes: number[] };
    assert.equal(body.error, 'invalid_client');
    assert.deepEqual(body.error_codes, [7000215]);
  });

  it('refuses a scope without /.default', async () => {
    const app = t.summary.apps[0]!;
    const response = await fetch(t.summary.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope: 'User.Read',
      }),
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_scope');
  });

  it('answers 401 without a token and with a forged one', async () => {
    const none = await t.graph('GET', '/users', undefined, { token: '' });
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'InvalidAuthenticationToken');
    assert.ok(none.body.error.innerError['request-id']);
    const forged = await t.graph('GET', '/users', undefined, {
      token: 'eyJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiJ4In0.c2ln',
    });
    assert.equal(forged.status, 401);
  });

  it('answers 400 for an unknown segment, like Graph', async () => {
    const reply = await t.graph('GET', '/nothingHere');
    assert.equal(reply.status, 400);
    assert.match(reply.body.error.message, /nothingHere/);
  });

  it('serves a batch with dependsOn and 424 for a failed dependency', async () => {
    const reply = await t.graph('POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/nothingHere' },
        { id: '2', method: 'GET', url: '/nothingHere', dependsOn: ['1'] },
      ],
    });
    assert.equal(reply.status, 200);
    const byId = Object.fromEntries(
      reply.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]),
    );
    assert.deepEqual(byId, { '1': 400, '2': 424 });
  });

  it('refuses a batch of more than 20 requests', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' }));
    const reply = await t.graph('POST', '/$batch', { requests });
    assert.equal(reply.status, 400);
  });
});
