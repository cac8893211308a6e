import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEMO_IDS, demoDirectory } from '../../src/tenant/seed/demo.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

const BASE = '/identity/authenticationEventsFlows';
const FLOW_TYPE = '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow';

function flowBody(displayName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@odata.type': FLOW_TYPE,
    displayName,
    onAuthenticationMethodLoadStart: {
      '@odata.type': '#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp',
      identityProviders: [{ id: 'EmailPassword-OAUTH' }],
    },
    onInteractiveAuthFlowStart: {
      '@odata.type': '#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp',
      isSignUpAllowed: true,
    },
    ...extra,
  };
}

describe('local tenant: External ID user flows', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant({ seeds: [demoDirectory({ flavor: 'external' })] });
  });
  after(() => t.close());

  function unlinkedAppId(name: 'accord-reader' | 'accord-writer'): string {
    return t.summary.apps.find((a) => a.displayName === name)!.clientId;
  }

  it('lists the seeded flows', async () => {
    const reply = await t.graph('GET', BASE);
    assert.equal(reply.status, 200);
    assert.match(reply.body['@odata.context'], /identity\/authenticationEventsFlows$/);
    assert.ok(reply.body.value.length >= 2);
  });

  it('creates a flow with 201 and server defaults', async () => {
    const reply = await t.graph(
      'POST',
      BASE,
      flowBody('Create test', {
        onUserCreateStart: {
          '@odata.type': '#microsoft.graph.onUserCreateStartExternalUsersSelfServiceSignUp',
          userTypeToCreate: 'Member',
        },
      }),
    );
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const body = reply.body;
    assert.equal(body['@odata.type'], FLOW_TYPE);
    assert.match(body.id, /^[0-9a-f-]{36}$/);
    assert.equal(body.priority, 500);
    assert.equal(body.description, null);
    assert.equal(body.onUserCreateStart.userTypeToCreate, 'member');
    assert.deepEqual(body.conditions, { applications: { includeApplications: [] } });
    assert.equal(body.onAuthenticationMethodLoadStart.identityProviders[0].id, 'EmailPassword-OAUTH');
    const read = await t.graph('GET', `${BASE}/${body.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.displayName, 'Create test');
  });

  it('validates the create body', async () => {
    const cases: [unknown, number][] = [
      [{ ...flowBody('No type'), '@odata.type': undefined }, 400],
      [{ ...flowBody('Wrong type'), '@odata.type': '#microsoft.graph.authenticationEventsFlow' }, 400],
      [flowBody(''), 400],
      [{ ...flowBody('No load start'), onAuthenticationMethodLoadStart: undefined }, 400],
      [{ ...flowBody('No flow start'), onInteractiveAuthFlowStart: undefined }, 400],
      [
        flowBody('Bad idp', {
          onAuthenticationMethodLoadStart: { identityProviders: [{ id: 'Google-OAUTH' }] },
        }),
        400,
      ],
      [flowBody('Bad signup', { onInteractiveAuthFlowStart: { isSignUpAllowed: 'yes' } }), 400],
      [flowBody('Bad priority', { priority: -1 }), 400],
      [flowBody('Unknown prop', { colour: 'blue' }), 400],
      [flowBody('Bad user type', { onUserCreateStart: { userTypeToCreate: 'admin' } }), 400],
      [
        flowBody('Bad app', {
          conditions: { applications: { includeApplications: [{ appId: randomUUID() }] } },
        }),
        400,
      ],
      [[], 400],
      [null, 400],
    ];
    for (const [body, status] of cases) {
      const reply = await t.graph('POST', BASE, body === null ? 'null' : body);
      assert.equal(reply.status, status, JSON.stringify(body));
      assert.equal(reply.body.error.code, 'BadRequest');
    }
    assert.equal((await t.graph('POST', BASE, '{not json')).status, 400);
  });

  it('refuses a duplicate displayName with 409', async () => {
    assert.equal((await t.graph('POST', BASE, flowBody('Unique name'))).status, 201);
    const dup = await t.graph('POST', BASE, flowBody('UNIQUE NAME'));
    assert.equal(dup.status, 409);
  });

  it('links an app once: 201, then 400 for any second flow', async () => {
    const first = (await t.graph('POST', BASE, flowBody('Link A'))).body;
    const second = (await t.graph('POST', BASE, flowBody('Link B'))).body;
    const appId = unlinkedAppId('accord-reader');
    const link = await t.graph('POST', `${BASE}/${first.id}/conditions/applications/includeApplications`, {
      appId,
    });
    assert.equal(link.status, 201, JSON.stringify(link.body));
    assert.equal(link.body.appId, appId);
    const list = await t.graph('GET', `${BASE}/${first.id}/conditions/applications/includeApplications`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.value, [{ appId }]);
    const again = await t.graph('POST', `${BASE}/${second.id}/conditions/applications/includeApplications`, {
      appId,
    });
    assert.equal(again.status, 400);
    assert.match(again.body.error.message, /only one user flow/);
    const seeded = await t.graph('POST', `${BASE}/${second.id}/conditions/applications/includeApplications`, {
      appId: DEMO_IDS.woodgroveGroceriesAppId,
    });
    assert.equal(seeded.status, 400);
    const unknown = await t.graph(
      'POST',
      `${BASE}/${second.id}/conditions/applications/includeApplications`,
      { appId: randomUUID() },
    );
    assert.equal(unknown.status, 400);
    const malformed = await t.graph(
      'POST',
      `${BASE}/${second.id}/conditions/applications/includeApplications`,
      { appId: 'x' },
    );
    assert.equal(malformed.status, 400);
    const unlink = await t.graph(
      'DELETE',
      `${BASE}/${first.id}/conditions/applications/includeApplications/${appId}/$ref`,
    );
    assert.equal(unlink.status, 204);
    const relink = await t.graph('POST', `${BASE}/${second.id}/conditions/applications/includeApplications`, {
      appId,
    });
    assert.equal(relink.status, 201);
  });

  it('PATCH (204) and DELETE (204) a flow; 404 for an unknown one', async () => {
    const flow = (await t.graph('POST', BASE, flowBody('Patch me'))).body;
    const patch = await t.graph('PATCH', `${BASE}/${flow.id}`, {
      '@odata.type': FLOW_TYPE,
      description: 'Updated',
      priority: 10,
    });
    assert.equal(patch.status, 204, JSON.stringify(patch.body));
    const read = (await t.graph('GET', `${BASE}/${flow.id}`)).body;
    assert.equal(read.description, 'Updated');
    assert.equal(read.priority, 10);
    assert.equal((await t.graph('PATCH', `${BASE}/${flow.id}`, { displayName: 'Create test' })).status, 409);
    assert.equal(
      (await t.graph('PATCH', `${BASE}/${flow.id}`, { onInteractiveAuthFlowStart: null })).status,
      400,
    );
    assert.equal((await t.graph('PATCH', `${BASE}/${flow.id}`, { bogus: 1 })).status, 400);
    assert.equal((await t.graph('DELETE', `${BASE}/${flow.id}`)).status, 204);
    assert.equal((await t.graph('GET', `${BASE}/${flow.id}`)).status, 404);
    assert.equal((await t.graph('DELETE', `${BASE}/${flow.id}`)).status, 404);
    assert.equal(
      (await t.graph('GET', `${BASE}/${randomUUID()}/conditions/applications/includeApplications`)).status,
      404,
    );
  });

  it('needs EventListener permissions: the reader app gets 403', async () => {
    assert.equal((await t.graph('GET', BASE, undefined, { app: 'reader' })).status, 403);
    const write = await t.graph('POST', BASE, flowBody('Reader flow'), { app: 'reader' });
    assert.equal(write.status, 403);
    assert.equal(write.body.error.code, 'Authorization_RequestDenied');
  });
});

describe('local tenant: user flows in a workforce tenant', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
  });
  after(() => t.close());

  it('answers 400 with a clear message', async () => {
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', flowBody('Workforce flow')],
    ] as const) {
      const reply = await t.graph(method, BASE, body);
      assert.equal(reply.status, 400);
      assert.match(reply.body.error.message, /only in external tenants/);
    }
  });
});
