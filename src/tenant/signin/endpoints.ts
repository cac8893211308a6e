/**
 * The sign-in surface of the local tenant: the authorize endpoint, the sign-in steps, the outbox of one-time
 * passcodes, sign-out, userinfo, and the sample client app. `handle` answers false for any other path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TenantInfo } from '../graph-types.ts';
import { safeDecode } from '../router.ts';
import { serveAuthorize } from './authorize.ts';
import { findClient, isRegisteredRedirectUri } from './clients.ts';
import { inTenantDemoApp, serveDemoApp } from './demo-app.ts';
import type { SignInDeps } from './deps.ts';
import { readForm, sendHtml } from './http.ts';
import { outboxPage, signedOutPage } from './pages.ts';
import { serveSignInStep } from './steps.ts';
import { redeemAuthorizationCode, type TokenResponse } from './tokens.ts';
import { serveUserInfo } from './userinfo.ts';

const TENANT_PATH =
  /^\/([^/]+)\/(oauth2\/v2\.0\/authorize|oauth2\/v2\.0\/logout|_accord\/signin|_accord\/outbox|_accord\/demo-app)(\/.*)?$/i;

export interface SignInEndpoints {
  handle(req: IncomingMessage, res: ServerResponse, url: URL, origin: string): Promise<boolean>;
  redeem(
    tenant: TenantInfo,
    origin: string,
    form: URLSearchParams,
    basic: { id: string; secret: string } | undefined,
  ): Promise<TokenResponse>;
}

function serveLogout(
  res: ServerResponse,
  deps: SignInDeps,
  tenant: TenantInfo,
  params: URLSearchParams,
): void {
  const target = params.get('post_logout_redirect_uri') ?? undefined;
  const clientId = params.get('client_id');
  // Only to an address registered for the app that asks: never an open redirect.
  const client = clientId ? findClient(deps.store, tenant.id, clientId, () => []) : undefined;
  const trusted = target && client && isRegisteredRedirectUri(client, target) ? target : undefined;
  sendHtml(res, 200, signedOutPage({ organisation: tenant.displayName, returnUrl: trusted }));
}

export function createSignInEndpoints(deps: SignInDeps): SignInEndpoints {
  return {
    async handle(req, res, url, origin) {
      if (/^\/oidc\/userinfo\/?$/i.test(url.pathname)) {
        await serveUserInfo(req, res, deps);
        return true;
      }
      const match = TENANT_PATH.exec(url.pathname);
      if (!match) return false;
      const tenant = deps.tenants.find(safeDecode(match[1]!));
      const what = match[2]!.toLowerCase();
      const method = req.method ?? 'GET';
      if (what === 'oauth2/v2.0/authorize') {
        const params = method === 'POST' ? await readForm(req) : url.searchParams;
        serveAuthorize(res, deps, tenant, params);
        return true;
      }
      if (!tenant) return false;
      const at = { deps, tenant, origin };
      if (what === '_accord/signin' && method === 'POST') {
        await serveSignInStep(req, res, at);
      } else if (what === '_accord/outbox' && method === 'GET') {
        sendHtml(
          res,
          200,
          outboxPage({ organisation: tenant.displayName, messages: deps.state.messages(tenant.id) }),
        );
      } else if (what === 'oauth2/v2.0/logout') {
        serveLogout(res, deps, tenant, method === 'POST' ? await readForm(req) : url.searchParams);
      } else if (what === '_accord/demo-app') {
        await serveDemoApp(req, res, url, inTenantDemoApp(at, match[3] ?? '/'));
      } else {
        return false;
      }
      return true;
    },
    redeem: (tenant, origin, form, basic) => redeemAuthorizationCode(deps, tenant, origin, form, basic),
  };
}
