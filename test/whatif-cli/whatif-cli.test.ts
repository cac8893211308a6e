/**
 * `accord whatif` and `accord test` end to end: the CLI as a child process against a served local tenant (demo
 * directory) and a copy of the example repository in policies/, with the scenarios of Microsoft's MFA how-tos.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyExampleRepository, runAccord as accord, type CliRun } from '../helpers/cli.ts';
import { spawnCliTenant, type CliTenant } from '../reliability/cli-tenant.ts';
import { assertWellFormedXml } from './xml-check.ts';

const GUEST = 'lena.fischer_fabrikam.com#EXT#@contoso.onmicrosoft.com';
const MEMBER = 'liam.foster@contoso.onmicrosoft.com';
const AZURE = 'Windows Azure Service Management API';

interface JsonReport {
  against: string;
  outcome: { kind: string; requires?: string[]; by?: string[] };
  policies: {
    name?: string;
    displayName: string;
    policyApplies: boolean;
    analysisReasons: string;
    reason?: string;
  }[];
}

describe('accord whatif and accord test on the example repository', () => {
  let repo: string;
  let tenant: CliTenant;
  const whatif = (...args: string[]): Promise<CliRun> => accord(['whatif', '--dir', repo, ...args]);

  before(async () => {
    repo = copyExampleRepository({ prefix: 'whatif' });
    tenant = await spawnCliTenant({ dataDir: join(repo, '.accord', 'local-tenant') });
  });

  after(async () => {
    await tenant.kill('SIGTERM');
    rmSync(repo, { recursive: true, force: true });
  });

  it('a B2B guest on Azure management must do MFA (text)', async () => {
    const run = await whatif('--user', GUEST, '--app', AZURE, '--client-app', 'browser');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Policies that will apply \(2\)/);
    assert.match(
      run.stdout,
      /✓ Require MFA for guests on Azure management \[require-mfa-guests-azure-management\]\n\s+grant: mfa/,
    );
    assert.match(
      run.stdout,
      /Policies that won't apply \(1\)\n.*Block legacy authentication.*\n\s+clientApps: browser is not among exchangeActiveSync, other/,
    );
    assert.match(
      run.stdout,
      /Outcome: MFA required by Require MFA for all users, Require MFA for guests on Azure management/,
    );
  });

  it('a member on Azure management: the guest policy does not apply (JSON)', async () => {
    const run = await whatif('--user', MEMBER, '--app', AZURE, '--client-app', 'browser', '--output', 'json');
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.against, 'desired');
    assert.deepEqual(report.outcome, {
      kind: 'interrupted',
      requires: ['mfa'],
      by: ['Require MFA for all users'],
    });
    const guests = report.policies.find((p) => p.name === 'require-mfa-guests-azure-management')!;
    assert.equal(guests.policyApplies, false);
    assert.equal(guests.analysisReasons, 'users');
    assert.equal(guests.reason, 'users: the user is not included');
  });

  it('break-glass is granted and every policy says why it does not apply', async () => {
    const run = await whatif(
      '--user',
      'breakglass1@contoso.onmicrosoft.com',
      '--app',
      AZURE,
      '--client-app',
      'browser',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Policies that will apply \(0\)\n\s+none/);
    assert.match(run.stdout, /users: Emergency access accounts is excluded/);
    assert.match(run.stdout, /Outcome: granted/);
  });

  it('a guest on another app is not asked by the guest policy; missing inputs show the ADR note', async () => {
    const run = await whatif('--user', GUEST, '--app', '00000003-0000-0ff1-ce00-000000000000');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Office 365 SharePoint Online/);
    assert.match(
      run.stdout,
      /guests on Azure management.*\n\s+application: the policy targets Windows Azure Service Management API/,
    );
    assert.match(run.stdout, /Notes \(docs\/adr\/0006-what-if-ambiguities.md\):\n\s+unknownClientApp:/);
  });

  it('--against tenant evaluates the tenant, which has none of these policies yet', async () => {
    const run = await whatif('--user', GUEST, '--app', AZURE, '--against', 'tenant', '--output', 'json');
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.against, 'tenant');
    assert.ok(!report.policies.some((p) => p.name === 'require-mfa-guests-azure-management'));
  });

  it('--user takes a display name or an object id as well as a userPrincipalName', async () => {
    const byName = await whatif('--user', 'Liam Foster', '--app', AZURE, '--output', 'json');
    assert.equal(byName.code, 0, byName.stderr);
    const subject = (JSON.parse(byName.stdout) as { subject: { id: string; name: string } }).subject;
    assert.equal(subject.name, MEMBER);
    const byId = await whatif('--user', subject.id, '--app', '797f4846-ba00-4fd7-ba43-dac1f8f63013');
    assert.equal(byId.code, 0, byId.stderr);
    assert.match(byId.stdout, new RegExp(`What If: ${MEMBER} → ${AZURE}`));
  });

  it('an unknown user or app is one clear line and exit 1', async () => {
    const user = await whatif('--user', 'nobody@contoso.onmicrosoft.com', '--app', AZURE);
    assert.equal(user.code, 1);
    assert.equal(
      user.stderr.trim(),
      "accord: no user 'nobody@contoso.onmicrosoft.com' in the tenant (give a userPrincipalName, display name or id)",
    );
    const app = await whatif('--user', MEMBER, '--app', 'No Such App');
    assert.equal(app.code, 1);
    assert.match(app.stderr, /^accord: no application 'No Such App' in the tenant/);
  });

  it('enum flags are checked with the allowed values', async () => {
    const run = await whatif(
      '--user',
      MEMBER,
      '--app',
      AZURE,
      '--platform',
      'amiga',
      '--sign-in-risk',
      'extreme',
    );
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /--platform must be one of android, iOS, windows, windowsPhone, macOS, all, linux \(got 'amiga'\)/,
    );
    assert.match(
      run.stderr,
      /--sign-in-risk must be one of low, medium, high, hidden, none \(got 'extreme'\)/,
    );
    const device = await whatif('--user', MEMBER, '--app', AZURE, '--device', 'isCompliantt=true');
    assert.equal(device.code, 1);
    assert.match(
      device.stderr,
      /^accord: --device has no attribute 'isCompliantt' \(device filters know deviceId, /,
    );
    assert.doesNotMatch(device.stderr, /\n\s+at /);
    const both = await whatif('--user', MEMBER);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /give exactly one of --app, --user-action, --auth-context/);
  });

  it('accord test passes on the example repository and writes a JUnit report', async () => {
    // CI names a report in a folder that does not exist yet.
    const junit = join(repo, 'reports', 'ci', 'junit.xml');
    const run = await accord(['test', '--dir', repo, '--junit', junit]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✔ a B2B guest on Azure management must do MFA/);
    assert.doesNotMatch(run.stdout, /✖/);
    const xml = readFileSync(junit, 'utf8');
    assertWellFormedXml(xml);
    const tests = Number(/<testsuites [^>]*tests="(\d+)"/.exec(xml)![1]);
    assert.match(run.stdout, new RegExp(`${tests} scenarios: ${tests} passed, 0 failed, 0 errors`));
    assert.ok(tests >= 12);
    assert.match(xml, /<testsuites [^>]*failures="0" errors="0"/);
    assert.equal((xml.match(/<testsuite /g) ?? []).length, 3);
    assert.equal((xml.match(/<testcase /g) ?? []).length, tests);
    for (const [, head, body] of xml.matchAll(/<testsuite ([^>]*)>([\s\S]*?)<\/testsuite>/g)) {
      const count = Number(/ tests="(\d+)"/.exec(` ${head}`)![1]);
      assert.equal((body!.match(/<testcase /g) ?? []).length, count, head);
    }
    assert.match(
      xml,
      /<testsuite name="guests-azure-management" file="[^"]*tests\/guests-azure-management\.yaml"/,
    );
  });

  it('a failing scenario exits 1 and says which and why, in text and JUnit', async () => {
    const failing = join(repo, 'tests', 'zz-failing.yaml');
    writeFileSync(
      failing,
      [
        'apiVersion: accord.dev/v1alpha1',
        'kind: PolicyTest',
        'metadata: { name: wrong-beliefs }',
        'spec:',
        '  scenarios:',
        '    - name: a member is never asked for MFA',
        '      signIn: { user: liam.foster@contoso.onmicrosoft.com, application: Office 365 SharePoint Online, clientApp: browser }',
        '      expect: { outcome: granted }',
        '    - name: an unknown user',
        '      signIn: { user: ghost@contoso.onmicrosoft.com, application: Office 365 SharePoint Online }',
        '      expect: { outcome: granted }',
        '',
      ].join('\n'),
    );
    try {
      const junit = join(repo, 'junit-failing.xml');
      const run = await accord(['test', '--dir', repo, '--junit', junit]);
      assert.equal(run.code, 1);
      assert.match(
        run.stdout,
        /✖ a member is never asked for MFA\n\s+.*zz-failing.yaml:6: expected granted, but MFA required by Require MFA for all users/,
      );
      assert.match(
        run.stdout,
        /✖ an unknown user \(error\)\n\s+.*no user 'ghost@contoso.onmicrosoft.com' in the tenant/,
      );
      assert.match(run.stdout, /passed, 1 failed, 1 error/);
      const xml = readFileSync(junit, 'utf8');
      assertWellFormedXml(xml);
      assert.match(xml, /<testsuites [^>]*failures="1" errors="1"/);
      assert.match(xml, /<failure message="expected granted, but MFA required by Require MFA for all users"/);
    } finally {
      rmSync(failing);
    }
  });

  it('a policy that would lock out break-glass is evaluated: whatif answers, the break-glass tests fail', async () => {
    const lockout = join(repo, 'conditional-access', 'zz-block-everyone.yaml');
    writeFileSync(
      lockout,
      [
        'apiVersion: accord.dev/v1alpha1',
        'kind: ConditionalAccessPolicy',
        'metadata: { name: block-everyone }',
        'spec:',
        '  displayName: Block everyone',
        '  state: enabled',
        '  conditions:',
        '    users: { includeUsers: [All] }',
        '    applications: { includeApplications: [All] }',
        '    clientAppTypes: [all]',
        '  grantControls: { operator: OR, builtInControls: [block] }',
        '',
      ].join('\n'),
    );
    try {
      const run = await whatif('--user', 'breakglass1@contoso.onmicrosoft.com', '--app', AZURE);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Outcome: blocked by Block everyone/);
      const junit = join(repo, 'junit-lockout.xml');
      const test = await accord(['test', '--dir', repo, '--junit', junit]);
      assert.equal(test.code, 1, test.stderr);
      assert.match(
        test.stdout,
        /✖ breakglass1 on Azure management in a browser\n\s+.*break-glass.yaml:8: expected granted, but blocked by Block everyone/,
      );
      const xml = readFileSync(junit, 'utf8');
      assertWellFormedXml(xml);
      assert.match(xml, /<testsuite name="break-glass" [^>]*tests="6" failures="6" errors="0"/);
    } finally {
      rmSync(lockout);
    }
  });

  it('an invalid test file is reported at its line, before anything runs', async () => {
    const bad = join(repo, 'tests', 'zz-bad.yaml');
    writeFileSync(
      bad,
      [
        'apiVersion: accord.dev/v1alpha1',
        'kind: PolicyTest',
        'metadata: { name: typos }',
        'spec:',
        '  scenarios:',
        '    - name: typo',
        '      signIn: { user: x, application: y, platfrom: windows }',
        '      expect: { outcome: allowed }',
        '',
      ].join('\n'),
    );
    try {
      const run = await accord(['test', '--dir', repo]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /zz-bad.yaml:7:\d+: error\[test-schema\]: unknown field 'platfrom'/);
      assert.match(
        run.stderr,
        /zz-bad.yaml:8:\d+: error\[test-schema\]: outcome must be one of granted, blocked, interrupted/,
      );
    } finally {
      rmSync(bad);
    }
  });
});
