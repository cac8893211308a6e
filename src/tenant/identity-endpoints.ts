/**
 * The identity platform's HTTP surface: `/{tenant}/oauth2/v2.0/token` (client credentials with a secret, Basic
 * auth, or a client assertion; the authorization code of an interactive sign-in),
 * `/{tenant}/v2.0/.well-known/openid-configuration`, the JWKS, the instance discovery document MSAL asks for, and
 * the interactive sign-in endpoints of `signin/` (authorize, sign-in pages, sign-out, userinfo). Error bodies are
 * AADSTS-shaped (graph-contract §7.5).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { secretsMatch, TokenError, type IdentityPlatform } from './auth.ts';
import { readBody, sendRaw } from './http-io.ts';
import { safeDecode } from './router.ts';
import type { SignInEndpoints } from './signin/endpoints.ts';
import type { TenantRegistry } from './tenants.ts';

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/i;
const METADATA_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/i;
const KEYS_PATH = /^\/([^/]+)\/discovery\/v2\.0\/keys\/?$/i;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function sendPlainJson(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body), {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store, no-cache',
  });
}

export function createIdentityEndpoints(
  tenants: TenantRegistry,
  identity: IdentityPlatform,
  signIn?: SignInEndpoints,
) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, origin: string): Promise<boolean> => {
    const path = url.pathname;
    const token = TOKEN_PATH.exec(path);
    if (token) {
      await serveToken(req, res, { tenantKey: safeDecode(token[1]!), origin, tenants, identity, signIn });
      return true;
    }
    if (signIn && (await signIn.handle(req, res, url, origin))) return true;
    const metadata = METADATA_PATH.exec(path);
    if (metadata && req.method === 'GET') {
      const tenant = tenants.find(safeDecode(metadata[1]!));
      if (!tenant) {
        sendPlainJson(
          res,
          400,
          new TokenError(400, 'invalid_tenant', 90002, `Tenant '${metadata[1]}' not found.`).body(),
        );
        return true;
      }
      sendPlainJson(res, 200, openIdConfiguration(origin, tenant.id));
      return true;
    }
    if (KEYS_PATH.test(path) && req.method === 'GET') {
      sendPlainJson(res, 200, identity.jwks());
      return true;
    }
    if (/^\/common\/discovery\/instance\/?$/i.test(path)) {
      const host = new URL(origin).host;
      sendPlainJson(res, 200, {
        tenant_discovery_endpoint: `${origin}/{tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
      return true;
    }
    return false;
  };
}

export function openIdConfiguration(origin: string, tenantId: string): Record<string, unknown> {
  return {
    token_endpoint: `${origin}/${tenantId}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
      'none',
    ],
    jwks_uri: `${origin}/${tenantId}/discovery/v2.0/keys`,
    response_modes_supported: ['query'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'client_credentials'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${origin}/${tenantId}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${origin}/${tenantId}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${origin}/${tenantId}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'nbf',
      'auth_time',
      'nonce',
      'tid',
      'oid',
      'name',
      'preferred_username',
      'email',
      'amr',
      'roles',
    ],
    tenant_region_scope: 'NA',
    cloud_instance_name: new URL(origin).host,
    cloud_graph_host_name: new URL(origin).host,
    msgraph_host: new URL(origin).host,
  };
}

interface TokenRequestContext {
  tenantKey: string;
  origin: string;
  tenants: TenantRegistry;
  identity: IdentityPlatform;
  signIn: SignInEndpoints | undefined;
}

function basicCredentials(req: IncomingMessage): { id: string; secret: string } | undefined {
  const auth = req.headers.authorization;
  const match = auth ? /^Basic\s+(\S+)$/i.exec(auth) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: safeDecode(decoded.slice(0, colon)), secret: safeDecode(decoded.slice(colon + 1)) };
}

async function serveToken(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: TokenRequestContext,
): Promise<void> {
  try {
    if (req.method !== 'POST')
      throw new TokenError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
    const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
    const tenant = ctx.tenants.find(ctx.tenantKey);
    if (!tenant) {
      throw new TokenError(
        400,
        'invalid_request',
        90002,
        `Tenant '${ctx.tenantKey}' not found. Check to make sure you have the correct tenant ID.`,
      );
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code' && ctx.signIn) {
      sendPlainJson(res, 200, await ctx.signIn.redeem(tenant, ctx.origin, form, basicCredentials(req)));
      return;
    }
    if (grantType !== 'client_credentials') {
      throw new TokenError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType ?? ''}'.`,
      );
    }
    const basic = basicCredentials(req);
    const clientId = form.get('client_id') ?? basic?.id;
    if (!clientId)
      throw new TokenError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    const scope = form.get('scope') ?? '';
    // AADSTS70011 is the invalid_scope answer graph-contract §7.5 shows for the client-credentials grant.
    if (scope.trim() === '') {
      throw new TokenError(
        400,
        'invalid_scope',
        70011,
        "The provided request must include a 'scope' input parameter.",
      );
    }
    if (!/\/\.default$/.test(scope.trim())) {
      throw new TokenError(
        400,
        'invalid_scope',
        70011,
        `The provided value for the input parameter 'scope' is not valid. The scope ${scope.slice(0, 200)} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const resource = scope.trim().replace(/\/\.default$/, '');
    if (!isGraphResource(resource, ctx.origin)) {
      throw new TokenError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${tenant.displayName}.`,
      );
    }
    const app = ctx.tenants.findApp(tenant.id, clientId);
    if (!app) {
      throw new TokenError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'.`,
      );
    }
    const secret = form.get('client_secret') ?? basic?.secret;
    const assertion = form.get('client_assertion');
    if (assertion) {
      if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
        throw new TokenError(400, 'invalid_request', 50027, 'Invalid client_assertion_type.');
      }
      await ctx.identity.verifyClientAssertion(
        app,
        assertion,
        `${ctx.origin}/${ctx.tenantKey}/oauth2/v2.0/token`,
      );
    } else if (secret !== null && secret !== undefined) {
      if (!app._secrets.some((s) => secretsMatch(s, secret))) {
        throw new TokenError(
          401,
          'invalid_client',
          7000215,
          'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
        );
      }
    } else {
      throw new TokenError(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    const accessToken = await ctx.identity.issueAppToken(tenant, app);
    sendPlainJson(res, 200, {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
    });
  } catch (err) {
    if (err instanceof TokenError) {
      sendPlainJson(res, err.status, err.body());
      return;
    }
    throw err;
  }
}

function isGraphResource(resource: string, origin: string): boolean {
  const r = resource.replace(/\/$/, '').toLowerCase();
  return (
    r === 'https://graph.microsoft.com' ||
    r === '00000003-0000-0000-c000-000000000000' ||
    r === origin.toLowerCase()
  );
}
