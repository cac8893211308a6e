/**
 * A seed file's `signIn` settings: bad addresses are reported with file and line, and a valid table decides the
 * address and country a loopback sign-in is evaluated and logged with. Also: a user's own app from the seed file.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseSeedFile, SeedFileError } from '../../src/tenant/seed/seed-file.ts';
import { startTestTenant } from '../helpers/local-tenant.ts';

const SEED = `
tenant: { displayName: Tailwind, domain: tailwind.onmicrosoft.com }
users:
  - userPrincipalName: ana@tailwind.onmicrosoft.com
    displayName: Ana Lopez
    password: Tailw1nd!
applications:
  - displayName: Tailwind Portal
    appId: 5b1c0c1e-9a52-4a54-9d3c-1f0f3c2b7e11
    redirectUris: ['http://localhost:5173/auth/callback']
    publicClient: true
signIn:
  loopbackAddress: 203.0.113.10
  addressCountries:
    - { range: 203.0.113.0/24, country: CA }
`;

describe('sign-in settings from a seed file', { timeout: 60_000 }, () => {
  it('reports a bad loopback address or range with its line', () => {
    const bad = `signIn:\n  loopbackAddress: localhost\n  addressCountries:\n    - { range: 10.0.0.0/99, country: US }\n`;
    assert.throws(
      () => parseSeedFile(bad, 'tenant.yaml'),
      (err: unknown) =>
        err instanceof SeedFileError &&
        /tenant\.yaml:2:\d+: signIn\.loopbackAddress: 'localhost' is not an IPv4 or IPv6 address/.test(
          err.message,
        ) &&
        /tenant\.yaml:4:\d+: signIn\.addressCountries\[0\]\.range: '10\.0\.0\.0\/99' is not an address or a CIDR range/.test(
          err.message,
        ),
    );
  });

  it("signs in to the seed's own app from the configured address and country", async () => {
    const t = await startTestTenant({ seeds: [parseSeedFile(SEED, 'tenant.yaml')] });
    try {
      const verifier = randomBytes(32).toString('base64url');
      const base = `${t.tenant.origin}/${t.tenantId}`;
      const params = new URLSearchParams({
        client_id: '5b1c0c1e-9a52-4a54-9d3c-1f0f3c2b7e11',
        response_type: 'code',
        redirect_uri: 'http://localhost:5173/auth/callback',
        scope: 'openid',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      });
      const page = await (await fetch(`${base}/oauth2/v2.0/authorize?${params.toString()}`)).text();
      const flow = /name="flow" value="([^"]+)"/.exec(page)![1]!;
      const post = (fields: Record<string, string>): Promise<Response> =>
        fetch(`${base}/_accord/signin`, {
          method: 'POST',
          body: new URLSearchParams({ flow, ...fields }),
          redirect: 'manual',
        });
      await (await post({ step: 'username', username: 'ana@tailwind.onmicrosoft.com' })).text();
      const done = await post({ step: 'password', password: 'Tailw1nd!' });
      assert.equal(done.status, 302);
      assert.match(done.headers.get('location')!, /^http:\/\/localhost:5173\/auth\/callback\?code=/);
      const log = await t.graph('GET', '/auditLogs/signIns', undefined, { app: 'reader' });
      const [entry] = log.body.value;
      assert.equal(entry.ipAddress, '203.0.113.10');
      assert.equal(entry.location.countryOrRegion, 'CA');
      assert.equal(entry.appDisplayName, 'Tailwind Portal');
    } finally {
      await t.close();
    }
  });
});
