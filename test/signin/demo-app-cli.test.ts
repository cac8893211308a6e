/**
 * `accord tenant serve --demo-app`: the sample app on its own origin, signing in at the local tenant across origins
 * (redirect URI on another port, PKCE, the code redeemed by the app), and the one-time passcode both in the outbox and
 * in the server's log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { fetchToken, spawnCliTenant, type CliTenant } from '../reliability/cli-tenant.ts';
import { SignInSteps } from './sign-in-harness.ts';

const MEMBER = 'grace.kim@contoso.onmicrosoft.com';

describe('accord tenant serve --demo-app', { timeout: 120_000 }, () => {
  let cli: CliTenant;
  let browser: TestBrowser;
  let appUrl: string;

  before(async () => {
    cli = await spawnCliTenant({ extraArgs: ['--demo-app'] });
    appUrl = (cli.ready as unknown as { demoAppServerUrl: string }).demoAppServerUrl;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await cli?.kill('SIGTERM');
  });

  it('announces the app on its own origin, next to the one under the tenant', () => {
    const ready = cli.ready as unknown as { demoAppUrl: string; url: string; tenantId: string };
    assert.match(appUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.notEqual(new URL(appUrl).port, new URL(ready.url).port);
    assert.equal(ready.demoAppUrl, `${ready.url}/${ready.tenantId}/_accord/demo-app/`);
  });

  it('signs a member in across origins, with the passcode in the outbox and in the log', async () => {
    const token = await fetchToken(cli.ready);
    const created = await fetch(`${cli.ready.graphUrl}/identity/conditionalAccess/policies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        displayName: 'Require MFA for Grace',
        state: 'enabled',
        conditions: {
          users: { includeUsers: [await userId(token)] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
        },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      }),
    });
    assert.equal(created.status, 201, await created.text());

    const s = new SignInSteps(browser, await browser.newPage(), 'demo-app-own-origin');
    await s.openDemoApp(appUrl);
    assert.equal(new URL(s.page.url()).port, new URL(cli.ready.url).port, 'the sign-in page is the tenant');
    await s.enterUsername(MEMBER);
    await s.enterPassword();
    await s.acceptMoreInformation();
    const code = await s.readCodeFromOutbox(MEMBER);
    assert.match(cli.stderr(), new RegExp(`one-time passcode ${code} sent to ${MEMBER}`));
    await s.enterCode(code);
    assert.deepEqual(await s.expectSignedIn(MEMBER), ['pwd', 'mfa']);
    assert.equal(new URL(s.page.url()).origin, new URL(appUrl).origin, 'back on the app');
    assert.deepEqual(browser.blockedRequests, []);
  });

  async function userId(token: string): Promise<string> {
    const response = await fetch(`${cli.ready.graphUrl}/users/${MEMBER}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return ((await response.json()) as { id: string }).id;
  }
});
