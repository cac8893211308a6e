/**
 * The sample client app at `/{tenant}/_accord/demo-app/`: a Sign-in button that runs the authorization-code flow with
 * PKCE against the tenant (a public client, as a single-page or native app would be), then shows who signed in and the
 * claims of the tokens it received (never the tokens themselves), and a Sign-out.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { TokenError } from '../auth.ts';
import { type TenantRequest, issuerOf, outboxPath } from './deps.ts';
import { cookie, readCookie, redirect, sendHtml, withQuery } from './http.ts';
import { html, type Html, renderPage } from './layout.ts';
import { DEMO_APP_ID, DEMO_APP_PATH } from './settings.ts';
import { redeemAuthorizationCode } from './tokens.ts';
import { DEMO_PASSWORD } from '../seed/demo.ts';

interface DemoSession {
  pending?: { state: string; nonce: string; verifier: string };
  signedIn?: { idClaims: Record<string, unknown>; accessClaims: Record<string, unknown> };
  error?: { error: string; description: string };
}

const sessions = new Map<string, DemoSession>();
const COOKIE = 'accord_demo_app';

const RESOURCES: Record<string, { label: string; scope: string }> = {
  graph: { label: 'This app (Microsoft Graph, User.Read)', scope: 'openid profile email User.Read' },
  azure: {
    label: 'Windows Azure Service Management API',
    scope: 'openid profile email https://management.azure.com/user_impersonation',
  },
};

export interface DemoAppRequest extends TenantRequest {
  /** The path below the app's root (`/`, `/login`, `/callback`, `/logout`). */
  subPath: string;
  /** Where the app lives: under the tenant, or on its own origin (`accord tenant serve --demo-app`). */
  appBase: string;
  cookiePath: string;
}

/** The app served by the tenant itself at `/{tenant}/_accord/demo-app/`. */
export function inTenantDemoApp(at: TenantRequest, subPath: string): DemoAppRequest {
  return {
    ...at,
    subPath,
    appBase: `${at.origin}/${at.tenant.id}/${DEMO_APP_PATH}`,
    cookiePath: `/${at.tenant.id}/${DEMO_APP_PATH}`,
  };
}

function appBase(at: DemoAppRequest): string {
  return at.appBase;
}

function sessionOf(req: IncomingMessage, res: ServerResponse, at: DemoAppRequest): DemoSession {
  let id = readCookie(req, COOKIE);
  let session = id ? sessions.get(id) : undefined;
  if (!id || !session) {
    id = randomBytes(24).toString('base64url');
    session = {};
    sessions.set(id, session);
    if (sessions.size > 1000) sessions.delete(sessions.keys().next().value!);
    res.setHeader('set-cookie', cookie(COOKIE, id, at.cookiePath));
  }
  return session;
}

function claimsTable(caption: string, claims: Record<string, unknown>): Html {
  const rows = Object.entries(claims).map(
    ([k, v]) =>
      html`<tr>
        <th scope="row">${k}</th>
        <td>${typeof v === 'string' ? v : JSON.stringify(v)}</td>
      </tr>`,
  );
  return html`<h2>${caption}</h2>
    <table>
      <tbody>
        ${rows}
      </tbody>
    </table>`;
}

function homePage(at: DemoAppRequest, session: DemoSession): string {
  const base = appBase(at);
  const outbox = `${at.origin}${outboxPath(at.tenant.id)}`;
  if (session.signedIn) {
    const id = session.signedIn.idClaims;
    const amr = Array.isArray(id.amr) ? id.amr.join(', ') : '';
    return renderPage({
      title: 'Signed in',
      organisation: 'accord demo app',
      kind: 'app',
      wide: true,
      body: html`<h1>Signed in as ${String(id.name ?? '')}</h1>
        <p>
          <strong>${String(id.preferred_username ?? '')}</strong> signed in to ${at.tenant.displayName} (amr:
          ${amr}). The id token's signature, issuer, audience and nonce were checked against the tenant's
          keys.
        </p>
        <form method="post" action="${base}/logout">
          <div class="actions"><button type="submit">Sign out</button></div>
        </form>
        ${claimsTable('ID token claims', id)}${claimsTable('Access token claims', session.signedIn.accessClaims)}`,
    });
  }
  const error = session.error
    ? html`<div class="blocked" role="alert">
        <p><strong>The sign-in did not complete: ${session.error.error}</strong></p>
        <p>${session.error.description}</p>
      </div>`
    : html``;
  const options = Object.entries(RESOURCES).map(
    ([key, r]) => html`<option value="${key}">${r.label}</option>`,
  );
  return renderPage({
    title: 'accord demo app',
    organisation: 'accord demo app',
    kind: 'app',
    wide: true,
    body: html`<h1>Welcome to the demo app</h1>
      <p>
        A sample application registered in <strong>${at.tenant.displayName}</strong> (client id
        ${DEMO_APP_ID}). Signing in runs the OpenID Connect authorization code flow with PKCE against the
        local tenant, which evaluates Conditional Access as Entra does.
      </p>
      ${error}
      <form method="get" action="${base}/login">
        <label for="resource">Sign in to</label>
        <select id="resource" name="resource">
          ${options}
        </select>
        <div class="actions"><button type="submit">Sign in</button></div>
      </form>
      <h2>Trying it</h2>
      <ul class="policies">
        <li>The demo directory's accounts have the password <code>${DEMO_PASSWORD}</code>.</li>
        <li>One-time passcodes go to the <a href="${outbox}" target="_blank" rel="noopener">outbox</a>.</li>
        <li>Every attempt is in the sign-in log: <code>GET /v1.0/auditLogs/signIns</code>.</li>
      </ul>`,
  });
}

function startSignIn(res: ServerResponse, url: URL, at: DemoAppRequest, session: DemoSession): void {
  const resource = RESOURCES[url.searchParams.get('resource') ?? 'graph'] ?? RESOURCES.graph!;
  const pending = {
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    verifier: randomBytes(32).toString('base64url'),
  };
  session.pending = pending;
  session.error = undefined;
  redirect(
    res,
    withQuery(`${at.origin}/${at.tenant.id}/oauth2/v2.0/authorize`, {
      client_id: DEMO_APP_ID,
      response_type: 'code',
      redirect_uri: `${appBase(at)}/callback`,
      scope: resource.scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }),
  );
}

async function finishSignIn(url: URL, at: DemoAppRequest, session: DemoSession): Promise<void> {
  const pending = session.pending;
  session.pending = undefined;
  const params = url.searchParams;
  if (!pending || params.get('state') !== pending.state) {
    session.error = {
      error: 'invalid_state',
      description: 'The answer does not belong to a sign-in this app started. Sign in again.',
    };
    return;
  }
  if (params.get('error')) {
    session.error = { error: params.get('error')!, description: params.get('error_description') ?? '' };
    return;
  }
  try {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: DEMO_APP_ID,
      code: params.get('code') ?? '',
      redirect_uri: `${appBase(at)}/callback`,
      code_verifier: pending.verifier,
    });
    const tokens = await redeemAuthorizationCode(at.deps, at.tenant, at.origin, form, undefined);
    const keys = createLocalJWKSet(at.deps.identity.jwks());
    const { payload } = await jwtVerify(tokens.id_token ?? '', keys, {
      issuer: issuerOf(at.origin, at.tenant.id),
      audience: DEMO_APP_ID,
    });
    if (payload.nonce !== pending.nonce)
      throw new Error('the id token does not carry the nonce this app sent');
    session.signedIn = { idClaims: payload, accessClaims: decodeJwt(tokens.access_token) };
  } catch (err) {
    const description =
      err instanceof TokenError ? String(err.body().error_description) : (err as Error).message;
    session.error = { error: err instanceof TokenError ? err.error : 'invalid_token', description };
  }
}

export async function serveDemoApp(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  at: DemoAppRequest,
): Promise<void> {
  const session = sessionOf(req, res, at);
  const path = at.subPath.replace(/\/$/, '');
  if (path === '' && req.method === 'GET') {
    sendHtml(res, 200, homePage(at, session));
  } else if (path === '/login') {
    startSignIn(res, url, at, session);
  } else if (path === '/callback') {
    await finishSignIn(url, at, session);
    redirect(res, `${appBase(at)}/`);
  } else if (path === '/logout') {
    session.signedIn = undefined;
    redirect(
      res,
      withQuery(`${at.origin}/${at.tenant.id}/oauth2/v2.0/logout`, {
        client_id: DEMO_APP_ID,
        post_logout_redirect_uri: `${appBase(at)}/`,
      }),
    );
  } else {
    sendHtml(
      res,
      404,
      renderPage({
        title: 'Not found',
        organisation: 'accord demo app',
        body: html`<h1>Not found</h1>
          <p><a href="${appBase(at)}/">Back to the demo app</a></p>`,
      }),
    );
  }
}
