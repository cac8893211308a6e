import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { COLLECTIONS } from '../../src/tenant/collections.ts';
import { demoDirectory } from '../../src/tenant/seed/demo.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

const POLICY = '/policies/authenticationMethodsPolicy';
const CONFIGS = `${POLICY}/authenticationMethodConfigurations`;
const EMAIL_TYPE = '#microsoft.graph.emailAuthenticationMethodConfiguration';
const TAP_TYPE = '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration';
const AUTHENTICATOR_TYPE = '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration';
const FIDO2_TYPE = '#microsoft.graph.fido2AuthenticationMethodConfiguration';

describe('local tenant: authentication methods policy', () => {
  let t: TestTenant;
  const groupId = randomUUID();
  const userId = randomUUID();
  before(async () => {
    t = await startTestTenant();
    // Directory objects the targets below refer to (independent of how the seed writes the directory).
    t.tenant.store.put(t.tenantId, COLLECTIONS.groups, { id: groupId, displayName: 'Auth methods pilot' });
    t.tenant.store.put(t.tenantId, COLLECTIONS.users, {
      id: userId,
      userPrincipalName: 'pilot@example.test',
    });
  });
  after(() => t.close());

  it('GET returns the singleton with the method configurations expanded', async () => {
    const reply = await t.graph('GET', POLICY, undefined, { app: 'reader' });
    assert.equal(reply.status, 200);
    const body = reply.body;
    assert.match(body['@odata.context'], /\$metadata#policies\/authenticationMethodsPolicy\/\$entity$/);
    assert.equal(body.id, 'authenticationMethodsPolicy');
    assert.equal(body.displayName, 'Authentication Methods Policy');
    assert.equal(body.policyVersion, '1.5');
    assert.equal(body.policyMigrationState, 'migrationComplete');
    assert.ok(!Number.isNaN(Date.parse(body.lastModifiedDateTime)));
    assert.deepEqual(body.registrationEnforcement.authenticationMethodsRegistrationCampaign, {
      snoozeDurationInDays: 1,
      state: 'default',
      excludeTargets: [],
      includeTargets: [
        { id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' },
      ],
    });
    const ids = body.authenticationMethodConfigurations.map((c: { id: string }) => c.id);
    for (const id of [
      'Fido2',
      'MicrosoftAuthenticator',
      'Sms',
      'Voice',
      'SoftwareOath',
      'TemporaryAccessPass',
      'Email',
      'X509Certificate',
    ]) {
      assert.ok(ids.includes(id), `missing ${id}`);
    }
    const email = body.authenticationMethodConfigurations.find((c: { id: string }) => c.id === 'Email');
    assert.equal(email['@odata.type'], EMAIL_TYPE);
    assert.equal(email.allowExternalIdToUseEmailOtp, 'default');
  });

  it('GET of one configuration accepts the URL segment in any case', async () => {
    for (const segment of ['email', 'Email', 'EMAIL']) {
      const reply = await t.graph('GET', `${CONFIGS}/${segment}`, undefined, { app: 'reader' });
      assert.equal(reply.status, 200, segment);
      assert.equal(reply.body.id, 'Email');
      assert.match(reply.body['@odata.context'], /authenticationMethodConfigurations\/\$entity$/);
    }
    for (const segment of [
      'fido2',
      'microsoftAuthenticator',
      'sms',
      'voice',
      'softwareOath',
      'temporaryAccessPass',
      'x509Certificate',
      'X509Certificate',
    ]) {
      assert.equal((await t.graph('GET', `${CONFIGS}/${segment}`)).status, 200, segment);
    }
  });

  it('answers 404 for an unknown method configuration', async () => {
    const reply = await t.graph('GET', `${CONFIGS}/carrierPigeon`);
    assert.equal(reply.status, 404);
    assert.ok(reply.body.error.innerError['request-id']);
    const patch = await t.graph('PATCH', `${CONFIGS}/carrierPigeon`, {
      '@odata.type': EMAIL_TYPE,
      state: 'enabled',
    });
    assert.equal(patch.status, 404);
  });

  it('PATCH of a configuration answers 204 and replaces includeTargets as a whole', async () => {
    const reply = await t.graph('PATCH', `${CONFIGS}/microsoftAuthenticator`, {
      '@odata.type': AUTHENTICATOR_TYPE,
      state: 'Enabled',
      includeTargets: [{ id: groupId, targetType: 'group', authenticationMode: 'push' }],
      excludeTargets: [{ id: userId, targetType: 'user' }],
      featureSettings: { displayLocationInformationRequiredState: { state: 'enabled' } },
    });
    assert.equal(reply.status, 204, JSON.stringify(reply.body));
    assert.equal(reply.body, undefined);
    const after = (await t.graph('GET', `${CONFIGS}/MicrosoftAuthenticator`)).body;
    assert.equal(after.state, 'enabled');
    assert.deepEqual(after.includeTargets, [
      { id: groupId, targetType: 'group', isRegistrationRequired: false, authenticationMode: 'push' },
    ]);
    assert.deepEqual(after.excludeTargets, [{ id: userId, targetType: 'user' }]);
    assert.equal(after.featureSettings.displayLocationInformationRequiredState.state, 'enabled');
    assert.equal(after.featureSettings.displayAppInformationRequiredState.state, 'default');
  });

  it('PATCH needs the matching @odata.type', async () => {
    const missing = await t.graph('PATCH', `${CONFIGS}/email`, { state: 'disabled' });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /@odata\.type/);
    const wrong = await t.graph('PATCH', `${CONFIGS}/email`, {
      '@odata.type': FIDO2_TYPE,
      state: 'disabled',
    });
    assert.equal(wrong.status, 400);
  });

  it('PATCH validates state, targets, enums and ranges, and refuses unknown properties', async () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['email', { '@odata.type': EMAIL_TYPE, state: 'sometimes' }, /state/],
      [
        'email',
        { '@odata.type': EMAIL_TYPE, allowExternalIdToUseEmailOtp: 'yes' },
        /allowExternalIdToUseEmailOtp/,
      ],
      [
        'email',
        { '@odata.type': EMAIL_TYPE, allowExternalIdForEmailOTP: 'enabled' },
        /allowExternalIdForEmailOTP/,
      ],
      [
        'email',
        { '@odata.type': EMAIL_TYPE, includeTargets: [{ id: randomUUID(), targetType: 'group' }] },
        /does not exist/,
      ],
      [
        'email',
        { '@odata.type': EMAIL_TYPE, includeTargets: [{ id: randomUUID(), targetType: 'user' }] },
        /does not exist/,
      ],
      [
        'email',
        { '@odata.type': EMAIL_TYPE, includeTargets: [{ id: groupId, targetType: 'device' }] },
        /targetType/,
      ],
      ['email', { '@odata.type': EMAIL_TYPE, includeTargets: 'all_users' }, /includeTargets/],
      ['email', { '@odata.type': EMAIL_TYPE, excludeTargets: [{ targetType: 'group' }] }, /id/],
      ['temporaryAccessPass', { '@odata.type': TAP_TYPE, defaultLength: 7 }, /defaultLength/],
      ['temporaryAccessPass', { '@odata.type': TAP_TYPE, defaultLength: 49 }, /defaultLength/],
      [
        'temporaryAccessPass',
        { '@odata.type': TAP_TYPE, maximumLifetimeInMinutes: 43201 },
        /maximumLifetimeInMinutes/,
      ],
      [
        'temporaryAccessPass',
        { '@odata.type': TAP_TYPE, minimumLifetimeInMinutes: 9 },
        /minimumLifetimeInMinutes/,
      ],
      [
        'temporaryAccessPass',
        { '@odata.type': TAP_TYPE, minimumLifetimeInMinutes: 500, maximumLifetimeInMinutes: 400 },
        /greater/,
      ],
      ['temporaryAccessPass', { '@odata.type': TAP_TYPE, defaultLifetimeInMinutes: 1000 }, /between/],
      [
        'microsoftAuthenticator',
        {
          '@odata.type': AUTHENTICATOR_TYPE,
          featureSettings: { displayAppInformationRequiredState: { state: 'maybe' } },
        },
        /state/,
      ],
      [
        'microsoftAuthenticator',
        {
          '@odata.type': AUTHENTICATOR_TYPE,
          featureSettings: {
            displayAppInformationRequiredState: {
              state: 'enabled',
              includeTarget: { id: 'x', targetType: 'user' },
            },
          },
        },
        /targetType/,
      ],
      [
        'microsoftAuthenticator',
        {
          '@odata.type': AUTHENTICATOR_TYPE,
          includeTargets: [{ id: 'all_users', targetType: 'group', authenticationMode: 'sometimes' }],
        },
        /authenticationMode/,
      ],
      [
        'fido2',
        { '@odata.type': FIDO2_TYPE, keyRestrictions: { enforcementType: 'deny' } },
        /enforcementType/,
      ],
      ['fido2', { '@odata.type': FIDO2_TYPE, isAttestationEnforced: 'yes' }, /isAttestationEnforced/],
    ];
    for (const [segment, body, message] of bad) {
      const reply = await t.graph('PATCH', `${CONFIGS}/${segment}`, body);
      assert.equal(reply.status, 400, `${segment} ${JSON.stringify(body)}`);
      assert.equal(reply.body.error.code, 'BadRequest');
      assert.match(reply.body.error.message, message, JSON.stringify(body));
    }
  });

  it('PATCH accepts valid type-specific values and echoes enums in canonical case', async () => {
    const tap = await t.graph('PATCH', `${CONFIGS}/temporaryAccessPass`, {
      '@odata.type': TAP_TYPE,
      state: 'enabled',
      defaultLength: 48,
      minimumLifetimeInMinutes: 10,
      maximumLifetimeInMinutes: 43200,
      defaultLifetimeInMinutes: 120,
      isUsableOnce: true,
    });
    assert.equal(tap.status, 204);
    const stored = (await t.graph('GET', `${CONFIGS}/temporaryAccessPass`)).body;
    assert.equal(stored.defaultLength, 48);
    assert.equal(stored.maximumLifetimeInMinutes, 43200);
    const email = await t.graph('PATCH', `${CONFIGS}/Email`, {
      '@odata.type': EMAIL_TYPE,
      allowExternalIdToUseEmailOtp: 'DISABLED',
    });
    assert.equal(email.status, 204);
    assert.equal((await t.graph('GET', `${CONFIGS}/email`)).body.allowExternalIdToUseEmailOtp, 'disabled');
    const fido = await t.graph('PATCH', `${CONFIGS}/fido2`, {
      '@odata.type': FIDO2_TYPE,
      keyRestrictions: {
        isEnforced: true,
        enforcementType: 'allow',
        aaGuids: ['90a3ccdf-635c-4729-a248-9b709135078f'],
      },
    });
    assert.equal(fido.status, 204);
    assert.equal((await t.graph('GET', `${CONFIGS}/fido2`)).body.keyRestrictions.enforcementType, 'allow');
  });

  it('never answers 500 for malformed bodies', async () => {
    for (const body of ['[]', 'null', '"text"', '42', '{', '{"@odata.type":5}']) {
      const reply = await t.graph('PATCH', `${CONFIGS}/email`, body);
      assert.equal(reply.status, 400, body);
      const policy = await t.graph('PATCH', POLICY, body);
      assert.equal(policy.status, 400, body);
    }
  });

  it('PATCH of the policy answers 200 with the full policy', async () => {
    const reply = await t.graph('PATCH', POLICY, {
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          snoozeDurationInDays: 14,
          state: 'enabled',
          excludeTargets: [{ id: userId, targetType: 'user' }],
          includeTargets: [
            { id: groupId, targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' },
          ],
        },
      },
      reconfirmationInDays: 90,
      policyMigrationState: 'migrationInProgress',
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.id, 'authenticationMethodsPolicy');
    assert.equal(reply.body.reconfirmationInDays, 90);
    assert.equal(reply.body.policyMigrationState, 'migrationInProgress');
    const campaign = reply.body.registrationEnforcement.authenticationMethodsRegistrationCampaign;
    assert.equal(campaign.snoozeDurationInDays, 14);
    assert.equal(campaign.state, 'enabled');
    assert.equal(reply.body.authenticationMethodConfigurations.length, 8);
  });

  it('PATCH of the policy can update method configurations', async () => {
    const reply = await t.graph('PATCH', POLICY, {
      authenticationMethodConfigurations: [
        { '@odata.type': '#microsoft.graph.smsAuthenticationMethodConfiguration', state: 'enabled' },
      ],
    });
    assert.equal(reply.status, 200);
    const sms = reply.body.authenticationMethodConfigurations.find((c: { id: string }) => c.id === 'Sms');
    assert.equal(sms.state, 'enabled');
  });

  it('PATCH of the policy refuses read-only, unknown and invalid values without changing anything', async () => {
    const before = (await t.graph('GET', POLICY)).body;
    const cases: Record<string, unknown>[] = [
      { displayName: 'Mine' },
      { policyVersion: '2.0' },
      { id: 'x' },
      { description: 'x' },
      { lastModifiedDateTime: '2020-01-01T00:00:00Z' },
      { somethingElse: true },
      { policyMigrationState: 'done' },
      { reconfirmationInDays: -1 },
      {
        registrationEnforcement: { authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 15 } },
      },
      { registrationEnforcement: { authenticationMethodsRegistrationCampaign: { state: 'on' } } },
      {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: {
            includeTargets: [{ id: randomUUID(), targetType: 'group' }],
          },
        },
      },
      { authenticationMethodConfigurations: [{ state: 'enabled' }] },
      {
        reconfirmationInDays: 30,
        authenticationMethodConfigurations: [{ '@odata.type': TAP_TYPE, defaultLength: 2 }],
      },
    ];
    for (const body of cases) {
      const reply = await t.graph('PATCH', POLICY, body);
      assert.equal(reply.status, 400, JSON.stringify(body));
    }
    const afterBody = (await t.graph('GET', POLICY)).body;
    assert.deepEqual(afterBody, before);
  });

  it('refuses writes from the reader app with 403', async () => {
    const policy = await t.graph('PATCH', POLICY, { reconfirmationInDays: 1 }, { app: 'reader' });
    assert.equal(policy.status, 403);
    assert.equal(policy.body.error.code, 'Authorization_RequestDenied');
    const config = await t.graph(
      'PATCH',
      `${CONFIGS}/email`,
      { '@odata.type': EMAIL_TYPE, state: 'disabled' },
      { app: 'reader' },
    );
    assert.equal(config.status, 403);
  });

  it('answers 405 for an unsupported method', async () => {
    assert.equal((await t.graph('DELETE', POLICY)).status, 405);
  });
});

describe('local tenant: authentication methods policy in an external tenant', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant({ seeds: [demoDirectory({ flavor: 'external' })] });
  });
  after(() => t.close());

  it('enables email one-time passcodes for External ID', async () => {
    const reply = await t.graph('GET', `${CONFIGS}/email`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.allowExternalIdToUseEmailOtp, 'enabled');
  });
});
