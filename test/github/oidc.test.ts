/**
 * Sign-in without secrets, end to end: a local OIDC issuer signs an Actions-style ID token, the local tenant's writer
 * app trusts that issuer and subject (a federated credential, keys found by OIDC discovery), accord exchanges the
 * assertion for a Graph token (`credential.kind: githubOidc`, ClientAssertionCredential over HTTPS) and plans.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { main } from '../../src/cli/main.ts';
import { AZURE_AD_TOKEN_EXCHANGE_AUDIENCE, createCredential } from '../../src/graph/credentials.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';
import { startOidcIssuer, type OidcIssuer } from './oidc-issuer.ts';

const SCOPE = 'https://graph.microsoft.com/.default';
const PR_SUBJECT = 'repo:contoso/policies:pull_request';

describe('GitHub OIDC → Entra workload identity federation → plan', () => {
  let t: TestTenant;
  let oidc: OidcIssuer;
  let previousCas: string[];
  let appId: string;
  const savedEnv = { ...process.env };

  before(async () => {
    t = await startTestTenant({ https: true });
    previousCas = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...previousCas, t.tenant.caCertificate!]);
    oidc = await startOidcIssuer(PR_SUBJECT);
    appId = t.summary.apps.find((a) => a.displayName === 'accord-writer')!.clientId;
    const app = t.tenant.registry.findApp(t.tenantId, appId)!;
    t.tenant.registry.saveApp(t.tenantId, {
      ...app,
      _federatedCredentials: [
        {
          name: 'github-pull-requests',
          issuer: oidc.issuer,
          subject: PR_SUBJECT,
          audiences: [AZURE_AD_TOKEN_EXCHANGE_AUDIENCE],
        },
      ],
    });
  });
  after(async () => {
    process.env = savedEnv;
    tls.setDefaultCACertificates(previousCas);
    await oidc.close();
    await t.close();
  });

  const credential = (): ReturnType<typeof createCredential> =>
    createCredential(
      {
        kind: 'githubOidc',
        tenantId: t.tenantId,
        clientId: appId,
        authorityHost: t.tenant.origin,
        disableInstanceDiscovery: true,
      },
      { ...oidc.jobEnv },
    );

  it('`accord plan` with credential.kind githubOidc signs in with no secret and plans', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-oidc-'));
    cpSync(new URL('../../policies', import.meta.url), dir, {
      recursive: true,
      filter: (source) => !source.includes('.accord'),
    });
    writeFileSync(
      join(dir, 'accord.yaml'),
      [
        'tenants:',
        '  ci:',
        `    graphUrl: ${t.tenant.origin}/v1.0`,
        `    authorityHost: ${t.tenant.origin}`,
        '    disableInstanceDiscovery: true',
        `    tenantId: ${t.tenantId}`,
        `    clientId: ${appId}`,
        '    credential:',
        '      kind: githubOidc',
        'defaultTenant: ci',
        '',
      ].join('\n'),
    );
    Object.assign(process.env, oidc.jobEnv);
    const out = join(dir, 'plan.json');
    const code = await main(['plan', '--dir', dir, '--out', out, '--output', 'json']);
    assert.equal(code, 2, 'the example policies are not in the demo tenant yet: changes');
    const plan = JSON.parse(readFileSync(out, 'utf8')) as {
      tenant: { name: string; id: string };
      summary: { create: number };
    };
    assert.deepEqual(plan.tenant, { name: 'ci', id: t.tenantId });
    assert.ok(plan.summary.create > 0);
  });

  it('refuses a token for another subject (AADSTS70021)', async () => {
    oidc.claims.sub = 'repo:contoso/policies:ref:refs/heads/feature';
    try {
      await assert.rejects(credential().getToken(SCOPE), /70021/);
    } finally {
      oidc.claims.sub = PR_SUBJECT;
    }
  });

  it('refuses a token for another audience (AADSTS700211)', async () => {
    oidc.claims.aud = 'api://not-entra';
    try {
      await assert.rejects(credential().getToken(SCOPE), /700211/);
    } finally {
      delete oidc.claims.aud;
    }
  });

  it('the right token works', async () => {
    const token = await credential().getToken(SCOPE);
    const reply = await t.graph('GET', '/identity/conditionalAccess/policies', undefined, {
      token: token!.token,
    });
    assert.equal(reply.status, 200);
  });
});
