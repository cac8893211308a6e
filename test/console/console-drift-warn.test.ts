/**
 * The web console in headless Chromium against a real local tenant and a real reconcile loop (drift mode warn,
 * console actions enabled): status after apply, drift made by hand reported and kept reported, the plan with its
 * impact, lint findings, What If through the form (keyboard only), the CSRF and origin checks, and an
 * accessibility audit of every page. Screenshots: test-output/screenshots/console-*.png.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { A11Y_AUDIT, FOCUS_PROBE, type AuditResult } from './a11y-audit.ts';
import { startConsoleLoop, type ConsoleLoop, type StatusJson } from './console-harness.ts';

const GUEST = 'lena.fischer_fabrikam.com#EXT#@contoso.onmicrosoft.com';
const AZURE_MANAGEMENT = 'Windows Azure Service Management API';
const GUEST_POLICY = 'require-mfa-guests-azure-management';

interface DriftJson {
  tenants: {
    checks: { resolution: string; drifted: { name: string; fields: string[] }[]; message: string }[];
  }[];
}

describe('web console, drift mode warn, actions enabled', { timeout: 240_000 }, () => {
  let loop: ConsoleLoop;
  let browser: TestBrowser;
  let page: Page;

  before(async () => {
    loop = await startConsoleLoop({ drift: 'warn', interval: 3600, allowActions: true });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await loop?.stop();
  });

  it('shows every resource in sync with its Graph id after apply, and security headers', async () => {
    const status = await loop.waitReady();
    const reply = await page.goto(`${loop.url}/`);
    assert.equal(reply?.status(), 200);
    const headers = reply!.headers();
    assert.match(headers['content-security-policy'] ?? '', /default-src 'self'/);
    assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(headers['x-content-type-options'], 'nosniff');
    const managed = status.tenants[0]!.resources.filter((r) => r.state !== 'unmanaged');
    assert.equal(managed.length, 5, JSON.stringify(managed.map((r) => r.name)));
    const table = page.getByRole('table', { name: 'Resources of tenant local' });
    const rows = table.locator('tbody tr');
    assert.equal(await rows.count(), managed.length);
    for (const resource of managed) {
      const row = rows.filter({ hasText: resource.name });
      assert.equal(await row.count(), 1, resource.name);
      assert.match(await row.innerText(), /In sync/);
      assert.ok(resource.id);
      assert.match(await row.innerText(), new RegExp(resource.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
    assert.equal(await page.locator('h2 .badge').innerText(), 'Ready');
    // The creates were applied by this run: they say when.
    assert.match(
      await rows.filter({ hasText: GUEST_POLICY }).innerText(),
      /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
    );
    await browser.screenshot(page, 'console-status-ready');
    assert.deepEqual(browser.blockedRequests, []);
  });

  it('shows the applied plan with its sign-in impact', async () => {
    await page.goto(`${loop.url}/plan`);
    const main = page.locator('main');
    await main
      .getByRole('heading', { name: 'The plan' })
      .or(main.getByRole('heading', { name: 'Last plan with changes' }))
      .waitFor();
    const text = await main.innerText();
    assert.match(text, /applied\. 4 to create/);
    assert.match(text, /Require MFA for guests on Azure management/);
    assert.match(text, /Sign-in impact/);
    assert.match(text, /Break-glass unaffected/);
    assert.match(text, /newly require MFA for Windows Azure Service Management API/);
    const plan = await loop.json('/api/plan');
    assert.ok(plan.tenants[0].lastChangePlan.plan.impact.totals.usersAffected > 0);
    await browser.screenshot(page, 'console-plan');
    // The page's JSON twin is the API's.
    const twin = await loop.json<{ tenants: unknown[] }>('/plan?format=json');
    assert.deepEqual(twin.tenants, plan.tenants);
  });

  it('reports drift made by hand in the tenant, and keeps it reported (warn)', async () => {
    const id = await loop.policyId(GUEST_POLICY);
    const patched = await loop.tenant.graph('PATCH', `/identity/conditionalAccess/policies/${id}`, {
      state: 'disabled',
    });
    assert.equal(patched.status, 204);
    await page.goto(`${loop.url}/`);
    await page.getByRole('button', { name: 'Check for drift now' }).click();
    await page.locator('.notice').waitFor();
    assert.match(await page.locator('.notice').innerText(), /drift check was requested/);
    const reported = async (n: number) => {
      const drift = (await loop.json('/api/drift')) as DriftJson;
      const checks = drift.tenants[0]!.checks.filter((c) => c.resolution === 'reported');
      return checks.length >= n ? checks : undefined;
    };
    const [first] = await loop.waitFor('a reported drift check', () => reported(1));
    assert.deepEqual(
      first!.drifted,
      [
        {
          name: GUEST_POLICY,
          kind: 'ConditionalAccessPolicy',
          displayName: 'Require MFA for guests on Azure management',
          action: 'update',
          fields: ['state'],
        },
      ]
        .map((d) => ({ ...d }))
        .map(({ name, fields, ...rest }) => ({ ...rest, name, fields })),
    );

    // The page refreshes itself: the drifted row appears without a reload.
    const row = page
      .getByRole('table', { name: 'Resources of tenant local' })
      .locator('tbody tr')
      .filter({ hasText: GUEST_POLICY });
    await row.getByText('Drifted').waitFor({ timeout: 20_000 });
    assert.match(await row.innerText(), /Changed in the tenant: state/);
    assert.equal(await page.locator('h2 .badge').innerText(), 'Drifted');
    await browser.screenshot(page, 'console-status-drifted');

    // Warn: the tenant keeps the hand-made change, and the next check reports it again.
    const live = await loop.tenant.graph('GET', `/identity/conditionalAccess/policies/${id}`);
    assert.equal(live.body.state, 'disabled');
    await page.getByRole('button', { name: 'Check for drift now' }).click();
    await loop.waitFor('a second reported drift check', () => reported(2));
    const status = (await loop.json('/api/status')) as StatusJson;
    assert.equal(status.tenants[0]!.status, 'Drifted');

    await page.goto(`${loop.url}/drift`);
    const history = page.getByRole('table', { name: /Drift checks of tenant local/ });
    const rows = history.locator('tbody tr').filter({ hasText: 'Reported only' });
    assert.equal(await rows.count(), 2);
    assert.match(await rows.first().innerText(), /Require MFA for guests on Azure management/);
    assert.match(await rows.first().innerText(), /changed: state/);
    assert.match(await page.locator('main').innerText(), /Drift is only reported/);
    await browser.screenshot(page, 'console-drift-history-warn');
  });

  it('What If through the form, keyboard only: a B2B guest on Azure management needs MFA', async () => {
    await page.goto(`${loop.url}/whatif`);
    // Tab from the top of the page to the user field: every control on the way is reachable and shows its focus.
    const reached: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const focus = (await page.evaluate(FOCUS_PROBE)) as {
        id: string;
        tag: string;
        visible: boolean;
        name: string;
      };
      reached.push(focus.id || focus.name);
      assert.ok(focus.visible, `no visible focus on ${focus.tag} ${focus.id || focus.name}`);
      if (focus.id === 'f-user') break;
    }
    assert.equal(reached[0], 'Skip to content');
    assert.equal(reached.at(-1), 'f-user', reached.join(' → '));
    await page.keyboard.type(GUEST);
    await page.keyboard.press('Tab');
    assert.equal(((await page.evaluate(FOCUS_PROBE)) as { id: string }).id, 'f-app');
    await page.keyboard.type(AZURE_MANAGEMENT);
    await page.keyboard.press('Tab');
    assert.equal(((await page.evaluate(FOCUS_PROBE)) as { id: string }).id, 'f-platform');
    await page.keyboard.press('Tab');
    assert.equal(((await page.evaluate(FOCUS_PROBE)) as { id: string }).id, 'f-clientApp');
    await page.keyboard.type('browser');
    // On through the remaining fields to the submit button.
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Tab');
      const focus = (await page.evaluate(FOCUS_PROBE)) as { tag: string; visible: boolean; name: string };
      assert.ok(focus.visible, `no visible focus on ${focus.tag} ${focus.name}`);
      if (focus.tag === 'button') break;
    }
    assert.equal(((await page.evaluate(FOCUS_PROBE)) as { name: string }).name, 'Run What If');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/whatif\?/);
    const answer = page.locator('#answer');
    await answer.waitFor();
    // The answer takes focus, so a keyboard user lands on it.
    assert.equal(((await page.evaluate(FOCUS_PROBE)) as { id: string }).id, 'answer');
    const text = await answer.innerText();
    assert.match(
      text,
      /Outcome: Controls required\. MFA required by .*Require MFA for guests on Azure management/,
    );
    const applying = page.getByRole('table', { name: 'Policies that will apply' });
    assert.match(await applying.innerText(), /Require MFA for guests on Azure management[\s\S]*MFA/);
    const notApplying = page.getByRole('table', { name: "Policies that won't apply" });
    assert.match(await notApplying.innerText(), /Block legacy authentication[\s\S]*client/i);
    assert.equal(await page.locator('#f-user').inputValue(), GUEST);
    // The directory's users and applications are offered as suggestions.
    assert.ok((await page.locator('#users-list option').count()) > 10);
    assert.equal(
      await page.locator('#apps-list option[value="Windows Azure Service Management API"]').count(),
      1,
    );
    await browser.screenshot(page, 'console-whatif-guest');
  });

  it('What If: a break-glass account is not asked; the tenant side shows the hand-made drift', async () => {
    const q = (params: Record<string, string>) => `${loop.url}/whatif?${new URLSearchParams(params)}`;
    await page.goto(
      q({ user: 'breakglass1@contoso.onmicrosoft.com', app: AZURE_MANAGEMENT, clientApp: 'browser' }),
    );
    const answer = await page.locator('#answer').innerText();
    assert.match(answer, /Outcome: Granted/);
    assert.match(
      await page.getByRole('table', { name: "Policies that won't apply" }).innerText(),
      /Emergency access accounts/,
    );
    await browser.screenshot(page, 'console-whatif-break-glass');

    // Against the tenant, where the guest policy was disabled by hand, only the all-users policy asks.
    const json = await loop.json(
      `/api/whatif?${new URLSearchParams({ user: GUEST, app: AZURE_MANAGEMENT, against: 'tenant' })}`,
    );
    assert.equal(json.outcome.kind, 'interrupted');
    assert.deepEqual(json.outcome.by, ['Require MFA for all users']);

    await page.goto(q({ user: 'nobody@contoso.onmicrosoft.com', app: AZURE_MANAGEMENT, country: 'XX' }));
    const problems = await page.getByRole('alert').innerText();
    assert.match(problems, /Country \(two-letter code\) must be a two-letter ISO 3166 code/);
    assert.equal(await page.locator('#f-country').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#f-user').getAttribute('aria-invalid'), null);
    await browser.screenshot(page, 'console-whatif-problem');
  });

  it('lists lint findings, and a refused plan changes nothing', async () => {
    const file = join(loop.dir, 'conditional-access', 'require-mfa-contractors.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: accord.dev/v1alpha1',
        'kind: ConditionalAccessPolicy',
        'metadata:',
        '  name: require-mfa-contractors',
        'spec:',
        '  displayName: Require MFA for contractors',
        '  state: enabled',
        '  conditions:',
        '    users:',
        '      includeUsers: [All]',
        '    applications:',
        '      includeApplications: [All]',
        '    clientAppTypes: [all]',
        '  grantControls:',
        '    operator: OR',
        '    builtInControls: [mfa]',
        '',
      ].join('\n'),
    );
    try {
      await loop.waitFor('the break-glass finding', async () => {
        const findings = await loop.json('/api/findings');
        return findings.tenants[0].findings.some(
          (d: { code: string }) => d.code === 'break-glass-not-excluded',
        )
          ? true
          : undefined;
      });
      await page.goto(`${loop.url}/findings`);
      const table = page.getByRole('table', { name: 'Findings for tenant local' });
      const row = table.locator('tbody tr').filter({ hasText: 'break-glass-not-excluded' });
      assert.match(
        await row.innerText(),
        /Error[\s\S]*Require MFA for contractors[\s\S]*\sconditional-access\/require-mfa-contractors\.yaml:10/,
      );
      assert.match(await page.locator('main').innerText(), /nothing is applied until they are fixed/);
      await browser.screenshot(page, 'console-findings');
      const status = (await loop.json('/api/status')) as StatusJson;
      assert.equal(status.tenants[0]!.status, 'Stalled');
      assert.ok(!status.tenants[0]!.resources.some((r) => r.name === 'require-mfa-contractors'));
      const policies = await loop.tenant.graph('GET', '/identity/conditionalAccess/policies');
      assert.ok(
        !policies.body.value.some(
          (p: { displayName: string }) => p.displayName === 'Require MFA for contractors',
        ),
      );
    } finally {
      rmSync(file);
    }
  });

  it('refuses actions without the CSRF token or from another origin', async () => {
    const before = (await loop.json('/api/version')).version;
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${loop.url}/actions/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
        redirect: 'manual',
      });
    assert.equal((await post('tenant=local')).status, 403);
    assert.equal((await post('tenant=local&csrf=guess')).status, 403);
    await page.goto(`${loop.url}/`);
    const token = await page.locator('input[name=csrf]').first().inputValue();
    assert.equal((await post(`tenant=local&csrf=${token}`, { origin: 'http://evil.example' })).status, 403);
    assert.equal((await post(`tenant=local&csrf=${token}`, { origin: loop.url })).status, 303);
    // A page on another name that resolves to loopback (DNS rebinding) is not answered.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(`${loop.url}/api/status`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(rebound, 421);
    assert.ok((await loop.json('/api/version')).version >= before);
  });

  it('passes the accessibility audit on every page', async () => {
    const pages = [
      '/',
      '/plan',
      '/findings',
      '/drift',
      `/whatif?user=${encodeURIComponent(GUEST)}&app=${encodeURIComponent(AZURE_MANAGEMENT)}`,
    ];
    for (const path of pages) {
      await page.goto(`${loop.url}${path}`);
      const audit = (await page.evaluate(A11Y_AUDIT)) as AuditResult;
      assert.deepEqual(audit.problems, [], `${path}: ${audit.problems.join('\n')}`);
      assert.ok(audit.checked.texts > 10, `${path}: too little text checked`);
      assert.ok(audit.checked.headings >= 2);
      assert.ok(audit.lowestContrast.ratio >= 4.5, `${path}: ${JSON.stringify(audit.lowestContrast)}`);
    }
    await page.goto(`${loop.url}/whatif`);
    const form = (await page.evaluate(A11Y_AUDIT)) as AuditResult;
    assert.ok(form.checked.fields >= 10, 'the What-If form has its fields');
    assert.deepEqual(browser.blockedRequests, []);
  });
});
