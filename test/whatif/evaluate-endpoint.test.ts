/** `POST /identity/conditionalAccess/evaluate` over HTTP: shapes, filtering, validation (graph-contract §9). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COLLECTIONS } from '../../src/tenant/collections.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';
import { appContext, policy, request, userSignIn } from './case-builders.ts';
import { APPS, USERS } from './demo-identities.ts';

const PATH = '/identity/conditionalAccess/evaluate';

describe('evaluate endpoint', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
    for (const doc of t.tenant.store.all(t.tenantId, COLLECTIONS.caPolicies)) {
      await t.graph('DELETE', `/identity/conditionalAccess/policies/${doc.id}`);
    }
    const strength = {
      operator: 'OR',
      builtInControls: [],
      authenticationStrength: { id: '00000000-0000-0000-0000-000000000003' },
    };
    for (const body of [
      policy('Applies', {}, { grant: strength }),
      policy('Disabled', {}, { state: 'disabled' }),
      policy('Other app', { applications: { includeApplications: [APPS.hrPortal] } }),
    ]) {
      assert.equal((await t.graph('POST', '/identity/conditionalAccess/policies', body)).status, 201);
    }
  });
  after(() => t.close());

  const body = request(userSignIn(USERS.member), appContext(APPS.expenses));

  it('answers whatIfAnalysisResult items: the policy, expanded, plus the analysis', async () => {
    const reply = await t.graph('POST', PATH, body, { app: 'reader' });
    assert.equal(reply.status, 200);
    assert.match(
      reply.body['@odata.context'],
      /\/v1\.0\/\$metadata#Collection\(microsoft\.graph\.whatIfAnalysisResult\)$/,
    );
    const byName = Object.fromEntries(
      reply.body.value.map((v: { displayName: string }) => [v.displayName, v]),
    );
    assert.equal(byName.Applies.policyApplies, true);
    assert.equal(byName.Applies.grantControls.authenticationStrength.displayName, 'Passwordless MFA');
    assert.equal(byName.Disabled.analysisReasons, 'policyNotEnabled');
    assert.equal(byName['Other app'].analysisReasons, 'application');
  });

  it('appliedPoliciesOnly lists only applying policies', async () => {
    const reply = await t.graph('POST', PATH, { ...body, appliedPoliciesOnly: true }, { app: 'reader' });
    assert.deepEqual(
      reply.body.value.map((v: { displayName: string }) => v.displayName),
      ['Applies'],
    );
  });

  it('accepts the older beta shape on /beta', async () => {
    const beta = {
      conditionalAccessWhatIfSubject: { '@odata.type': '#microsoft.graph.userSubject', userId: USERS.member },
      conditionalAccessContext: {
        '@odata.type': '#microsoft.graph.whatIfApplicationContext',
        includeApplications: [APPS.hrPortal],
      },
      conditionalAccessWhatIfConditions: { devicePlatform: 'windows' },
      appliedPoliciesOnly: true,
    };
    const reply = await t.graph('POST', PATH, beta, { app: 'reader', version: 'beta' });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.value.map((v: { displayName: string }) => v.displayName).sort(), [
      'Applies',
      'Other app',
    ]);
  });

  it('rejects missing parameters and bad enums with 400', async () => {
    const bad = [
      { signInContext: body.signInContext },
      { signInIdentity: body.signInIdentity },
      { ...body, signInConditions: { devicePlatform: 'beos' } },
      { ...body, signInConditions: { clientAppType: 'fax' } },
      { ...body, signInConditions: { signInRiskLevel: 'extreme' } },
      { ...body, signInConditions: { ipAddress: '300.1.1.1' } },
      {
        ...body,
        signInContext: { '@odata.type': '#microsoft.graph.userActionContext', userAction: 'dance' },
      },
      {
        ...body,
        signInIdentity: {
          ...(body.signInIdentity as object),
          externalUserType: 'b2bCollaborationGuest,b2bCollaborationMember',
        },
      },
    ];
    for (const b of bad) {
      const reply = await t.graph('POST', PATH, b, { app: 'reader' });
      assert.equal(reply.status, 400, JSON.stringify(b));
      assert.equal(reply.body.error.code, 'BadRequest');
    }
  });

  it('answers 404 for a user the directory does not hold', async () => {
    const reply = await t.graph(
      'POST',
      PATH,
      request(userSignIn('11111111-1111-4111-8111-111111111111'), appContext(APPS.expenses)),
      { app: 'reader' },
    );
    assert.equal(reply.status, 404);
  });
});
