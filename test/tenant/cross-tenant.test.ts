import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

const BASE = '/policies/crossTenantAccessPolicy';
const ALL_USERS_BLOCKED = { accessType: 'blocked', targets: [{ target: 'AllUsers', targetType: 'user' }] };

describe('local tenant: cross-tenant access settings', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
  });
  after(() => t.close());

  it('GET and PATCH the policy object', async () => {
    const reply = await t.graph('GET', BASE, undefined, { app: 'reader' });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.displayName, 'CrossTenantAccessPolicy');
    assert.deepEqual(reply.body.allowedCloudEndpoints, []);
    assert.match(reply.body['@odata.context'], /crossTenantAccessPolicy\/\$entity$/);
    const patch = await t.graph('PATCH', BASE, { allowedCloudEndpoints: ['microsoftonline.us'] });
    assert.equal(patch.status, 204);
    assert.deepEqual((await t.graph('GET', BASE)).body.allowedCloudEndpoints, ['microsoftonline.us']);
    assert.equal((await t.graph('PATCH', BASE, { allowedCloudEndpoints: ['example.com'] })).status, 400);
    assert.equal((await t.graph('PATCH', BASE, { displayName: 'x' })).status, 400);
    assert.equal((await t.graph('PATCH', BASE, { other: 1 })).status, 400);
  });

  it('GET default returns the service default', async () => {
    const reply = await t.graph('GET', `${BASE}/default`, undefined, { app: 'reader' });
    assert.equal(reply.status, 200);
    const body = reply.body;
    assert.equal(body.isServiceDefault, true);
    assert.deepEqual(body.inboundTrust, {
      isMfaAccepted: false,
      isCompliantDeviceAccepted: false,
      isHybridAzureADJoinedDeviceAccepted: false,
    });
    assert.equal(body.b2bCollaborationInbound.usersAndGroups.accessType, 'allowed');
    assert.equal(body.b2bCollaborationOutbound.applications.targets[0].target, 'AllApplications');
    assert.equal(body.b2bDirectConnectInbound.usersAndGroups.accessType, 'blocked');
    assert.equal(body.b2bDirectConnectOutbound.applications.accessType, 'blocked');
    assert.deepEqual(body.automaticUserConsentSettings, { inboundAllowed: false, outboundAllowed: false });
    assert.equal(body.id, undefined);
  });

  it('PATCH default answers 204, clears isServiceDefault, and resetToSystemDefault restores it', async () => {
    const patch = await t.graph('PATCH', `${BASE}/default`, {
      inboundTrust: {
        isMfaAccepted: true,
        isCompliantDeviceAccepted: true,
        isHybridAzureADJoinedDeviceAccepted: false,
      },
      b2bCollaborationInbound: {
        usersAndGroups: ALL_USERS_BLOCKED,
        applications: {
          accessType: 'blocked',
          targets: [{ target: 'AllApplications', targetType: 'application' }],
        },
      },
    });
    assert.equal(patch.status, 204, JSON.stringify(patch.body));
    const changed = (await t.graph('GET', `${BASE}/default`)).body;
    assert.equal(changed.isServiceDefault, false);
    assert.equal(changed.inboundTrust.isMfaAccepted, true);
    assert.equal(changed.b2bCollaborationInbound.usersAndGroups.accessType, 'blocked');
    const reset = await t.graph('POST', `${BASE}/default/resetToSystemDefault`);
    assert.equal(reset.status, 204);
    const restored = (await t.graph('GET', `${BASE}/default`)).body;
    assert.equal(restored.isServiceDefault, true);
    assert.equal(restored.inboundTrust.isMfaAccepted, false);
  });

  it('PATCH default validates its values', async () => {
    const cases: unknown[] = [
      { isServiceDefault: false },
      { inboundTrust: { isMfaAccepted: 'yes' } },
      { inboundTrust: { trustEverything: true } },
      { inboundTrust: null },
      {
        b2bCollaborationInbound: {
          usersAndGroups: { accessType: 'maybe', targets: [{ target: 'AllUsers', targetType: 'user' }] },
        },
      },
      {
        b2bCollaborationInbound: {
          usersAndGroups: { accessType: 'allowed', targets: [{ target: 'AllUsers', targetType: 'device' }] },
        },
      },
      { b2bCollaborationInbound: { usersAndGroups: { accessType: 'allowed', targets: [] } } },
      { b2bCollaborationInbound: 'allowed' },
      { somethingElse: 1 },
      [],
      'text',
    ];
    for (const body of cases) {
      const reply = await t.graph(
        'PATCH',
        `${BASE}/default`,
        typeof body === 'string' ? JSON.stringify(body) : body,
      );
      assert.equal(reply.status, 400, JSON.stringify(body));
    }
    assert.equal((await t.graph('PATCH', `${BASE}/default`, '{')).status, 400);
  });

  it('creates a partner with 201 and nulls for unset complex values', async () => {
    const tenantId = randomUUID();
    const reply = await t.graph('POST', `${BASE}/partners`, {
      tenantId,
      inboundTrust: { isMfaAccepted: true },
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const body = reply.body;
    assert.match(body['@odata.context'], /partners\/\$entity$/);
    assert.equal(body.tenantId, tenantId);
    assert.deepEqual(body.inboundTrust, {
      isMfaAccepted: true,
      isCompliantDeviceAccepted: false,
      isHybridAzureADJoinedDeviceAccepted: false,
    });
    for (const key of [
      'b2bCollaborationInbound',
      'b2bCollaborationOutbound',
      'b2bDirectConnectInbound',
      'b2bDirectConnectOutbound',
      'automaticUserConsentSettings',
      'tenantRestrictions',
      'isServiceProvider',
    ]) {
      assert.equal(body[key], null, key);
    }
    assert.equal(body.isInMultiTenantOrganization, false);
    const list = await t.graph('GET', `${BASE}/partners`, undefined, { app: 'reader' });
    assert.equal(list.status, 200);
    assert.ok(list.body.value.some((p: { tenantId: string }) => p.tenantId === tenantId));
    const again = await t.graph('POST', `${BASE}/partners`, { tenantId: tenantId.toUpperCase() });
    assert.equal(again.status, 409);
  });

  it('refuses partners without a GUID tenantId or with unknown properties', async () => {
    assert.equal((await t.graph('POST', `${BASE}/partners`, {})).status, 400);
    assert.equal((await t.graph('POST', `${BASE}/partners`, { tenantId: 'contoso.com' })).status, 400);
    assert.equal((await t.graph('POST', `${BASE}/partners`, { tenantId: 42 })).status, 400);
    assert.equal(
      (await t.graph('POST', `${BASE}/partners`, { tenantId: randomUUID(), magic: true })).status,
      400,
    );
    assert.equal(
      (
        await t.graph('POST', `${BASE}/partners`, {
          tenantId: randomUUID(),
          isInMultiTenantOrganization: true,
        })
      ).status,
      400,
    );
    assert.equal((await t.graph('POST', `${BASE}/partners`, { tenantId: t.tenantId })).status, 400);
    assert.equal((await t.graph('POST', `${BASE}/partners`, null)).status, 400);
  });

  it('GET, PATCH (204) and DELETE (204) one partner; 404 for an unknown one', async () => {
    const tenantId = randomUUID();
    assert.equal((await t.graph('POST', `${BASE}/partners`, { tenantId })).status, 201);
    const patch = await t.graph('PATCH', `${BASE}/partners/${tenantId}`, {
      isServiceProvider: true,
      b2bDirectConnectOutbound: { usersAndGroups: ALL_USERS_BLOCKED },
      automaticUserConsentSettings: { inboundAllowed: true },
    });
    assert.equal(patch.status, 204, JSON.stringify(patch.body));
    const read = await t.graph('GET', `${BASE}/partners/${tenantId.toUpperCase()}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.isServiceProvider, true);
    assert.equal(read.body.b2bDirectConnectOutbound.usersAndGroups.accessType, 'blocked');
    assert.equal(read.body.b2bDirectConnectOutbound.applications, null);
    assert.deepEqual(read.body.automaticUserConsentSettings, {
      inboundAllowed: true,
      outboundAllowed: false,
    });
    assert.equal(
      (await t.graph('PATCH', `${BASE}/partners/${tenantId}`, { tenantId: randomUUID() })).status,
      400,
    );
    assert.equal(
      (await t.graph('PATCH', `${BASE}/partners/${tenantId}`, { isServiceProvider: 'yes' })).status,
      400,
    );
    assert.equal((await t.graph('DELETE', `${BASE}/partners/${tenantId}`)).status, 204);
    assert.equal((await t.graph('GET', `${BASE}/partners/${tenantId}`)).status, 404);
    assert.equal((await t.graph('DELETE', `${BASE}/partners/${tenantId}`)).status, 404);
    assert.equal(
      (await t.graph('PATCH', `${BASE}/partners/${randomUUID()}`, { isServiceProvider: true })).status,
      404,
    );
    assert.equal((await t.graph('GET', `${BASE}/partners/not-a-guid`)).status, 400);
  });

  it('refuses writes from the reader app with 403', async () => {
    const cases: [string, string, unknown][] = [
      ['PATCH', BASE, { allowedCloudEndpoints: [] }],
      ['PATCH', `${BASE}/default`, { inboundTrust: { isMfaAccepted: true } }],
      ['POST', `${BASE}/default/resetToSystemDefault`, undefined],
      ['POST', `${BASE}/partners`, { tenantId: randomUUID() }],
      ['DELETE', `${BASE}/partners/${randomUUID()}`, undefined],
    ];
    for (const [method, path, body] of cases) {
      const reply = await t.graph(method, path, body, { app: 'reader' });
      assert.equal(reply.status, 403, `${method} ${path}`);
      assert.equal(reply.body.error.code, 'Authorization_RequestDenied');
    }
  });
});
