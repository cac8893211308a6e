/**
 * Conditional Access outcomes at sign-in, over HTTP: report-only policies are logged and never enforced; a requirement
 * the user cannot meet (a compliant device; MFA with the email passcode disabled) ends the sign-in with the reason;
 * unknown and disabled accounts are refused and logged with Entra's codes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../../src/tenant/seed/demo.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';
import { beginSignIn, headingOf, postStep, signInWithPassword } from './http-sign-in.ts';

interface LoggedPolicy {
  displayName: string;
  result: string;
  enforcedGrantControls: string[];
}

describe('Conditional Access at sign-in', { timeout: 120_000 }, () => {
  let t: TestTenant;

  before(async () => {
    t = await startTestTenant();
  });

  after(() => t?.close());

  async function userId(upn: string): Promise<string> {
    return (await t.graph('GET', `/users/${upn}`)).body.id as string;
  }

  async function createPolicy(body: Record<string, unknown>): Promise<void> {
    const created = await t.graph('POST', '/identity/conditionalAccess/policies', {
      state: 'enabled',
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      ...body,
      conditions: {
        applications: { includeApplications: ['All'] },
        clientAppTypes: ['all'],
        ...(body.conditions as object),
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  }

  async function lastSignIn(upn: string): Promise<{
    status: { errorCode: number; additionalDetails: string | null };
    conditionalAccessStatus: string;
    appliedConditionalAccessPolicies: LoggedPolicy[];
  }> {
    const filter = encodeURIComponent(`userPrincipalName eq '${upn}'`);
    const log = await t.graph('GET', `/auditLogs/signIns?$filter=${filter}&$top=1`, undefined, {
      app: 'reader',
    });
    return log.body.value[0];
  }

  it('report-only policies are evaluated and logged but never prompt or block', async () => {
    const upn = 'sofia.alvarez@contoso.onmicrosoft.com';
    const id = await userId(upn);
    await createPolicy({
      displayName: 'Report-only MFA for Sofia',
      state: 'enabledForReportingButNotEnforced',
      conditions: { users: { includeUsers: [id] } },
    });
    await createPolicy({
      displayName: 'Report-only block for Sofia',
      state: 'enabledForReportingButNotEnforced',
      conditions: { users: { includeUsers: [id] } },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    });
    await createPolicy({
      displayName: 'Disabled MFA for Sofia',
      state: 'disabled',
      conditions: { users: { includeUsers: [id] } },
    });
    const { response } = await signInWithPassword(t, upn, DEMO_PASSWORD);
    assert.equal(response.status, 302, 'let in without a prompt');
    assert.match(response.headers.get('location')!, /[?&]code=/);
    const entry = await lastSignIn(upn);
    assert.equal(entry.status.errorCode, 0);
    assert.equal(entry.conditionalAccessStatus, 'notApplied');
    const results = Object.fromEntries(
      entry.appliedConditionalAccessPolicies.map((p) => [p.displayName, p.result]),
    );
    assert.equal(results['Report-only MFA for Sofia'], 'reportOnlyInterrupted');
    assert.equal(results['Report-only block for Sofia'], 'reportOnlyFailure');
    assert.equal(results['Disabled MFA for Sofia'], 'notEnabled');
  });

  it('a compliant-device requirement stops the sign-in with the reason and 53000', async () => {
    const upn = 'ethan.brooks@contoso.onmicrosoft.com';
    await createPolicy({
      displayName: 'Require a compliant device for Ethan',
      conditions: { users: { includeUsers: [await userId(upn)] } },
      grantControls: { operator: 'OR', builtInControls: ['compliantDevice'] },
    });
    const { response, page } = await signInWithPassword(t, upn, DEMO_PASSWORD, {});
    assert.equal(response.status, 200);
    assert.equal(headingOf(page), 'You cannot complete this sign-in');
    assert.match(page, /requires <strong>a device marked as compliant<\/strong>/);
    assert.match(page, /Require a compliant device for Ethan/);
    assert.match(page, /AADSTS53000/);
    const entry = await lastSignIn(upn);
    assert.equal(entry.status.errorCode, 53000);
    assert.equal(entry.conditionalAccessStatus, 'failure');
    const policy = entry.appliedConditionalAccessPolicies.find((p) =>
      p.displayName.startsWith('Require a compliant'),
    )!;
    assert.deepEqual([policy.result, policy.enforcedGrantControls], ['failure', ['RequireCompliantDevice']]);
  });

  it('MFA with the email passcode disabled in the methods policy cannot be completed, and says so', async () => {
    const upn = 'arjun.patel@contoso.onmicrosoft.com';
    await createPolicy({
      displayName: 'Require MFA for Arjun',
      conditions: { users: { includeUsers: [await userId(upn)] } },
    });
    const disabled = await t.graph(
      'PATCH',
      '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email',
      {
        '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration',
        state: 'disabled',
      },
    );
    assert.equal(disabled.status, 204, JSON.stringify(disabled.body));
    try {
      const { page } = await signInWithPassword(t, upn, DEMO_PASSWORD);
      assert.equal(headingOf(page), 'You cannot complete this sign-in');
      assert.match(page, /not enabled for you in the authentication methods policy/);
      assert.equal((await lastSignIn(upn)).status.errorCode, 50072);
    } finally {
      await t.graph(
        'PATCH',
        '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email',
        {
          '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration',
          state: 'enabled',
        },
      );
    }
    // Enabled again: the same user is now asked for the passcode.
    const { page } = await signInWithPassword(t, upn, DEMO_PASSWORD);
    assert.equal(headingOf(page), 'More information required');
  });

  it('an unknown user and a disabled account are refused on the page and logged', async () => {
    const unknown = await beginSignIn(t);
    const page = await (
      await postStep(unknown, { step: 'username', username: 'nobody@contoso.onmicrosoft.com' })
    ).text();
    assert.match(page, /couldn(&#39;|')t find an account/);
    assert.equal((await lastSignIn('nobody@contoso.onmicrosoft.com')).status.errorCode, 50034);
    const leaver = await beginSignIn(t);
    const disabled = await (
      await postStep(leaver, { step: 'username', username: 'ryan.walsh@contoso.onmicrosoft.com' })
    ).text();
    assert.match(disabled, /has been disabled/);
    // The password step cannot be reached around the refusal.
    const around = await postStep(leaver, { step: 'password', password: DEMO_PASSWORD });
    assert.equal(around.status, 200);
    assert.equal(headingOf(await around.text()), 'Sign in');
    assert.equal((await lastSignIn('ryan.walsh@contoso.onmicrosoft.com')).status.errorCode, 50057);
  });

  it('guests sign in where their account lives: Northwind always asks for MFA, MSA and passcode guests', async () => {
    const priya = await beginSignIn(t);
    const home = await (
      await postStep(priya, { step: 'username', username: 'priya.sharma@northwindtraders.com' })
    ).text();
    assert.equal(headingOf(home), 'Signing you in at your home organisation northwindtraders.com');
    assert.match(home, /Northwind Traders asks for a verification code/);
    const code = await (await postStep(priya, { step: 'home-password', password: DEMO_PASSWORD })).text();
    assert.equal(headingOf(code), 'Enter code');
    assert.match(code, /Northwind Traders, your home organisation, asks for a second factor/);
    const wrong = await (await postStep(priya, { step: 'code', code: 'abcdef' })).text();
    assert.match(wrong, /didn(&#39;|')t work/);

    const sam = await beginSignIn(t);
    const msa = await (await postStep(sam, { step: 'username', username: 'sam.taylor@outlook.com' })).text();
    assert.equal(headingOf(msa), 'Signing you in at your home organisation outlook.com');
    assert.match(msa, /Password at Microsoft account/);
    const signedIn = await postStep(sam, { step: 'home-password', password: DEMO_PASSWORD });
    assert.equal(signedIn.status, 302, 'no policy applies yet: in with the password');

    const jamie = await beginSignIn(t);
    const otp = await (
      await postStep(jamie, { step: 'username', username: 'jamie.rivera@tailspintoys.com' })
    ).text();
    assert.equal(headingOf(otp), 'Enter the code we emailed you');
    const outbox = await (await fetch(`${t.tenant.origin}/${t.tenantId}/_accord/outbox`)).text();
    assert.match(outbox, /jamie\.rivera@tailspintoys\.com/);
    assert.match(outbox, /priya\.sharma@northwindtraders\.com/);
    assert.match(outbox, /Northwind Traders &lt;no-reply@northwindtraders\.com&gt;/);
  });

  it('a passcode cannot be asked for before the password, and an unknown flow is refused', async () => {
    const started = await beginSignIn(t);
    await (await postStep(started, { step: 'username', username: 'mei.lin@contoso.onmicrosoft.com' })).text();
    const early = await (await postStep(started, { step: 'send-code' })).text();
    assert.doesNotMatch(early, /Enter code/);
    const stale = await postStep(
      { ...started, flow: 'not-a-flow' },
      { step: 'password', password: DEMO_PASSWORD },
    );
    assert.equal(stale.status, 400);
    assert.match(await stale.text(), /AADSTS50089/);
  });
});
