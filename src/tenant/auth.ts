/**
 * The local tenant's identity platform: an OAuth2 client-credentials token endpoint
 * (`/{tenant}/oauth2/v2.0/token`, graph-contract §7.5) that accepts a client secret (form or Basic) or a client
 * assertion (certificate-signed, or a federated token from a trusted OIDC issuer), the OpenID metadata MSAL reads,
 * and verification of the bearer tokens it issues.
 */
import { createHash, randomUUID, timingSafeEqual, X509Certificate } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
  type CryptoKey,
} from 'jose';
import type { Store } from './store.ts';
import type { CallerApp, TenantInfo } from './graph-types.ts';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const TOKEN_LIFETIME_SECONDS = 3599;
/** Entra tolerates five minutes of clock skew on client assertions. */
const CLOCK_SKEW_SECONDS = 300;

export interface AppRegistration {
  id: string;
  appId: string;
  displayName: string;
  permissions: string[];
  /** Client secrets in plain text: the local tenant is a development tenant and prints them for scripts. */
  _secrets: string[];
  _certificates: { thumbprint: string; pem: string }[];
  _federatedCredentials: FederatedCredential[];
  servicePrincipalId: string;
}

export interface FederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  /** Where to read the issuer's keys; defaults to OIDC discovery on the issuer. */
  jwksUri?: string;
}

export class TokenError extends Error {
  readonly status: number;
  readonly error: string;
  readonly aadsts: number;
  constructor(status: number, error: string, aadsts: number, description: string) {
    super(description);
    this.status = status;
    this.error = error;
    this.aadsts = aadsts;
  }

  body(): Record<string, unknown> {
    return {
      error: this.error,
      error_description: `AADSTS${this.aadsts}: ${this.message} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [this.aadsts],
      timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    };
  }
}

export interface VerifiedToken {
  tenantId: string;
  caller: CallerApp;
  expiresAt: number;
}

interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export class IdentityPlatform {
  private keys: SigningKeys | undefined;
  private readonly verified = new Map<string, VerifiedToken>();
  private readonly store: Store;
  private readonly remoteJwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(store: Store) {
    this.store = store;
  }

  async init(): Promise<void> {
    const saved = this.store.getMeta('signingKey');
    if (saved) {
      const parsed = JSON.parse(saved) as { kid: string; privateJwk: JWK; publicJwk: JWK };
      this.keys = {
        kid: parsed.kid,
        privateKey: (await importJWK(parsed.privateJwk, 'RS256')) as CryptoKey,
        publicKey: (await importJWK(parsed.publicJwk, 'RS256')) as CryptoKey,
        publicJwk: parsed.publicJwk,
      };
      return;
    }
    const pair = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
    const privateJwk = await exportJWK(pair.privateKey);
    const publicJwk = await exportJWK(pair.publicKey);
    const kid = createHash('sha256').update(JSON.stringify(publicJwk)).digest('base64url').slice(0, 27);
    publicJwk.kid = kid;
    publicJwk.use = 'sig';
    publicJwk.alg = 'RS256';
    this.store.setMeta('signingKey', JSON.stringify({ kid, privateJwk, publicJwk }));
    this.keys = { kid, privateKey: pair.privateKey, publicKey: pair.publicKey, publicJwk };
  }

  private get signing(): SigningKeys {
    if (!this.keys) throw new Error('IdentityPlatform.init() was not awaited');
    return this.keys;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.signing.publicJwk] };
  }

  async issueAppToken(tenant: TenantInfo, app: AppRegistration, audience = GRAPH_AUDIENCE): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      aud: audience,
      iss: `https://sts.windows.net/${tenant.id}/`,
      tid: tenant.id,
      appid: app.appId,
      azp: app.appId,
      oid: app.servicePrincipalId,
      sub: app.servicePrincipalId,
      idtyp: 'app',
      roles: app.permissions,
      ver: '1.0',
      uti: randomUUID(),
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.signing.kid })
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + TOKEN_LIFETIME_SECONDS)
      .sign(this.signing.privateKey);
  }

  /** Signs the claims of an interactive sign-in's id or access token with the same key (listed in the JWKS). */
  async signUserToken(claims: JWTPayload, lifetimeSeconds: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.signing.kid })
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.signing.privateKey);
  }

  /** Verifies a token this platform signed (any audience); throws when the signature or lifetime is wrong. */
  async verifySigned(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.signing.publicKey, { algorithms: ['RS256'] });
    return payload;
  }

  /** Verifies a bearer token; results are cached until the token expires (verification is the hot path). */
  async verify(token: string): Promise<VerifiedToken> {
    const cached = this.verified.get(token);
    const nowSeconds = Date.now() / 1000;
    if (cached && cached.expiresAt > nowSeconds) return cached;
    if (cached) {
      this.verified.delete(token);
      throw new Error('Lifetime validation failed, the token is expired.');
    }
    const { payload } = await jwtVerify(token, this.signing.publicKey, { algorithms: ['RS256'] });
    if (payload.aud !== GRAPH_AUDIENCE) throw new Error('Invalid audience.');
    const tid = payload.tid;
    const appid = payload.appid;
    if (typeof tid !== 'string' || typeof appid !== 'string')
      throw new Error('The token has no tenant or app.');
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((r): r is string => typeof r === 'string')
      : [];
    const result: VerifiedToken = {
      tenantId: tid,
      caller: {
        clientId: appid,
        servicePrincipalId: typeof payload.oid === 'string' ? payload.oid : undefined,
        permissions: roles,
      },
      expiresAt: payload.exp ?? nowSeconds,
    };
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(token, result);
    return result;
  }

  /** Checks a client assertion JWT against the app's certificates or federated credentials. */
  async verifyClientAssertion(app: AppRegistration, assertion: string, tokenEndpoint: string): Promise<void> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: JWTPayload;
    try {
      header = decodeProtectedHeader(assertion);
      claims = decodeJwt(assertion);
    } catch {
      throw new TokenError(400, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
    }
    const x5t = typeof header.x5t === 'string' ? header.x5t : undefined;
    const x5tS256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
    if ((x5t || x5tS256) && app._certificates.length > 0) {
      await this.verifyCertificateAssertion(app, assertion, { x5t, x5tS256 }, tokenEndpoint);
      return;
    }
    const credential = app._federatedCredentials.find(
      (c) => c.issuer === claims.iss && c.subject === claims.sub,
    );
    if (!credential) {
      throw new TokenError(
        400,
        'invalid_client',
        70021,
        `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(claims.iss)}'. Assertion Subject: '${String(claims.sub)}'.`,
      );
    }
    try {
      const jwks = await this.remoteKeySet(credential);
      await jwtVerify(assertion, jwks, {
        issuer: credential.issuer,
        audience: credential.audiences,
        subject: credential.subject,
        clockTolerance: CLOCK_SKEW_SECONDS,
      });
    } catch (err) {
      const detail = err instanceof Error ? err.message : 'invalid';
      throw new TokenError(
        400,
        'invalid_client',
        700211,
        `The federated assertion could not be validated: ${detail}.`,
      );
    }
  }

  private async verifyCertificateAssertion(
    app: AppRegistration,
    assertion: string,
    thumbprints: { x5t: string | undefined; x5tS256: string | undefined },
    tokenEndpoint: string,
  ): Promise<void> {
    // MSAL signs with PS256 and names the certificate by its SHA-256 thumbprint (x5t#S256); older clients use
    // RS256 and the SHA-1 thumbprint (x5t). Both are accepted, as Entra does.
    const cert = app._certificates.find(
      (c) =>
        (thumbprints.x5t !== undefined && c.thumbprint === thumbprints.x5t) ||
        (thumbprints.x5tS256 !== undefined && certificateThumbprintSha256(c.pem) === thumbprints.x5tS256),
    );
    if (!cert) {
      const named = thumbprints.x5t ?? thumbprints.x5tS256 ?? '';
      throw new TokenError(
        401,
        'invalid_client',
        700027,
        `Client assertion failed signature validation. Key was not found: '${named}'.`,
      );
    }
    const publicKey = new X509Certificate(cert.pem).publicKey;
    try {
      await jwtVerify(assertion, publicKey, {
        algorithms: ['RS256', 'PS256'],
        clockTolerance: CLOCK_SKEW_SECONDS,
        audience: [tokenEndpoint, tokenEndpoint.replace(/\/$/, '')],
      });
    } catch (err) {
      const detail = err instanceof Error ? err.message : 'invalid';
      throw new TokenError(
        401,
        'invalid_client',
        700027,
        `Client assertion failed signature validation: ${detail}.`,
      );
    }
  }

  /**
   * The issuer's signing keys, as Entra finds them: `jwksUri` when the credential names one, else OIDC discovery
   * (`<issuer>/.well-known/openid-configuration`, whose `jwks_uri` GitHub points at `/.well-known/jwks`).
   */
  private async remoteKeySet(
    credential: FederatedCredential,
  ): Promise<ReturnType<typeof createRemoteJWKSet>> {
    const uri = credential.jwksUri ?? (await discoverJwksUri(credential.issuer));
    let set = this.remoteJwks.get(uri);
    if (!set) {
      set = createRemoteJWKSet(new URL(uri));
      this.remoteJwks.set(uri, set);
    }
    return set;
  }
}

/** OIDC discovery: the issuer's metadata must name its JWKS and must be about this very issuer. */
async function discoverJwksUri(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, {
    signal: AbortSignal.timeout(10_000),
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`OIDC discovery at ${url} answered ${response.status}`);
  const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (metadata.issuer !== issuer) throw new Error(`OIDC discovery at ${url} is for another issuer`);
  if (typeof metadata.jwks_uri !== 'string') throw new Error(`OIDC discovery at ${url} names no jwks_uri`);
  return metadata.jwks_uri;
}

/** SHA-1 thumbprint of a PEM certificate, base64url — the `x5t` MSAL puts in certificate assertions. */
export function certificateThumbprint(pem: string): string {
  return Buffer.from(new X509Certificate(pem).fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
}

export function certificateThumbprintSha256(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');
}

export function secretsMatch(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
