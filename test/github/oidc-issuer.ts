/**
 * A local stand-in for GitHub Actions' OIDC provider on loopback: OIDC discovery, a JWKS, and the job's token
 * request endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`, authorised by `ACTIONS_ID_TOKEN_REQUEST_TOKEN`) that signs an
 * Actions-style ID token for the requested audience.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface OidcIssuer {
  issuer: string;
  /** The environment a job with `id-token: write` gets. */
  jobEnv: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  /** The subject (and optionally a forced audience) of the next tokens. */
  claims: { sub: string; aud?: string };
  close(): Promise<void>;
}

export async function startOidcIssuer(sub = 'repo:contoso/policies:pull_request'): Promise<OidcIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'actions-1', use: 'sig', alg: 'RS256' };
  const requestToken = randomBytes(16).toString('hex');
  const claims: OidcIssuer['claims'] = { sub };
  let issuer = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration')
      return json(200, {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    if (url.pathname === '/.well-known/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/token') {
      if (req.headers.authorization?.toLowerCase() !== `bearer ${requestToken}`)
        return json(401, { message: 'no' });
      const audience = claims.aud ?? url.searchParams.get('audience') ?? '';
      void signToken(privateKey, { iss: issuer, sub: claims.sub, aud: audience }).then((value) =>
        json(200, { value }),
      );
      return;
    }
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jobEnv: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    },
    claims,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function signToken(key: CryptoKey, c: { iss: string; sub: string; aud: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    repository: 'contoso/policies',
    repository_owner: 'contoso',
    event_name: 'pull_request',
    ref: 'refs/pull/7/merge',
    job_workflow_ref: 'contoso/policies/.github/workflows/plan.yml@refs/pull/7/merge',
    runner_environment: 'github-hosted',
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'actions-1', typ: 'JWT' })
    .setIssuer(c.iss)
    .setSubject(c.sub)
    .setAudience(c.aud)
    .setIssuedAt(now)
    .setNotBefore(now - 5)
    .setExpirationTime(now + 300)
    .setJti(randomBytes(8).toString('hex'))
    .sign(key);
}
