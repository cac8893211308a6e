/**
 * A client-credentials token provider for the embedded local tenant, which accord reaches over plain HTTP on
 * loopback (MSAL, behind @azure/identity, insists on https authorities; real tenants use @azure/identity).
 */
import type { AccessTokenProvider } from '../graph/graph-client.ts';

export function localClientCredential(
  tokenEndpoint: string,
  clientId: string,
  clientSecret: string,
): AccessTokenProvider {
  let cached: { token: string; expiresOnTimestamp: number } | undefined;
  return {
    async getToken() {
      if (cached && cached.expiresOnTimestamp - Date.now() > 120_000) return cached;
      const response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          scope: 'https://graph.microsoft.com/.default',
        }),
      });
      const body = (await response.json()) as {
        access_token?: string;
        expires_in?: number;
        error_description?: string;
      };
      if (!response.ok || !body.access_token) {
        throw new Error(`the local tenant refused a token: ${body.error_description ?? response.status}`);
      }
      cached = {
        token: body.access_token,
        expiresOnTimestamp: Date.now() + (body.expires_in ?? 3599) * 1000,
      };
      return cached;
    },
  };
}
