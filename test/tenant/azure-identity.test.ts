/**
 * The real `@azure/identity` credentials against the local tenant over HTTPS (graph-contract §7.5): MSAL only
 * accepts https authorities, so the server runs with its generated certificate and the test process trusts it
 * through `tls.setDefaultCACertificates` (Node 24), which both `fetch` and `https.request` (MSAL) honour.
 */
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { generate } from 'selfsigned';
import { certificateThumbprint } from '../../src/tenant/auth.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

const SCOPE = 'https://graph.microsoft.com/.default';
/** MSAL Node (via @azure/identity 4.x) signs certificate assertions with PS256 and names the certificate by `x5t#S256`. */

describe('local tenant: @azure/identity credentials', () => {
  let t: TestTenant;
  let previousCas: string[];
  before(async () => {
    t = await startTestTenant({ https: true });
    previousCas = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...previousCas, t.tenant.caCertificate!]);
  });
  after(async () => {
    tls.setDefaultCACertificates(previousCas);
    await t.close();
  });

  function writer(): { clientId: string; clientSecret: string } {
    return t.summary.apps.find((a) => a.displayName === 'accord-writer')!;
  }

  const options = (): { authorityHost: string; disableInstanceDiscovery: boolean } => ({
    authorityHost: t.tenant.origin,
    disableInstanceDiscovery: true,
  });

  it('fetch trusts the server certificate after setDefaultCACertificates', async () => {
    const response = await fetch(`${t.tenant.origin}/`);
    assert.equal(response.status, 200);
  });

  it('ClientSecretCredential gets a token that works on GET /v1.0/users', async () => {
    const app = writer();
    const credential = new ClientSecretCredential(t.tenantId, app.clientId, app.clientSecret, options());
    const token = await credential.getToken(SCOPE);
    assert.ok(token.token.split('.').length === 3);
    assert.ok(token.expiresOnTimestamp > Date.now());
    const reply = await t.graph('GET', '/users', undefined, { token: token.token });
    // The users route belongs to another module; the token must at least be accepted (never 401/403).
    assert.ok(reply.status === 200, `GET /users answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    assert.ok(Array.isArray(reply.body.value));
  });

  it('a wrong secret fails with an AuthenticationError naming AADSTS7000215', async () => {
    const app = writer();
    const credential = new ClientSecretCredential(t.tenantId, app.clientId, 'not-the-secret', options());
    await assert.rejects(credential.getToken(SCOPE), (err: Error) => {
      assert.match(err.name, /AuthenticationError|CredentialUnavailableError|AuthenticationRequiredError/);
      assert.match(err.message, /7000215|invalid_client/);
      return true;
    });
  });

  it('ClientCertificateCredential gets a token with a certificate registered on the app', async () => {
    const pems = await generate([{ name: 'commonName', value: 'accord-writer' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    const app = t.tenant.registry.findApp(t.tenantId, writer().clientId)!;
    t.tenant.registry.saveApp(t.tenantId, {
      ...app,
      _certificates: [...app._certificates, { thumbprint: certificateThumbprint(pems.cert), pem: pems.cert }],
    });
    const credential = new ClientCertificateCredential(
      t.tenantId,
      app.appId,
      { certificate: `${pems.private}\n${pems.cert}` },
      options(),
    );
    const token = await credential.getToken(SCOPE);
    const reply = await t.graph('GET', '/policies/authenticationMethodsPolicy', undefined, {
      token: token.token,
    });
    assert.equal(reply.status, 200);
  });

  it('ClientCertificateCredential with an unregistered certificate fails', async () => {
    const pems = await generate([{ name: 'commonName', value: 'stranger' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    const credential = new ClientCertificateCredential(
      t.tenantId,
      writer().clientId,
      { certificate: `${pems.private}\n${pems.cert}` },
      options(),
    );
    await assert.rejects(credential.getToken(SCOPE), (err: Error) => {
      assert.match(err.name, /Authentication(Required)?Error/);
      assert.match(err.message, /700027/);
      return true;
    });
  });
});
