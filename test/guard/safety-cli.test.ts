/**
 * The semantic lint and the lockout guard through the real CLI against a served local tenant: the example
 * repository passes both; apply refuses a lockout and writes nothing (the tenant's state hash is unchanged); lint
 * reports each rule with file:line.
 */
import assert from 'node:assert/strict';
import { copyExampleRepository, runAccord as accord } from '../helpers/cli.ts';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fetchToken, spawnCliTenant, type CliTenant } from '../reliability/cli-tenant.ts';

function policyYaml(name: string, spec: string): string {
  return `apiVersion: accord.dev/v1alpha1\nkind: ConditionalAccessPolicy\nmetadata:\n  name: ${name}\nspec:\n  displayName: ${name}\n${spec}`;
}

const BLOCK_ALL = policyYaml(
  'block-everyone',
  `  state: enabled
  conditions:
    users:
      includeUsers: [All]
    applications:
      includeApplications: [All]
    clientAppTypes: [all]
  grantControls:
    operator: OR
    builtInControls: [block]
`,
);

/** One manifest per rule that the local workforce tenant can show. */
const RULE_CASES: Record<string, string> = {
  'mfa-with-strength': policyYaml(
    'mfa-with-strength',
    `  state: enabledForReportingButNotEnforced
  conditions:
    users: { includeUsers: [All], excludeGroups: [Emergency access accounts] }
    applications: { includeApplications: [All] }
    clientAppTypes: [all]
  grantControls: { operator: OR, builtInControls: [mfa], authenticationStrength: { id: 00000000-0000-0000-0000-000000000004 } }
`,
  ),
  'password-change-misuse': policyYaml(
    'password-change-misuse',
    `  state: enabledForReportingButNotEnforced
  conditions:
    users: { includeUsers: [All], excludeGroups: [Emergency access accounts] }
    applications: { includeApplications: [All] }
    clientAppTypes: [all]
  grantControls: { operator: OR, builtInControls: [passwordChange] }
`,
  ),
  'register-device-grant': policyYaml(
    'register-device-grant',
    `  state: enabledForReportingButNotEnforced
  conditions:
    users: { includeUsers: [All], excludeGroups: [Emergency access accounts] }
    applications: { includeUserActions: [urn:user:registerdevice] }
    clientAppTypes: [all]
  grantControls: { operator: OR, builtInControls: [compliantDevice] }
`,
  ),
  'persistent-browser-scope': policyYaml(
    'persistent-browser-scope',
    `  state: enabledForReportingButNotEnforced
  conditions:
    users: { includeUsers: [All], excludeGroups: [Emergency access accounts] }
    applications: { includeApplications: [Office 365 Exchange Online] }
    clientAppTypes: [all]
  sessionControls: { persistentBrowser: { isEnabled: true, mode: never } }
`,
  ),
  'disabled-user-reference': policyYaml(
    'disabled-user-reference',
    `  state: enabledForReportingButNotEnforced
  conditions:
    users: { includeUsers: [ethan.brooks@contoso.onmicrosoft.com] }
    applications: { includeApplications: [All] }
    clientAppTypes: [all]
  grantControls: { operator: OR, builtInControls: [mfa] }
`,
  ),
};

const NO_METHODS = `apiVersion: accord.dev/v1alpha1
kind: AuthenticationMethodsPolicy
metadata:
  name: authentication-methods
spec:
  authenticationMethodConfigurations:
    email:
      state: disabled
    microsoftAuthenticator:
      state: disabled
`;

describe('semantic lint and lockout guard through the CLI', () => {
  let repo: string;
  let tenant: CliTenant;

  async function stateHash(): Promise<string> {
    const response = await fetch(`${tenant.ready.url}/_accord/tenants/${tenant.ready.tenantId}/state-hash`, {
      headers: { 'x-accord-admin-key': tenant.ready.adminKey },
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { hash: string }).hash;
  }

  before(async () => {
    repo = copyExampleRepository({ prefix: 'guard' });
    tenant = await spawnCliTenant({ dataDir: join(repo, '.accord', 'local-tenant') });
  });

  after(async () => {
    await tenant.kill('SIGTERM');
    rmSync(repo, { recursive: true, force: true });
  });

  it('the example repository passes lint and the guard, and applies', async () => {
    const lint = await accord(['lint', '--dir', repo]);
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
    assert.doesNotMatch(lint.stdout, /error\[/);
    const plan = await accord(['plan', '--dir', repo]);
    assert.equal(plan.code, 2, plan.stdout + plan.stderr);
    assert.doesNotMatch(plan.stdout, /lockout/);
    const apply = await accord(['apply', '--dir', repo, '--auto-approve']);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
  });

  it('apply refuses a policy that blocks all users without excluding break-glass, and writes nothing', async () => {
    const before = await stateHash();
    writeFileSync(join(repo, 'conditional-access', 'block-everyone.yaml'), BLOCK_ALL);
    const run = await accord(['apply', '--dir', repo, '--auto-approve']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      /block-everyone\.yaml:1:1: error\[lockout-break-glass\]: lockout: break-glass account breakglass1@contoso\.onmicrosoft\.com would be blocked by 'block-everyone'/,
    );
    assert.match(run.stderr, /exclude the Emergency access accounts group from 'block-everyone'/);
    assert.match(run.stderr, /error\[lockout-admins\]/);
    assert.match(run.stderr, /Nothing was applied/);
    assert.equal(await stateHash(), before);
    const plan = await accord(['plan', '--dir', repo]);
    assert.equal(plan.code, 1);
    assert.match(plan.stdout, /error\[lockout-break-glass\]/);
    rmSync(join(repo, 'conditional-access', 'block-everyone.yaml'));
  });

  it('lint reports each rule with file:line', async () => {
    const token = await fetchToken(tenant.ready, 'writer');
    const patch = await fetch(`${tenant.ready.graphUrl}/users/ethan.brooks@contoso.onmicrosoft.com`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ accountEnabled: false }),
    });
    assert.equal(patch.status, 204);
    writeFileSync(join(repo, 'conditional-access', 'block-everyone.yaml'), BLOCK_ALL);
    for (const [name, text] of Object.entries(RULE_CASES))
      writeFileSync(join(repo, 'conditional-access', `${name}.yaml`), text);
    writeFileSync(join(repo, 'authentication-methods', 'authentication-methods.yaml'), NO_METHODS);
    const run = await accord(['lint', '--dir', repo]);
    assert.equal(run.code, 1, run.stderr);
    const expected: [file: string, severity: string, code: string][] = [
      ['block-everyone', 'error', 'break-glass-not-excluded'],
      ['block-everyone', 'error', 'block-everyone'],
      ['block-everyone', 'warning', 'create-enabled'],
      ['block-everyone', 'error', 'lockout-break-glass'],
      ['require-mfa-all-users', 'error', 'mfa-no-usable-method'],
      ...Object.keys(RULE_CASES).map((name): [string, string, string] => [
        name,
        name.startsWith('disabled') || name.startsWith('persistent') ? 'warning' : 'error',
        name,
      ]),
    ];
    for (const [file, severity, code] of expected) {
      assert.match(
        run.stdout,
        new RegExp(`${file}\\.yaml:\\d+:\\d+: ${severity}\\[${code}\\]`),
        `${code} in ${file}\n${run.stdout}`,
      );
    }
  });
});
