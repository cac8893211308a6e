/**
 * `GET /{tenant}/oauth2/v2.0/authorize`: checks an authorization-code request the way Entra does. Until the client
 * and its redirect URI are trusted, a problem is an error page (nothing may be sent to an unchecked address); after
 * that it is an OAuth error redirect (`error`, `error_description` with the AADSTS code, `state`).
 */
import type { ServerResponse } from 'node:http';
import { secretsMatch } from '../auth.ts';
import type { TenantInfo } from '../graph-types.ts';
import { findClient, isRegisteredRedirectUri, resolveResource, type OidcClient } from './clients.ts';
import { signInPath, type SignInDeps } from './deps.ts';
import type { AuthorizationRequest } from './flow-state.ts';
import { redirect, sendHtml, withQuery } from './http.ts';
import { errorPage, usernamePage } from './pages.ts';

export class AuthorizeError extends Error {
  readonly error: string;
  readonly aadsts: number;
  constructor(error: string, aadsts: number, message: string) {
    super(message);
    this.error = error;
    this.aadsts = aadsts;
  }
}

/** The OAuth error redirect to a trusted redirect URI. */
export function errorRedirectUrl(
  redirectUri: string,
  state: string | undefined,
  err: { error: string; aadsts: number; message: string },
  correlationId?: string,
): string {
  const trace = correlationId ? ` Correlation ID: ${correlationId}` : '';
  return withQuery(redirectUri, {
    error: err.error,
    error_description: `AADSTS${err.aadsts}: ${err.message}${trace} Timestamp: ${new Date().toISOString()}`,
    state,
  });
}

function clientSecretsOf(deps: SignInDeps, tenantId: string) {
  return (appId: string): string[] => deps.tenants.findApp(tenantId, appId)?._secrets ?? [];
}

/** The client and redirect URI, or the error page's message. */
function trustClient(
  deps: SignInDeps,
  tenant: TenantInfo,
  params: URLSearchParams,
): { client: OidcClient; redirectUri: string } | { code: number; message: string } {
  const clientId = params.get('client_id');
  if (!clientId)
    return { code: 900144, message: "The request body must contain the following parameter: 'client_id'." };
  const client = findClient(deps.store, tenant.id, clientId, clientSecretsOf(deps, tenant.id));
  if (!client) {
    return {
      code: 700016,
      message: `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    };
  }
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) {
    return {
      code: 900144,
      message: "The request body must contain the following parameter: 'redirect_uri'.",
    };
  }
  if (!isRegisteredRedirectUri(client, redirectUri)) {
    return {
      code: 50011,
      message: `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${client.appId}'. Make sure the redirect URI sent in the request matches one added to your application.`,
    };
  }
  return { client, redirectUri };
}

function checkRequest(
  deps: SignInDeps,
  tenant: TenantInfo,
  client: OidcClient,
  redirectUri: string,
  params: URLSearchParams,
): AuthorizationRequest {
  const responseType = params.get('response_type') ?? '';
  if (responseType !== 'code') {
    throw new AuthorizeError(
      'unsupported_response_type',
      700054,
      `response_type '${responseType}' is not supported: the local tenant issues authorization codes only (response_type=code).`,
    );
  }
  const responseMode = params.get('response_mode') ?? 'query';
  if (responseMode !== 'query') {
    throw new AuthorizeError(
      'invalid_request',
      900144,
      `response_mode '${responseMode}' is not supported; use query.`,
    );
  }
  const scope = params.get('scope');
  if (!scope)
    throw new AuthorizeError(
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'scope'.",
    );
  const codeChallenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method') ?? (codeChallenge ? 'plain' : undefined);
  if (codeChallenge && method !== 'S256') {
    throw new AuthorizeError(
      'invalid_request',
      501491,
      `code_challenge_method '${method}' is not supported; use S256.`,
    );
  }
  if (codeChallenge && !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
    throw new AuthorizeError(
      'invalid_request',
      501491,
      'code_challenge must be the base64url SHA-256 of the code verifier (43 characters).',
    );
  }
  if (client.isPublicClient && !codeChallenge) {
    throw new AuthorizeError(
      'invalid_request',
      9002325,
      'Proof Key for Code Exchange is required for public clients: send code_challenge with code_challenge_method=S256.',
    );
  }
  if (params.get('prompt') === 'none') {
    throw new AuthorizeError(
      'login_required',
      50058,
      'A silent sign-in request was sent but no user is signed in.',
    );
  }
  const scopes = scope.split(/\s+/).filter(Boolean);
  const resource = resolveResource(deps.store, tenant.id, scopes);
  if (!resource) {
    throw new AuthorizeError(
      'invalid_resource',
      500011,
      `The resource principal named in the scope '${scope}' was not found in the tenant named ${tenant.displayName}, or the scopes name more than one resource.`,
    );
  }
  return {
    tenantId: tenant.id,
    clientId: client.appId,
    clientName: client.displayName,
    redirectUri,
    responseMode: 'query',
    scopes,
    state: params.get('state') ?? undefined,
    nonce: params.get('nonce') ?? undefined,
    codeChallenge,
    resource,
    loginHint: params.get('login_hint') ?? undefined,
  };
}

export function serveAuthorize(
  res: ServerResponse,
  deps: SignInDeps,
  tenant: TenantInfo | undefined,
  params: URLSearchParams,
): void {
  if (!tenant) {
    sendHtml(
      res,
      400,
      errorPage({
        organisation: 'accord local tenant',
        title: 'Tenant not found',
        errorCode: 90002,
        message: 'The tenant in the address is not hosted by this local tenant.',
      }),
    );
    return;
  }
  const trusted = trustClient(deps, tenant, params);
  if ('code' in trusted) {
    sendHtml(
      res,
      400,
      errorPage({
        organisation: tenant.displayName,
        title: 'Sign-in error',
        errorCode: trusted.code,
        message: trusted.message,
      }),
    );
    return;
  }
  let request: AuthorizationRequest;
  try {
    request = checkRequest(deps, tenant, trusted.client, trusted.redirectUri, params);
  } catch (err) {
    if (!(err instanceof AuthorizeError)) throw err;
    redirect(res, errorRedirectUrl(trusted.redirectUri, params.get('state') ?? undefined, err));
    return;
  }
  const flow = deps.state.startFlow(request);
  sendHtml(
    res,
    200,
    usernamePage(
      {
        action: signInPath(tenant.id),
        flowId: flow.id,
        tenantName: tenant.displayName,
        appName: request.clientName,
      },
      { external: tenant.flavor === 'external', value: request.loginHint },
    ),
  );
}

/** A confidential client at the token endpoint proves itself with a secret; a public client may not send one. */
export function isClientAuthenticated(client: OidcClient, secret: string | null): boolean {
  if (secret === null) return client.isPublicClient;
  return client.secrets.some((s) => secretsMatch(s, secret));
}
