/**
 * The web console in headless Chromium against a real local tenant and a real reconcile loop with drift mode
 * correct, read-only (the default): drift made by hand is corrected by the next interval check and the history says
 * so, also after the loop restarts; names holding markup are shown as text on every page; no action is offered or accepted.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startConsoleLoop, type ConsoleLoop, type StatusJson } from './console-harness.ts';

const HOSTILE = `<script>window.__accordXss=1</script><img src=x onerror="window.__accordXss=2"> & "Evil" policy`;
const POLICY = 'require-mfa-all-users';

interface DriftJson {
  tenants: {
    checks: { resolution: string; count: number; drifted: { name: string; fields: string[] }[] }[];
  }[];
}

describe('web console, drift mode correct, read-only', { timeout: 240_000 }, () => {
  let loop: ConsoleLoop;
  let browser: TestBrowser;
  let page: Page;

  before(async () => {
    loop = await startConsoleLoop({ drift: 'correct', interval: 2, allowActions: false });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await loop?.stop();
  });

  it('corrects drift made by hand at the next check, and the history says so', async () => {
    await loop.waitReady();
    const id = await loop.policyId(POLICY);
    const patched = await loop.tenant.graph('PATCH', `/identity/conditionalAccess/policies/${id}`, {
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    });
    assert.equal(patched.status, 204);
    const corrected = await loop.waitFor('a corrected drift check', async () => {
      const drift = (await loop.json('/api/drift')) as DriftJson;
      return drift.tenants[0]!.checks.find((c) => c.resolution === 'corrected');
    });
    assert.deepEqual(
      corrected.drifted.map((d) => [d.name, d.fields]),
      [[POLICY, ['grantControls.builtInControls']]],
    );
    const live = await loop.tenant.graph('GET', `/identity/conditionalAccess/policies/${id}`);
    assert.deepEqual(live.body.grantControls.builtInControls, ['mfa']);
    const status = await loop.waitReady();
    assert.ok(status.tenants[0]!.resources.find((r) => r.name === POLICY)?.lastApplied);

    await page.goto(`${loop.url}/drift`);
    const rows = page.getByRole('table', { name: /Drift checks of tenant local/ }).locator('tbody tr');
    const row = rows.filter({ hasText: 'Corrected' });
    assert.equal(await row.count(), 1);
    assert.match(
      await row.innerText(),
      /Require MFA for all users[\s\S]*changed: grantControls\.builtInControls/,
    );
    assert.match(await row.innerText(), /Corrected: Applied 1 change/);
    // Clean checks in a row are one entry with a count, not a wall of "no drift".
    await loop.waitFor('clean checks merged', async () => {
      const drift = (await loop.json('/api/drift')) as DriftJson;
      return drift.tenants[0]!.checks.some((c) => c.resolution === 'none' && c.count >= 2) ? true : undefined;
    });
    await page.reload();
    assert.match(await page.locator('main').innerText(), /No drift[\s\S]*|\d+ checks/);
    assert.match(await page.locator('main').innerText(), /Drift is corrected when a check finds it/);
    await browser.screenshot(page, 'console-drift-history-correct');
  });

  it('keeps the drift history across a restart of the loop', async () => {
    const before = ((await loop.json('/api/drift')) as DriftJson).tenants[0]!.checks;
    assert.ok(before.some((c) => c.resolution === 'corrected'));
    await loop.restart();
    const after = await loop.waitFor('the restarted console', async () => {
      const drift = (await loop.json('/api/drift')) as DriftJson;
      return drift.tenants[0]?.checks;
    });
    const corrected = after.filter((c) => c.resolution === 'corrected');
    assert.equal(corrected.length, 1, JSON.stringify(after));
    assert.deepEqual(
      corrected[0]!.drifted.map((d) => [d.name, d.fields]),
      [[POLICY, ['grantControls.builtInControls']]],
    );
    await page.goto(`${loop.url}/drift`);
    const rows = page.getByRole('table', { name: /Drift checks of tenant local/ }).locator('tbody tr');
    assert.equal(await rows.filter({ hasText: 'Corrected' }).count(), 1);
    await loop.waitReady();
  });

  it('shows names holding markup as text on every page', async () => {
    writeFileSync(
      join(loop.dir, 'conditional-access', 'escape-test.yaml'),
      [
        'apiVersion: accord.dev/v1alpha1',
        'kind: ConditionalAccessPolicy',
        'metadata:',
        '  name: escape-test',
        'spec:',
        `  displayName: ${JSON.stringify(HOSTILE)}`,
        '  state: enabledForReportingButNotEnforced',
        '  conditions:',
        '    users:',
        '      includeUsers: [All]',
        '      excludeGroups: [Emergency access accounts]',
        '    applications:',
        '      includeApplications: [All]',
        '    clientAppTypes: [all]',
        '  grantControls:',
        '    operator: OR',
        '    builtInControls: [mfa]',
        '',
      ].join('\n'),
    );
    await loop.waitFor('the policy with markup in its name applied', async () => {
      const status = (await loop.json('/api/status')) as StatusJson;
      const found = status.tenants[0]!.resources.find((r) => r.name === 'escape-test');
      return found?.state === 'inSync' && found.id ? found : undefined;
    });
    for (const path of ['/', '/plan']) {
      await page.goto(`${loop.url}${path}`);
      const shown = page.getByText(HOSTILE, { exact: true });
      assert.ok((await shown.count()) >= 1, `${path} shows the name as text`);
      assert.equal(await page.evaluate('window.__accordXss'), undefined, `${path} ran no injected script`);
      assert.equal(await page.locator('main img').count(), 0, `${path} made no element from the name`);
      assert.equal(await page.locator('main script').count(), 0);
    }
    await page.goto(`${loop.url}/`);
    await browser.screenshot(page, 'console-status-escaped');

    // (An application name with '&' is not used here: the directory lookup does not encode it in $filter.)
    const hostileApp = '<img src=x onerror="window.__accordXss=4"> app';
    const hostileQuery = new URLSearchParams({
      user: '<script>window.__accordXss=3</script>',
      app: hostileApp,
    });
    await page.goto(`${loop.url}/whatif?${hostileQuery}`);
    assert.equal(await page.evaluate('window.__accordXss'), undefined);
    assert.match(await page.getByRole('alert').innerText(), /<script>window\.__accordXss=3<\/script>/);
    assert.equal(await page.locator('#f-user').inputValue(), '<script>window.__accordXss=3</script>');
    assert.equal(await page.locator('#f-app').inputValue(), hostileApp);
    assert.equal(await page.locator('main img').count(), 0);
    assert.deepEqual(browser.blockedRequests, []);
  });

  it('is read-only: no actions offered, none accepted', async () => {
    await page.goto(`${loop.url}/`);
    assert.equal(await page.getByRole('button').count(), 0);
    assert.equal(await page.locator('.mode').innerText(), 'Read-only');
    const reply = await fetch(`${loop.url}/actions/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'tenant=local&csrf=x',
      redirect: 'manual',
    });
    assert.equal(reply.status, 403);
    assert.match(await reply.text(), /read-only/);
    const html = await (await fetch(`${loop.url}/`)).text();
    assert.doesNotMatch(html, /csrf|clientSecret|client_secret|eyJ[A-Za-z0-9_-]{10,}/i);
  });
});
