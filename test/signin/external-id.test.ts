/**
 * The External ID MFA how-to in headless Chromium: with the user flow's local-account method "Email with password", a
 * Conditional Access MFA policy asks customers for the email one-time passcode and they get in; once the app's user
 * flow uses "Email one-time passcode", the passcode is the first factor and the MFA policy leaves the customer unable
 * to sign in, with a message that says why (graph-contract §8.3).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { DEMO_APP_ID } from '../../src/tenant/signin/settings.ts';
import { SignInSteps, startSignInTenant, type SignInTenant } from './sign-in-harness.ts';

const CUSTOMER = 'ava.thompson@example.com';
const PASSCODE_CUSTOMER = 'kira.nakamura@example.net';
const POLICY = 'Require MFA for customers';

describe('sign-in to the local tenant, External ID how-to', { timeout: 180_000 }, () => {
  let t: SignInTenant;
  let browser: TestBrowser;

  before(async () => {
    t = await startSignInTenant('external');
    browser = await launchBrowser();
    const breakGlass = await t.graph(
      'GET',
      `/groups?$filter=${encodeURIComponent("displayName eq 'Emergency access accounts'")}`,
    );
    const created = await t.graph('POST', '/identity/conditionalAccess/policies', {
      displayName: POLICY,
      state: 'enabled',
      conditions: {
        users: { includeUsers: ['All'], excludeGroups: [breakGlass.body.value[0].id] },
        applications: { includeApplications: [DEMO_APP_ID] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function flowIdNamed(name: string): Promise<string> {
    const flows = await t.graph('GET', '/identity/authenticationEventsFlows');
    const flow = (flows.body.value as { id: string; displayName: string }[]).find(
      (f) => f.displayName === name,
    );
    assert.ok(flow, name);
    return flow.id;
  }

  it('with "Email with password", the customer does MFA with the email passcode', async () => {
    const s = new SignInSteps(browser, await browser.newPage(), 'external-password');
    await s.openDemoApp(t.demoAppUrl);
    await s.enterUsername(CUSTOMER);
    assert.equal(await s.heading(), 'Enter password');
    await s.enterPassword();
    await s.acceptMoreInformation();
    await s.enterCode(await s.readCodeFromOutbox(CUSTOMER));
    assert.deepEqual(await s.expectSignedIn(CUSTOMER), ['pwd', 'mfa']);
  });

  it('with "Email one-time passcode" as the first factor, the MFA policy stops the customer and says why', async () => {
    const password = await flowIdNamed('Sign up and sign in (password)');
    const passcode = await flowIdNamed('Sign up and sign in (passcode)');
    const base = '/identity/authenticationEventsFlows';
    const unlinked = await t.graph(
      'DELETE',
      `${base}/${password}/conditions/applications/includeApplications/${DEMO_APP_ID}`,
    );
    assert.equal(unlinked.status, 204, JSON.stringify(unlinked.body));
    const linked = await t.graph('POST', `${base}/${passcode}/conditions/applications/includeApplications`, {
      appId: DEMO_APP_ID,
    });
    assert.equal(linked.status, 201, JSON.stringify(linked.body));

    const s = new SignInSteps(browser, await browser.newPage(), 'external-passcode');
    await s.openDemoApp(t.demoAppUrl);
    await s.enterUsername(PASSCODE_CUSTOMER);
    assert.equal(await s.heading(), 'Enter the code we emailed you');
    await s.enterCode(await s.readCodeFromOutbox(PASSCODE_CUSTOMER));
    assert.equal(await s.heading(), 'You cannot complete this sign-in');
    const text = await s.page.locator('main').innerText();
    assert.match(text, new RegExp(POLICY));
    assert.match(text, /requires multifactor authentication/);
    assert.match(text, /passcode is your first factor and cannot also be your second/);

    const [entry] = await t.signIns();
    assert.equal(entry!.status.errorCode, 50072);
    assert.equal(entry!.conditionalAccessStatus, 'failure');
    assert.match(entry!.status.additionalDetails ?? '', /first factor/);
    assert.equal(
      entry!.appliedConditionalAccessPolicies.find((p) => p.displayName === POLICY)!.result,
      'failure',
    );
  });

  it('a password customer of the passcode flow also signs in with the passcode and is stopped the same way', async () => {
    const s = new SignInSteps(browser, await browser.newPage(), 'external-passcode-password-customer');
    await s.openDemoApp(t.demoAppUrl);
    await s.enterUsername(CUSTOMER);
    assert.equal(await s.heading(), 'Enter the code we emailed you');
    await s.enterCode(await s.readCodeFromOutbox(CUSTOMER));
    assert.equal(await s.heading(), 'You cannot complete this sign-in');
  });

  it('the pages load nothing from outside loopback', () => {
    assert.deepEqual(browser.blockedRequests, []);
  });
});
