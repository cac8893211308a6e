/**
 * readImpactDirectory against the real local tenant over HTTP, through the real Graph client: the demo
 * organisation (members, guests of each kind, nested groups, roles held directly and through a group), and a
 * synthetic directory larger than a page (users and group members paged, the request count the module documents).
 * Expectations come from the seed and from Graph's own per-user answers, not from the module under test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { localClientCredential } from '../../src/cli/local-credential.ts';
import { GraphClient } from '../../src/graph/graph-client.ts';
import type { ImpactUser } from '../../src/impact/impact-types.ts';
import { readImpactDirectory } from '../../src/impact/read-impact-directory.ts';
import { demoDirectory, EMERGENCY_ACCESS_GROUP } from '../../src/tenant/seed/demo.ts';
import { syntheticDirectory } from '../../src/tenant/seed/synthetic.ts';
import type { PolicyDocument } from '../../src/whatif/types.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

function readerPort(t: TestTenant): GraphClient {
  const reader = t.summary.apps.find((a) => a.displayName === 'accord-reader')!;
  return new GraphClient({
    baseUrl: t.tenant.graphUrl,
    credential: localClientCredential(t.summary.tokenEndpoint, reader.clientId, reader.clientSecret),
  });
}

async function groupIds(t: TestTenant): Promise<Map<string, string>> {
  const reply = await t.graph('GET', '/groups?$select=id,displayName&$top=999');
  return new Map(
    (reply.body.value as { id: string; displayName: string }[]).map((g) => [g.displayName, g.id]),
  );
}

function policyNaming(include: string[], exclude: string[] = []): PolicyDocument {
  return { conditions: { users: { includeGroups: include, excludeGroups: exclude } } };
}

describe('readImpactDirectory on the demo organisation', () => {
  let t: TestTenant;
  let groups: Map<string, string>;
  let byUpn: Map<string, ImpactUser>;
  const seed = demoDirectory({ flavor: 'workforce' });

  before(async () => {
    t = await startTestTenant();
    groups = await groupIds(t);
    const policies = [
      policyNaming([groups.get('All employees')!], [groups.get(EMERGENCY_ACCESS_GROUP)!]),
      policyNaming([groups.get('IT')!]),
    ];
    const read = await readImpactDirectory(readerPort(t), policies);
    byUpn = new Map(read.directory.users.map((u) => [u.userPrincipalName!.toLowerCase(), u]));
  });
  after(() => t.close());

  it('holds every user of the directory, members and guests of each kind', () => {
    assert.equal(byUpn.size, seed.users.length);
    for (const user of seed.users) {
      const read = byUpn.get(user.userPrincipalName.toLowerCase());
      assert.ok(read, user.userPrincipalName);
      // Graph does not expose a guest's home tenant, so a service provider counts as a B2B collaboration guest.
      const kind =
        user.externalUserType === 'serviceProvider' ? 'b2bCollaborationGuest' : user.externalUserType;
      assert.equal(read.externalUserType, kind ?? undefined, user.userPrincipalName);
      assert.equal(read.userType, user.userType, user.userPrincipalName);
      assert.equal(read.homeTenantId, undefined);
    }
    const kinds = new Set([...byUpn.values()].map((u) => u.externalUserType ?? 'member'));
    assert.deepEqual([...kinds].sort(), [
      'b2bCollaborationGuest',
      'b2bCollaborationMember',
      'internalGuest',
      'member',
    ]);
  });

  it('resolves nested groups, and only the groups a policy names', () => {
    const allEmployees = groups.get('All employees')!;
    const it = groups.get('IT')!;
    const employees = seed.users.filter((u) => u.department !== undefined && u.userType === 'Member');
    assert.ok(employees.length > 30);
    // "All employees" holds the department groups, not the people: every employee is in it through nesting.
    for (const e of employees)
      assert.ok(
        byUpn.get(e.userPrincipalName)!.transitiveGroupIds.includes(allEmployees),
        e.userPrincipalName,
      );
    // Helpdesk is nested in IT: its analysts are in IT two levels down.
    const analyst = byUpn.get(employees.find((e) => e.displayName === 'Julia Santos')!.userPrincipalName)!;
    assert.deepEqual(new Set(analyst.transitiveGroupIds), new Set([allEmployees, it]));
    const seller = byUpn.get(employees.find((e) => e.department === 'Sales')!.userPrincipalName)!;
    assert.deepEqual(seller.transitiveGroupIds, [allEmployees], 'Sales is named by no policy');
    for (const n of [1, 2]) {
      const account = byUpn.get(`breakglass${n}@contoso.onmicrosoft.com`)!;
      assert.deepEqual(account.transitiveGroupIds, [groups.get(EMERGENCY_ACCESS_GROUP)]);
    }
    const guest = [...byUpn.values()].find((u) => u.externalUserType === 'b2bCollaborationGuest')!;
    assert.deepEqual(guest.transitiveGroupIds, []);
  });

  it('gives the roles held directly and through a role-assignable group', () => {
    const roles = (upn: string): readonly string[] => byUpn.get(upn)!.activeRoleTemplateIds;
    assert.deepEqual(roles('olivia.bennett@contoso.onmicrosoft.com'), [GLOBAL_ADMINISTRATOR]);
    assert.deepEqual(roles('breakglass1@contoso.onmicrosoft.com'), [GLOBAL_ADMINISTRATOR]);
    // Helpdesk Administrator is assigned to the Helpdesk group, so its members hold it.
    assert.deepEqual(roles('julia.santos@contoso.onmicrosoft.com'), [HELPDESK_ADMINISTRATOR]);
    assert.deepEqual(roles('kevin.brown@contoso.onmicrosoft.com'), [HELPDESK_ADMINISTRATOR]);
    assert.deepEqual(roles('isabella.rossi@contoso.onmicrosoft.com'), []);
    const holders = [...byUpn.values()].filter((u) => u.activeRoleTemplateIds.length > 0).length;
    assert.equal(holders, 9, 'five administrators, two analysts, two break-glass accounts');
  });
});

describe('readImpactDirectory on a directory larger than a page', () => {
  let t: TestTenant;
  const USERS = 2100;

  before(async () => {
    t = await startTestTenant({ seeds: [syntheticDirectory({ users: USERS, groups: 20 })] });
  });
  after(() => t.close());

  it('pages users and group members, matches Graph per user, in the documented number of requests', async () => {
    const groups = await groupIds(t);
    const named = [...groups.values()].slice(0, 12);
    const port = readerPort(t);
    const read = await readImpactDirectory(port, [policyNaming(named.slice(0, 6), named.slice(6))]);

    const everyone = (await t.graph('GET', '/users?$select=id&$top=999')).body;
    assert.equal(read.directory.users.length, USERS);
    assert.ok(everyone['@odata.nextLink'], 'the directory is longer than a page');

    // Graph's own answer, user by user, for a sample: the named groups the user is in, nesting included.
    const namedSet = new Set(named);
    for (const user of read.directory.users.filter((_, i) => i % 150 === 0)) {
      const memberOf = await t.graph('GET', `/users/${user.id}/transitiveMemberOf?$select=id&$top=999`);
      const expected = (memberOf.body.value as { id: string }[])
        .map((g) => g.id)
        .filter((g) => namedSet.has(g));
      assert.deepEqual(new Set(user.transitiveGroupIds), new Set(expected), user.userPrincipalName);
    }
    const inSomeGroup = read.directory.users.filter((u) => u.transitiveGroupIds.length > 0).length;
    assert.ok(inSomeGroup > USERS / 2, `${inSomeGroup} users in a named group`);

    // ⌈users / 999⌉ pages + ⌈named groups / 20⌉ batches + further member pages + one page of role assignments.
    let furtherPages = 0;
    for (const id of named) {
      let next: string | undefined = `/groups/${id}/transitiveMembers?$select=id&$top=999`;
      let pages = 0;
      while (next) {
        pages++;
        const page = await t.graph('GET', next.replace(/^.*\/v1\.0/, ''));
        next = page.body['@odata.nextLink'];
      }
      furtherPages += pages - 1;
    }
    assert.ok(furtherPages > 0, 'some member list is longer than a page');
    const expected = Math.ceil(USERS / 999) + Math.ceil(named.length / 20) + furtherPages + 1;
    assert.equal(port.stats.total, expected);
  });
});
