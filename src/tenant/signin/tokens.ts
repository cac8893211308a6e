/**
 * `grant_type=authorization_code` at `/{tenant}/oauth2/v2.0/token`: redeems a code once, checks the client, the
 * redirect URI and the PKCE verifier (S256), and issues an id token (RS256, the claims Entra's v2.0 id tokens carry,
 * `amr` telling how the user signed in) and an access token for the requested resource.
 */
import { createHash } from 'node:crypto';
import { TokenError } from '../auth.ts';
import { COLLECTIONS } from '../collections.ts';
import type { TenantInfo } from '../graph-types.ts';
import { isClientAuthenticated } from './authorize.ts';
import { findClient } from './clients.ts';
import { issuerOf, type SignInDeps } from './deps.ts';
import type { SignInFlow } from './flow-state.ts';

const TOKEN_LIFETIME_SECONDS = 3599;

export interface TokenResponse {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  id_token?: string;
}

function base64url(buffer: Buffer): string {
  return buffer.toString('base64url');
}

/** Entra's `sub` is pairwise: the same user has a different subject in each app. */
function pairwiseSubject(userId: string, clientId: string): string {
  return base64url(createHash('sha256').update(`${userId}:${clientId.toLowerCase()}`).digest()).slice(0, 43);
}

/** How the user authenticated, in Entra's `amr` values. */
function amrOf(flow: SignInFlow, homeMfaAccepted: boolean): string[] {
  const amr = flow.methods.includes('password') ? ['pwd'] : ['otp'];
  if (flow.mfaDone || (flow.homeMfaDone && homeMfaAccepted)) amr.push('mfa');
  return amr;
}

function userClaims(deps: SignInDeps, tenant: TenantInfo, flow: SignInFlow): Record<string, unknown> {
  const user = flow.user!;
  const doc = deps.store.get(tenant.id, COLLECTIONS.users, user.id);
  return {
    oid: user.id,
    tid: tenant.id,
    name: user.displayName,
    preferred_username: tenant.flavor === 'external' ? user.signInName : user.userPrincipalName,
    ...(typeof doc?.givenName === 'string' ? { given_name: doc.givenName } : {}),
    ...(typeof doc?.surname === 'string' ? { family_name: doc.surname } : {}),
  };
}

async function issueTokens(
  deps: SignInDeps,
  tenant: TenantInfo,
  origin: string,
  flow: SignInFlow,
): Promise<TokenResponse> {
  const { request } = flow;
  const homeMfaAccepted = flow.homeMfaDone; // a guest's home MFA reached this point only when trusted or not needed
  const amr = amrOf(flow, homeMfaAccepted);
  const base = userClaims(deps, tenant, flow);
  const resourceScopes = request.scopes.filter((s) => !/^(openid|profile|email|offline_access)$/i.test(s));
  const scp =
    resourceScopes.length > 0
      ? resourceScopes.map((s) => s.slice(s.lastIndexOf('/') + 1)).join(' ')
      : 'User.Read';
  const accessToken = await deps.identity.signUserToken(
    {
      ...base,
      aud: request.resource.audience,
      iss: `https://sts.windows.net/${tenant.id}/`,
      sub: pairwiseSubject(flow.user!.id, request.resource.appId),
      appid: request.clientId,
      app_displayname: request.clientName,
      upn: flow.user!.userPrincipalName,
      scp,
      amr,
      idtyp: 'user',
      ver: '1.0',
    },
    TOKEN_LIFETIME_SECONDS,
  );
  const response: TokenResponse = {
    token_type: 'Bearer',
    scope: request.scopes.join(' '),
    expires_in: TOKEN_LIFETIME_SECONDS,
    ext_expires_in: TOKEN_LIFETIME_SECONDS,
    access_token: accessToken,
  };
  if (request.scopes.includes('openid')) {
    const email = request.scopes.includes('email') && flow.user!.mail ? { email: flow.user!.mail } : {};
    response.id_token = await deps.identity.signUserToken(
      {
        ...base,
        ...email,
        aud: request.clientId,
        iss: issuerOf(origin, tenant.id),
        sub: pairwiseSubject(flow.user!.id, request.clientId),
        ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
        amr,
        auth_time: Math.floor(flow.createdAt / 1000),
        ver: '2.0',
      },
      TOKEN_LIFETIME_SECONDS,
    );
  }
  return response;
}

function verifierMatches(challenge: string, verifier: string): boolean {
  return base64url(createHash('sha256').update(verifier).digest()) === challenge;
}

/** Redeems `form`'s code; a TokenError says why not (AADSTS-shaped body). */
export async function redeemAuthorizationCode(
  deps: SignInDeps,
  tenant: TenantInfo,
  origin: string,
  form: URLSearchParams,
  basicSecret: { id: string; secret: string } | undefined,
): Promise<TokenResponse> {
  const clientId = form.get('client_id') ?? basicSecret?.id;
  if (!clientId)
    throw new TokenError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'client_id'.",
    );
  const code = form.get('code');
  if (!code)
    throw new TokenError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'code'.",
    );
  const client = findClient(
    deps.store,
    tenant.id,
    clientId,
    (appId) => deps.tenants.findApp(tenant.id, appId)?._secrets ?? [],
  );
  if (!client)
    throw new TokenError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'.`,
    );
  if (!isClientAuthenticated(client, form.get('client_secret') ?? basicSecret?.secret ?? null)) {
    throw new TokenError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  const redeemed = deps.state.redeemCode(code);
  if (!redeemed.ok) {
    if (redeemed.reason === 'redeemed')
      throw new TokenError(
        400,
        'invalid_grant',
        54005,
        'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
      );
    if (redeemed.reason === 'expired')
      throw new TokenError(
        400,
        'invalid_grant',
        70008,
        'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
      );
    throw new TokenError(
      400,
      'invalid_grant',
      9002313,
      'Invalid request. Request is malformed or invalid: the authorization code is not valid.',
    );
  }
  const { flow } = redeemed.issued;
  const request = flow.request;
  if (request.tenantId !== tenant.id || request.clientId.toLowerCase() !== client.appId.toLowerCase()) {
    throw new TokenError(
      400,
      'invalid_grant',
      70000,
      'The provided authorization code was issued to another client or tenant.',
    );
  }
  if (form.get('redirect_uri') !== request.redirectUri) {
    throw new TokenError(
      400,
      'invalid_grant',
      500112,
      'The reply address does not match the reply address that was used to obtain the authorization code.',
    );
  }
  const verifier = form.get('code_verifier');
  if (request.codeChallenge !== undefined) {
    if (!verifier)
      throw new TokenError(
        400,
        'invalid_grant',
        50148,
        'The code_verifier is missing: the authorization request had a code_challenge (PKCE).',
      );
    if (!verifierMatches(request.codeChallenge, verifier)) {
      throw new TokenError(
        400,
        'invalid_grant',
        501481,
        'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      );
    }
  }
  return issueTokens(deps, tenant, origin, flow);
}
