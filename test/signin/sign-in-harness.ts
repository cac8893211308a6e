/**
 * Test harness for sign-in: a local tenant started in-process on loopback (its state in a policy repository's
 * `.accord/local-tenant`, with the server record the CLI looks for, so `accord apply --dir <repo>` reconciles into
 * it), and the steps a person takes in the browser: open the demo app, type a username and password, read the
 * one-time passcode in the outbox.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, demoDirectory } from '../../src/tenant/seed/demo.ts';
import { removeServerRecord, writeServerRecord } from '../../src/tenant/server-record.ts';
import { copyExampleRepository, runAccord } from '../helpers/cli.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';
import type { TestBrowser } from '../helpers/browser.ts';

export { DEMO_PASSWORD };

export interface SignInTenant extends TestTenant {
  repo: string;
  demoAppUrl: string;
  /** Runs the accord CLI against the policy repository copy (and so against this tenant). */
  accord(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The tenant's sign-in log, newest first, optionally filtered by UPN. */
  signIns(userPrincipalName?: string): Promise<SignInEntry[]>;
}

export interface SignInEntry {
  userPrincipalName: string;
  appId: string;
  resourceId: string;
  conditionalAccessStatus: string;
  status: { errorCode: number; failureReason: string; additionalDetails: string | null };
  ipAddress: string;
  location: { countryOrRegion: string | null };
  appliedConditionalAccessPolicies: {
    displayName: string;
    result: string;
    enforcedGrantControls: string[];
  }[];
}

export async function startSignInTenant(flavor: 'workforce' | 'external'): Promise<SignInTenant> {
  const repo = copyExampleRepository({ prefix: 'signin' });
  const dataDir = join(repo, '.accord', 'local-tenant');
  const t = await startTestTenant({ dataDir, seeds: [demoDirectory({ flavor })] });
  writeServerRecord(dataDir, t.tenant);
  return {
    ...t,
    repo,
    demoAppUrl: `${t.tenant.origin}/${t.tenantId}/_accord/demo-app/`,
    accord: (args) => runAccord(args),
    async signIns(userPrincipalName) {
      const filter = userPrincipalName
        ? `?$filter=${encodeURIComponent(`userPrincipalName eq '${userPrincipalName}'`)}`
        : '';
      const reply = await t.graph('GET', `/auditLogs/signIns${filter}`, undefined, { app: 'reader' });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      return reply.body.value as SignInEntry[];
    },
    async close() {
      removeServerRecord(dataDir);
      await t.close();
      rmSync(repo, { recursive: true, force: true });
    },
  };
}

/** The steps of a sign-in as a person takes them, with a screenshot of each page. */
export class SignInSteps {
  readonly page: Page;
  private readonly browser: TestBrowser;
  private readonly name: string;
  private shot = 0;

  constructor(browser: TestBrowser, page: Page, name: string) {
    this.browser = browser;
    this.page = page;
    this.name = name;
  }

  async screenshot(what: string): Promise<void> {
    this.shot++;
    await this.browser.screenshot(
      this.page,
      `signin-${this.name}-${String(this.shot).padStart(2, '0')}-${what}`,
    );
  }

  async heading(): Promise<string> {
    return (await this.page.locator('h1').first().textContent())?.trim() ?? '';
  }

  async openDemoApp(url: string, resource: 'graph' | 'azure' = 'graph'): Promise<void> {
    await this.page.goto(url);
    await this.screenshot('demo-app');
    await this.page.selectOption('#resource', resource);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.waitForSelector('#username');
    await this.screenshot('username');
  }

  async enterUsername(username: string): Promise<void> {
    await this.page.getByLabel(/Email/).fill(username);
    await this.page.getByRole('button', { name: 'Next' }).click();
    await this.page.waitForLoadState();
    await this.screenshot('after-username');
  }

  async enterPassword(password = DEMO_PASSWORD, options: { homeMfa?: boolean } = {}): Promise<void> {
    await this.page.getByLabel(/^Password/).fill(password);
    if (options.homeMfa) await this.page.getByLabel(/Also verify with a code/).check();
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.waitForLoadState();
    await this.screenshot('after-password');
  }

  /** "More information required" → Next. */
  async acceptMoreInformation(): Promise<void> {
    assert.equal(await this.heading(), 'More information required');
    await this.page.getByRole('button', { name: 'Next' }).click();
    await this.page.waitForSelector('#code');
    await this.screenshot('code');
  }

  /** Opens the outbox from the code page's link (a new tab) and reads the newest code sent to `to`. */
  async readCodeFromOutbox(to: string): Promise<string> {
    const [outbox] = await Promise.all([
      this.page.context().waitForEvent('page'),
      this.page.getByRole('link', { name: 'open the outbox' }).click(),
    ]);
    await outbox.waitForLoadState();
    await this.browser.screenshot(outbox, `signin-${this.name}-outbox`);
    const row = outbox.locator('tbody tr', { hasText: to }).first();
    const code = ((await row.locator('.code').textContent()) ?? '').trim();
    await outbox.close();
    assert.match(code, /^\d{6}$/, `a code for ${to} in the outbox`);
    return code;
  }

  async enterCode(code: string): Promise<void> {
    await this.page.getByLabel('Code').fill(code);
    await this.page.getByRole('button', { name: 'Verify' }).click();
    await this.page.waitForLoadState();
    await this.screenshot('after-code');
  }

  /** The demo app's signed-in page: who, and the `amr` of the id token. */
  async expectSignedIn(username: string): Promise<string[]> {
    assert.match(await this.heading(), /^Signed in as /, await this.page.locator('main').innerText());
    const text = await this.page.locator('main').innerText();
    assert.ok(text.includes(username), `${username} on the signed-in page`);
    const amr = /amr: ([^)]*)\)/.exec(text)?.[1] ?? '';
    return amr.split(',').map((s) => s.trim());
  }
}
