import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  createCredential,
  CredentialConfigError,
  githubActionsAssertion,
  settingsFromEnvironment,
  type CredentialSettings,
} from './credentials.ts';

const TENANT = '11111111-1111-1111-1111-111111111111';
const CLIENT = '22222222-2222-2222-2222-222222222222';
const base: CredentialSettings = {
  kind: 'clientSecret',
  tenantId: TENANT,
  clientId: CLIENT,
  authorityHost: 'https://localhost:4040',
  disableInstanceDiscovery: true,
};

describe('createCredential', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-cred-'));
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, 'header.payload.signature');

  it('builds each kind of credential', () => {
    assert.ok(createCredential({ ...base, clientSecret: 's3cret-value' }) instanceof ClientSecretCredential);
    assert.ok(
      createCredential({ ...base, kind: 'certificate', certificatePath: join(dir, 'cert.pem') }) instanceof
        ClientCertificateCredential,
    );
    assert.ok(
      createCredential({ ...base, kind: 'workloadIdentity', tokenFile }) instanceof
        WorkloadIdentityCredential,
    );
    assert.ok(createCredential({ ...base, kind: 'managedIdentity' }) instanceof ManagedIdentityCredential);
    assert.ok(
      createCredential({ ...base, kind: 'managedIdentity', clientId: undefined }) instanceof
        ManagedIdentityCredential,
    );
    assert.ok(
      createCredential({
        ...base,
        kind: 'clientAssertion',
        getAssertion: () => Promise.resolve('a'),
      }) instanceof ClientAssertionCredential,
    );
    assert.ok(createCredential({ ...base, kind: 'githubOidc' }, {}) instanceof ClientAssertionCredential);
  });

  it('workload identity falls back to AZURE_FEDERATED_TOKEN_FILE', () => {
    const credential = createCredential(
      { ...base, kind: 'workloadIdentity' },
      { AZURE_FEDERATED_TOKEN_FILE: tokenFile },
    );
    assert.ok(credential instanceof WorkloadIdentityCredential);
  });

  it('reports what is missing as a CredentialConfigError', () => {
    assert.throws(() => createCredential({ ...base }), CredentialConfigError);
    assert.throws(() => createCredential({ ...base, clientId: undefined, clientSecret: 'x' }), /clientId/);
    assert.throws(() => createCredential({ ...base, kind: 'certificate' }), /certificatePath/);
    assert.throws(
      () => createCredential({ ...base, kind: 'workloadIdentity' }, {}),
      /AZURE_FEDERATED_TOKEN_FILE/,
    );
    assert.throws(() => createCredential({ ...base, kind: 'environment' }, {}), /AZURE_CLIENT_SECRET/);
  });

  it('environment picks a secret, then a certificate, then a federated token file', () => {
    const env = { AZURE_TENANT_ID: 't2', AZURE_CLIENT_ID: 'c2' };
    const secret = settingsFromEnvironment(
      { ...base, kind: 'environment' },
      { ...env, AZURE_CLIENT_SECRET: 'xyz' },
    );
    assert.equal(secret.kind, 'clientSecret');
    assert.equal(secret.tenantId, 't2');
    assert.equal(secret.clientId, 'c2');
    assert.equal(secret.authorityHost, 'https://localhost:4040');
    assert.equal(
      settingsFromEnvironment(
        { ...base, kind: 'environment' },
        { ...env, AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' },
      ).kind,
      'certificate',
    );
    assert.equal(
      settingsFromEnvironment(
        { ...base, kind: 'environment' },
        { ...env, AZURE_FEDERATED_TOKEN_FILE: tokenFile },
      ).kind,
      'workloadIdentity',
    );
    const credential = createCredential(
      { ...base, kind: 'environment' },
      { ...env, AZURE_CLIENT_SECRET: 'xyz' },
    );
    assert.ok(credential instanceof ClientSecretCredential);
  });
});

describe('githubActionsAssertion', () => {
  it("asks GitHub's OIDC endpoint for a token with the AzureADTokenExchange audience", async () => {
    const requests: { url: string; authorization: string | undefined }[] = [];
    const server = createServer((req, res) => {
      requests.push({ url: req.url!, authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ value: 'gh-oidc-token' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const token = await githubActionsAssertion({
        env: {
          ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/_apis/token?api-version=2.0`,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
        },
      });
      assert.equal(token, 'gh-oidc-token');
      assert.equal(requests.length, 1);
      const url = new URL(requests[0]!.url, 'http://x');
      assert.equal(url.pathname, '/_apis/token');
      assert.equal(url.searchParams.get('api-version'), '2.0');
      assert.equal(url.searchParams.get('audience'), 'api://AzureADTokenExchange');
      assert.equal(requests[0]!.authorization, 'bearer request-token');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('explains the missing id-token permission', async () => {
    await assert.rejects(githubActionsAssertion({ env: {} }), /id-token: write/);
  });

  it('reports a failing endpoint by status only', async () => {
    const fake: typeof fetch = () => Promise.resolve(new Response('secret echo', { status: 403 }));
    await assert.rejects(
      githubActionsAssertion({
        env: {
          ACTIONS_ID_TOKEN_REQUEST_URL: 'https://gh.example/t?x=1',
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'r',
        },
        fetch: fake,
      }),
      (err: Error) => err.message === "GitHub's OIDC token endpoint answered 403",
    );
  });
});
