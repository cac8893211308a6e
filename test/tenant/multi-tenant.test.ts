/**
 * Several tenants in one local tenant server (`POST /_accord/tenants`): isolated data, tokens bound to their
 * tenant, app registrations that belong to one tenant, conflicts and bad bodies, and an External ID tenant.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { TenantSummary } from '../../src/tenant/server.ts';
import { requestToken, startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

const POLICIES = '/identity/conditionalAccess/policies';
const USER_FLOWS = '/identity/authenticationEventsFlows';
const EMAIL_METHOD = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

async function tokenResponse(
  tokenEndpoint: string,
  clientId: string,
  clientSecret: string,
): Promise<{ status: number; body: { access_token?: string; error?: string; error_codes?: number[] } }> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  return { status: response.status, body: (await response.json()) as { access_token?: string } };
}

function app(summary: TenantSummary, name: 'reader' | 'writer'): TenantSummary['apps'][number] {
  const found = summary.apps.find((a) => a.displayName === `accord-${name}`);
  assert.ok(found, `tenant ${summary.id} has accord-${name}`);
  return found;
}

async function policyNames(t: TestTenant, token: string): Promise<string[]> {
  const reply = await t.graph('GET', `${POLICIES}?$top=999`, undefined, { token });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return (reply.body.value as { displayName: string }[]).map((p) => p.displayName);
}

describe('local tenant: several tenants in one server', () => {
  let t: TestTenant;
  let b: TenantSummary;
  let bWriter: string;

  before(async () => {
    t = await startTestTenant();
    const added = await t.control('POST', '/tenants', { demo: 'workforce' });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    b = added.body as TenantSummary;
    bWriter = await requestToken(b, 'writer');
  });
  after(() => t.close());

  it('answers 201 with the new tenant id, its token endpoint and app credentials', () => {
    assert.match(b.id, GUID);
    assert.notEqual(b.id, t.tenantId);
    assert.equal(b.flavor, 'workforce');
    assert.equal(b.tokenEndpoint, `${t.tenant.origin}/${b.id}/oauth2/v2.0/token`);
    assert.deepEqual(b.apps.map((a) => a.displayName).sort(), ['accord-reader', 'accord-writer']);
    for (const registration of b.apps) {
      assert.match(registration.clientId, GUID);
      assert.ok(registration.clientSecret.length >= 16);
      assert.ok(registration.permissions.length > 0);
    }
    assert.notEqual(b.domain, t.summary.domain);
  });

  it('lists both tenants in GET /_accord/tenants', async () => {
    const reply = await t.control('GET', '/tenants');
    assert.equal(reply.status, 200);
    const ids = (reply.body as TenantSummary[]).map((x) => x.id);
    assert.deepEqual(ids.sort(), [t.tenantId, b.id].sort());
  });

  it("gives each tenant's apps their own client ids and secrets", () => {
    for (const name of ['reader', 'writer'] as const) {
      assert.notEqual(app(b, name).clientId, app(t.summary, name).clientId);
      assert.notEqual(app(b, name).clientSecret, app(t.summary, name).clientSecret);
    }
  });

  it("refuses tenant A's app at tenant B's token endpoint (AADSTS700016)", async () => {
    const aWriter = app(t.summary, 'writer');
    const reply = await tokenResponse(b.tokenEndpoint, aWriter.clientId, aWriter.clientSecret);
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.equal(reply.body.error, 'unauthorized_client');
    assert.deepEqual(reply.body.error_codes, [700016]);
    assert.equal(reply.body.access_token, undefined);
    // And the other way round.
    const bWriterApp = app(b, 'writer');
    const back = await tokenResponse(t.summary.tokenEndpoint, bWriterApp.clientId, bWriterApp.clientSecret);
    assert.deepEqual(back.body.error_codes, [700016]);
  });

  it("accepts B's token endpoint by domain as well as by id", async () => {
    const bReader = app(b, 'reader');
    const byDomain = b.tokenEndpoint.replace(b.id, b.domain);
    const reply = await tokenResponse(byDomain, bReader.clientId, bReader.clientSecret);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.ok(reply.body.access_token);
  });

  it("isolates data: a policy created in A is not in B's list, and B's is not in A's", async () => {
    const inA = `only in A ${randomUUID()}`;
    const inB = `only in B ${randomUUID()}`;
    assert.equal((await t.graph('POST', POLICIES, minimalPolicy(inA))).status, 201);
    const created = await t.graph('POST', POLICIES, minimalPolicy(inB), { token: bWriter });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    const aNames = await policyNames(t, await t.token('reader'));
    const bNames = await policyNames(t, await requestToken(b, 'reader'));
    assert.ok(aNames.includes(inA));
    assert.ok(!aNames.includes(inB));
    assert.ok(bNames.includes(inB));
    assert.ok(!bNames.includes(inA));
    // Nor can A read B's policy by id.
    const byId = await t.graph('GET', `${POLICIES}/${created.body.id}`);
    assert.equal(byId.status, 404);
  });

  it("a token of B sees B's users (B's domain), a token of A sees A's", async () => {
    const bUsers = await t.graph('GET', '/users?$top=999', undefined, { token: bWriter });
    const aUsers = await t.graph('GET', '/users?$top=999');
    assert.equal(bUsers.status, 200);
    assert.equal(aUsers.status, 200);
    // Members and invited guests (`…#EXT#@tenant`) alike carry the tenant's domain in their UPN.
    const upns = (reply: typeof aUsers): string[] =>
      (reply.body.value as { userPrincipalName: string }[]).map((u) => u.userPrincipalName);
    const bUpns = upns(bUsers);
    const aUpns = upns(aUsers);
    assert.ok(bUpns.length > 5 && aUpns.length > 5);
    assert.ok(
      bUpns.every((upn) => upn.endsWith(`@${b.domain}`)),
      bUpns.join(', '),
    );
    assert.ok(
      aUpns.every((upn) => upn.endsWith(`@${t.summary.domain}`)),
      aUpns.join(', '),
    );
    const aIds = new Set((aUsers.body.value as { id: string }[]).map((u) => u.id));
    assert.ok(
      (bUsers.body.value as { id: string }[]).every((u) => !aIds.has(u.id)),
      'no shared user ids',
    );
  });

  it('keeps separate state hashes: a write in B leaves A unchanged', async () => {
    const hashOf = async (id: string): Promise<string> => {
      const reply = await t.control('GET', `/tenants/${id}/state-hash`);
      assert.equal(reply.status, 200);
      return reply.body.hash as string;
    };
    const aBefore = await hashOf(t.tenantId);
    const bBefore = await hashOf(b.id);
    const created = await t.graph('POST', POLICIES, minimalPolicy(`hash ${randomUUID()}`), {
      token: bWriter,
    });
    assert.equal(created.status, 201);
    assert.equal(await hashOf(t.tenantId), aBefore);
    assert.notEqual(await hashOf(b.id), bBefore);
  });

  it('answers 409 for an existing tenantId (or domain), and nothing is added', async () => {
    for (const body of [
      { demo: 'workforce', tenantId: t.tenantId },
      { demo: 'external', tenantId: b.id },
      { demo: 'workforce', domain: t.summary.domain },
    ]) {
      const reply = await t.control('POST', '/tenants', body);
      assert.equal(reply.status, 409, `${JSON.stringify(body)}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.error.code, 'Conflict');
    }
    assert.equal((await t.control('GET', '/tenants')).body.length, 2);
  });

  it('answers 400 for a bad body, and nothing is added', async () => {
    const bodies: unknown[] = [
      'workforce',
      42,
      [],
      {},
      { demo: 'retail' },
      { seed: 'tenant.yaml' },
      { seed: {} },
      { seed: { tenant: { displayName: 'No lists' } } },
    ];
    for (const body of bodies) {
      const reply = await t.control('POST', '/tenants', body);
      assert.equal(reply.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.error.code, 'BadRequest');
    }
    const malformed = await fetch(`${t.tenant.origin}/_accord/tenants`, {
      method: 'POST',
      headers: { 'x-accord-admin-key': t.tenant.adminKey, 'content-type': 'application/json' },
      body: '{"demo":',
    });
    assert.equal(malformed.status, 400);
    assert.equal((await t.control('GET', '/tenants')).body.length, 2);
  });

  it('adds a tenant with a chosen id and domain', async () => {
    const tenantId = randomUUID();
    const reply = await t.control('POST', '/tenants', {
      demo: 'workforce',
      tenantId,
      domain: 'fourthcoffee.onmicrosoft.com',
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.equal(reply.body.id, tenantId);
    assert.equal(reply.body.domain, 'fourthcoffee.onmicrosoft.com');
    const token = await requestToken(reply.body as TenantSummary, 'reader');
    const users = await t.graph('GET', '/users?$top=999', undefined, { token });
    assert.ok(
      (users.body.value as { userPrincipalName: string }[]).some((u) =>
        u.userPrincipalName.endsWith('@fourthcoffee.onmicrosoft.com'),
      ),
    );
  });
});

describe('local tenant: an External ID tenant next to a workforce tenant', () => {
  let t: TestTenant;
  let external: TenantSummary;
  let externalToken: string;

  before(async () => {
    t = await startTestTenant();
    const added = await t.control('POST', '/tenants', { demo: 'external' });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    external = added.body as TenantSummary;
    externalToken = await requestToken(external, 'writer');
  });
  after(() => t.close());

  it('is an external tenant with its own apps', () => {
    assert.equal(external.flavor, 'external');
    assert.notEqual(app(external, 'writer').clientId, app(t.summary, 'writer').clientId);
  });

  it('enables email OTP for External ID users there, not in the workforce tenant', async () => {
    const there = await t.graph('GET', EMAIL_METHOD, undefined, { token: externalToken });
    assert.equal(there.status, 200, JSON.stringify(there.body));
    assert.equal(there.body.allowExternalIdToUseEmailOtp, 'enabled');
    const here = await t.graph('GET', EMAIL_METHOD);
    assert.equal(here.status, 200);
    assert.notEqual(here.body.allowExternalIdToUseEmailOtp, 'enabled');
  });

  it('lists user flows there, and refuses them in the workforce tenant', async () => {
    const there = await t.graph('GET', USER_FLOWS, undefined, { token: externalToken });
    assert.equal(there.status, 200, JSON.stringify(there.body));
    assert.ok(Array.isArray(there.body.value));
    assert.ok(there.body.value.length > 0, 'the demo customer tenant has user flows');
    const here = await t.graph('GET', USER_FLOWS);
    assert.equal(here.status, 400);
    assert.match(here.body.error.message, /only in external tenants/);
  });
});
