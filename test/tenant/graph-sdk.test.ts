/**
 * The official `@microsoft/microsoft-graph-client` against the local tenant, unchanged (graph-contract §7.5): the
 * SDK attaches the Authorization header only for https URLs whose host is a Graph host or in `customHosts`, so the
 * server runs over HTTPS and this process trusts its certificate with `tls.setDefaultCACertificates` (Node 24),
 * which the global `fetch` the SDK uses honours.
 */
import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  GraphError,
  PageIterator,
  type PageCollection,
} from '@microsoft/microsoft-graph-client';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

interface Named {
  id: string;
  displayName: string;
  userPrincipalName?: string;
}

describe('local tenant: the official Microsoft Graph JavaScript SDK', () => {
  let t: TestTenant;
  let client: Client;
  let previousCas: string[];
  before(async () => {
    t = await startTestTenant({ https: true });
    previousCas = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...previousCas, t.tenant.caCertificate!]);
    const token = await t.token('writer');
    client = Client.initWithMiddleware({
      baseUrl: t.tenant.origin,
      customHosts: new Set([new URL(t.tenant.origin).hostname]),
      authProvider: { getAccessToken: async () => token },
    });
  });
  after(async () => {
    tls.setDefaultCACertificates(previousCas);
    await t.close();
  });

  it('lists users and pages through them with PageIterator', async () => {
    const first = (await client.api('/users').top(5).get()) as PageCollection;
    assert.equal(first.value.length, 5);
    assert.ok(first['@odata.nextLink'], 'expected more than one page of users');
    const seen: Named[] = [];
    const iterator = new PageIterator(client, first, (user: Named) => {
      seen.push(user);
      return true;
    });
    await iterator.iterate();
    assert.ok(iterator.isComplete());
    assert.ok(seen.length > 5);
    assert.equal(new Set(seen.map((u) => u.id)).size, seen.length, 'no user twice across pages');
    const all = (await client.api('/users').top(999).get()) as PageCollection;
    assert.equal(seen.length, all.value.length);
  });

  it('gets one user by userPrincipalName', async () => {
    const some = ((await client.api('/users').top(1).get()) as PageCollection).value[0] as Named;
    const user = (await client.api(`/users/${encodeURIComponent(some.userPrincipalName!)}`).get()) as Named;
    assert.equal(user.id, some.id);
  });

  it('lists groups', async () => {
    const groups = (await client.api('/groups').select(['id', 'displayName']).get()) as PageCollection;
    assert.ok(groups.value.length > 0);
    assert.ok(groups.value.every((g: Named) => typeof g.displayName === 'string'));
  });

  it('surfaces Graph errors as GraphError with the request id', async () => {
    await assert.rejects(
      client.api('/policies/crossTenantAccessPolicy/partners/' + randomUUID()).get(),
      (err: unknown) => {
        assert.ok(err instanceof GraphError);
        assert.equal(err.statusCode, 404);
        assert.ok(err.requestId);
        return true;
      },
    );
  });

  it('creates, updates and deletes a cross-tenant partner configuration', async () => {
    const tenantId = randomUUID();
    const created = await client
      .api('/policies/crossTenantAccessPolicy/partners')
      .post({ tenantId, inboundTrust: { isMfaAccepted: true } });
    assert.equal(created.tenantId, tenantId);
    await client
      .api(`/policies/crossTenantAccessPolicy/partners/${tenantId}`)
      .patch({ isServiceProvider: true });
    const read = await client.api(`/policies/crossTenantAccessPolicy/partners/${tenantId}`).get();
    assert.equal(read.isServiceProvider, true);
    await client.api(`/policies/crossTenantAccessPolicy/partners/${tenantId}`).delete();
    await assert.rejects(
      client.api(`/policies/crossTenantAccessPolicy/partners/${tenantId}`).get(),
      GraphError,
    );
  });

  it('creates, updates and deletes a Conditional Access policy', async () => {
    const policy = {
      displayName: `SDK test ${randomUUID()}`,
      state: 'disabled',
      conditions: {
        clientAppTypes: ['all'],
        applications: { includeApplications: ['All'] },
        users: { includeUsers: ['None'] },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    };
    const created = await client.api('/identity/conditionalAccess/policies').post(policy);
    assert.ok(created.id);
    assert.equal(created.state, 'disabled');
    await client
      .api(`/identity/conditionalAccess/policies/${created.id}`)
      .patch({ state: 'enabledForReportingButNotEnforced' });
    const read = await client.api(`/identity/conditionalAccess/policies/${created.id}`).get();
    assert.equal(read.state, 'enabledForReportingButNotEnforced');
    await client.api(`/identity/conditionalAccess/policies/${created.id}`).delete();
    await assert.rejects(
      client.api(`/identity/conditionalAccess/policies/${created.id}`).get(),
      (err: unknown) => {
        assert.ok(err instanceof GraphError);
        assert.equal(err.statusCode, 404);
        return true;
      },
    );
  });

  function batchOfThree(): BatchRequestContent {
    // SDK 3.0.7 strips scheme and host but not the version (msgraph-sdk-javascript#1451), so step URLs carry none.
    const base = t.tenant.origin;
    return new BatchRequestContent([
      { id: '1', request: new Request(`${base}/users?$top=2`, { method: 'GET' }) },
      { id: '2', request: new Request(`${base}/groups?$top=1`, { method: 'GET' }), dependsOn: ['1'] },
      {
        id: '3',
        request: new Request(`${base}/policies/authenticationMethodsPolicy`, { method: 'GET' }),
        dependsOn: ['2'],
      },
    ]);
  }

  it('sends a BatchRequestContent batch and reads statuses with BatchResponseContent', async () => {
    const raw = await client.api('/$batch').post(await batchOfThree().getContent());
    const responses = new BatchResponseContent(raw);
    for (const id of ['1', '2', '3']) assert.equal(responses.getResponseById(id).status, 200, id);
  });

  it('reads batch response bodies with BatchResponseContent', async () => {
    const raw = await client.api('/$batch').post(await batchOfThree().getContent());
    const responses = new BatchResponseContent(raw);
    assert.equal(((await responses.getResponseById('1').json()) as PageCollection).value.length, 2);
    assert.equal(((await responses.getResponseById('3').json()) as Named).id, 'authenticationMethodsPolicy');
  });
});
