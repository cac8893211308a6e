/**
 * Microsoft's MFA how-tos, followed literally in headless Chromium against the local tenant (docs/sign-in.md): with
 * only the demo directory a member signs in with a password alone; after `accord apply` of policies/ the same member
 * is asked for the one-time passcode and reads it from the outbox; a break-glass account is not asked; a B2B guest
 * opening the Azure management app is asked for MFA, and is not when inbound trust accepts the MFA done at home; a
 * blocked sign-in names the policy; the sign-in log has every attempt with its Conditional Access results.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { DEMO_IDS } from '../../src/tenant/seed/demo.ts';
import { SignInSteps, startSignInTenant, type SignInTenant } from './sign-in-harness.ts';

const MEMBER = 'liam.foster@contoso.onmicrosoft.com';
const BREAK_GLASS = 'breakglass1@contoso.onmicrosoft.com';
const GUEST_EMAIL = 'lena.fischer@fabrikam.com';
const GUEST_UPN = 'lena.fischer_fabrikam.com#EXT#@contoso.onmicrosoft.com';
const BLOCKED_USER = 'henry.adams@contoso.onmicrosoft.com';
const MFA_POLICY = 'Require MFA for all users';
const GUEST_POLICY = 'Require MFA for guests on Azure management';

describe('sign-in to the local tenant, workforce how-tos', { timeout: 240_000 }, () => {
  let t: SignInTenant;
  let browser: TestBrowser;

  before(async () => {
    t = await startSignInTenant('workforce');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function steps(name: string): Promise<SignInSteps> {
    return new SignInSteps(browser, await browser.newPage(), name);
  }

  it('with only the demo directory, a member signs in with a password alone', async () => {
    const s = await steps('member-no-policies');
    await s.openDemoApp(t.demoAppUrl);
    await s.enterUsername(MEMBER);
    assert.equal(await s.heading(), 'Enter password');
    await s.enterPassword();
    assert.deepEqual(await s.expectSignedIn(MEMBER), ['pwd']);
    const [entry] = await t.signIns(MEMBER);
    assert.equal(entry!.status.errorCode, 0);
    assert.equal(entry!.conditionalAccessStatus, 'notApplied');
    assert.deepEqual(entry!.appliedConditionalAccessPolicies, []);
    // Sign-out ends at the tenant's signed-out page, which links back to the app.
    await s.page.getByRole('button', { name: 'Sign out' }).click();
    await s.page.waitForLoadState();
    await s.screenshot('signed-out');
    assert.equal(await s.heading(), 'You signed out of your account');
    await s.page.getByRole('link', { name: 'Return to the application' }).click();
    assert.equal(await s.heading(), 'Welcome to the demo app');
  });

  it('a wrong password is refused on the page and logged as 50126', async () => {
    const s = await steps('wrong-password');
    await s.openDemoApp(t.demoAppUrl);
    await s.enterUsername(MEMBER);
    await s.enterPassword('not-the-password');
    assert.equal(await s.heading(), 'Enter password');
    assert.match(await s.page.getByRole('alert').innerText(), /account or password is incorrect/);
    const [entry] = await t.signIns(MEMBER);
    assert.equal(entry!.status.errorCode, 50126);
  });

  it('accord applies policies/ to the running tenant', async () => {
    const run = await t.accord(['apply', '--dir', t.repo, '--auto-approve']);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const policies = await t.graph('GET', '/identity/conditionalAccess/policies');
    const names = (policies.body.value as { displayName: string }[]).map((p) => p.displayName).sort();
    assert.deepEqual(names, ['Block legacy authentication (report-only)', MFA_POLICY, GUEST_POLICY]);
  });

  it('after apply, the member is asked for the one-time passcode, reads it in the outbox and gets in', async () => {
    const s = await steps('member-mfa');
    await s.openDemoApp(t.demoAppUrl);
    await s.enterUsername(MEMBER);
    await s.enterPassword();
    assert.match(await s.page.locator('main').innerText(), new RegExp(MFA_POLICY));
    await s.acceptMoreInformation();
    const code = await s.readCodeFromOutbox(MEMBER);
    await s.enterCode(code);
    assert.deepEqual(await s.expectSignedIn(MEMBER), ['pwd', 'mfa']);

    const [success, interrupted] = await t.signIns(MEMBER);
    assert.equal(interrupted!.status.errorCode, 50074);
    assert.equal(interrupted!.conditionalAccessStatus, 'failure');
    const asked = interrupted!.appliedConditionalAccessPolicies.find((p) => p.displayName === MFA_POLICY)!;
    assert.deepEqual([asked.result, asked.enforcedGrantControls], ['failure', ['Mfa']]);
    assert.equal(success!.status.errorCode, 0);
    assert.equal(success!.conditionalAccessStatus, 'success');
    const results = Object.fromEntries(
      success!.appliedConditionalAccessPolicies.map((p) => [p.displayName, p.result]),
    );
    assert.deepEqual(results, {
      [MFA_POLICY]: 'success',
      [GUEST_POLICY]: 'notApplied',
      'Block legacy authentication (report-only)': 'reportOnlyNotApplied',
    });
  });

  it('a wrong passcode is refused and the right one still works', async () => {
    const s = await steps('wrong-code');
    await s.openDemoApp(t.demoAppUrl);
    await s.enterUsername(MEMBER);
    await s.enterPassword();
    await s.acceptMoreInformation();
    const code = await s.readCodeFromOutbox(MEMBER);
    await s.enterCode(code === '000000' ? '111111' : '000000');
    assert.match(await s.page.getByRole('alert').innerText(), /didn't work/);
    // Pressing Enter in the field verifies (it does not send a new code).
    await s.page.getByLabel('Code').fill(code === '000000' ? '111111' : '000000');
    await s.page.getByLabel('Code').press('Enter');
    await s.page.waitForLoadState();
    assert.match(await s.page.getByRole('alert').innerText(), /didn't work/);
    // A new code replaces the old one.
    await s.page.getByRole('button', { name: 'Send a new code' }).click();
    await s.page.waitForSelector('#code');
    const fresh = await s.readCodeFromOutbox(MEMBER);
    if (fresh !== code) {
      await s.enterCode(code);
      assert.match(await s.page.getByRole('alert').innerText(), /didn't work/);
    }
    await s.enterCode(fresh);
    await s.expectSignedIn(MEMBER);
  });

  it('a break-glass account is not asked for anything', async () => {
    const s = await steps('break-glass');
    await s.openDemoApp(t.demoAppUrl, 'azure');
    await s.enterUsername(BREAK_GLASS);
    await s.enterPassword();
    assert.deepEqual(await s.expectSignedIn(BREAK_GLASS), ['pwd']);
    const [entry] = await t.signIns(BREAK_GLASS);
    assert.equal(entry!.status.errorCode, 0);
    assert.equal(entry!.conditionalAccessStatus, 'notApplied');
    assert.ok(entry!.appliedConditionalAccessPolicies.every((p) => /notApplied/i.test(p.result)));
  });

  it('a B2B guest opening the Azure management app signs in at home and is then asked for MFA here', async () => {
    const s = await steps('guest-mfa');
    await s.openDemoApp(t.demoAppUrl, 'azure');
    await s.enterUsername(GUEST_EMAIL);
    assert.equal(await s.heading(), 'Signing you in at your home organisation fabrikam.com');
    assert.match(await s.page.locator('main').innerText(), /fabrikam\.com/);
    await s.enterPassword();
    assert.match(await s.page.locator('main').innerText(), new RegExp(GUEST_POLICY));
    await s.acceptMoreInformation();
    await s.enterCode(await s.readCodeFromOutbox(GUEST_EMAIL));
    assert.deepEqual(await s.expectSignedIn(GUEST_UPN), ['pwd', 'mfa']);
    const [success] = await t.signIns(GUEST_UPN);
    assert.equal(success!.resourceId, '797f4846-ba00-4fd7-ba43-dac1f8f63013');
    const guest = success!.appliedConditionalAccessPolicies.find((p) => p.displayName === GUEST_POLICY)!;
    assert.equal(guest.result, 'success');
  });

  it('with inbound trust accepting Fabrikam MFA, the guest who did MFA at home is not asked again', async () => {
    const created = await t.graph('POST', '/policies/crossTenantAccessPolicy/partners', {
      tenantId: DEMO_IDS.fabrikamTenantId,
      inboundTrust: { isMfaAccepted: true },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const s = await steps('guest-trusted');
    await s.openDemoApp(t.demoAppUrl, 'azure');
    await s.enterUsername(GUEST_EMAIL);
    await s.enterPassword(undefined, { homeMfa: true });
    // The home organisation's own code step, then straight back to the app.
    assert.equal(await s.heading(), 'Enter code');
    assert.match(await s.page.locator('.brand').innerText(), /Fabrikam/);
    await s.enterCode(await s.readCodeFromOutbox(GUEST_EMAIL));
    assert.deepEqual(await s.expectSignedIn(GUEST_UPN), ['pwd', 'mfa']);
    const [success] = await t.signIns(GUEST_UPN);
    assert.equal(success!.status.errorCode, 0);
    assert.equal(
      success!.appliedConditionalAccessPolicies.find((p) => p.displayName === GUEST_POLICY)!.result,
      'success',
    );
  });

  it('a blocked sign-in shows which policy blocked it', async () => {
    const user = await t.graph('GET', `/users/${BLOCKED_USER}`);
    const location = await t.graph('POST', '/identity/conditionalAccess/namedLocations', {
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      displayName: 'Netherlands',
      countriesAndRegions: ['NL'],
      includeUnknownCountriesAndRegions: false,
    });
    assert.equal(location.status, 201, JSON.stringify(location.body));
    const policy = await t.graph('POST', '/identity/conditionalAccess/policies', {
      displayName: 'Block Finance sign-ins from the Netherlands',
      state: 'enabled',
      conditions: {
        users: { includeUsers: [user.body.id] },
        applications: { includeApplications: ['All'] },
        locations: { includeLocations: [location.body.id] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    const s = await steps('blocked');
    await s.openDemoApp(t.demoAppUrl);
    await s.enterUsername(BLOCKED_USER);
    await s.enterPassword();
    assert.equal(await s.heading(), 'You cannot access this right now');
    const text = await s.page.locator('main').innerText();
    assert.match(text, /Block Finance sign-ins from the Netherlands/);
    assert.match(text, /AADSTS53003/);
    assert.match(text, /198\.51\.100\.23 \(NL\)/);
    await s.page.getByRole('link', { name: /Back to accord demo app/ }).click();
    await s.page.waitForLoadState();
    await s.screenshot('app-after-block');
    assert.match(await s.page.getByRole('alert').innerText(), /access_denied[\s\S]*AADSTS53003/);
    const [entry] = await t.signIns(BLOCKED_USER);
    assert.equal(entry!.status.errorCode, 53003);
    assert.equal(entry!.location.countryOrRegion, 'NL');
    const block = entry!.appliedConditionalAccessPolicies.find((p) =>
      p.displayName.startsWith('Block Finance'),
    )!;
    assert.deepEqual([block.result, block.enforcedGrantControls], ['failure', ['Block']]);
  });

  it('the pages load nothing from outside loopback', () => {
    assert.deepEqual(browser.blockedRequests, []);
  });
});
