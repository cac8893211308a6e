/**
 * The OpenID Connect provider without a browser: discovery, PKCE (S256, required for public clients), single-use
 * codes, exact redirect URIs, state and nonce round-trips, id tokens that verify against the JWKS with jose, userinfo,
 * and the sign-in log's Graph route (paging, $filter, permission).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { DEMO_PASSWORD } from '../../src/tenant/seed/demo.ts';
import { DEMO_APP_ID } from '../../src/tenant/signin/settings.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';
import { signInWithPassword, type StartedSignIn } from './http-sign-in.ts';

const MEMBER = 'mei.lin@contoso.onmicrosoft.com';

describe('OpenID Connect provider of the local tenant', { timeout: 120_000 }, () => {
  let t: TestTenant;
  let base: string;
  let redirectUri: string;

  before(async () => {
    t = await startTestTenant();
    base = `${t.tenant.origin}/${t.tenantId}`;
    redirectUri = `${base}/_accord/demo-app/callback`;
  });

  after(() => t?.close());

  function authorizeUrl(params: Record<string, string>): string {
    return `${base}/oauth2/v2.0/authorize?${new URLSearchParams(params).toString()}`;
  }

  /** Signs the member in over HTTP and returns the code redirect. */
  async function signIn(): Promise<{ started: StartedSignIn; location: URL }> {
    const { started, response } = await signInWithPassword(t, MEMBER, DEMO_PASSWORD);
    assert.equal(response.status, 302);
    return { started, location: new URL(response.headers.get('location')!) };
  }

  async function redeem(
    fields: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${base}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: DEMO_APP_ID, ...fields }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('the discovery document advertises the authorization code flow with PKCE', async () => {
    const doc = (await (await fetch(`${base}/v2.0/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(doc.authorization_endpoint, `${base}/oauth2/v2.0/authorize`);
    assert.equal(doc.end_session_endpoint, `${base}/oauth2/v2.0/logout`);
    assert.equal(doc.userinfo_endpoint, `${t.tenant.origin}/oidc/userinfo`);
    assert.deepEqual(doc.response_types_supported, ['code']);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.equal(doc.issuer, `${base}/v2.0`);
  });

  it('issues a code with the state, and an id token that verifies against the JWKS with the nonce', async () => {
    const { started, location } = await signIn();
    assert.equal(`${location.origin}${location.pathname}`, redirectUri);
    assert.equal(location.searchParams.get('state'), started.state);
    const code = location.searchParams.get('code')!;
    const tokens = await redeem({ code, redirect_uri: redirectUri, code_verifier: started.verifier });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const doc = (await (await fetch(`${base}/v2.0/.well-known/openid-configuration`)).json()) as {
      jwks_uri: string;
      issuer: string;
    };
    const { payload, protectedHeader } = await jwtVerify(
      String(tokens.body.id_token),
      createRemoteJWKSet(new URL(doc.jwks_uri)),
      {
        issuer: doc.issuer,
        audience: DEMO_APP_ID,
      },
    );
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.nonce, started.nonce);
    assert.equal(payload.preferred_username, MEMBER);
    assert.equal(payload.tid, t.tenantId);
    assert.deepEqual(payload.amr, ['pwd']);
    assert.equal(typeof payload.oid, 'string');
    const access = decodeJwt(String(tokens.body.access_token));
    assert.equal(access.aud, 'https://graph.microsoft.com');
    assert.equal(access.appid, DEMO_APP_ID);
    // The access token works at the userinfo endpoint, and is refused by Graph routes (no application permissions).
    const info = await fetch(`${t.tenant.origin}/oidc/userinfo`, {
      headers: { authorization: `Bearer ${String(tokens.body.access_token)}` },
    });
    assert.equal(info.status, 200);
    assert.equal(((await info.json()) as { sub: string }).sub, access.sub);
    const graph = await t.graph('GET', '/auditLogs/signIns', undefined, {
      token: String(tokens.body.access_token),
    });
    assert.equal(graph.status, 403);
  });

  it('refuses a code verifier that does not match the challenge', async () => {
    const { location } = await signIn();
    const tokens = await redeem({
      code: location.searchParams.get('code')!,
      redirect_uri: redirectUri,
      code_verifier: randomBytes(32).toString('base64url'),
    });
    assert.equal(tokens.status, 400);
    assert.equal(tokens.body.error, 'invalid_grant');
    assert.match(String(tokens.body.error_description), /^AADSTS501481: /);
  });

  it('a code is redeemed once: the second time is refused', async () => {
    const { started, location } = await signIn();
    const fields = {
      code: location.searchParams.get('code')!,
      redirect_uri: redirectUri,
      code_verifier: started.verifier,
    };
    assert.equal((await redeem(fields)).status, 200);
    const again = await redeem(fields);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    assert.match(String(again.body.error_description), /^AADSTS54005: .*already redeemed/);
  });

  it('refuses a redirect_uri at the token endpoint that differs from the authorize request', async () => {
    const { started, location } = await signIn();
    const tokens = await redeem({
      code: location.searchParams.get('code')!,
      redirect_uri: `${base}/_accord/demo-app/`,
      code_verifier: started.verifier,
    });
    assert.equal(tokens.status, 400);
    assert.match(String(tokens.body.error_description), /^AADSTS500112: /);
  });

  it('an unregistered redirect URI gets an error page, never a redirect', async () => {
    const response = await fetch(
      authorizeUrl({
        client_id: DEMO_APP_ID,
        response_type: 'code',
        redirect_uri: 'https://evil.example/callback',
        scope: 'openid',
        state: 's',
      }),
      { redirect: 'manual' },
    );
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.match(await response.text(), /AADSTS50011/);
  });

  it('an unknown client gets an error page', async () => {
    const response = await fetch(
      authorizeUrl({
        client_id: '00000000-1111-2222-3333-444444444444',
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'openid',
      }),
      { redirect: 'manual' },
    );
    assert.equal(response.status, 400);
    assert.match(await response.text(), /AADSTS700016/);
  });

  it('a public client without PKCE gets an OAuth error redirect with its state', async () => {
    const response = await fetch(
      authorizeUrl({
        client_id: DEMO_APP_ID,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'openid',
        state: 'xyz',
      }),
      { redirect: 'manual' },
    );
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('state'), 'xyz');
    assert.match(
      location.searchParams.get('error_description')!,
      /^AADSTS9002325: Proof Key for Code Exchange/,
    );
  });

  it('refuses the plain PKCE method and response types other than code', async () => {
    for (const [params, error] of [
      [
        { response_type: 'code', code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' },
        'invalid_request',
      ],
      [{ response_type: 'id_token' }, 'unsupported_response_type'],
    ] as const) {
      const response = await fetch(
        authorizeUrl({ client_id: DEMO_APP_ID, redirect_uri: redirectUri, scope: 'openid', ...params }),
        { redirect: 'manual' },
      );
      assert.equal(response.status, 302);
      assert.equal(new URL(response.headers.get('location')!).searchParams.get('error'), error);
    }
  });

  it('the sign-in log pages and filters, and needs AuditLog.Read.All', async () => {
    for (let i = 0; i < 3; i++) await signIn();
    const page = await t.graph('GET', '/auditLogs/signIns?$top=2', undefined, { app: 'reader' });
    assert.equal(page.status, 200);
    assert.equal(page.body.value.length, 2);
    assert.ok(page.body['@odata.nextLink']);
    const since = new Date(Date.now() - 60 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const filter = encodeURIComponent(
      `userPrincipalName eq '${MEMBER}' and appId eq '${DEMO_APP_ID}' and createdDateTime ge ${since}`,
    );
    const filtered = await t.graph('GET', `/auditLogs/signIns?$filter=${filter}`, undefined, {
      app: 'reader',
    });
    assert.equal(filtered.status, 200, JSON.stringify(filtered.body));
    assert.ok(filtered.body.value.length >= 6);
    assert.ok(
      filtered.body.value.every((s: { userPrincipalName: string }) => s.userPrincipalName === MEMBER),
    );
    const none = await t.graph(
      'GET',
      `/auditLogs/signIns?$filter=${encodeURIComponent('createdDateTime ge 2999-01-01T00:00:00Z')}`,
      undefined,
      { app: 'reader' },
    );
    assert.deepEqual(none.body.value, []);
    const one = await t.graph('GET', `/auditLogs/signIns/${String(filtered.body.value[0].id)}`, undefined, {
      app: 'reader',
    });
    assert.equal(one.status, 200);
    assert.ok(!JSON.stringify(filtered.body).includes(DEMO_PASSWORD));
    // An app without AuditLog.Read.All is refused, as Graph refuses it.
    const added = await t.control('POST', '/tenants', {
      seed: {
        tenant: { displayName: 'Fourth Coffee', domain: 'fourthcoffee.onmicrosoft.com', flavor: 'workforce' },
        users: [],
        groups: [],
        roleAssignments: [],
        applications: [],
        appRegistrations: [{ displayName: 'policy-reader', permissions: ['Policy.Read.All'] }],
        externalTenants: [],
        userFlows: [],
      },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const app = added.body.apps[0];
    const token = await fetch(added.body.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    const accessToken = ((await token.json()) as { access_token: string }).access_token;
    const refused = await t.graph('GET', '/auditLogs/signIns', undefined, { token: accessToken });
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /AuditLog\.Read\.All/);
  });
});
