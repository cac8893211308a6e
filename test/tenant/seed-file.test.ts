import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSeedFile, SeedFileError } from '../../src/tenant/seed/seed-file.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

const dir = mkdtempSync(join(tmpdir(), 'accord-seed-'));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const VALID = `tenant:
  displayName: Tailwind
  domain: tailwind.onmicrosoft.com
users:
  - userPrincipalName: ana@tailwind.onmicrosoft.com
    displayName: Ana Lopez
    password: Passw0rd!
    authenticationMethods: [password, microsoftAuthenticatorPush]
  - userPrincipalName: bo@tailwind.onmicrosoft.com
    displayName: Bo Berg
    accountEnabled: false
groups:
  - displayName: Everyone
    members: [Admins, bo@tailwind.onmicrosoft.com]
  - displayName: Admins
    members: [ana@tailwind.onmicrosoft.com]
roleAssignments:
  - role: Global Administrator
    principal: ana@tailwind.onmicrosoft.com
applications:
  - displayName: Tailwind Portal
    tags: [WindowsAzureActiveDirectoryIntegratedApp]
`;

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SeedFileError, String(err));
    return err.problems;
  }
  assert.fail('expected a SeedFileError');
}

describe('seed files', () => {
  it('loads a valid file with defaults', () => {
    const seed = loadSeedFile(write('valid.yaml', VALID));
    assert.equal(seed.tenant.flavor, 'workforce');
    assert.equal(seed.tenant.domain, 'tailwind.onmicrosoft.com');
    assert.equal(seed.users.length, 2);
    assert.deepEqual(seed.externalTenants, []);
    assert.deepEqual(
      seed.appRegistrations.map((a) => a.displayName),
      ['accord-reader', 'accord-writer'],
    );
  });

  it('defaults the tenant when it is absent', () => {
    const seed = loadSeedFile(write('minimal.yaml', 'users: []\n'));
    assert.equal(seed.tenant.domain, 'contoso.onmicrosoft.com');
  });

  it('reports every schema problem with file, line and column', () => {
    const path = write(
      'bad.yaml',
      `tenant:
  flavor: hybrid
users:
  - userPrincipalName: ana@tailwind.onmicrosoft.com
    userType: Visitor
  - displayName: No UPN
    favouriteColour: blue
`,
    );
    const problems = problemsOf(() => loadSeedFile(path));
    assert.ok(
      problems.some(
        (p) =>
          p ===
          `${path}:2:11: tenant.flavor: must be equal to one of the allowed values (workforce, external)`,
      ),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith(`${path}:4:5: users[0].displayName: is required`)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith(`${path}:5:15: users[0].userType:`)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith(`${path}:6:5: users[1].userPrincipalName: is required`)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith(`${path}:7:5: users[1].favouriteColour: is not a known property`)),
      problems.join('\n'),
    );
  });

  it('reports unresolvable names and unknown roles with positions', () => {
    const path = write(
      'refs.yaml',
      `users:
  - userPrincipalName: ana@contoso.onmicrosoft.com
    displayName: Ana
groups:
  - displayName: G
    members: [ana@contoso.onmicrosoft.com, ghost@contoso.onmicrosoft.com]
roleAssignments:
  - role: Chief Wizard
    principal: G
`,
    );
    const problems = problemsOf(() => loadSeedFile(path));
    assert.deepEqual(problems, [
      `${path}:6:44: groups[0].members[1]: 'ghost@contoso.onmicrosoft.com' is neither a user nor a group in this file`,
      `${path}:8:11: roleAssignments[0].role: unknown built-in role 'Chief Wizard'`,
    ]);
  });

  it('reports YAML syntax errors with positions', () => {
    const path = write('syntax.yaml', 'users:\n  - displayName: [unclosed\n');
    const problems = problemsOf(() => loadSeedFile(path));
    assert.match(
      problems[0]!,
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: \\(yaml\\): `),
    );
  });

  it('reports a missing file', () => {
    const problems = problemsOf(() => loadSeedFile(join(dir, 'nope.yaml')));
    assert.match(problems[0]!, /cannot be read/);
  });
});

describe('seed files: served by the local tenant', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant({ seeds: [loadSeedFile(write('served.yaml', VALID))] });
  });
  after(() => t.close());

  it('serves the seeded users, nesting and roles', async () => {
    const users = await t.graph('GET', '/users');
    assert.equal(users.body.value.length, 2);
    const everyone = (await t.graph('GET', "/groups?$filter=displayName eq 'Everyone'")).body.value[0];
    const members = await t.graph('GET', `/groups/${everyone.id}/transitiveMembers`);
    assert.equal(members.body.value.length, 3);
    const roles = await t.graph('GET', '/directoryRoles');
    assert.deepEqual(
      roles.body.value.map((r: { displayName: string }) => r.displayName),
      ['Global Administrator'],
    );
  });
});
