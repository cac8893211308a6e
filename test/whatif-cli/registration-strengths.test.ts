/**
 * `accord whatif` on a registerSecurityInformation sign-in where a policy on that user action requires an
 * authentication strength and the all-users policy requires a stronger one (ca-evaluation §4.1): the outcome names
 * the user action's strength for both, and the choice is shown as the `registrationStrengthPrecedence` note, in
 * text and in JSON. The CLI runs as a child process against a served local tenant and a copy of the example
 * repository with the two policies changed.
 */
import assert from 'node:assert/strict';
import { copyExampleRepository, runAccord as accord, type CliRun } from '../helpers/cli.ts';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnCliTenant, type CliTenant } from '../reliability/cli-tenant.ts';

const MEMBER = 'liam.foster@contoso.onmicrosoft.com';

const ALL_USERS_PHISHING_RESISTANT = `apiVersion: accord.dev/v1alpha1
kind: ConditionalAccessPolicy
metadata:
  name: require-mfa-all-users
spec:
  displayName: Require phishing-resistant MFA for all users
  state: enabled
  conditions:
    users:
      includeUsers: [All]
      excludeGroups: [Emergency access accounts]
    applications:
      includeApplications: [All]
    clientAppTypes: [all]
  grantControls:
    operator: AND
    authenticationStrength:
      id: Phishing resistant MFA
`;

const REGISTRATION_WITH_MFA = `apiVersion: accord.dev/v1alpha1
kind: ConditionalAccessPolicy
metadata:
  name: register-security-info
spec:
  displayName: Register security info with MFA
  state: enabled
  conditions:
    users:
      includeUsers: [All]
      excludeGroups: [Emergency access accounts]
    applications:
      includeUserActions: [urn:user:registersecurityinfo]
    clientAppTypes: [all]
  grantControls:
    operator: OR
    authenticationStrength:
      id: Multifactor authentication
`;

describe('accord whatif: authentication strengths when registering security information', () => {
  let repo: string;
  let tenant: CliTenant;
  const register = (...extra: string[]): Promise<CliRun> =>
    accord([
      'whatif',
      '--dir',
      repo,
      '--user',
      MEMBER,
      '--user-action',
      'registerSecurityInformation',
      '--client-app',
      'browser',
      ...extra,
    ]);

  before(async () => {
    repo = copyExampleRepository({ prefix: 'registration' });
    rmSync(join(repo, 'tests'), { recursive: true, force: true });
    writeFileSync(
      join(repo, 'conditional-access', 'require-mfa-all-users.yaml'),
      ALL_USERS_PHISHING_RESISTANT,
    );
    writeFileSync(join(repo, 'conditional-access', 'register-security-info.yaml'), REGISTRATION_WITH_MFA);
    tenant = await spawnCliTenant({ dataDir: join(repo, '.accord', 'local-tenant') });
  });

  after(async () => {
    await tenant.kill('SIGTERM');
    rmSync(repo, { recursive: true, force: true });
  });

  it('shows the precedence note in text', async () => {
    const run = await register();
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Policies that will apply \(2\)/);
    assert.match(run.stdout, /registrationStrengthPrecedence: Registering security information/);
    assert.match(
      run.stdout,
      /\("Multifactor authentication"\) replaces the strengths of the All-resources policies that apply/,
    );
    assert.match(
      run.stdout,
      /Outcome: authentication strength 'Multifactor authentication' required by Register security info with MFA, Require phishing-resistant MFA for all users/,
    );
  });

  it('requires the user action strength of both policies in JSON, with the note on the all-users policy', async () => {
    const run = await register('--output', 'json');
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      outcome: { kind: string; requires?: string[] };
      decision: {
        kind: string;
        requirements: { displayName: string; controls: { displayName?: string }[] }[];
      };
      policies: { name?: string; notes: { code: string }[] }[];
      notes: { code: string }[];
    };
    assert.equal(report.outcome.kind, 'interrupted');
    const strengths = Object.fromEntries(
      report.decision.requirements.map((r) => [r.displayName, r.controls.map((c) => c.displayName)]),
    );
    assert.deepEqual(strengths, {
      'Register security info with MFA': ['Multifactor authentication'],
      'Require phishing-resistant MFA for all users': ['Multifactor authentication'],
    });
    const allUsers = report.policies.find((p) => p.name === 'require-mfa-all-users')!;
    assert.ok(allUsers.notes.some((n) => n.code === 'registrationStrengthPrecedence'));
    assert.ok(report.notes.some((n) => n.code === 'registrationStrengthPrecedence'));
  });
});
