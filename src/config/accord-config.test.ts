import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig, parseConfig, resolveTenantConfig } from './accord-config.ts';

function writeRepo(yaml: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-config-'));
  if (yaml !== undefined) writeFileSync(join(dir, 'accord.yaml'), yaml);
  return dir;
}

const VALID = `tenants:
  prod:
    tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47
    clientId: 0f3e2a1b-0000-0000-0000-000000000001
    credential:
      kind: clientSecret
      secretEnv: ACCORD_PROD_SECRET
    rateLimit:
      conditionalAccessPerSecond: 0.8
  ci:
    credential:
      kind: githubOidc
defaultTenant: prod
safety:
  breakGlass:
    users: [bg1@contoso.com]
    groups: [Emergency access accounts]
prune: true
`;

describe('loadConfig', () => {
  it('uses defaults without accord.yaml: the embedded local tenant, no pruning', () => {
    const dir = writeRepo(undefined);
    const { config, diagnostics } = loadConfig(dir);
    assert.deepEqual(diagnostics, []);
    assert.equal(config.prune, false);
    assert.deepEqual(config.tenants, {});
    const { target } = resolveTenantConfig(config, undefined, {});
    assert.deepEqual(target, { kind: 'embedded', name: 'local', dataDir: join(dir, '.accord/local-tenant') });
  });

  it('reads tenants, safety and prune', () => {
    const { config, diagnostics } = loadConfig(writeRepo(VALID));
    assert.deepEqual(diagnostics, []);
    assert.equal(config.prune, true);
    assert.deepEqual(config.safety.breakGlass, {
      users: ['bg1@contoso.com'],
      groups: ['Emergency access accounts'],
    });
    assert.equal(config.defaultTenant, 'prod');
    assert.equal(config.source?.tenants.prod?.line, 2);
    assert.equal(config.source?.tenants.ci?.line, 10);
  });

  it('reports YAML syntax errors with file and line', () => {
    const dir = writeRepo('tenants:\n  prod: [unclosed\nprune: false\n');
    const { diagnostics } = loadConfig(dir);
    assert.equal(diagnostics.length > 0, true);
    assert.equal(diagnostics[0]!.code, 'config-yaml');
    assert.equal(diagnostics[0]!.location?.file, join(dir, 'accord.yaml'));
    assert.ok((diagnostics[0]!.location?.line ?? 0) >= 2);
  });

  it('reports every schema error at once, each at its line', () => {
    const text = `tenants:
  prod:
    credential:
      kind: password
    rateLimit:
      conditionalAccessPerSecond: -1
prnue: true
safety:
  breakGlass:
    users: bg@contoso.com
`;
    const { diagnostics } = parseConfig(text, '/repo/accord.yaml', '/repo');
    const byLine = diagnostics
      .map((d) => [d.location?.line, d.code, d.summary] as const)
      .sort((a, b) => a[0]! - b[0]!);
    assert.deepEqual(
      byLine.map(([line]) => line),
      [4, 6, 7, 10],
      JSON.stringify(byLine),
    );
    assert.ok(
      diagnostics.every((d) => d.code === 'config-schema' && d.location?.file === '/repo/accord.yaml'),
    );
    assert.match(byLine[0]![2], /kind must be one of: clientSecret/);
    assert.match(byLine[2]![2], /Unknown setting 'prnue'/);
  });

  it('reports a defaultTenant that names no tenant', () => {
    const { diagnostics } = parseConfig('defaultTenant: nope\n', '/r/accord.yaml', '/r');
    assert.equal(diagnostics[0]!.code, 'config-unknown-tenant');
    assert.equal(diagnostics[0]!.location?.line, 1);
  });
});

describe('resolveTenantConfig', () => {
  const { config } = parseConfig(VALID, '/repo/accord.yaml', '/repo');

  it('completes the default tenant from the environment, the secret only from its variable', () => {
    const { target, diagnostics } = resolveTenantConfig(config, undefined, {
      ACCORD_PROD_SECRET: 'from-env-secret',
    });
    assert.deepEqual(diagnostics, []);
    assert.equal(target?.kind, 'graph');
    if (target?.kind !== 'graph') return;
    assert.equal(target.graphUrl, 'https://graph.microsoft.com/v1.0');
    assert.equal(target.conditionalAccessPerSecond, 0.8);
    assert.equal(target.credential.kind, 'clientSecret');
    assert.equal(target.credential.clientSecret, 'from-env-secret');
    assert.equal(target.credential.authorityHost, 'https://login.microsoftonline.com');
    assert.deepEqual(target.secrets, ['from-env-secret']);
  });

  it('fills tenant and client ids from AZURE_* variables', () => {
    const env = {
      AZURE_TENANT_ID: 'tid',
      AZURE_CLIENT_ID: 'cid',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://gh.example/token',
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us',
    };
    const { target } = resolveTenantConfig(config, 'ci', env);
    assert.equal(target?.kind, 'graph');
    if (target?.kind !== 'graph') return;
    assert.equal(target.credential.tenantId, 'tid');
    assert.equal(target.credential.clientId, 'cid');
    assert.equal(target.credential.kind, 'githubOidc');
    assert.equal(target.credential.authorityHost, 'https://login.microsoftonline.us');
  });

  it('says what is missing, at the tenant line', () => {
    const { target, diagnostics } = resolveTenantConfig(config, 'ci', {});
    assert.equal(target, undefined);
    assert.deepEqual(
      diagnostics.map((d) => d.summary),
      [
        "Tenant 'ci' (credential githubOidc) needs tenantId (or AZURE_TENANT_ID)",
        "Tenant 'ci' (credential githubOidc) needs clientId (or AZURE_CLIENT_ID)",
        "Tenant 'ci' (credential githubOidc) needs ACTIONS_ID_TOKEN_REQUEST_URL (give the job `permissions: id-token: write`)",
      ],
    );
    assert.equal(diagnostics[0]!.location?.line, 10);
    const secretless = resolveTenantConfig(config, 'prod', {});
    assert.match(secretless.diagnostics[0]!.summary, /ACCORD_PROD_SECRET/);
  });

  it('knows the embedded tenant and rejects unknown names', () => {
    assert.equal(resolveTenantConfig(config, 'local', {}).target?.kind, 'embedded');
    const unknown = resolveTenantConfig(config, 'staging', {});
    assert.equal(unknown.diagnostics[0]!.code, 'config-unknown-tenant');
    assert.match(unknown.diagnostics[0]!.detail!, /local, prod, ci/);
  });
});
