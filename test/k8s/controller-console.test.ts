/**
 * The web console served by `accord controller --console-bind-address` (the real CLI as a child process), against a
 * real kube-apiserver + etcd and a real local tenant, read in headless Chromium: the Tenant custom resource is a
 * console tenant with its ConditionalAccessPolicy resource Ready and in sync; a change made in the tenant by hand
 * shows as Drifted after the controller's drift check (drift mode Report keeps it visible); the What-If form answers
 * for that tenant; the console is read-only by default (no action buttons, POSTs refused); and with a second
 * replica each console shows the Tenant of the shard its replica holds and names the other replica for the other.
 * Screenshots: test-output/screenshots/controller-console-*.png.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { shardOf } from '../../src/controller/shard-leases.ts';
import { A11Y_AUDIT, type AuditResult } from '../console/a11y-audit.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import {
  caPolicy,
  condition,
  eventually,
  resourcePath,
  spawnController,
  startControllerEnv,
  type ChildController,
  type ControllerEnv,
  type Resource,
} from './controller-harness.ts';

const NAMESPACE = 'console';
const TENANT = `${NAMESPACE}/contoso`;
const POLICY = 'Console require MFA';
const MEMBER = 'liam.foster@contoso.onmicrosoft.com';
const AZURE_MANAGEMENT = 'Windows Azure Service Management API';

interface StatusJson {
  host?: { description: string; elsewhere?: { name: string; detail: string }[] };
  tenants: {
    name: string;
    status: string;
    resources: { kind: string; name: string; state: string; id?: string; detail?: string }[];
  }[];
}

describe('the controller serves the web console', { timeout: 5 * 60_000 }, () => {
  let env: ControllerEnv;
  let controller: ChildController;
  let second: ChildController | undefined;
  let logDir: string;
  let url: string;
  let browser: TestBrowser;
  let page: Page;

  const json = async <T>(path: string, base = url): Promise<T> => {
    const reply = await fetch(new URL(path, base));
    assert.equal(reply.status, 200, `${path}: ${reply.status}`);
    return (await reply.json()) as T;
  };

  // Two shards, so that a second replica can take one of them in the last case.
  const startReplica = (identity: string): ChildController =>
    spawnController(env.server.kubeconfigPath, identity, logDir, [
      '--console-bind-address',
      '127.0.0.1:0',
      '--shards',
      '2',
    ]);

  const consoleUrl = (replica: ChildController): Promise<string> =>
    eventually(async () => {
      const match = /console at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(readFileSync(replica.logPath, 'utf8'));
      return match?.[1];
    }, `the console address in the log of ${replica.identity}`);

  const policyResource = async (): Promise<Resource | undefined> => {
    const res = await env.kube('GET', resourcePath('conditionalaccesspolicies', NAMESPACE, 'mfa-all'));
    return res.status === 200 ? res.body : undefined;
  };

  before(async () => {
    env = await startControllerEnv();
    await env.createTenantNamespace(NAMESPACE, { drift: { mode: 'Report', interval: '3s' } });
    const created = await env.kube(
      'POST',
      resourcePath('conditionalaccesspolicies', NAMESPACE),
      caPolicy('mfa-all', POLICY),
    );
    assert.equal(created.status, 201, created.text);
    logDir = mkdtempSync(join(tmpdir(), 'accord-controller-console-'));
    controller = startReplica('replica-a');
    url = await consoleUrl(controller);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await second?.stop();
    const code = await controller?.stop();
    await env?.close();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
    assert.equal(code, 0, 'the controller exits 0 on SIGTERM');
  });

  it('shows the Tenant and its resource Ready and in sync, and which replica serves it', async () => {
    await eventually(
      async () => condition(await policyResource(), 'Ready')?.status === 'True',
      'the resource Ready',
    );
    const status = await eventually(async () => {
      const body = await json<StatusJson>('/api/status');
      const tenant = body.tenants.find((t) => t.name === TENANT);
      return tenant?.status === 'Ready' && tenant.resources.some((r) => r.state === 'inSync')
        ? body
        : undefined;
    }, 'the console tenant Ready');
    const resource = status.tenants[0]!.resources.find((r) => r.name === 'mfa-all')!;
    assert.equal(resource.kind, 'ConditionalAccessPolicy');
    assert.equal(resource.id, (await policyResource())?.status?.id);

    const reply = await page.goto(url);
    assert.equal(reply?.status(), 200);
    const section = page.locator('section', { has: page.getByRole('heading', { name: `Tenant ${TENANT}` }) });
    assert.equal(await section.locator('h2 .badge').innerText(), 'Ready');
    const row = page.getByRole('table', { name: `Resources of tenant ${TENANT}` }).locator('tbody tr', {
      hasText: 'mfa-all',
    });
    assert.match(await row.innerText(), new RegExp(POLICY));
    assert.match(await row.innerText(), /In sync/);
    assert.match(await section.innerText(), /custom resources in namespace console/);
    const host = await page.locator('section.host').innerText();
    assert.match(host, /controller replica replica-a/);
    assert.match(await page.locator('header .mode').innerText(), /Read-only/);
    await browser.screenshot(page, 'controller-console-ready');
    assert.deepEqual(browser.blockedRequests, []);
  });

  it('is read-only by default: no action buttons, and a POST is refused', async () => {
    await page.goto(url);
    assert.equal(await page.locator('form[method="post"]').count(), 0);
    assert.equal(
      await page.getByRole('button', { name: /Reconcile now|Check for drift now|Apply now/ }).count(),
      0,
    );
    const tenant = encodeURIComponent(TENANT);
    for (const action of ['check', 'apply']) {
      const reply = await fetch(new URL(`/actions/${action}`, url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `tenant=${tenant}&csrf=guess`,
      });
      assert.equal(reply.status, 403, action);
      assert.match(await reply.text(), /read-only/);
    }
  });

  it('shows Drifted after a change made in the tenant by hand, and the drift in its history', async () => {
    const id = (await policyResource())?.status?.id;
    assert.ok(id);
    const patched = await env.graph('PATCH', `/identity/conditionalAccess/policies/${id}`, {
      state: 'disabled',
    });
    assert.equal(patched.status, 204);
    await page.goto(url);
    // The page refreshes itself when the controller's next drift check reports the change.
    const row = page.getByRole('table', { name: `Resources of tenant ${TENANT}` }).locator('tbody tr', {
      hasText: 'mfa-all',
    });
    await eventually(async () => /Drifted/.test(await row.innerText()), 'Drifted on the page', 60_000);
    assert.match(await row.innerText(), /Changed in the tenant: state/);
    const section = page.locator('section', { has: page.getByRole('heading', { name: `Tenant ${TENANT}` }) });
    assert.equal(await section.locator('h2 .badge').innerText(), 'Drifted');
    // The custom resource says the same.
    assert.equal(condition(await policyResource(), 'Drifted')?.status, 'True');
    await browser.screenshot(page, 'controller-console-drifted');

    await page.goto(new URL('/drift', url).href);
    const history = await page.locator('main').innerText();
    assert.match(history, /mfa-all/);
    assert.match(history, /state/);
    assert.match(history, /[Rr]eported/);
    await browser.screenshot(page, 'controller-console-drift-history');

    await page.goto(new URL('/plan', url).href);
    assert.match(await page.locator('main').innerText(), new RegExp(POLICY));
    await browser.screenshot(page, 'controller-console-plan');
  });

  it('answers the What-If form for the Tenant, against its custom resources and the tenant', async () => {
    await page.goto(new URL('/whatif', url).href);
    assert.match(await page.locator('main').innerText(), /the desired state \(the custom resources\)/);
    await page.getByLabel('User (userPrincipalName or id)').fill(MEMBER);
    await page.getByLabel('Application (display name or appId)').fill(AZURE_MANAGEMENT);
    await page.getByRole('button', { name: 'Run What If' }).click();
    const answer = page.locator('#answer');
    await answer.waitFor();
    const text = await answer.innerText();
    assert.match(text, new RegExp(POLICY));
    assert.match(text, /Report-only/);
    assert.match(text, /Outcome/);
    assert.match(text, /desired state \(the custom resources\)/);
    await browser.screenshot(page, 'controller-console-whatif');

    // Against the tenant as it is, the policy is the one disabled by hand: it does not apply.
    const query = new URLSearchParams({
      tenant: TENANT,
      user: MEMBER,
      app: AZURE_MANAGEMENT,
      against: 'tenant',
    });
    const report = await json<{
      against: string;
      policies: { displayName: string; policyApplies: boolean }[];
    }>(`/api/whatif?${query}`);
    assert.equal(report.against, 'tenant');
    const policy = report.policies.find((p) => p.displayName === POLICY);
    assert.ok(policy, 'the policy is in the report');
    assert.equal(policy.policyApplies, false);
  });

  it('passes the accessibility audit on every page', async () => {
    for (const path of ['/', '/plan', '/findings', '/drift', '/whatif']) {
      await page.goto(new URL(path, url).href);
      const audit = (await page.evaluate(A11Y_AUDIT)) as AuditResult;
      assert.deepEqual(audit.problems, [], `${path}: ${audit.problems.join('\n')}`);
      assert.ok(audit.lowestContrast.ratio >= 4.5, `${path}: ${JSON.stringify(audit.lowestContrast)}`);
    }
    assert.deepEqual(browser.blockedRequests, []);
  });

  it('with a second replica, each console shows the Tenant of its shard and names the other replica', async () => {
    // A second Tenant in the other shard.
    const shard = shardOf(TENANT, 2);
    const namespace = ['console-b', 'console-c', 'console-d', 'console-e', 'console-f'].find(
      (ns) => shardOf(`${ns}/contoso`, 2) !== shard,
    )!;
    const other = `${namespace}/contoso`;
    await env.createTenantNamespace(namespace);
    second = startReplica('replica-b');
    const urlB = await consoleUrl(second);
    const split = async () => {
      const [a, b] = await Promise.all([
        json<StatusJson>('/api/status'),
        json<StatusJson>('/api/status', urlB),
      ]);
      if (a.tenants.length !== 1 || b.tenants.length !== 1) return undefined;
      if (!b.tenants[0]!.status || b.tenants[0]!.status === 'Reconciling') return undefined;
      // Each has seen the other take its lease (observed at its next lease round).
      const named = (body: StatusJson) => /held by replica/.test(body.host?.elsewhere?.[0]?.detail ?? '');
      if (!named(a) || !named(b)) return undefined;
      return { a, b };
    };
    const { a, b } = await eventually(split, 'one Tenant on each replica', 90_000);
    const names = [a.tenants[0]!.name, b.tenants[0]!.name].sort();
    assert.deepEqual(names, [TENANT, other].sort());
    assert.match(a.host?.elsewhere?.[0]?.detail ?? '', /held by replica replica-b/);
    assert.equal(a.host?.elsewhere?.[0]?.name, b.tenants[0]!.name);
    assert.match(b.host?.elsewhere?.[0]?.detail ?? '', /held by replica replica-a/);
    assert.match(b.host?.description ?? '', /replica replica-b, which holds shard accord-shard-\d of 2/);

    await page.goto(urlB);
    const elsewhere = page.getByRole('table', { name: 'Tenants served by other replicas' });
    assert.match(await elsewhere.innerText(), /Held by another replica/);
    assert.match(await elsewhere.innerText(), new RegExp(a.tenants[0]!.name));
    await browser.screenshot(page, 'controller-console-second-replica');
  });
});
