/**
 * `accord export` and `accord adopt` end to end: the real CLI as a child process against the embedded local tenant
 * of a temporary policy repository. The bar: right after `export`, `plan` shows zero changes — on the demo tenant
 * after applying the example repository, and on a tenant filled through Graph with policies using many properties.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Plan } from '../../src/core/plan.ts';
import { runAccord } from '../helpers/cli.ts';
import { fetchToken, spawnCliTenant, type CliTenant } from '../reliability/cli-tenant.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const runCli = runAccord;
const EXAMPLES = join(ROOT, 'policies');

async function planJson(dir: string): Promise<{ code: number; plan: Plan; stderr: string }> {
  const result = await runCli(['plan', '--dir', dir, '--output', 'json']);
  assert.notEqual(result.stdout, '', `plan printed nothing: ${result.stderr}`);
  return { code: result.code, plan: JSON.parse(result.stdout) as Plan, stderr: result.stderr };
}

function assertNoChanges(plan: Plan): void {
  const changed = plan.changes.filter((c) => c.action !== 'no-op');
  assert.deepEqual(
    changed.map((c) => ({ kind: c.kind, name: c.name, action: c.action, fields: c.fields })),
    [],
  );
  assert.deepEqual(
    plan.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.ok(plan.summary.noOp > 0);
}

/** A repository with the example manifests (not its tenant state). */
function copyExamples(into: string): void {
  cpSync(EXAMPLES, into, { recursive: true, filter: (src) => !src.includes(`${join(EXAMPLES, '.accord')}`) });
}

function manifestFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml') && !f.startsWith('.accord') && f !== 'accord.yaml')
    .sort();
}

function removeManifests(dir: string): void {
  for (const file of manifestFiles(dir)) rmSync(join(dir, file));
}

const temps: string[] = [];
function makeTemp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-export-'));
  temps.push(dir);
  return dir;
}
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('accord export on the demo tenant', () => {
  let repo: string;
  before(async () => {
    repo = makeTemp();
    copyExamples(repo);
    const applied = await runCli(['apply', '--dir', repo, '--auto-approve']);
    assert.equal(applied.code, 0, applied.stderr);
    removeManifests(repo);
  });

  it('writes pinned manifests after which plan shows zero changes', async () => {
    const result = await runCli(['export', '--dir', repo]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(manifestFiles(repo), [
      'authentication-methods/authentication-methods.yaml',
      'conditional-access/block-legacy-authentication-report-only.yaml',
      'conditional-access/require-mfa-for-all-users.yaml',
      'conditional-access/require-mfa-for-guests-on-azure-management.yaml',
      'cross-tenant-access/cross-tenant-access.yaml',
      'named-locations/contoso-headquarters.yaml',
    ]);
    const policy = readFileSync(join(repo, 'conditional-access/require-mfa-for-all-users.yaml'), 'utf8');
    assert.match(policy, /accord\.dev\/id: [0-9a-f-]{36}/);
    assert.match(policy, /excludeGroups: \[Emergency access accounts\]/);
    assert.doesNotMatch(policy, /yaml-language-server/, 'no schema hint outside the accord repository');
    const { code, plan } = await planJson(repo);
    assertNoChanges(plan);
    assert.equal(plan.summary.unmanaged, 0);
    assert.equal(code, 0);
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    const file = join(repo, 'named-locations/contoso-headquarters.yaml');
    writeFileSync(file, '# edited by hand\n');
    const refused = await runCli(['export', '--dir', repo]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /would overwrite 6 existing files; nothing was written/);
    assert.equal(readFileSync(file, 'utf8'), '# edited by hand\n');
    const forced = await runCli(['export', '--dir', repo, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(file, 'utf8'), /displayName: Contoso headquarters/);
  });

  it('exports elsewhere with an accord.yaml that points back at the same tenant', async () => {
    const out = join(makeTemp(), 'copy');
    const result = await runCli(['export', '--dir', repo, '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(readFileSync(join(out, 'accord.yaml'), 'utf8'), /Emergency access accounts/);
    const { code, plan } = await planJson(out);
    assertNoChanges(plan);
    assert.equal(code, 0);
  });

  it('writes editor schema hints when the output is inside the accord repository', async () => {
    const out = mkdtempSync(join(ROOT, '.export-test-'));
    temps.push(out);
    const result = await runCli(['export', '--dir', repo, '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(join(out, 'named-locations/contoso-headquarters.yaml'), 'utf8');
    assert.equal(text.split('\n')[0], '# yaml-language-server: $schema=../../schemas/named-location.json');
    assert.ok(existsSync(join(out, 'named-locations', '../../schemas/named-location.json')));
  });
});

interface Graph {
  call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
}

async function connectGraph(server: CliTenant): Promise<Graph> {
  const token = await fetchToken(server.ready, 'writer');
  return {
    async call(method, path, body) {
      const response = await fetch(`${server.ready.graphUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
  };
}

async function create(graph: Graph, path: string, body: unknown): Promise<string> {
  const reply = await graph.call('POST', path, body);
  assert.ok(reply.status < 300, `POST ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return String(reply.body.id);
}

async function listIds(
  graph: Graph,
  path: string,
): Promise<{ id: string; displayName: string; appId?: string }[]> {
  const reply = await graph.call('GET', path);
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body.value as { id: string; displayName: string; appId?: string }[];
}

/** Named locations, a custom strength, policies using most properties, a partner and a method configuration. */
async function fillTenant(graph: Graph): Promise<void> {
  const users = await listIds(graph, '/users?$top=4&$select=id,displayName');
  const groups = await listIds(graph, '/groups?$select=id,displayName');
  const roles = await listIds(graph, '/directoryRoleTemplates');
  const apps = (await listIds(graph, '/servicePrincipals?$select=id,appId,displayName')).filter(
    (a) => a.displayName !== 'accord-writer' && a.displayName !== 'accord-reader',
  );
  const twins = [
    await create(graph, '/groups', {
      displayName: 'Project twins',
      mailEnabled: false,
      mailNickname: 'twins1',
      securityEnabled: true,
    }),
    await create(graph, '/groups', {
      displayName: 'Project twins',
      mailEnabled: false,
      mailNickname: 'twins2',
      securityEnabled: true,
    }),
  ];
  const office = await create(graph, '/identity/conditionalAccess/namedLocations', {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    displayName: 'Branch offices',
    isTrusted: true,
    ipRanges: [
      { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '198.51.100.0/24' },
      { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8:2::/48' },
    ],
  });
  const countries = await create(graph, '/identity/conditionalAccess/namedLocations', {
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    displayName: 'Blocked countries',
    countriesAndRegions: ['KP', 'IR'],
    includeUnknownCountriesAndRegions: true,
    countryLookupMethod: 'authenticatorAppGps',
  });
  const strength = await create(graph, '/policies/authenticationStrengthPolicies', {
    displayName: 'Phishing-resistant for admins',
    description: 'FIDO2 or Windows Hello',
    allowedCombinations: ['fido2', 'windowsHelloForBusiness'],
  });
  await create(graph, '/identity/conditionalAccess/policies', {
    displayName: 'Admins: phishing-resistant outside branch offices',
    state: 'enabledForReportingButNotEnforced',
    conditions: {
      users: {
        includeUsers: [users[0]!.id, users[1]!.id],
        excludeUsers: [users[2]!.id],
        includeRoles: [roles[0]!.id, roles[1]!.id],
        excludeGroups: [groups[0]!.id],
      },
      applications: {
        includeApplications: [apps[0]!.appId, apps[1]!.appId],
        excludeApplications: [apps[2]!.appId],
      },
      locations: { includeLocations: ['All'], excludeLocations: [office, 'AllTrusted'] },
      platforms: { includePlatforms: ['all'], excludePlatforms: ['iOS', 'macOS'] },
      signInRiskLevels: ['high', 'medium'],
      userRiskLevels: ['high'],
      clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'],
    },
    grantControls: { operator: 'OR', authenticationStrength: { id: strength } },
    sessionControls: {
      signInFrequency: { isEnabled: true, type: 'hours', value: 4, frequencyInterval: 'timeBased' },
      persistentBrowser: { isEnabled: true, mode: 'never' },
    },
  });
  await create(graph, '/identity/conditionalAccess/policies', {
    displayName: 'Block sign-ins from blocked countries',
    state: 'enabled',
    conditions: {
      users: { includeUsers: ['All'], excludeGroups: [groups[0]!.id, twins[0]] },
      applications: { includeApplications: ['All'] },
      locations: { includeLocations: [countries] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  });
  await create(graph, '/identity/conditionalAccess/policies', {
    displayName: 'Compliant device and MFA for Office 365',
    state: 'disabled',
    conditions: {
      users: {
        includeGroups: [groups[1]!.id],
        includeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'b2bCollaborationGuest',
          externalTenants: { membershipKind: 'all' },
        },
      },
      applications: { includeApplications: ['Office365'] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'AND', builtInControls: ['mfa', 'compliantDevice'] },
    sessionControls: { applicationEnforcedRestrictions: { isEnabled: true } },
  });
  await create(graph, '/policies/crossTenantAccessPolicy/partners', {
    tenantId: '3d0e1f2a-4b5c-4d6e-8f90-a1b2c3d4e5f6',
    inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: true },
  });
  const patched = await graph.call(
    'PATCH',
    '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2',
    {
      '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
      state: 'enabled',
      includeTargets: [{ targetType: 'group', id: groups[0]!.id, isRegistrationRequired: false }],
    },
  );
  assert.ok(patched.status < 300, `PATCH Fido2: ${patched.status} ${JSON.stringify(patched.body)}`);
}

describe('accord export on a tenant filled through Graph', () => {
  let repo: string;
  let server: CliTenant;
  before(async () => {
    repo = makeTemp();
    server = await spawnCliTenant({ dataDir: join(repo, '.accord/local-tenant') });
    await fillTenant(await connectGraph(server));
  });
  after(async () => {
    await server.kill('SIGTERM');
  });

  it('round-trips: export then plan shows zero changes and nothing unmanaged', async () => {
    const result = await runCli(['export', '--dir', repo]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const files = manifestFiles(repo);
    assert.ok(
      files.includes('authentication-strengths/phishing-resistant-for-admins.yaml'),
      files.join(', '),
    );
    assert.ok(
      !files.some((f) => f.startsWith('authentication-strengths/multifactor')),
      'built-ins are not exported',
    );
    const admins = readFileSync(
      join(repo, 'conditional-access/admins-phishing-resistant-outside-branch-offices.yaml'),
      'utf8',
    );
    assert.match(
      admins,
      /excludeLocations: \[branch-offices, AllTrusted\]|excludeLocations: \[AllTrusted, branch-offices\]/,
    );
    assert.match(admins, /id: phishing-resistant-for-admins/);
    assert.match(admins, /includeUsers: \[[^\]]*@contoso\.onmicrosoft\.com/);
    const blocked = readFileSync(
      join(repo, 'conditional-access/block-sign-ins-from-blocked-countries.yaml'),
      'utf8',
    );
    assert.match(
      blocked,
      /excludeGroups: \[[^\]]*[0-9a-f]{8}-[0-9a-f]{4}/,
      'a shared group name stays an id',
    );
    const cross = readFileSync(join(repo, 'cross-tenant-access/cross-tenant-access.yaml'), 'utf8');
    assert.match(cross, /tenantId: 3d0e1f2a-4b5c-4d6e-8f90-a1b2c3d4e5f6/);
    const { code, plan } = await planJson(repo);
    assertNoChanges(plan);
    assert.equal(plan.summary.unmanaged, 0);
    assert.equal(code, 0);
  });
});

describe('accord adopt', () => {
  let repo: string;
  before(async () => {
    repo = makeTemp();
    copyExamples(repo);
    const applied = await runCli(['apply', '--dir', repo, '--auto-approve']);
    assert.equal(applied.code, 0, applied.stderr);
    // Forget what apply recorded: adopt must own what it pins.
    rmSync(join(repo, '.accord/inventory.json'));
    // Some changes for the plan to show: an edit, and a manifest the tenant does not have.
    const block = join(repo, 'conditional-access/block-legacy-authentication.yaml');
    writeFileSync(
      block,
      readFileSync(block, 'utf8').replace('state: enabledForReportingButNotEnforced', 'state: enabled'),
    );
    writeFileSync(
      join(repo, 'named-locations/branch.yaml'),
      'apiVersion: accord.dev/v1alpha1\nkind: NamedLocation\nmetadata:\n  name: branch\nspec:\n  displayName: Branch\n  ipRanges: [192.0.2.0/24]\n',
    );
  });

  const comparable = (plan: Plan): unknown =>
    plan.changes.map(({ kind, name, action, fields, id }) => ({ kind, name, action, fields, id }));

  it('--dry-run reports and writes nothing', async () => {
    const before = manifestFiles(repo).map((f) => readFileSync(join(repo, f), 'utf8'));
    const result = await runCli(['adopt', '--dir', repo, '--dry-run']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\(dry run\) pinned ConditionalAccessPolicy require-mfa-all-users/);
    assert.match(result.stdout, /Would pin 4 manifests; 1 not pinned/);
    assert.deepEqual(
      manifestFiles(repo).map((f) => readFileSync(join(repo, f), 'utf8')),
      before,
    );
    assert.equal(existsSync(join(repo, '.accord/inventory.json')), false);
  });

  it('pins ids in place, keeps comments, owns the objects, and leaves the plan as it was', async () => {
    const planBefore = await planJson(repo);
    assert.equal(planBefore.code, 2);
    const result = await runCli(['adopt', '--dir', repo]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /not pinned: NamedLocation branch \('Branch'\) matches no object/);
    const text = readFileSync(join(repo, 'conditional-access/require-mfa-all-users.yaml'), 'utf8');
    const original = readFileSync(join(EXAMPLES, 'conditional-access/require-mfa-all-users.yaml'), 'utf8');
    const id = /accord\.dev\/id: ([0-9a-f-]{36})/.exec(text)?.[1];
    assert.ok(id, text);
    assert.equal(text.replace(/ {2}annotations:\n {4}accord\.dev\/id: [0-9a-f-]{36}\n/, ''), original);
    const inventory = JSON.parse(readFileSync(join(repo, '.accord/inventory.json'), 'utf8')) as {
      tenants: Record<string, Record<string, Record<string, string>>>;
    };
    const owned = Object.values(inventory.tenants)[0]!;
    assert.equal(owned.ConditionalAccessPolicy?.[id], 'require-mfa-all-users');
    assert.equal(Object.keys(owned.NamedLocation ?? {}).length, 1);
    const planAfter = await planJson(repo);
    assert.equal(planAfter.code, 2);
    assert.deepEqual(comparable(planAfter.plan), comparable(planBefore.plan));
    const again = await runCli(['adopt', '--dir', repo]);
    assert.match(again.stdout, /Pinned 0 manifests/);
  });
});
