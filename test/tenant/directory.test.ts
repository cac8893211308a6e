import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_IDS } from '../../src/tenant/seed/demo.ts';
import { syntheticDirectory } from '../../src/tenant/seed/synthetic.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

const DOMAIN = 'contoso.onmicrosoft.com';
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const SECURITY_READER = '5d6b6bb7-de71-4623-b4af-96380a352509';
const EVENTUAL = { headers: { ConsistencyLevel: 'eventual' } };

async function pageAll(t: TestTenant, path: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let next: string | undefined = path;
  while (next) {
    const reply = await t.graph('GET', next);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    items.push(...reply.body.value);
    const link: string | undefined = reply.body['@odata.nextLink'];
    next = link ? link.slice(link.indexOf('/v1.0') + 5) : undefined;
  }
  return items;
}

describe('local tenant: directory reads', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
  });
  after(() => t.close());

  it('lists users with Graph default properties and pages with nextLink', async () => {
    const first = await t.graph('GET', '/users?$top=10', undefined, { app: 'reader' });
    assert.equal(first.status, 200);
    assert.match(first.body['@odata.context'], /\$metadata#users$/);
    assert.equal(first.body.value.length, 10);
    assert.ok(first.body['@odata.nextLink']);
    assert.ok('userPrincipalName' in first.body.value[0]);
    assert.ok(!('userType' in first.body.value[0]), 'userType needs $select');
    const all = await pageAll(t, '/users?$top=7');
    const count = await t.graph('GET', '/users/$count', undefined, EVENTUAL);
    assert.equal(all.length, Number(count.body));
    assert.equal(new Set(all.map((u) => u.id)).size, all.length);
  });

  it('filters users: eq, in, startsWith, identities/any, userType with $select', async () => {
    const upn = `marcus.chen@${DOMAIN}`;
    const eq = await t.graph('GET', `/users?$filter=userPrincipalName eq '${upn}'`);
    assert.equal(eq.body.value.length, 1);
    const inList = await t.graph(
      'GET',
      `/users?$filter=userPrincipalName in ('${upn}','aisha.khan@${DOMAIN}')`,
    );
    assert.equal(inList.body.value.length, 2);
    const starts = await t.graph('GET', "/users?$filter=startsWith(displayName,'Emergency')");
    assert.equal(starts.body.value.length, 2);
    const fabrikam = await t.graph(
      'GET',
      "/users?$filter=identities/any(c:c/issuer eq 'ExternalAzureAD')&$select=id,userType,identities",
    );
    assert.ok(fabrikam.body.value.length >= 4);
    const guests = await t.graph('GET', "/users?$filter=userType eq 'Guest'&$select=id,userType,displayName");
    assert.ok(guests.body.value.every((u: { userType: string }) => u.userType === 'Guest'));
    assert.ok(!('_password' in guests.body.value[0]));
  });

  it('needs ConsistencyLevel for $count and advanced operators', async () => {
    const without = await t.graph('GET', '/users?$count=true');
    assert.equal(without.status, 400);
    assert.equal(without.body.error.code, 'Request_UnsupportedQuery');
    const withHeader = await t.graph('GET', '/users?$count=true&$top=5', undefined, EVENTUAL);
    assert.equal(withHeader.status, 200);
    assert.ok(withHeader.body['@odata.count'] > 5);
    assert.equal((await t.graph('GET', '/users/$count')).status, 400);
    const count = await t.graph('GET', "/users/$count?$filter=userType eq 'Guest'", undefined, EVENTUAL);
    assert.equal(count.status, 200);
    assert.match(String(count.body), /^\d+$/);
    const ne = await t.graph('GET', "/users?$filter=userType ne 'Guest'");
    assert.equal(ne.status, 400);
    const neOk = await t.graph('GET', "/users?$filter=userType ne 'Guest'&$count=true", undefined, EVENTUAL);
    assert.equal(neOk.status, 200);
    assert.equal((await t.graph('GET', '/users?$top=1000')).status, 400);
    assert.equal((await t.graph('GET', "/users?$filter=userType eq 'Guest")).status, 400);
    assert.equal((await t.graph('GET', '/users?$skiptoken=garbage')).status, 400);
  });

  it('gets a user by id or userPrincipalName, 404 otherwise', async () => {
    const byUpn = await t.graph('GET', `/users/marcus.chen@${DOMAIN}`);
    assert.equal(byUpn.status, 200);
    assert.match(byUpn.body['@odata.context'], /users\/\$entity$/);
    const byId = await t.graph('GET', `/users/${byUpn.body.id}?$select=userType,accountEnabled,identities`);
    assert.equal(byId.body.userType, 'Member');
    assert.equal(byId.body.accountEnabled, true);
    assert.equal(byId.body.identities[0].issuer, DOMAIN);
    const guest = await t.graph(
      'GET',
      `/users/${encodeURIComponent(`lena.fischer_fabrikam.com#EXT#@${DOMAIN}`)}`,
    );
    assert.equal(guest.status, 200);
    const missing = await t.graph('GET', '/users/00000000-0000-0000-0000-000000000000');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'Request_ResourceNotFound');
    assert.equal(
      missing.body.error.message,
      "Resource '00000000-0000-0000-0000-000000000000' does not exist or one of its queried reference-property objects are not present.",
    );
  });

  it('lists groups and filters by displayName; members and nested transitiveMembers', async () => {
    const groups = await t.graph('GET', "/groups?$filter=displayName eq 'All employees'");
    assert.equal(groups.body.value.length, 1);
    const all = groups.body.value[0];
    assert.equal((await t.graph('GET', `/groups/${all.id}`)).body.displayName, 'All employees');
    const direct = await t.graph('GET', `/groups/${all.id}/members`);
    assert.ok(
      direct.body.value.every((m: Record<string, string>) => m['@odata.type'] === '#microsoft.graph.group'),
    );
    const transitive = await pageAll(t, `/groups/${all.id}/transitiveMembers?$top=999`);
    const users = transitive.filter((m) => m['@odata.type'] === '#microsoft.graph.user');
    const nested = transitive.filter((m) => m['@odata.type'] === '#microsoft.graph.group');
    assert.ok(
      nested.some((g) => g.displayName === 'Helpdesk'),
      'IT → Helpdesk nesting',
    );
    assert.ok(users.some((u) => u.userPrincipalName === `julia.santos@${DOMAIN}`));
    assert.equal(new Set(transitive.map((m) => m.id)).size, transitive.length);
    assert.equal((await t.graph('GET', '/groups/00000000-0000-0000-0000-000000000001/members')).status, 404);
  });

  it('serves memberOf, transitiveMemberOf (groups and roles), getMemberGroups, checkMemberGroups', async () => {
    const julia = `julia.santos@${DOMAIN}`;
    const memberOf = await t.graph('GET', `/users/${julia}/memberOf`);
    assert.deepEqual(
      memberOf.body.value.map((g: { displayName: string }) => g.displayName),
      ['Helpdesk'],
    );
    const transitive = await t.graph('GET', `/users/${julia}/transitiveMemberOf`);
    const names = transitive.body.value.map((g: { displayName: string }) => g.displayName);
    assert.ok(
      names.includes('IT') && names.includes('All employees') && names.includes('Helpdesk Administrator'),
    );
    const role = transitive.body.value.find(
      (g: { displayName: string }) => g.displayName === 'Helpdesk Administrator',
    );
    assert.equal(role['@odata.type'], '#microsoft.graph.directoryRole');
    const ids = await t.graph('POST', `/users/${julia}/getMemberGroups`, { securityEnabledOnly: true });
    assert.equal(ids.status, 200);
    assert.equal(ids.body.value.length, 3);
    const check = await t.graph('POST', `/users/${julia}/checkMemberGroups`, {
      groupIds: [ids.body.value[0], '00000000-0000-0000-0000-000000000000'],
    });
    assert.deepEqual(check.body.value, [ids.body.value[0]]);
    assert.equal((await t.graph('POST', `/users/${julia}/checkMemberGroups`, { groupIds: 'x' })).status, 400);
    assert.equal((await t.graph('POST', `/users/${julia}/getMemberGroups`, '[1,')).status, 400);
  });

  it('serves activated directory roles, templates, definitions and assignments', async () => {
    const roles = await t.graph('GET', '/directoryRoles');
    assert.equal(roles.status, 200);
    assert.ok(!roles.body['@odata.nextLink']);
    const ga = roles.body.value.find((r: { roleTemplateId: string }) => r.roleTemplateId === GLOBAL_ADMIN);
    assert.ok(ga);
    assert.notEqual(ga.id, GLOBAL_ADMIN);
    assert.equal((await t.graph('GET', `/directoryRoles/${ga.id}`)).body.displayName, 'Global Administrator');
    const alt = await t.graph('GET', `/directoryRoles(roleTemplateId='${GLOBAL_ADMIN}')`);
    assert.equal(alt.body.id, ga.id);
    const members = await t.graph('GET', `/directoryRoles/${ga.id}/members`);
    assert.equal(members.body.value.length, 3);
    assert.equal((await t.graph('GET', `/directoryRoles(roleTemplateId='${SECURITY_READER}')`)).status, 404);
    const templates = await t.graph('GET', '/directoryRoleTemplates');
    assert.ok(templates.body.value.length > 50);
    const defs = await t.graph(
      'GET',
      "/roleManagement/directory/roleDefinitions?$filter=displayName eq 'Global Reader'",
    );
    assert.equal(defs.body.value.length, 1);
    assert.equal(defs.body.value[0].isBuiltIn, true);
    const def = await t.graph('GET', `/roleManagement/directory/roleDefinitions/${GLOBAL_ADMIN}`);
    assert.equal(def.body.templateId, GLOBAL_ADMIN);
    const assignments = await t.graph(
      'GET',
      `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${GLOBAL_ADMIN}'`,
    );
    assert.equal(assignments.body.value.length, 3);
    const one = await t.graph(
      'GET',
      `/roleManagement/directory/roleAssignments/${assignments.body.value[0].id}`,
    );
    assert.equal(one.body.directoryScopeId, '/');
  });

  it('serves service principals by id, appId alternate key and filters', async () => {
    const byAppId = await t.graph(
      'GET',
      `/servicePrincipals(appId='${DEMO_IDS.contosoExpensesAppId}')`,
      undefined,
      {
        app: 'reader',
      },
    );
    assert.equal(byAppId.status, 200);
    assert.equal(byAppId.body.displayName, 'Contoso Expenses');
    assert.ok(!('_customSecurityAttributes' in byAppId.body));
    assert.equal(
      (await t.graph('GET', `/servicePrincipals/${byAppId.body.id}`)).body.appId,
      DEMO_IDS.contosoExpensesAppId,
    );
    const graphSp = await t.graph(
      'GET',
      "/servicePrincipals?$filter=appId eq '00000003-0000-0000-c000-000000000000'",
    );
    assert.equal(graphSp.body.value[0].appOwnerOrganizationId, 'f8cdef31-a31e-4b4a-93e4-5f571e91255a');
    const starts = await t.graph(
      'GET',
      "/servicePrincipals?$filter=startsWith(displayName,'Microsoft Teams')",
    );
    assert.ok(starts.body.value.length >= 2);
    const within = await t.graph(
      'GET',
      `/servicePrincipals?$filter=appId in ('${DEMO_IDS.contosoExpensesAppId}','${DEMO_IDS.contosoHrPortalAppId}')`,
    );
    assert.equal(within.body.value.length, 2);
    assert.equal((await t.graph('GET', "/servicePrincipals(appId='nope')")).status, 404);
  });

  it('resolves directoryObjects by id and getByIds', async () => {
    const user = (await t.graph('GET', `/users/marcus.chen@${DOMAIN}`)).body;
    const group = (await t.graph('GET', "/groups?$filter=displayName eq 'IT'")).body.value[0];
    const one = await t.graph('GET', `/directoryObjects/${group.id}`);
    assert.equal(one.body['@odata.type'], '#microsoft.graph.group');
    const many = await t.graph('POST', '/directoryObjects/getByIds', {
      ids: [user.id, group.id, 'nope'],
      types: ['user', 'group'],
    });
    assert.equal(many.status, 200);
    assert.deepEqual(
      many.body.value.map((o: Record<string, string>) => o['@odata.type']),
      ['#microsoft.graph.user', '#microsoft.graph.group'],
    );
    assert.equal((await t.graph('POST', '/directoryObjects/getByIds', { ids: 'x' })).status, 400);
    assert.equal((await t.graph('GET', '/directoryObjects/nope')).status, 404);
  });
});

describe('local tenant: directory writes', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
  });
  after(() => t.close());

  const newUser = (local: string) => ({
    accountEnabled: true,
    displayName: `New ${local}`,
    mailNickname: local,
    userPrincipalName: `${local}@${DOMAIN}`,
    passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
  });

  it('refuses writes to the reader app with 403', async () => {
    const user = await t.graph('POST', '/users', newUser('reader1'), { app: 'reader' });
    assert.equal(user.status, 403);
    assert.equal(user.body.error.code, 'Authorization_RequestDenied');
    assert.equal((await t.graph('POST', '/groups', {}, { app: 'reader' })).status, 403);
    assert.equal((await t.graph('POST', '/invitations', {}, { app: 'reader' })).status, 403);
    assert.equal(
      (await t.graph('POST', '/roleManagement/directory/roleAssignments', {}, { app: 'reader' })).status,
      403,
    );
  });

  it('creates, updates and deletes a user', async () => {
    const created = await t.graph('POST', '/users', newUser('alex.wilber'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.userPrincipalName, `alex.wilber@${DOMAIN}`);
    assert.ok(!('passwordProfile' in created.body) && !('_password' in created.body));
    const dup = await t.graph('POST', '/users', newUser('alex.wilber'));
    assert.equal(dup.status, 400);
    assert.equal(
      dup.body.error.message,
      'Another object with the same value for property userPrincipalName already exists.',
    );
    const patched = await t.graph('PATCH', `/users/${created.body.id}`, {
      jobTitle: 'Analyst',
      accountEnabled: false,
    });
    assert.equal(patched.status, 204);
    const read = await t.graph('GET', `/users/${created.body.id}?$select=jobTitle,accountEnabled`);
    assert.equal(read.body.jobTitle, 'Analyst');
    assert.equal(read.body.accountEnabled, false);
    assert.equal((await t.graph('DELETE', `/users/${created.body.id}`)).status, 204);
    assert.equal((await t.graph('GET', `/users/${created.body.id}`)).status, 404);
    assert.equal((await t.graph('DELETE', `/users/${created.body.id}`)).status, 404);
  });

  it('rejects invalid user bodies with Request_BadRequest', async () => {
    for (const key of [
      'accountEnabled',
      'displayName',
      'mailNickname',
      'userPrincipalName',
      'passwordProfile',
    ]) {
      const body = Object.fromEntries(Object.entries(newUser(`missing.${key}`)).filter(([k]) => k !== key));
      const reply = await t.graph('POST', '/users', body);
      assert.equal(reply.status, 400, key);
      assert.equal(reply.body.error.code, 'Request_BadRequest');
      assert.match(reply.body.error.message, new RegExp(`'${key}'`));
    }
    const wrongDomain = await t.graph('POST', '/users', {
      ...newUser('x'),
      userPrincipalName: 'x@fabrikam.com',
    });
    assert.match(wrongDomain.body.error.message, /domain portion of the userPrincipalName/);
    const weak = await t.graph('POST', '/users', {
      ...newUser('weak'),
      passwordProfile: { password: 'abc' },
    });
    assert.equal(weak.status, 400);
    assert.equal((await t.graph('POST', '/users', { ...newUser('y'), accountEnabled: 'yes' })).status, 400);
    assert.equal((await t.graph('POST', '/users', 'not json')).status, 400);
    assert.equal((await t.graph('POST', '/users', [1, 2])).status, 400);
    assert.equal(
      (await t.graph('PATCH', `/users/marcus.chen@${DOMAIN}`, { userPrincipalName: `aisha.khan@${DOMAIN}` }))
        .status,
      400,
    );
    assert.equal((await t.graph('PATCH', `/users/marcus.chen@${DOMAIN}`, { bogus: 1 })).status, 400);
  });

  it('creates a group, adds/duplicates/removes members via $ref, deletes it', async () => {
    const missing = await t.graph('POST', '/groups', {
      displayName: 'x',
      mailEnabled: false,
      securityEnabled: true,
    });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /mailNickname/);
    const group = await t.graph('POST', '/groups', {
      displayName: 'Pilot users',
      mailEnabled: false,
      mailNickname: 'pilot',
      securityEnabled: true,
    });
    assert.equal(group.status, 201);
    const marcus = (await t.graph('GET', `/users/marcus.chen@${DOMAIN}`)).body;
    const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${marcus.id}` };
    assert.equal((await t.graph('POST', `/groups/${group.body.id}/members/$ref`, ref)).status, 204);
    const dup = await t.graph('POST', `/groups/${group.body.id}/members/$ref`, ref);
    assert.equal(dup.status, 400);
    assert.equal(
      dup.body.error.message,
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
    const unknown = await t.graph('POST', `/groups/${group.body.id}/members/$ref`, {
      '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/00000000-0000-0000-0000-00000000000f',
    });
    assert.equal(unknown.status, 404);
    assert.equal(
      (await t.graph('POST', `/groups/${group.body.id}/members/$ref`, { '@odata.id': 42 })).status,
      400,
    );
    const members = await t.graph('GET', `/groups/${group.body.id}/members`);
    assert.deepEqual(
      members.body.value.map((m: { id: string }) => m.id),
      [marcus.id],
    );
    assert.equal((await t.graph('DELETE', `/groups/${group.body.id}/members/${marcus.id}/$ref`)).status, 204);
    assert.equal((await t.graph('DELETE', `/groups/${group.body.id}/members/${marcus.id}/$ref`)).status, 404);
    assert.equal((await t.graph('PATCH', `/groups/${group.body.id}`, { description: 'Pilot' })).status, 204);
    assert.equal((await t.graph('GET', `/groups/${group.body.id}`)).body.description, 'Pilot');
    assert.equal((await t.graph('DELETE', `/groups/${group.body.id}`)).status, 204);
    assert.equal((await t.graph('GET', `/groups/${group.body.id}`)).status, 404);
  });

  it('handles nesting cycles in transitiveMembers', async () => {
    const make = async (name: string) =>
      (
        await t.graph('POST', '/groups', {
          displayName: name,
          mailEnabled: false,
          mailNickname: name,
          securityEnabled: true,
        })
      ).body.id as string;
    const a = await make('cycleA');
    const b = await make('cycleB');
    const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
    assert.equal((await t.graph('POST', `/groups/${a}/members/$ref`, ref(b))).status, 204);
    assert.equal((await t.graph('POST', `/groups/${b}/members/$ref`, ref(a))).status, 204);
    const members = await t.graph('GET', `/groups/${a}/transitiveMembers`);
    assert.deepEqual(
      members.body.value.map((m: { id: string }) => m.id),
      [b],
    );
  });

  it('assigning a role activates it; deleting a user removes its assignments', async () => {
    const user = await t.graph('POST', '/users', newUser('sec.reader'));
    const before = await t.graph('GET', '/directoryRoles');
    assert.ok(
      !before.body.value.some((r: { roleTemplateId: string }) => r.roleTemplateId === SECURITY_READER),
    );
    const assignment = await t.graph('POST', '/roleManagement/directory/roleAssignments', {
      principalId: user.body.id,
      roleDefinitionId: SECURITY_READER,
      directoryScopeId: '/',
    });
    assert.equal(assignment.status, 201, JSON.stringify(assignment.body));
    const dup = await t.graph('POST', '/roleManagement/directory/roleAssignments', {
      principalId: user.body.id,
      roleDefinitionId: SECURITY_READER,
      directoryScopeId: '/',
    });
    assert.equal(dup.status, 400);
    const bad = await t.graph('POST', '/roleManagement/directory/roleAssignments', {
      principalId: user.body.id,
      roleDefinitionId: '11111111-1111-1111-1111-111111111111',
    });
    assert.equal(bad.status, 404);
    const afterAssign = await t.graph('GET', '/directoryRoles');
    assert.ok(
      afterAssign.body.value.some((r: { roleTemplateId: string }) => r.roleTemplateId === SECURITY_READER),
    );
    const byPrincipal = await t.graph(
      'GET',
      `/roleManagement/directory/roleAssignments?$filter=principalId eq '${user.body.id}'`,
    );
    assert.equal(byPrincipal.body.value.length, 1);
    assert.equal((await t.graph('DELETE', `/users/${user.body.id}`)).status, 204);
    const gone = await t.graph('GET', `/roleManagement/directory/roleAssignments/${assignment.body.id}`);
    assert.equal(gone.status, 404);
    const afterDelete = await t.graph('GET', '/directoryRoles');
    assert.ok(
      !afterDelete.body.value.some((r: { roleTemplateId: string }) => r.roleTemplateId === SECURITY_READER),
    );
  });

  it('deletes a role assignment', async () => {
    const user = await t.graph('POST', '/users', newUser('temp.admin'));
    const assignment = await t.graph('POST', '/roleManagement/directory/roleAssignments', {
      principalId: user.body.id,
      roleDefinitionId: GLOBAL_ADMIN,
      directoryScopeId: '/',
    });
    assert.equal(
      (await t.graph('DELETE', `/roleManagement/directory/roleAssignments/${assignment.body.id}`)).status,
      204,
    );
    assert.equal(
      (await t.graph('DELETE', `/roleManagement/directory/roleAssignments/${assignment.body.id}`)).status,
      404,
    );
  });

  it('invites a guest, finds it, then deletes it', async () => {
    const missing = await t.graph('POST', '/invitations', { invitedUserEmailAddress: 'a@b.com' });
    assert.equal(missing.status, 400);
    assert.equal((await t.graph('POST', '/invitations', { inviteRedirectUrl: 'https://x' })).status, 400);
    const invite = await t.graph('POST', '/invitations', {
      invitedUserEmailAddress: 'nina.berg@fabrikam.com',
      inviteRedirectUrl: 'https://myapps.microsoft.com',
      invitedUserDisplayName: 'Nina Berg',
    });
    assert.equal(invite.status, 201, JSON.stringify(invite.body));
    assert.equal(invite.body.status, 'PendingAcceptance');
    assert.equal(invite.body.invitedUserType, 'Guest');
    assert.equal(invite.body.sendInvitationMessage, false);
    assert.equal(invite.body.resetRedemption, false);
    assert.match(invite.body.inviteRedeemUrl, /^https:\/\//);
    const id = invite.body.invitedUser.id;
    const guest = await t.graph(
      'GET',
      `/users/${id}?$select=userPrincipalName,userType,creationType,externalUserState,identities`,
    );
    assert.equal(guest.body.userPrincipalName, `nina.berg_fabrikam.com#EXT#@${DOMAIN}`);
    assert.equal(guest.body.userType, 'Guest');
    assert.equal(guest.body.creationType, 'Invitation');
    assert.equal(guest.body.externalUserState, 'PendingAcceptance');
    assert.equal(guest.body.identities[0].issuer, 'ExternalAzureAD');
    const otp = await t.graph('POST', '/invitations', {
      invitedUserEmailAddress: 'someone@gmail-like.example',
      inviteRedirectUrl: 'https://myapps.microsoft.com',
    });
    const otpUser = await t.graph('GET', `/users/${otp.body.invitedUser.id}?$select=identities`);
    assert.equal(otpUser.body.identities[0].issuer, 'mail');
    assert.equal((await t.graph('DELETE', `/users/${id}`)).status, 204);
    assert.equal((await t.graph('GET', `/users/${id}`)).status, 404);
  });
});

describe('local tenant: a synthetic 10,000-user directory', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant({ seeds: [syntheticDirectory({ users: 10_000, groups: 2_000 })] });
  });
  after(() => t.close());

  it('pages through every user', async () => {
    const users = await pageAll(t, '/users?$top=999&$select=id,userType');
    assert.equal(users.length, 10_000);
    assert.ok(users.filter((u) => u.userType === 'Guest').length >= 800);
    const count = await t.graph('GET', '/groups/$count', undefined, EVENTUAL);
    assert.equal(Number(count.body), 2_001);
  });
});
