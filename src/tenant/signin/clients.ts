/**
 * The applications a sign-in names: the client (a service principal of the tenant with redirect URIs) and the
 * resource its scopes ask for. Redirect URIs match exactly, except that for loopback hosts any port is accepted
 * (RFC 8252 §7.3), as Entra does for native and local development apps (the local tenant's port is often random).
 */
import { COLLECTIONS } from '../collections.ts';
import type { Doc, Store } from '../store.ts';

export interface OidcClient {
  appId: string;
  displayName: string;
  redirectUris: string[];
  isPublicClient: boolean;
  secrets: string[];
}

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const AZURE_MANAGEMENT_APP_ID = '797f4846-ba00-4fd7-ba43-dac1f8f63013';

/** Resource URIs of first-party APIs, as scopes name them (`https://management.azure.com/user_impersonation`). */
const RESOURCE_URIS: Readonly<Record<string, string>> = {
  'https://graph.microsoft.com': GRAPH_APP_ID,
  'https://management.azure.com': AZURE_MANAGEMENT_APP_ID,
  'https://management.core.windows.net': AZURE_MANAGEMENT_APP_ID,
};

/** Scopes that are about the sign-in itself, not a resource (they go to Microsoft Graph). */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

function servicePrincipalByAppId(store: Store, tenantId: string, appId: string): Doc | undefined {
  const key = appId.toLowerCase();
  return store
    .all(tenantId, COLLECTIONS.servicePrincipals)
    .find((sp) => String(sp.appId).toLowerCase() === key);
}

export function findClient(
  store: Store,
  tenantId: string,
  clientId: string,
  secretsOf: (appId: string) => string[],
): OidcClient | undefined {
  const sp = servicePrincipalByAppId(store, tenantId, clientId);
  if (!sp || sp.accountEnabled === false) return undefined;
  const appId = String(sp.appId);
  return {
    appId,
    displayName: String(sp.displayName),
    redirectUris: Array.isArray(sp._redirectUris) ? sp._redirectUris.map(String) : [],
    isPublicClient: sp._publicClient === true,
    secrets: secretsOf(appId),
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function withoutPort(url: URL): string {
  return `${url.protocol}//${url.hostname}${url.pathname}${url.search}`;
}

export function isRegisteredRedirectUri(client: OidcClient, redirectUri: string): boolean {
  if (client.redirectUris.includes(redirectUri)) return true;
  let asked: URL;
  try {
    asked = new URL(redirectUri);
  } catch {
    return false;
  }
  if (!LOOPBACK_HOSTS.has(asked.hostname) || asked.hash !== '') return false;
  return client.redirectUris.some((registered) => {
    try {
      const url = new URL(registered);
      return LOOPBACK_HOSTS.has(url.hostname) && withoutPort(url) === withoutPort(asked);
    } catch {
      return false;
    }
  });
}

export interface ResolvedResource {
  appId: string;
  displayName: string;
  /** The access token's `aud`. */
  audience: string;
}

/**
 * The resource of the scopes (`<resource>/<scope>` or `<appId>/<scope>`); Microsoft Graph when they name none.
 * `undefined` when a scope names a resource this tenant does not have, or several resources are asked at once.
 */
export function resolveResource(
  store: Store,
  tenantId: string,
  scopes: readonly string[],
): ResolvedResource | undefined {
  const resources = new Set<string>();
  for (const scope of scopes) {
    if (OIDC_SCOPES.has(scope.toLowerCase())) continue;
    const slash = scope.lastIndexOf('/');
    // A bare scope such as `User.Read` is a Microsoft Graph permission.
    resources.add(slash < 0 ? 'https://graph.microsoft.com' : scope.slice(0, slash).replace(/\/+$/, ''));
  }
  if (resources.size > 1) return undefined;
  const resource = [...resources][0] ?? 'https://graph.microsoft.com';
  const appId = RESOURCE_URIS[resource.toLowerCase()] ?? resource.replace(/^api:\/\//i, '');
  const sp = servicePrincipalByAppId(store, tenantId, appId);
  // Microsoft Graph is in every tenant, even a seed that does not list it.
  if (!sp && appId === GRAPH_APP_ID)
    return { appId, displayName: 'Microsoft Graph', audience: 'https://graph.microsoft.com' };
  if (!sp) return undefined;
  const audience = appId === GRAPH_APP_ID ? 'https://graph.microsoft.com' : resource;
  return { appId: String(sp.appId), displayName: String(sp.displayName), audience };
}
