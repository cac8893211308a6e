import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestTenant, type GraphReply, type TestTenant } from '../helpers/local-tenant.ts';

const STRENGTHS = '/policies/authenticationStrengthPolicies';
const ALIAS = '/identity/conditionalAccess/authenticationStrength/policies';
const BUILT_IN_IDS = [
  '00000000-0000-0000-0000-000000000002',
  '00000000-0000-0000-0000-000000000003',
  '00000000-0000-0000-0000-000000000004',
];

type Json = Record<string, unknown>;

function assertValidation(reply: GraphReply, code: number, pattern?: RegExp): void {
  assert.equal(reply.status, 400, JSON.stringify(reply.body));
  assert.match(reply.body.error.innerError.message, new RegExp(`^${code}: `));
  if (pattern) assert.match(reply.body.error.innerError.message, pattern);
}

describe('local tenant: authentication strengths', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
  });
  after(() => t.close());

  it('lists the three built-ins on both paths', async () => {
    for (const path of [STRENGTHS, ALIAS]) {
      const reply = await t.graph('GET', path);
      assert.equal(reply.status, 200);
      const builtIns = reply.body.value.filter((s: Json) => s.policyType === 'builtIn');
      assert.deepEqual(
        builtIns.map((s: Json) => s.id),
        BUILT_IN_IDS,
      );
      const phishing = builtIns[2];
      assert.deepEqual(phishing, {
        id: BUILT_IN_IDS[2],
        createdDateTime: '2021-12-01T00:00:00Z',
        modifiedDateTime: '2021-12-01T00:00:00Z',
        displayName: 'Phishing resistant MFA',
        description: phishing.description,
        policyType: 'builtIn',
        requirementsSatisfied: 'mfa',
        allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
      });
    }
    const one = await t.graph('GET', `${ALIAS}/${BUILT_IN_IDS[0]}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.displayName, 'Multifactor authentication');
    const filtered = await t.graph('GET', `${STRENGTHS}?$filter=policyType eq 'builtIn'`);
    assert.equal(filtered.body.value.length, 3);
  });

  it('refuses PATCH and DELETE of built-ins', async () => {
    assertValidation(
      await t.graph('PATCH', `${STRENGTHS}/${BUILT_IN_IDS[0]}`, { displayName: 'mine' }),
      1205,
    );
    assertValidation(await t.graph('DELETE', `${STRENGTHS}/${BUILT_IN_IDS[1]}`), 1205);
    assertValidation(
      await t.graph('POST', `${STRENGTHS}/${BUILT_IN_IDS[2]}/updateAllowedCombinations`, {
        allowedCombinations: ['fido2'],
      }),
      1205,
    );
  });

  it('creates a custom strength (201) with canonical combinations', async () => {
    const reply = await t.graph('POST', STRENGTHS, {
      displayName: 'Contoso strong',
      description: 'FIDO or TAP',
      allowedCombinations: ['FIDO2', 'sms, password', 'password,sms', 'temporaryAccessPassOneTime'],
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const { id, createdDateTime, modifiedDateTime, '@odata.context': context, ...rest } = reply.body;
    assert.match(context, /#policies\/authenticationStrengthPolicies\/\$entity$/);
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.ok(Date.parse(createdDateTime) && Date.parse(modifiedDateTime));
    assert.deepEqual(rest, {
      displayName: 'Contoso strong',
      description: 'FIDO or TAP',
      policyType: 'custom',
      requirementsSatisfied: 'mfa',
      allowedCombinations: ['fido2', 'password,sms', 'temporaryAccessPassOneTime'],
    });
    const got = await t.graph('GET', `${ALIAS}/${id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.displayName, 'Contoso strong');
  });

  describe('validation', () => {
    const cases: [string, unknown, number, RegExp?][] = [
      ['no displayName', { allowedCombinations: ['fido2'] }, 1202],
      [
        'a duplicate displayName',
        { displayName: 'phishing RESISTANT mfa', allowedCombinations: ['fido2'] },
        1202,
        /already exists/,
      ],
      ['no combinations', { displayName: 'x1' }, 1201],
      ['empty combinations', { displayName: 'x2', allowedCombinations: [] }, 1201],
      [
        'an unknown mode',
        { displayName: 'x3', allowedCombinations: ['password,carrierPigeon'] },
        1201,
        /carrierPigeon/,
      ],
      ['email OTP', { displayName: 'x4', allowedCombinations: ['email'] }, 1201],
      ['a non-string combination', { displayName: 'x5', allowedCombinations: [3] }, 1007],
      ['combinations as a string', { displayName: 'x6', allowedCombinations: 'fido2' }, 1007],
      ['an unknown property', { displayName: 'x7', allowedCombinations: ['fido2'], colour: 1 }, 1007],
      ['a null body', null, 1007],
    ];
    for (const [name, body, code, pattern] of cases) {
      it(`refuses ${name} with ${code}`, async () => {
        assertValidation(await t.graph('POST', STRENGTHS, body), code, pattern);
      });
    }
  });

  it('PATCHes name and description (204), updates combinations through the action', async () => {
    const id = (
      await t.graph('POST', STRENGTHS, { displayName: 'Patchable', allowedCombinations: ['fido2'] })
    ).body.id;
    assert.equal(
      (await t.graph('PATCH', `${STRENGTHS}/${id}`, { displayName: 'Patched', description: 'now' })).status,
      204,
    );
    assertValidation(
      await t.graph('PATCH', `${STRENGTHS}/${id}`, { displayName: 'Multifactor authentication' }),
      1202,
    );
    assertValidation(
      await t.graph('PATCH', `${STRENGTHS}/${id}`, { allowedCombinations: ['sms'] }),
      1201,
      /updateAllowedCombinations/,
    );
    const action = await t.graph('POST', `${ALIAS}/${id}/updateAllowedCombinations`, {
      allowedCombinations: ['password,microsoftAuthenticatorPush', 'windowsHelloForBusiness'],
    });
    assert.equal(action.status, 200, JSON.stringify(action.body));
    assert.deepEqual(action.body.previousCombinations, ['fido2']);
    assert.deepEqual(action.body.currentCombinations, [
      'password,microsoftAuthenticatorPush',
      'windowsHelloForBusiness',
    ]);
    const got = (await t.graph('GET', `${STRENGTHS}/${id}`)).body;
    assert.equal(got.displayName, 'Patched');
    assert.equal(got.description, 'now');
    assert.deepEqual(got.allowedCombinations, [
      'password,microsoftAuthenticatorPush',
      'windowsHelloForBusiness',
    ]);
    assertValidation(
      await t.graph('POST', `${STRENGTHS}/${id}/updateAllowedCombinations`, {
        allowedCombinations: ['nope'],
      }),
      1201,
    );
  });

  it('reports usage, refuses deleting a strength in use, deletes it once unused', async () => {
    const id = (await t.graph('POST', STRENGTHS, { displayName: 'Used', allowedCombinations: ['fido2'] }))
      .body.id;
    const policy = await t.graph('POST', '/identity/conditionalAccess/policies', {
      displayName: 'needs Used',
      state: 'disabled',
      conditions: {
        applications: { includeApplications: ['All'] },
        users: { includeUsers: ['All'] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', authenticationStrength: { id: id.toUpperCase() } },
    });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    assert.equal(policy.body.grantControls.authenticationStrength.id, id);
    assert.equal(policy.body.grantControls.authenticationStrength.displayName, 'Used');
    const usage = await t.graph('GET', `${STRENGTHS}/${id}/usage`);
    assert.equal(usage.status, 200);
    assert.ok(usage.body['@odata.context']);
    assert.deepEqual(
      usage.body.mfa.map((p: Json) => p.id),
      [policy.body.id],
    );
    assert.deepEqual(usage.body.none, []);
    assert.equal((await t.graph('GET', `${ALIAS}/${id}/usage()`)).status, 200);
    assertValidation(await t.graph('DELETE', `${STRENGTHS}/${id}`), 1204, /needs|Conditional Access/);
    assert.equal(
      (await t.graph('DELETE', `/identity/conditionalAccess/policies/${policy.body.id}`)).status,
      204,
    );
    assert.equal((await t.graph('DELETE', `${STRENGTHS}/${id}`)).status, 204);
    assert.equal((await t.graph('GET', `${STRENGTHS}/${id}`)).status, 404);
  });

  it('lists the authentication method modes', async () => {
    const reply = await t.graph(
      'GET',
      '/identity/conditionalAccess/authenticationStrength/authenticationMethodModes',
    );
    assert.equal(reply.status, 200);
    const ids = reply.body.value.map((m: Json) => m.id);
    assert.ok(ids.includes('password') && ids.includes('fido2') && ids.includes('qrCodePin'));
    assert.ok(!ids.includes('unknownFutureValue'));
    assert.ok(reply.body.value.every((m: Json) => typeof m.displayName === 'string'));
  });

  it('answers 404, 405 and 403 like Graph', async () => {
    assert.equal((await t.graph('GET', `${STRENGTHS}/${randomUUID()}`)).status, 404);
    assert.equal((await t.graph('DELETE', `${ALIAS}/${randomUUID()}`)).status, 404);
    assert.equal((await t.graph('PUT', `${STRENGTHS}/${BUILT_IN_IDS[0]}`, {})).status, 405);
    const reader = { app: 'reader' as const };
    assert.equal((await t.graph('GET', STRENGTHS, undefined, reader)).status, 200);
    assert.equal(
      (await t.graph('POST', STRENGTHS, { displayName: 'r', allowedCombinations: ['fido2'] }, reader)).status,
      403,
    );
    assert.equal((await t.graph('PATCH', `${STRENGTHS}/${BUILT_IN_IDS[0]}`, {}, reader)).status, 403);
  });

  it('allows at most 15 custom strengths', async () => {
    const existing = (await t.graph('GET', `${STRENGTHS}?$filter=policyType eq 'custom'`)).body.value.length;
    for (let i = existing; i < 15; i++) {
      const reply = await t.graph('POST', STRENGTHS, {
        displayName: `custom ${i}`,
        allowedCombinations: ['fido2'],
      });
      assert.equal(reply.status, 201);
    }
    assertValidation(
      await t.graph('POST', STRENGTHS, { displayName: 'custom 16', allowedCombinations: ['fido2'] }),
      1203,
      /15/,
    );
  });
});
