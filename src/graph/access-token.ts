/**
 * Access tokens for the Graph client: any `@azure/identity` `TokenCredential` (or a test double of the same shape),
 * cached until two minutes before expiry, one request in flight at a time, and dropped on demand after a 401.
 */
import { GraphRequestError } from './graph-errors.ts';

export interface AccessToken {
  token: string;
  expiresOnTimestamp: number;
}

/** The `@azure/identity` `TokenCredential` shape, reduced to what the client uses. */
export interface AccessTokenProvider {
  getToken(scopes: string | string[]): Promise<AccessToken | null>;
}

const REFRESH_MARGIN_MS = 120_000;

export class AccessTokenCache {
  private cached: Promise<AccessToken> | undefined;
  private readonly credential: AccessTokenProvider;
  private readonly scopes: string[];

  constructor(credential: AccessTokenProvider, scopes: string[]) {
    this.credential = credential;
    this.scopes = scopes;
  }

  async getToken(): Promise<string> {
    const cached = this.cached;
    if (cached) {
      const token = await cached.catch(() => undefined);
      if (token && token.expiresOnTimestamp - REFRESH_MARGIN_MS > Date.now()) return token.token;
      if (this.cached === cached) this.cached = undefined;
    }
    this.cached ??= this.requestToken();
    return (await this.cached).token;
  }

  /** Forget the token (Graph answered 401: revoked or expired early). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async requestToken(): Promise<AccessToken> {
    let token: AccessToken | null;
    try {
      token = await this.credential.getToken(this.scopes);
    } catch (err) {
      // Identity errors name the tenant, the client and AADSTS codes, never the secret or assertion.
      throw new GraphRequestError(
        401,
        'CredentialError',
        `Could not get an access token: ${(err as Error).message}`,
      );
    }
    if (!token)
      throw new GraphRequestError(401, 'CredentialError', 'The credential returned no access token.');
    return token;
  }
}

/** Sovereign clouds have their own Graph hosts and scopes; anything else (the local tenant) uses the global one. */
export function defaultGraphScope(baseUrl: URL): string {
  const microsoftHost = /(^|\.)(graph\.microsoft\.(com|us)|microsoftgraph\.chinacloudapi\.cn)$/i.test(
    baseUrl.hostname,
  );
  return microsoftHost ? `${baseUrl.origin}/.default` : 'https://graph.microsoft.com/.default';
}

/**
 * The application permissions (`roles`) or delegated scopes (`scp`) a JWT access token carries, decoded without
 * verifying it (the server does that). Undefined when the token is not a JWT: opaque tokens say nothing.
 */
export function permissionsInToken(token: string): string[] | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const claims = payload as { roles?: unknown; scp?: unknown };
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
  return [...roles, ...scopes].filter((p): p is string => typeof p === 'string' && p !== '');
}
