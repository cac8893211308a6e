/** Sign-in over plain HTTP (no browser), for tests of the protocol and of Conditional Access outcomes. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { DEMO_APP_ID } from '../../src/tenant/signin/settings.ts';
import type { TestTenant } from '../helpers/local-tenant.ts';

export interface StartedSignIn {
  base: string;
  flow: string;
  verifier: string;
  state: string;
  nonce: string;
  redirectUri: string;
}

export function tenantBase(t: TestTenant): string {
  return `${t.tenant.origin}/${t.tenantId}`;
}

export function demoRedirectUri(t: TestTenant): string {
  return `${tenantBase(t)}/_accord/demo-app/callback`;
}

/** GET authorize for the demo app (PKCE S256); returns the flow id of the username page. */
export async function beginSignIn(t: TestTenant, extra: Record<string, string> = {}): Promise<StartedSignIn> {
  const base = tenantBase(t);
  const started = {
    base,
    verifier: randomBytes(32).toString('base64url'),
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    redirectUri: demoRedirectUri(t),
  };
  const params = new URLSearchParams({
    client_id: DEMO_APP_ID,
    response_type: 'code',
    redirect_uri: started.redirectUri,
    scope: 'openid profile email',
    state: started.state,
    nonce: started.nonce,
    code_challenge: createHash('sha256').update(started.verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  });
  const response = await fetch(`${base}/oauth2/v2.0/authorize?${params.toString()}`);
  assert.equal(response.status, 200);
  const flow = /name="flow" value="([^"]+)"/.exec(await response.text())?.[1];
  assert.ok(flow, 'the username page carries the flow');
  return { ...started, flow };
}

export async function postStep(started: StartedSignIn, fields: Record<string, string>): Promise<Response> {
  return fetch(`${started.base}/_accord/signin`, {
    method: 'POST',
    body: new URLSearchParams({ flow: started.flow, ...fields }),
    redirect: 'manual',
  });
}

/** Username then password; the answer to the password (a redirect with the code, or a page). */
export async function signInWithPassword(
  t: TestTenant,
  username: string,
  password: string,
  extra: Record<string, string> = {},
): Promise<{ started: StartedSignIn; response: Response; page: string }> {
  const started = await beginSignIn(t, extra);
  await (await postStep(started, { step: 'username', username })).text();
  const response = await postStep(started, { step: 'password', password });
  return { started, response, page: await response.text() };
}

export function headingOf(page: string): string {
  return /<h1>([^<]*)<\/h1>/.exec(page)?.[1]?.trim() ?? '';
}
