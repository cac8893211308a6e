/**
 * The Graph contract (graph-contract.md), statement by statement, where no other test of the local tenant covers
 * it: the endpoint map (§1), permissions (§2.11, §3.2), named-location query options (§3.2), directory queries
 * (§6), paging, batching and errors (§7.1–7.3), throttling headers and budgets (§7.4), the token endpoint (§7.5),
 * user-flow identity providers (§8.1), and the Graph client's part of §6/§7.1. Talks HTTP to a real local tenant.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { localClientCredential } from '../../src/cli/local-credential.ts';
import { GraphClient, needsEventualConsistency } from '../../src/graph/graph-client.ts';
import { demoDirectory } from '../../src/tenant/seed/demo.ts';
import type { TenantSummary } from '../../src/tenant/server.ts';
import {
  directoryBudget,
  directoryCost,
  Throttle,
  type ThrottleDecision,
} from '../../src/tenant/throttle.ts';
import { startTestTenant, type GraphReply, type TestTenant } from '../helpers/local-tenant.ts';

const CA = '/identity/conditionalAccess';
const POLICIES = `${CA}/policies`;
const LOCATIONS = `${CA}/namedLocations`;
const CONTEXTS = `${CA}/authenticationContextClassReferences`;
const TEMPLATES = `${CA}/templates`;
const IP_TYPE = '#microsoft.graph.ipNamedLocation';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Json = Record<string, unknown>;

function minimalPolicy(displayName: string, conditions: Json = {}): Json {
  return {
    displayName,
    state: 'disabled',
    conditions: {
      applications: { includeApplications: ['None'] },
      users: { includeUsers: ['None'] },
      clientAppTypes: ['all'],
      ...conditions,
    },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  };
}

function ipLocation(displayName: string, cidr = '203.0.113.0/24'): Json {
  return {
    '@odata.type': IP_TYPE,
    displayName,
    ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: cidr }],
  };
}

function assertGraphError(reply: GraphReply, status: number, code: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.equal(reply.body.error.code, code, JSON.stringify(reply.body));
}

async function appToken(summary: TenantSummary, displayName: string): Promise<string> {
  const app = summary.apps.find((a) => a.displayName === displayName);
  assert.ok(app, `the seed has no ${displayName}`);
  const reply = await postToken(summary, {
    grant_type: 'client_credentials',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    scope: 'https://graph.microsoft.com/.default',
  });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return String(reply.body.access_token);
}

async function postToken(summary: TenantSummary, form: Record<string, string>, basic?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${basic}`;
  const response = await fetch(summary.tokenEndpoint, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

describe('graph contract audit (workforce tenant)', () => {
  let t: TestTenant;

  before(async () => {
    const seed = demoDirectory({ flavor: 'workforce' });
    seed.appRegistrations.push(
      { displayName: 'ca-readwrite-only', permissions: ['Policy.ReadWrite.ConditionalAccess'] },
      {
        displayName: 'ca-readwrite-app-read',
        permissions: ['Policy.ReadWrite.ConditionalAccess', 'Application.Read.All'],
      },
      { displayName: 'policy-reader', permissions: ['Policy.Read.All'] },
    );
    t = await startTestTenant({ seeds: [seed] });
  });
  after(() => t.close());

  describe('§1 endpoint map', () => {
    it('CA policies: 201 with the object, 200 reads on both paths, 204 PATCH and DELETE without a body', async () => {
      const created = await t.graph('POST', POLICIES, minimalPolicy('endpoint map'));
      assert.equal(created.status, 201);
      assert.match(created.body.id, GUID);
      assert.match(
        created.body['@odata.context'],
        /\$metadata#identity\/conditionalAccess\/policies\/\$entity$/,
      );
      const id = created.body.id as string;
      for (const base of [POLICIES, '/policies/conditionalAccessPolicies']) {
        const list = await t.graph('GET', base);
        assert.equal(list.status, 200);
        assert.ok(Array.isArray(list.body.value));
        assert.equal(typeof list.body['@odata.context'], 'string');
        assert.equal((await t.graph('GET', `${base}/${id}`)).body.id, id);
      }
      const patched = await t.graph('PATCH', `/policies/conditionalAccessPolicies/${id}`, {
        state: 'enabledForReportingButNotEnforced',
      });
      assert.equal(patched.status, 204);
      assert.equal(patched.body, undefined);
      assert.equal(
        (await t.graph('GET', `${POLICIES}/${id}`)).body.state,
        'enabledForReportingButNotEnforced',
      );
      const deleted = await t.graph('DELETE', `${POLICIES}/${id}`);
      assert.equal(deleted.status, 204);
      assert.equal(deleted.body, undefined);
    });

    it('soft-deleted items of both kinds are listed and restored with 200 and the object', async () => {
      const policy = (await t.graph('POST', POLICIES, minimalPolicy('to restore'))).body;
      const location = (await t.graph('POST', LOCATIONS, ipLocation('to restore'))).body;
      assert.equal((await t.graph('DELETE', `${POLICIES}/${policy.id}`)).status, 204);
      assert.equal((await t.graph('DELETE', `${LOCATIONS}/${location.id}`)).status, 204);
      for (const [segment, id] of [
        ['policies', policy.id],
        ['namedLocations', location.id],
      ] as const) {
        const listed = await t.graph('GET', `${CA}/deletedItems/${segment}`);
        assert.equal(listed.status, 200);
        const item = (listed.body.value as Json[]).find((d) => d.id === id);
        assert.ok(item, `${segment} lists ${id}`);
        assert.equal(typeof item.deletedDateTime, 'string');
        const restored = await t.graph('POST', `${CA}/deletedItems/${segment}/${id}/restore`);
        assert.equal(restored.status, 200, JSON.stringify(restored.body));
        assert.equal(restored.body.id, id);
        assert.equal(restored.body.deletedDateTime, undefined);
      }
      assert.equal((await t.graph('GET', `${LOCATIONS}/${location.id}`)).status, 200);
    });

    it('authentication strengths on both paths, with updateAllowedCombinations, usage() and the method modes', async () => {
      const aliases = ['/policies/authenticationStrengthPolicies', `${CA}/authenticationStrength/policies`];
      const created = await t.graph('POST', aliases[1]!, {
        displayName: 'Audit strength',
        allowedCombinations: ['password,sms'],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      assert.equal((await t.graph('GET', `${aliases[0]}/${id}`)).status, 200);
      assert.equal((await t.graph('PATCH', `${aliases[0]}/${id}`, { description: 'x' })).status, 204);
      const updated = await t.graph('POST', `${aliases[0]}/${id}/updateAllowedCombinations`, {
        allowedCombinations: ['fido2'],
      });
      assert.equal(updated.status, 200);
      assert.deepEqual(updated.body.currentCombinations, ['fido2']);
      assert.equal((await t.graph('GET', `${aliases[1]}/${id}/usage()`)).status, 200);
      const modes = await t.graph('GET', `${CA}/authenticationStrength/authenticationMethodModes`);
      assert.equal(modes.status, 200);
      assert.ok((modes.body.value as Json[]).some((m) => m.id === 'fido2'));
      assert.equal((await t.graph('DELETE', `${aliases[1]}/${id}`)).status, 204);
    });

    it('authentication contexts c1..c99: PATCH creates or updates (204), GET reads, DELETE removes', async () => {
      assertGraphError(await t.graph('GET', `${CONTEXTS}/c7`), 404, 'ResourceNotFound');
      const created = await t.graph('PATCH', `${CONTEXTS}/C7`, {
        displayName: 'Contoso medium',
        description: 'Medium protection',
        isAvailable: true,
      });
      assert.equal(created.status, 204);
      const read = await t.graph('GET', `${CONTEXTS}/c7`);
      assert.equal(read.status, 200);
      assert.deepEqual(
        { id: read.body.id, displayName: read.body.displayName, isAvailable: read.body.isAvailable },
        { id: 'c7', displayName: 'Contoso medium', isAvailable: true },
      );
      assert.equal((await t.graph('PATCH', `${CONTEXTS}/c7`, { isAvailable: false })).status, 204);
      const listed = await t.graph('GET', CONTEXTS);
      assert.equal(listed.status, 200);
      const item = (listed.body.value as Json[]).find((c) => c.id === 'c7');
      assert.deepEqual([item?.displayName, item?.isAvailable], ['Contoso medium', false]);
      for (const bad of ['c0', 'c100', 'x1']) {
        const reply = await t.graph('PATCH', `${CONTEXTS}/${bad}`, { displayName: 'no' });
        assertGraphError(reply, 400, 'BadRequest');
        assert.match(reply.body.error.innerError.message, /^1110: /);
      }
      assertGraphError(await t.graph('PATCH', `${CONTEXTS}/c8`, { colour: 'red' }), 400, 'BadRequest');
      assertGraphError(
        await t.graph('PATCH', `${CONTEXTS}/c9`, { displayName: 'x' }, { app: 'reader' }),
        403,
        'Authorization_RequestDenied',
      );
      assert.equal((await t.graph('DELETE', `${CONTEXTS}/c7`)).status, 204);
      assertGraphError(await t.graph('GET', `${CONTEXTS}/c7`), 404, 'ResourceNotFound');
    });

    it('CA templates: the documented list, $filter on scenarios, $select and GET by id', async () => {
      const list = await t.graph('GET', TEMPLATES);
      assert.equal(list.status, 200);
      const ids = (list.body.value as Json[]).map((x) => x.id);
      assert.ok(ids.includes('c7503427-338e-4c5e-902d-abe252abfb43'), ids.join());
      const admins = (list.body.value as Json[]).find(
        (x) => x.id === 'c7503427-338e-4c5e-902d-abe252abfb43',
      )!;
      assert.equal(admins.name, 'Require multifactor authentication for admins');
      assert.equal(admins.scenarios, 'secureFoundation,zeroTrust,protectAdmins');
      const details = admins.details as { grantControls: { builtInControls: string[] } };
      assert.deepEqual(details.grantControls.builtInControls, ['mfa']);
      const filtered = await t.graph(
        'GET',
        `${TEMPLATES}?$select=name,id,scenarios&$filter=scenarios has 'protectAdmins'`,
      );
      assert.equal(filtered.status, 200);
      const rows = filtered.body.value as Json[];
      assert.ok(rows.length > 0 && rows.length < ids.length, JSON.stringify(rows));
      assert.ok(rows.every((r) => String(r.scenarios).includes('protectAdmins') && r.details === undefined));
      const one = await t.graph('GET', `${TEMPLATES}/0b2282f9-2862-4178-88b5-d79340b36cb8`);
      assert.equal(one.body.name, 'Block legacy authentication');
      assertGraphError(await t.graph('GET', `${TEMPLATES}/nope`), 404, 'ResourceNotFound');
    });

    it('users by UPN on the path and by the userPrincipalName alternate key', async () => {
      const user = (await t.graph('GET', '/users?$top=1&$select=id,userPrincipalName')).body.value[0];
      const byPath = await t.graph('GET', `/users/${user.userPrincipalName}`);
      assert.equal(byPath.body.id, user.id);
      const byKey = await t.graph('GET', `/users(userPrincipalName='${user.userPrincipalName}')`);
      assert.equal(byKey.status, 200, JSON.stringify(byKey.body));
      assert.equal(byKey.body.id, user.id);
      assertGraphError(
        await t.graph('GET', "/users(userPrincipalName='nobody@contoso.onmicrosoft.com')"),
        404,
        'Request_ResourceNotFound',
      );
    });

    it('invitations: 201 with the redeem URL, status and invitedUser.id of a new guest', async () => {
      const reply = await t.graph('POST', '/invitations', {
        invitedUserEmailAddress: 'audit.guest@fabrikam.com',
        inviteRedirectUrl: 'https://myapps.microsoft.com',
      });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      assert.match(reply.body.inviteRedeemUrl, /^https:\/\//);
      assert.equal(reply.body.status, 'PendingAcceptance');
      assert.equal(reply.body.invitedUserType, 'Guest');
      assert.equal(reply.body.sendInvitationMessage, false);
      const guest = await t.graph(
        'GET',
        `/users/${reply.body.invitedUser.id}?$select=userType,externalUserState`,
      );
      assert.equal(guest.body.userType, 'Guest');
      assert.equal(guest.body.externalUserState, 'PendingAcceptance');
      const member = await t.graph('POST', '/invitations', {
        invitedUserEmailAddress: 'audit.member@fabrikam.com',
        inviteRedirectUrl: 'https://myapps.microsoft.com',
        invitedUserType: 'Member',
      });
      const memberUser = await t.graph('GET', `/users/${member.body.invitedUser.id}?$select=userType`);
      assert.equal(memberUser.body.userType, 'Member');
    });

    it('the beta version mirrors v1.0', async () => {
      const beta = await t.graph('GET', `${POLICIES}?$select=id`, undefined, { version: 'beta' });
      const v1 = await t.graph('GET', `${POLICIES}?$select=id`);
      assert.equal(beta.status, 200);
      assert.match(beta.body['@odata.context'], /\/beta\/\$metadata#/);
      assert.deepEqual(beta.body.value, v1.body.value);
    });
  });

  describe('§5 authentication strength queries', () => {
    it('filters displayName with eq, ne, not and in; policyType; allowedCombinations/any with has', async () => {
      const STRENGTHS = '/policies/authenticationStrengthPolicies';
      const names = async (filter: string): Promise<unknown[]> => {
        const reply = await t.graph('GET', `${STRENGTHS}?$filter=${filter}&$select=displayName`);
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        return (reply.body.value as Json[]).map((s) => s.displayName);
      };
      const mfa = 'Multifactor authentication';
      assert.deepEqual(await names(`displayName eq '${mfa}'`), [mfa]);
      assert.deepEqual(await names(`displayName ne '${mfa}'`), [
        'Passwordless MFA',
        'Phishing resistant MFA',
      ]);
      assert.deepEqual(await names(`not(displayName eq '${mfa}')`), [
        'Passwordless MFA',
        'Phishing resistant MFA',
      ]);
      assert.deepEqual(await names(`displayName in ('${mfa}', 'Passwordless MFA')`), [
        mfa,
        'Passwordless MFA',
      ]);
      assert.deepEqual(await names("policyType eq 'custom'"), []);
      assert.deepEqual(await names("allowedCombinations/any(x:x has 'sms, password')"), [mfa]);
    });
  });

  describe('§2.4 applications', () => {
    it('excludeApplications refuses All and None, and takes Office365 and MicrosoftAdminPortals', async () => {
      for (const special of ['All', 'None', 'all']) {
        const reply = await t.graph(
          'POST',
          POLICIES,
          minimalPolicy(`exclude ${special}`, {
            applications: { includeApplications: ['All'], excludeApplications: [special] },
          }),
        );
        assertGraphError(reply, 400, 'BadRequest');
        assert.match(reply.body.error.innerError.message, /^1117: .*excludeApplications/);
      }
      const ok = await t.graph(
        'POST',
        POLICIES,
        minimalPolicy('exclude portals', {
          applications: {
            includeApplications: ['All'],
            excludeApplications: ['Office365', 'MicrosoftAdminPortals'],
          },
        }),
      );
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      await t.graph('DELETE', `${POLICIES}/${ok.body.id}`);
    });
  });

  describe('§2.11 / §3.2 permissions', () => {
    it('writes need Policy.ReadWrite.ConditionalAccess with Policy.Read.All (or Application.Read.All)', async () => {
      const writeOnly = await appToken(t.summary, 'ca-readwrite-only');
      const withAppRead = await appToken(t.summary, 'ca-readwrite-app-read');
      const policyReader = await appToken(t.summary, 'policy-reader');
      const before = (await t.control('GET', `/tenants/${t.tenantId}/state-hash`)).body.hash;
      for (const [path, body] of [
        [POLICIES, minimalPolicy('write only')],
        [LOCATIONS, ipLocation('write only')],
      ] as const) {
        assertGraphError(
          await t.graph('POST', path, body, { token: writeOnly }),
          403,
          'Authorization_RequestDenied',
        );
        assertGraphError(
          await t.graph('POST', path, body, { token: policyReader }),
          403,
          'Authorization_RequestDenied',
        );
      }
      assert.equal((await t.control('GET', `/tenants/${t.tenantId}/state-hash`)).body.hash, before);
      const created = await t.graph('POST', POLICIES, minimalPolicy('app read'), { token: withAppRead });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const read = await t.graph('GET', `${POLICIES}/${created.body.id}`, undefined, { token: policyReader });
      assert.equal(read.status, 200);
      assert.equal((await t.graph('GET', LOCATIONS, undefined, { token: policyReader })).status, 200);
      assert.equal(
        (await t.graph('DELETE', `${POLICIES}/${created.body.id}`, undefined, { token: withAppRead })).status,
        204,
      );
    });
  });

  describe('§3.2 named-location queries', () => {
    let ids: string[] = [];

    before(async () => {
      ids = [];
      for (const [name, cidr] of [
        ['q-alpha', '198.51.100.0/24'],
        ['q-bravo', '192.0.2.0/24'],
        ['q-charlie', '203.0.113.128/25'],
      ] as const) {
        const reply = await t.graph('POST', LOCATIONS, ipLocation(name, cidr));
        assert.equal(reply.status, 201);
        ids.push(reply.body.id);
      }
      const country = await t.graph('POST', LOCATIONS, {
        '@odata.type': '#microsoft.graph.countryNamedLocation',
        displayName: 'q-delta',
        countriesAndRegions: ['CA', 'US'],
      });
      ids.push(country.body.id);
    });

    it('$skip with $top pages with a $skip nextLink', async () => {
      const filter = "$filter=startsWith(displayName,'q-')&$orderby=displayName";
      const first = await t.graph('GET', `${LOCATIONS}?${filter}&$top=2&$skip=1&$select=displayName`);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(
        (first.body.value as Json[]).map((l) => l.displayName),
        ['q-bravo', 'q-charlie'],
      );
      const next = new URL(first.body['@odata.nextLink']);
      assert.equal(next.searchParams.get('$skip'), '3');
      const rest = await t.graph('GET', `${next.pathname.replace(/^\/v1\.0/, '')}${next.search}`);
      assert.deepEqual(
        (rest.body.value as Json[]).map((l) => l.displayName),
        ['q-delta'],
      );
      assert.equal(rest.body['@odata.nextLink'], undefined);
      assertGraphError(await t.graph('GET', `${LOCATIONS}?$skip=-1`), 400, 'BadRequest');
    });

    it('$orderby desc, several keys; $count on the first page only', async () => {
      const desc = await t.graph(
        'GET',
        `${LOCATIONS}?$filter=startsWith(displayName,'q-')&$orderby=displayName desc&$select=displayName`,
      );
      assert.deepEqual(
        (desc.body.value as Json[]).map((l) => l.displayName),
        ['q-delta', 'q-charlie', 'q-bravo', 'q-alpha'],
      );
      const typed = await t.graph(
        'GET',
        `${LOCATIONS}?$filter=startsWith(displayName,'q-')&$orderby=@odata.type desc,displayName asc&$select=displayName&$top=3&$count=true`,
      );
      assert.deepEqual(
        (typed.body.value as Json[]).map((l) => l.displayName),
        ['q-alpha', 'q-bravo', 'q-charlie'],
      );
      assert.equal(typed.body['@odata.count'], 4);
      const next = new URL(typed.body['@odata.nextLink']);
      const second = await t.graph('GET', `${next.pathname.replace(/^\/v1\.0/, '')}${next.search}`);
      assert.equal(second.body['@odata.count'], undefined);
      assert.deepEqual(
        (second.body.value as Json[]).map((l) => l.displayName),
        ['q-delta'],
      );
      assertGraphError(await t.graph('GET', `${LOCATIONS}?$orderby=displayName sideways`), 400, 'BadRequest');
    });

    it('the documented filters: isof, createdDateTime ge (unquoted), countriesAndRegions/any', async () => {
      const isIp = await t.graph('GET', `${LOCATIONS}?$filter=isof('microsoft.graph.ipNamedLocation')`);
      assert.ok((isIp.body.value as Json[]).every((l) => l['@odata.type'] === IP_TYPE));
      const created = (await t.graph('GET', `${LOCATIONS}/${ids[0]}`)).body.createdDateTime as string;
      // The literal carries no milliseconds; the stored value does: ge must still include the location itself.
      const second = created.slice(0, 19) + 'Z';
      const since = await t.graph('GET', `${LOCATIONS}?$filter=createdDateTime ge ${second}&$select=id`);
      assert.equal(since.status, 200, JSON.stringify(since.body));
      const sinceIds = (since.body.value as Json[]).map((l) => l.id);
      assert.ok(
        ids.every((id) => sinceIds.includes(id)),
        JSON.stringify(sinceIds),
      );
      const future = await t.graph('GET', `${LOCATIONS}?$filter=createdDateTime ge 2999-01-01T00:00:00Z`);
      assert.deepEqual(future.body.value, []);
      const canada = await t.graph(
        'GET',
        `${LOCATIONS}?$filter=microsoft.graph.countryNamedLocation/countriesAndRegions/any(c: c eq 'CA')`,
      );
      assert.deepEqual(
        (canada.body.value as Json[]).map((l) => l.displayName),
        ['q-delta'],
      );
    });
  });

  describe('§6 directory queries', () => {
    const eventual = { consistencylevel: 'eventual' };

    it('$search needs ConsistencyLevel: eventual and $count=true, then matches word prefixes', async () => {
      const user = (await t.graph('GET', '/users?$top=1&$select=displayName')).body.value[0];
      const first = String(user.displayName).split(' ')[0]!;
      const search = `$search="displayName:${first.slice(0, 3)}"`;
      assertGraphError(await t.graph('GET', `/users?${search}`), 400, 'Request_UnsupportedQuery');
      assertGraphError(
        await t.graph('GET', `/users?${search}`, undefined, { headers: eventual }),
        400,
        'Request_UnsupportedQuery',
      );
      const found = await t.graph('GET', `/users?${search}&$count=true&$select=displayName`, undefined, {
        headers: eventual,
      });
      assert.equal(found.status, 200, JSON.stringify(found.body));
      const names = (found.body.value as Json[]).map((u) => String(u.displayName));
      assert.ok(names.includes(user.displayName), names.join());
      assert.equal(found.body['@odata.count'], names.length);
      const all = (await t.graph('GET', '/users?$select=displayName&$top=999')).body.value as Json[];
      assert.ok(names.length < all.length, 'the search narrows the list');
      const prefix = first.slice(0, 3).toLowerCase();
      assert.ok(
        names.every((n) =>
          n
            .toLowerCase()
            .split(/[^a-z0-9]+/)
            .some((w) => w.startsWith(prefix)),
        ),
        names.join(),
      );
      const either = await t.graph(
        'GET',
        `/users/$count?$search="displayName:${first}" OR "displayName:zzzznobody"`,
        undefined,
        { headers: eventual },
      );
      assert.equal(either.status, 200, JSON.stringify(either.body));
      assert.ok(Number(either.body) >= 1);
      assertGraphError(
        await t.graph('GET', '/users?$search=displayName&$count=true', undefined, { headers: eventual }),
        400,
        'Request_UnsupportedQuery',
      );
    });

    it('directoryRoles is not paged, even when asked for $top', async () => {
      const all = await t.graph('GET', '/directoryRoles');
      const topped = await t.graph('GET', '/directoryRoles?$top=1');
      assert.equal(topped.status, 200);
      assert.ok(all.body.value.length > 1);
      assert.equal(topped.body.value.length, all.body.value.length);
      assert.equal(topped.body['@odata.nextLink'], undefined);
    });

    it('directory collections page with $skiptoken, not $skip', async () => {
      assertGraphError(await t.graph('GET', '/users?$skip=5'), 400, 'Request_BadRequest');
      const page = await t.graph('GET', '/users?$top=5&$select=id');
      assert.match(page.body['@odata.nextLink'], /%24skiptoken=|\$skiptoken=/);
    });
  });

  describe('§7.1 paging and §7.3 errors', () => {
    it('follows @odata.nextLink verbatim (a full URL) until it is absent', async () => {
      const seen: string[] = [];
      let next: string | undefined = `${t.tenant.graphUrl}/users?$top=7&$select=id`;
      const token = await t.token();
      while (next) {
        assert.match(next, /^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?/);
        const response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
        const body = (await response.json()) as { value: Json[]; '@odata.nextLink'?: string };
        seen.push(...body.value.map((u) => String(u.id)));
        next = body['@odata.nextLink'];
      }
      const all = (await t.graph('GET', '/users?$top=999&$select=id')).body.value as Json[];
      assert.equal(seen.length, all.length);
      assert.equal(new Set(seen).size, seen.length);
    });

    it('an advanced query pages on with ConsistencyLevel resent, and fails without it', async () => {
      const eventual = { consistencylevel: 'eventual' };
      const query = "$filter=userType ne 'Guest'&$count=true&$top=5&$select=id";
      const first = await t.graph('GET', `/users?${query}`, undefined, { headers: eventual });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const total = first.body['@odata.count'] as number;
      assert.ok(total > 5);
      const link = new URL(first.body['@odata.nextLink']);
      assert.equal(link.searchParams.get('$count'), null);
      const path = `${link.pathname.replace(/^\/v1\.0/, '')}${link.search}`;
      assertGraphError(await t.graph('GET', path), 400, 'Request_UnsupportedQuery');
      let seen = first.body.value.length as number;
      let next: string | undefined = path;
      while (next) {
        const page = await t.graph('GET', next, undefined, { headers: eventual });
        assert.equal(page.status, 200, JSON.stringify(page.body));
        assert.equal(page.body['@odata.count'], undefined);
        seen += page.body.value.length as number;
        const more = page.body['@odata.nextLink'] as string | undefined;
        next = more ? `${new URL(more).pathname.replace(/^\/v1\.0/, '')}${new URL(more).search}` : undefined;
      }
      assert.equal(seen, total);
    });

    it('error bodies: code, message, innerError with request-id (= the header), date and client-request-id', async () => {
      const clientRequestId = '6c1e3a52-7f0b-4a5e-9d2b-0c4f8e1a2b3c';
      const reply = await t.graph('GET', `${POLICIES}/does-not-exist`, undefined, {
        headers: { 'client-request-id': clientRequestId },
      });
      assertGraphError(reply, 404, 'ResourceNotFound');
      const inner = reply.body.error.innerError;
      assert.equal(typeof reply.body.error.message, 'string');
      assert.match(String(inner['request-id']), GUID);
      assert.equal(reply.headers.get('request-id'), inner['request-id']);
      assert.match(inner.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      assert.equal(inner['client-request-id'], clientRequestId);
      assert.equal(reply.headers.get('client-request-id'), clientRequestId);
    });
  });

  describe('§7.2 $batch', () => {
    it('ids are unique case-insensitively; an item with a body but no Content-Type fails alone', async () => {
      const duplicate = await t.graph('POST', '/$batch', {
        requests: [
          { id: 'a', method: 'GET', url: '/users?$top=1' },
          { id: 'A', method: 'GET', url: '/users?$top=1' },
        ],
      });
      assertGraphError(duplicate, 400, 'BadRequest');
      const mixed = await t.graph('POST', '/$batch', {
        requests: [
          { id: '1', method: 'POST', url: POLICIES, body: minimalPolicy('batch without type') },
          { id: '2', method: 'GET', url: '/users?$top=1&$select=id' },
          {
            id: '3',
            method: 'POST',
            url: POLICIES,
            headers: { 'Content-Type': 'application/json' },
            body: minimalPolicy('batch with type'),
          },
        ],
      });
      assert.equal(mixed.status, 200);
      const byId = new Map((mixed.body.responses as Json[]).map((r) => [r.id, r]));
      assert.equal(byId.get('1')!.status, 400);
      assert.equal(byId.get('2')!.status, 200);
      assert.equal(byId.get('3')!.status, 201);
      await t.graph('DELETE', `${POLICIES}/${(byId.get('3')!.body as Json).id}`);
    });
  });

  describe('§7.4 throttling', () => {
    after(() => t.tenant.throttle.configure({ enabled: false }));

    it('directory answers carry x-ms-resource-unit with the documented costs, even with rate limits off', async () => {
      const cases: [string, number][] = [
        ['/users', 2],
        ['/users?$select=id', 1],
        ['/users?$top=5', 1],
        ['/groups', 1],
      ];
      for (const [path, cost] of cases) {
        const reply = await t.graph('GET', path);
        assert.equal(reply.headers.get('x-ms-resource-unit'), String(cost), path);
      }
      assert.equal((await t.graph('GET', POLICIES)).headers.get('x-ms-resource-unit'), null);
    });

    it('a directory 429 names its scope and reason and carries Retry-After; near the limit the usage is announced', async () => {
      // 1 RU/s: a budget of 10 RU, five `GET /users` at 2 RU each.
      t.tenant.throttle.configure({ enabled: true, directoryUnitsPerSecond: 1 });
      const replies: GraphReply[] = [];
      for (let i = 0; i < 12 && replies.at(-1)?.status !== 429; i++) {
        replies.push(await t.graph('GET', '/users', undefined, { app: 'reader' }));
      }
      const throttled = replies.at(-1)!;
      assert.equal(throttled.status, 429, replies.map((r) => r.status).join());
      assert.ok(replies.length >= 5 && replies.length <= 7, replies.map((r) => r.status).join());
      assert.match(throttled.headers.get('retry-after') ?? '', /^\d+$/);
      const reader = t.summary.apps.find((a) => a.displayName === 'accord-reader')!;
      assert.equal(
        throttled.headers.get('x-ms-throttle-scope'),
        `Tenant_Application/ReadWrite/${reader.clientId}/${t.tenantId}`,
      );
      assert.equal(throttled.headers.get('x-ms-throttle-information'), 'ResourceUnitLimitExceeded');
      assert.equal(replies[0]!.headers.get('x-ms-throttle-limit-percentage'), null);
      const announced = replies
        .slice(0, -1)
        .map((r) => r.headers.get('x-ms-throttle-limit-percentage'))
        .filter((v): v is string => v !== null);
      assert.ok(announced.length > 0, 'some answer announced the usage');
      assert.ok(
        announced.every((v) => Number(v) > 0.8 && Number(v) <= 1.8),
        announced.join(),
      );
    });

    it('budgets by tenant size, write quotas, and the invitation and user-flow budgets', () => {
      assert.deepEqual([directoryBudget(10), directoryBudget(49)], [3_500, 3_500]);
      assert.deepEqual([directoryBudget(50), directoryBudget(500)], [5_000, 5_000]);
      assert.equal(directoryBudget(501), 8_000);
      const q = new URLSearchParams();
      assert.equal(directoryCost('GET', '/groups/g/transitiveMembers', q), 5);
      assert.equal(directoryCost('GET', '/groups/g/members', q), 3);
      assert.equal(directoryCost('POST', '/users/u/isMemberOf', q), 4);
      assert.equal(directoryCost('GET', '/users/u/transitiveMemberOf', q), 2);
      assert.equal(directoryCost('GET', '/users/u/transitiveMemberOf', new URLSearchParams('$select=id')), 1);
      assert.equal(directoryCost('GET', '/users', new URLSearchParams('$expand=manager')), 3);

      const throttle = new Throttle({ enabled: true });
      const scope = { tenantId: 'tenant', clientId: 'app', cost: 1 };
      /** Checks until one is refused: how many were allowed, and the refusal. */
      const drain = (run: () => ThrottleDecision): { allowed: number; refused: ThrottleDecision } => {
        for (let allowed = 0; allowed < 100_000; allowed++) {
          const decision = run();
          if (!decision.allowed) return { allowed, refused: decision };
        }
        return assert.fail('never refused');
      };
      // Costs of 500 RU: the refill (a tenth of the budget per second) cannot add another request meanwhile.
      assert.equal(drain(() => throttle.check('directory', { ...scope, cost: 500 })).allowed, 7);
      const medium = drain(() =>
        throttle.check('directory', { ...scope, clientId: 'm', cost: 500, directorySize: 200 }),
      );
      assert.equal(medium.allowed, 10);
      assert.equal(medium.refused.headers['x-ms-throttle-information'], 'ResourceUnitLimitExceeded');
      // 3,000 writes per 150 s (20/s refill, so a few more may slip in while the loop runs).
      const writes = drain(() => throttle.check('directory', { ...scope, clientId: 'w', write: true }));
      assert.ok(writes.allowed >= 3_000 && writes.allowed < 3_100, String(writes.allowed));
      assert.equal(writes.refused.headers['x-ms-throttle-information'], 'WriteLimitExceeded');
      assert.equal(writes.refused.headers['x-ms-throttle-scope'], 'Tenant_Application/Write/w/tenant');
      // Reads of that app still have resource units left.
      assert.equal(throttle.check('directory', { ...scope, clientId: 'w' }).allowed, true);

      const invitations = drain(() => throttle.check('invitations', scope));
      assert.ok(invitations.allowed >= 150 && invitations.allowed < 160, String(invitations.allowed));
      assert.ok(!invitations.refused.allowed && invitations.refused.retryAfterSeconds !== undefined);
      const other = throttle.check('invitations', { ...scope, clientId: 'other' });
      assert.equal(other.allowed, false, 'the invitation budget is per tenant, for all apps');
      const flowsApp = drain(() => throttle.check('userFlows', scope));
      assert.ok(flowsApp.allowed >= 200 && flowsApp.allowed < 205, `per app: ${flowsApp.allowed}`);
      const flowsTenant = drain(() => throttle.check('userFlows', { ...scope, clientId: 'b' }));
      assert.ok(
        flowsTenant.allowed >= 100 && flowsTenant.allowed < 105,
        `per tenant: ${flowsTenant.allowed}`,
      );

      assert.equal(throttle.check('conditionalAccess', scope).allowed, true);
      assert.equal(throttle.check('conditionalAccess', scope).allowed, true);
      const caRefused = throttle.check('conditionalAccess', { ...scope, clientId: 'x' });
      assert.ok(!caRefused.allowed && caRefused.retryAfterSeconds === undefined);
      assert.deepEqual(caRefused.headers, {});
    });
  });

  describe('§7.5 token endpoint', () => {
    it('answers a client-credentials grant with a Bearer token of 3599 s, from the form or Basic auth', async () => {
      const app = t.summary.apps.find((a) => a.displayName === 'accord-reader')!;
      const scope = 'https://graph.microsoft.com/.default';
      const form = await postToken(t.summary, {
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope,
      });
      assert.equal(form.status, 200);
      assert.equal(form.body.token_type, 'Bearer');
      assert.equal(form.body.expires_in, 3599);
      assert.equal(typeof form.body.access_token, 'string');
      const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
      const viaBasic = await postToken(t.summary, { grant_type: 'client_credentials', scope }, basic);
      assert.equal(viaBasic.status, 200, JSON.stringify(viaBasic.body));
    });

    it('refuses a bad or missing scope with invalid_scope, AADSTS70011', async () => {
      const app = t.summary.apps.find((a) => a.displayName === 'accord-reader')!;
      const base = {
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
      };
      for (const form of [{ ...base, scope: 'https://graph.microsoft.com' }, base]) {
        const reply = await postToken(t.summary, form);
        assert.equal(reply.status, 400);
        assert.equal(reply.body.error, 'invalid_scope');
        assert.deepEqual(reply.body.error_codes, [70011]);
        assert.match(String(reply.body.error_description), /^AADSTS70011: /);
        for (const key of ['timestamp', 'trace_id', 'correlation_id'])
          assert.equal(typeof reply.body[key], 'string');
      }
    });
  });

  describe("the Graph client's part", () => {
    it('adds ConsistencyLevel: eventual to $count queries, also when $ is percent-encoded', async () => {
      assert.equal(needsEventualConsistency('/users?$count=true'), true);
      assert.equal(needsEventualConsistency('/users?%24count=true&%24top=5'), true);
      assert.equal(needsEventualConsistency('/users?%24search=%22displayName%3Aa%22'), true);
      assert.equal(needsEventualConsistency('/users?$top=5'), false);
      const app = t.summary.apps.find((a) => a.displayName === 'accord-reader')!;
      const client = new GraphClient({
        baseUrl: t.tenant.graphUrl,
        credential: localClientCredential(t.summary.tokenEndpoint, app.clientId, app.clientSecret),
        conditionalAccessPerSecond: 1000,
        conditionalAccessBurst: 1000,
      });
      const query = new URLSearchParams({ $count: 'true', $top: '5', $select: 'id' });
      const users = await client.list(`/users?${query.toString()}`);
      const all = (await t.graph('GET', '/users?$top=999&$select=id')).body.value as Json[];
      assert.equal(users.length, all.length);
      const members = await client.list("/users?$filter=userType ne 'Guest'&$count=true&$top=5&$select=id");
      const expected = await t.graph('GET', "/users/$count?$filter=userType ne 'Guest'", undefined, {
        headers: { consistencylevel: 'eventual' },
      });
      assert.equal(members.length, Number(expected.body));
      const locations = await client.list(`${LOCATIONS}?$top=1&$skip=0`);
      assert.equal(locations.length, (await t.graph('GET', LOCATIONS)).body.value.length);
    });
  });
});

describe('graph contract audit (External ID tenant)', () => {
  let t: TestTenant;
  const FLOWS = '/identity/authenticationEventsFlows';
  const HANDLER =
    'onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp';

  before(async () => {
    t = await startTestTenant({ seeds: [demoDirectory({ flavor: 'external' })] });
  });
  after(() => t.close());

  it('§8.1 identity providers of a user flow: list, POST $ref (204), DELETE $ref (204), also with the type cast', async () => {
    const flow = await t.graph('POST', FLOWS, {
      '@odata.type': '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow',
      displayName: 'Audit flow',
      onAuthenticationMethodLoadStart: {
        '@odata.type': '#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp',
        identityProviders: [{ id: 'EmailPassword-OAUTH' }],
      },
      onInteractiveAuthFlowStart: {
        '@odata.type': '#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp',
        isSignUpAllowed: true,
      },
    });
    assert.equal(flow.status, 201, JSON.stringify(flow.body));
    assert.equal(flow.body.priority, 500);
    const providers = `${FLOWS}/${flow.body.id}/${HANDLER}/identityProviders`;
    const cast = `${FLOWS}/${flow.body.id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/${HANDLER}/identityProviders`;
    const ids = async (): Promise<unknown[]> =>
      ((await t.graph('GET', providers)).body.value as Json[]).map((p) => p.id);
    assert.deepEqual(await ids(), ['EmailPassword-OAUTH']);
    const added = await t.graph('POST', `${cast}/$ref`, {
      '@odata.id': 'https://graph.microsoft.com/v1.0/identityProviders/EmailOtpSignup-OAUTH',
    });
    assert.equal(added.status, 204, JSON.stringify(added.body));
    assert.deepEqual(await ids(), ['EmailPassword-OAUTH', 'EmailOtpSignup-OAUTH']);
    const stored = await t.graph('GET', `${FLOWS}/${flow.body.id}`);
    assert.deepEqual(
      (stored.body.onAuthenticationMethodLoadStart.identityProviders as Json[]).map((p) => p.id),
      ['EmailPassword-OAUTH', 'EmailOtpSignup-OAUTH'],
    );
    assertGraphError(
      await t.graph('POST', `${providers}/$ref`, {
        '@odata.id': 'https://graph.microsoft.com/v1.0/identityProviders/EmailOtpSignup-OAUTH',
      }),
      400,
      'BadRequest',
    );
    assertGraphError(
      await t.graph('POST', `${providers}/$ref`, {
        '@odata.id': 'https://graph.microsoft.com/v1.0/identityProviders/Nope-OAUTH',
      }),
      400,
      'BadRequest',
    );
    assertGraphError(
      await t.graph(
        'POST',
        `${providers}/$ref`,
        { '@odata.id': 'x/EmailOtpSignup-OAUTH' },
        { app: 'reader' },
      ),
      403,
      'Authorization_RequestDenied',
    );
    assert.equal((await t.graph('DELETE', `${providers}/EmailPassword-OAUTH/$ref`)).status, 204);
    assert.deepEqual(await ids(), ['EmailOtpSignup-OAUTH']);
    assertGraphError(await t.graph('DELETE', `${providers}/EmailOtpSignup-OAUTH/$ref`), 400, 'BadRequest');
    assertGraphError(
      await t.graph('DELETE', `${providers}/EmailPassword-OAUTH/$ref`),
      404,
      'ResourceNotFound',
    );
  });
});
