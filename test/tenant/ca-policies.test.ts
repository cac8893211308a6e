import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { COLLECTIONS } from '../../src/tenant/collections.ts';
import { startTestTenant, type GraphReply, type TestTenant } from '../helpers/local-tenant.ts';

const POLICIES = '/identity/conditionalAccess/policies';
const ALIAS = '/policies/conditionalAccessPolicies';
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const MFA_STRENGTH = '00000000-0000-0000-0000-000000000002';
const PHISHING_RESISTANT = '00000000-0000-0000-0000-000000000004';

const USER_ID = randomUUID();
const USER_ID_2 = randomUUID();
const GROUP_ID = randomUUID();
const GROUP_ID_2 = randomUUID();

type Json = Record<string, unknown>;

function minimal(name = 'SimplePolicy'): Json {
  return {
    displayName: name,
    state: 'disabled',
    conditions: {
      applications: { includeApplications: ['None'] },
      users: { includeUsers: ['None'] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  };
}

function withConditions(extra: Json, grant?: Json | null, session?: Json | null): Json {
  const base = minimal(`policy ${randomUUID()}`);
  const body: Json = { ...base, conditions: { ...(base.conditions as Json), ...extra } };
  if (grant !== undefined) body.grantControls = grant;
  if (session !== undefined) body.sessionControls = session;
  return body;
}

function assertValidation(reply: GraphReply, code: number, pattern?: RegExp): void {
  assert.equal(reply.status, 400, JSON.stringify(reply.body));
  assert.equal(reply.body.error.code, 'BadRequest');
  assert.equal(
    reply.body.error.message,
    'The server could not process the request because it is malformed or incorrect.',
  );
  assert.match(reply.body.error.innerError.message, new RegExp(`^${code}: `));
  if (pattern) assert.match(reply.body.error.innerError.message, pattern);
}

function withoutServerFields(body: Json): Json {
  const { id: _id, createdDateTime: _c, '@odata.context': _ctx, ...rest } = body;
  return rest;
}

describe('local tenant: Conditional Access policies', () => {
  let t: TestTenant;
  let locationId: string;

  before(async () => {
    t = await startTestTenant();
    const store = t.tenant.store;
    store.put(t.tenantId, COLLECTIONS.users, { id: USER_ID, displayName: 'Test user' });
    store.put(t.tenantId, COLLECTIONS.users, { id: USER_ID_2, displayName: 'Test user 2' });
    store.put(t.tenantId, COLLECTIONS.groups, { id: GROUP_ID, displayName: 'Test group' });
    store.put(t.tenantId, COLLECTIONS.groups, { id: GROUP_ID_2, displayName: 'Test group 2' });
    const location = await t.graph('POST', '/identity/conditionalAccess/namedLocations', {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      displayName: 'Office',
      ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' }],
    });
    assert.equal(location.status, 201);
    locationId = location.body.id;
  });
  after(() => t.close());

  async function create(body: unknown): Promise<GraphReply> {
    return t.graph('POST', POLICIES, body);
  }

  it('POST of the minimal body answers 201 with every server default (§2.9, §2.10)', async () => {
    const reply = await create(minimal());
    assert.equal(reply.status, 201);
    assert.match(
      reply.body['@odata.context'],
      /\/v1\.0\/\$metadata#identity\/conditionalAccess\/policies\/\$entity$/,
    );
    assert.match(reply.body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.ok(!Number.isNaN(Date.parse(reply.body.createdDateTime)));
    assert.deepEqual(withoutServerFields(reply.body), {
      templateId: null,
      displayName: 'SimplePolicy',
      description: null,
      modifiedDateTime: null,
      state: 'disabled',
      conditions: {
        userRiskLevels: [],
        signInRiskLevels: [],
        servicePrincipalRiskLevels: [],
        insiderRiskLevels: null,
        clientAppTypes: ['all'],
        platforms: null,
        locations: null,
        devices: null,
        clientApplications: null,
        applications: {
          includeApplications: ['None'],
          excludeApplications: [],
          includeUserActions: [],
          includeAuthenticationContextClassReferences: [],
          applicationFilter: null,
        },
        users: {
          includeUsers: ['None'],
          excludeUsers: [],
          includeGroups: [],
          excludeGroups: [],
          includeRoles: [],
          excludeRoles: [],
          includeGuestsOrExternalUsers: null,
          excludeGuestsOrExternalUsers: null,
        },
        authenticationFlows: null,
      },
      grantControls: {
        operator: 'OR',
        builtInControls: ['block'],
        customAuthenticationFactors: [],
        termsOfUse: [],
        authenticationStrength: null,
      },
      sessionControls: null,
    });
    const got = await t.graph('GET', `${POLICIES}/${reply.body.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(withoutServerFields(got.body), withoutServerFields(reply.body));
  });

  it('accepts enum values in any case and echoes them canonically; flags in canonical order', async () => {
    const reply = await create({
      displayName: 'Cases',
      state: 'ENABLEDFORREPORTINGBUTNOTENFORCED',
      conditions: {
        applications: { includeApplications: ['all'], includeUserActions: [] },
        users: {
          includeUsers: ['guestsorexternalusers'],
          includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'serviceProvider, INTERNALGUEST' },
        },
        clientAppTypes: ['BROWSER', 'mobileappsanddesktopclients'],
        signInRiskLevels: ['HIGH'],
        insiderRiskLevels: 'elevated,minor',
        platforms: { includePlatforms: ['IOS', 'Linux'] },
        authenticationFlows: { transferMethods: 'authenticationTransfer,deviceCodeFlow' },
      },
      grantControls: { operator: 'and', builtInControls: ['MFA', 'CompliantDevice'] },
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const c = reply.body.conditions;
    assert.equal(reply.body.state, 'enabledForReportingButNotEnforced');
    assert.deepEqual(c.clientAppTypes, ['browser', 'mobileAppsAndDesktopClients']);
    assert.deepEqual(c.signInRiskLevels, ['high']);
    assert.equal(c.insiderRiskLevels, 'minor,elevated');
    assert.deepEqual(c.platforms, { includePlatforms: ['iOS', 'linux'], excludePlatforms: [] });
    assert.deepEqual(c.authenticationFlows, { transferMethods: 'deviceCodeFlow,authenticationTransfer' });
    assert.deepEqual(c.applications.includeApplications, ['All']);
    assert.deepEqual(c.users.includeUsers, ['GuestsOrExternalUsers']);
    assert.equal(
      c.users.includeGuestsOrExternalUsers.guestOrExternalUserTypes,
      'internalGuest,serviceProvider',
    );
    assert.equal(c.users.includeGuestsOrExternalUsers.externalTenants, null);
    assert.equal(reply.body.grantControls.operator, 'AND');
    assert.deepEqual(reply.body.grantControls.builtInControls, ['mfa', 'compliantDevice']);
  });

  it('round-trips a policy using every property of §2.2–2.7', async () => {
    const body = {
      displayName: 'Rich policy',
      description: 'every property',
      state: 'enabled',
      conditions: {
        userRiskLevels: ['medium'],
        signInRiskLevels: ['high', 'medium'],
        servicePrincipalRiskLevels: [],
        insiderRiskLevels: 'moderate,elevated',
        clientAppTypes: ['browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'other'],
        platforms: { includePlatforms: ['all'], excludePlatforms: ['iOS', 'android'] },
        locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted', locationId] },
        devices: {
          deviceFilter: {
            mode: 'exclude',
            rule: 'device.isCompliant -eq True -and device.trustType -eq "ServerAD"',
          },
        },
        clientApplications: null,
        applications: {
          includeApplications: ['Office365', '797f4846-ba00-4fd7-ba43-dac1f8f63013'],
          excludeApplications: ['00000003-0000-0ff1-ce00-000000000000'],
          includeUserActions: [],
          includeAuthenticationContextClassReferences: [],
          applicationFilter: {
            mode: 'include',
            rule: 'CustomSecurityAttribute.Engineering_Project -contains "Baker"',
          },
        },
        users: {
          includeUsers: [USER_ID],
          excludeUsers: [USER_ID_2, 'GuestsOrExternalUsers'],
          includeGroups: [GROUP_ID],
          excludeGroups: [GROUP_ID_2],
          includeRoles: [GLOBAL_ADMIN],
          excludeRoles: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'],
          includeGuestsOrExternalUsers: {
            guestOrExternalUserTypes: 'internalGuest,b2bCollaborationGuest',
            externalTenants: {
              '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
              membershipKind: 'enumerated',
              members: ['31078164-0094-4507-b2db-9329ec36efbc'],
            },
          },
          excludeGuestsOrExternalUsers: {
            guestOrExternalUserTypes: 'serviceProvider',
            externalTenants: {
              '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants',
              membershipKind: 'all',
            },
          },
        },
        authenticationFlows: { transferMethods: 'deviceCodeFlow' },
      },
      grantControls: {
        operator: 'AND',
        builtInControls: ['compliantDevice', 'approvedApplication'],
        customAuthenticationFactors: [],
        termsOfUse: ['a1b2c3d4-0000-4000-8000-000000000001'],
        authenticationStrength: null,
      },
      sessionControls: {
        applicationEnforcedRestrictions: { isEnabled: true },
        cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: 'blockDownloads' },
        persistentBrowser: { isEnabled: true, mode: 'never' },
        signInFrequency: {
          isEnabled: true,
          value: 4,
          type: 'hours',
          authenticationType: 'primaryAndSecondaryAuthentication',
          frequencyInterval: 'timeBased',
        },
        secureSignInSession: { isEnabled: false },
        disableResilienceDefaults: true,
      },
    };
    const reply = await create(body);
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const got = await t.graph('GET', `${POLICIES}/${reply.body.id}`);
    const { '@odata.context': _ctx, id, createdDateTime, modifiedDateTime, templateId, ...rest } = got.body;
    assert.equal(id, reply.body.id);
    assert.ok(createdDateTime);
    assert.equal(modifiedDateTime, null);
    assert.equal(templateId, null);
    assert.deepEqual(rest, body);
    const viaAlias = await t.graph('GET', `${ALIAS}/${reply.body.id}`);
    assert.equal(viaAlias.status, 200);
    assert.match(viaAlias.body['@odata.context'], /#policies\/conditionalAccessPolicies\/\$entity$/);
  });

  it('serves the workload-identity shape (clientApplications, block only)', async () => {
    const reply = await create({
      displayName: 'Workload',
      state: 'disabled',
      conditions: {
        applications: { includeApplications: ['All'] },
        clientApplications: { includeServicePrincipals: ['ServicePrincipalsInMyTenant'] },
        servicePrincipalRiskLevels: ['HIGH'],
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.equal(reply.body.conditions.users, null);
    assert.deepEqual(reply.body.conditions.clientApplications, {
      includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
      excludeServicePrincipals: [],
      servicePrincipalFilter: null,
    });
    const mfa = await create({
      displayName: 'Workload mfa',
      state: 'disabled',
      conditions: {
        applications: { includeApplications: ['All'] },
        clientApplications: { includeServicePrincipals: ['ServicePrincipalsInMyTenant'] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    assertValidation(mfa, 1112);
  });

  it('lists policies on both paths, with $select, $filter and $top', async () => {
    const list = await t.graph('GET', POLICIES);
    assert.equal(list.status, 200);
    assert.match(list.body['@odata.context'], /#identity\/conditionalAccess\/policies$/);
    assert.ok(list.body.value.length >= 3);
    const alias = await t.graph('GET', ALIAS);
    assert.deepEqual(
      alias.body.value.map((p: Json) => p.id),
      list.body.value.map((p: Json) => p.id),
    );
    const filtered = await t.graph(
      'GET',
      `${POLICIES}?$filter=displayName eq 'Rich policy'&$select=id,displayName`,
    );
    assert.equal(filtered.body.value.length, 1);
    assert.deepEqual(Object.keys(filtered.body.value[0]).sort(), ['displayName', 'id']);
    const top = await t.graph('GET', `${POLICIES}?$top=1`);
    assert.equal(top.body.value.length, 1);
    assert.ok(top.body['@odata.nextLink']);
  });

  it('answers 404 for an unknown id, 405 for an unsupported method, 403 for the reader on writes', async () => {
    const missing = await t.graph('GET', `${POLICIES}/${randomUUID()}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'ResourceNotFound');
    assert.equal((await t.graph('PATCH', `${POLICIES}/${randomUUID()}`, { state: 'enabled' })).status, 404);
    assert.equal((await t.graph('DELETE', `${ALIAS}/${randomUUID()}`)).status, 404);
    assert.equal((await t.graph('PUT', `${POLICIES}/${randomUUID()}`, minimal())).status, 405);
    assert.equal((await t.graph('DELETE', POLICIES)).status, 405);
    const reader = { app: 'reader' as const };
    assert.equal((await t.graph('GET', POLICIES, undefined, reader)).status, 200);
    const post = await t.graph('POST', POLICIES, minimal(), reader);
    assert.equal(post.status, 403);
    assert.equal(post.body.error.code, 'Authorization_RequestDenied');
    const existing = (await create(minimal('for reader'))).body.id;
    assert.equal(
      (await t.graph('PATCH', `${POLICIES}/${existing}`, { state: 'enabled' }, reader)).status,
      403,
    );
    assert.equal((await t.graph('DELETE', `${POLICIES}/${existing}`, undefined, reader)).status, 403);
    assert.equal((await t.graph('POST', ALIAS, minimal(), reader)).status, 403);
  });

  describe('validation (§2.10, §10)', () => {
    const cases: [string, () => unknown, number, RegExp?][] = [
      ['a null body', () => null, 1007],
      ['an array body', () => [minimal()], 1007],
      ['missing displayName', () => ({ ...minimal(), displayName: undefined }), 1007, /displayName/],
      ['empty displayName', () => ({ ...minimal(), displayName: '  ' }), 1007, /displayName/],
      ['numeric displayName', () => ({ ...minimal(), displayName: 42 }), 1007, /displayName/],
      ['missing state', () => ({ ...minimal(), state: undefined }), 1007, /state/],
      ['an unknown state', () => ({ ...minimal(), state: 'on' }), 1007, /policy\.state/],
      ['missing conditions', () => ({ ...minimal(), conditions: undefined }), 1007, /conditions/],
      ['null conditions', () => ({ ...minimal(), conditions: null }), 1007, /conditions/],
      ['an unknown top-level property', () => ({ ...minimal(), colour: 'red' }), 1007, /colour/],
      [
        'an unknown nested property',
        () => withConditions({ users: { includeUsers: ['All'], includeUser: [] } }),
        1007,
        /includeUser\b/,
      ],
      ['missing applications', () => withConditions({ applications: undefined }), 1116, /applications/],
      ['missing users and clientApplications', () => withConditions({ users: undefined }), 1116],
      ['empty clientAppTypes', () => withConditions({ clientAppTypes: [] }), 1064],
      ['missing clientAppTypes', () => withConditions({ clientAppTypes: undefined }), 1064],
      [
        'an unknown client app type',
        () => withConditions({ clientAppTypes: ['desktop'] }),
        1007,
        /clientAppTypes\[0\]/,
      ],
      [
        'an unknown platform',
        () => withConditions({ platforms: { includePlatforms: ['beos'] } }),
        1007,
        /includePlatforms/,
      ],
      [
        'an unknown risk level',
        () => withConditions({ signInRiskLevels: ['extreme'] }),
        1007,
        /signInRiskLevels/,
      ],
      [
        'hidden as a service principal risk',
        () => withConditions({ servicePrincipalRiskLevels: ['hidden'] }),
        1007,
      ],
      [
        'an unknown insider risk flag',
        () => withConditions({ insiderRiskLevels: 'minor,huge' }),
        1007,
        /insiderRiskLevels/,
      ],
      [
        'an unknown grant control',
        () => withConditions({}, { operator: 'OR', builtInControls: ['pray'] }),
        1007,
        /builtInControls/,
      ],
      [
        'an unknown operator',
        () => withConditions({}, { operator: 'XOR', builtInControls: ['mfa'] }),
        1007,
        /operator/,
      ],
      ['a grant without operator', () => withConditions({}, { builtInControls: ['mfa'] }), 1007, /operator/],
      [
        'an unknown cloud app security type',
        () =>
          withConditions({}, null, { cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: 'spy' } }),
        1007,
        /cloudAppSecurityType/,
      ],
      [
        'an unknown persistent browser mode',
        () => withConditions({}, null, { persistentBrowser: { isEnabled: true, mode: 'sometimes' } }),
        1007,
      ],
      [
        'an unknown sign-in frequency type',
        () => withConditions({}, null, { signInFrequency: { isEnabled: true, value: 1, type: 'weeks' } }),
        1007,
      ],
      [
        'a non-integer frequency',
        () => withConditions({}, null, { signInFrequency: { isEnabled: true, value: 1.5, type: 'days' } }),
        1007,
      ],
      [
        'an unknown filter mode',
        () => withConditions({ devices: { deviceFilter: { mode: 'only', rule: 'x' } } }),
        1007,
        /mode/,
      ],
      [
        'an unknown guest type',
        () =>
          withConditions({ users: { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'alien' } } }),
        1007,
        /guestOrExternalUserTypes/,
      ],
      [
        'an unknown membership kind',
        () =>
          withConditions({
            users: {
              includeGuestsOrExternalUsers: {
                guestOrExternalUserTypes: 'internalGuest',
                externalTenants: { membershipKind: 'some' },
              },
            },
          }),
        1007,
        /membershipKind/,
      ],
      ['no grant or session control', () => withConditions({}, null, null), 1114],
      [
        'an empty grant control',
        () => withConditions({}, { operator: 'OR', builtInControls: [] }, null),
        1114,
      ],
      [
        'an unknown user id',
        () => withConditions({ users: { includeUsers: [randomUUID()] } }),
        1104,
        /unknown user ids/,
      ],
      [
        'All in excludeUsers',
        () => withConditions({ users: { includeUsers: ['All'], excludeUsers: ['All'] } }),
        1104,
      ],
      [
        'an unknown group id',
        () => withConditions({ users: { includeGroups: [randomUUID()] } }),
        1105,
        /unknown group ids/,
      ],
      [
        'a non-built-in role id',
        () => withConditions({ users: { includeRoles: ['11111111-2222-3333-4444-555555555555'] } }),
        1103,
        /^1103: 'users' condition contains non-built in role ids: 11111111-2222-3333-4444-555555555555$/,
      ],
      [
        'an unknown named location',
        () => withConditions({ locations: { includeLocations: [randomUUID()] } }),
        1106,
      ],
      [
        'All in excludeLocations',
        () => withConditions({ locations: { includeLocations: ['All'], excludeLocations: ['All'] } }),
        1106,
      ],
      [
        'an unknown authentication strength',
        () => withConditions({}, { operator: 'OR', authenticationStrength: { id: randomUUID() } }),
        1107,
      ],
      [
        'mfa together with an authentication strength',
        () =>
          withConditions(
            {},
            { operator: 'OR', builtInControls: ['mfa'], authenticationStrength: { id: MFA_STRENGTH } },
          ),
        1108,
      ],
      [
        'passwordChange without mfa',
        () =>
          withConditions(
            { applications: { includeApplications: ['All'] }, userRiskLevels: ['high'] },
            { operator: 'AND', builtInControls: ['passwordChange'] },
          ),
        1032,
        /^1032: ConditionalActionPolicy validation failed due to InvalidPasswordResetControl\.$/,
      ],
      [
        'passwordChange with OR',
        () =>
          withConditions(
            { applications: { includeApplications: ['All'] }, userRiskLevels: ['high'] },
            { operator: 'OR', builtInControls: ['mfa', 'passwordChange'] },
          ),
        1032,
      ],
      [
        'passwordChange without user risk',
        () =>
          withConditions(
            { applications: { includeApplications: ['All'] } },
            { operator: 'AND', builtInControls: ['mfa', 'passwordChange'] },
          ),
        1032,
      ],
      [
        'passwordChange not on all apps',
        () =>
          withConditions(
            { userRiskLevels: ['high'] },
            { operator: 'AND', builtInControls: ['mfa', 'passwordChange'] },
          ),
        1032,
      ],
      [
        'passwordChange with other conditions',
        () =>
          withConditions(
            {
              applications: { includeApplications: ['All'] },
              userRiskLevels: ['high'],
              signInRiskLevels: ['high'],
            },
            { operator: 'AND', builtInControls: ['mfa', 'passwordChange'] },
          ),
        1032,
      ],
      [
        'externalTenants with guest type none',
        () =>
          withConditions({
            users: {
              includeGuestsOrExternalUsers: {
                guestOrExternalUserTypes: 'none',
                externalTenants: {
                  '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants',
                  membershipKind: 'all',
                },
              },
            },
          }),
        1109,
      ],
      [
        'enumerated external tenants without members',
        () =>
          withConditions({
            users: {
              includeGuestsOrExternalUsers: {
                guestOrExternalUserTypes: 'b2bCollaborationGuest',
                externalTenants: {
                  '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
                  membershipKind: 'enumerated',
                  members: [],
                },
              },
            },
          }),
        1109,
      ],
      [
        'a mismatched external tenants kind',
        () =>
          withConditions({
            users: {
              includeGuestsOrExternalUsers: {
                guestOrExternalUserTypes: 'b2bCollaborationGuest',
                externalTenants: {
                  '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants',
                  membershipKind: 'enumerated',
                },
              },
            },
          }),
        1007,
      ],
      [
        'auth context c0',
        () => withConditions({ applications: { includeAuthenticationContextClassReferences: ['c0'] } }),
        1110,
      ],
      [
        'auth context c100',
        () => withConditions({ applications: { includeAuthenticationContextClassReferences: ['c100'] } }),
        1110,
      ],
      [
        'a device filter rule over 3072 characters',
        () =>
          withConditions({
            devices: { deviceFilter: { mode: 'include', rule: `device.model -eq "${'x'.repeat(3100)}"` } },
          }),
        1111,
      ],
      [
        'an unknown user action',
        () => withConditions({ applications: { includeUserActions: ['urn:user:dance'] } }),
        1007,
      ],
      [
        'registerdevice with block',
        () => withConditions({ applications: { includeUserActions: ['urn:user:registerdevice'] } }),
        1115,
      ],
      ['an empty users condition', () => withConditions({ users: {} }), 1116],
      ['a null collection', () => withConditions({ clientAppTypes: null }), 1007, /clientAppTypes/],
      ['a string where a collection is expected', () => withConditions({ clientAppTypes: 'all' }), 1007],
      [
        'an object where a collection is expected',
        () => withConditions({ users: { includeUsers: { All: true } } }),
        1007,
      ],
      ['an array where an object is expected', () => withConditions({ users: [] }), 1007],
      [
        'a number in a string collection',
        () => withConditions({ users: { includeUsers: [1] } }),
        1007,
        /includeUsers\[0\]/,
      ],
      ['a non-null beta-only property', () => withConditions({ times: { included: 'x' } }), 1007, /times/],
      ['a huge displayName', () => ({ ...minimal(), displayName: 'x'.repeat(100_000) }), 1007],
    ];
    for (const [name, body, code, pattern] of cases) {
      it(`refuses ${name} with ${code}`, async () => {
        assertValidation(await create(body()), code, pattern);
      });
    }

    it('registerdevice with mfa only is accepted; registersecurityinfo in any case', async () => {
      const ok = await create(
        withConditions(
          { applications: { includeUserActions: ['URN:USER:REGISTERDEVICE'] } },
          { operator: 'OR', builtInControls: ['mfa'] },
        ),
      );
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.deepEqual(ok.body.conditions.applications.includeUserActions, ['urn:user:registerdevice']);
    });

    it('accepts a valid passwordChange policy and auth contexts c1..c99', async () => {
      const ok = await create(
        withConditions(
          {
            applications: { includeApplications: ['All'] },
            users: { includeUsers: ['All'] },
            userRiskLevels: ['high'],
          },
          { operator: 'AND', builtInControls: ['mfa', 'passwordChange'] },
        ),
      );
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      const ctx = await create(
        withConditions({ applications: { includeAuthenticationContextClassReferences: ['C1', 'c99'] } }),
      );
      assert.equal(ctx.status, 201, JSON.stringify(ctx.body));
      assert.deepEqual(ctx.body.conditions.applications.includeAuthenticationContextClassReferences, [
        'c1',
        'c99',
      ]);
    });

    it('accepts the trusted-IPs pseudo location and read-only properties echoed back', async () => {
      const body = withConditions({
        locations: { includeLocations: ['00000000-0000-0000-0000-000000000000', 'alltrusted'] },
      });
      const reply = await create({
        ...body,
        id: randomUUID(),
        createdDateTime: '2020-01-01T00:00:00Z',
        '@odata.context': 'x',
      });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      assert.deepEqual(reply.body.conditions.locations.includeLocations, [
        '00000000-0000-0000-0000-000000000000',
        'AllTrusted',
      ]);
      assert.notEqual(reply.body.createdDateTime, '2020-01-01T00:00:00Z');
    });

    it('never answers 500, whatever the body', async () => {
      const values: unknown[] = [
        null,
        true,
        0,
        -1,
        1e308,
        '',
        'x'.repeat(10_000),
        [],
        [null],
        {},
        { a: [] },
        [[[]]],
      ];
      const paths: ((v: unknown) => unknown)[] = [
        (v) => v,
        (v) => ({ ...minimal(), displayName: v }),
        (v) => ({ ...minimal(), state: v }),
        (v) => ({ ...minimal(), conditions: v }),
        (v) => ({ ...minimal(), grantControls: v }),
        (v) => ({ ...minimal(), sessionControls: v }),
        (v) => withConditions({ applications: v }),
        (v) => withConditions({ users: v }),
        (v) => withConditions({ users: { includeUsers: v } }),
        (v) => withConditions({ users: { includeGuestsOrExternalUsers: v } }),
        (v) =>
          withConditions({
            users: {
              includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'internalGuest', externalTenants: v },
            },
          }),
        (v) => withConditions({ clientAppTypes: v }),
        (v) => withConditions({ platforms: v }),
        (v) => withConditions({ locations: { includeLocations: v } }),
        (v) => withConditions({ devices: { deviceFilter: v } }),
        (v) => withConditions({ insiderRiskLevels: v }),
        (v) => withConditions({ authenticationFlows: v }),
        (v) => withConditions({}, { operator: 'OR', authenticationStrength: v }),
        (v) => withConditions({}, { operator: v, builtInControls: ['block'] }),
        (v) => withConditions({}, null, { signInFrequency: v }),
        (v) => withConditions({}, null, { signInFrequency: { isEnabled: true, value: v, type: 'days' } }),
      ];
      const requests = paths.flatMap((build) => values.map((v) => build(v)));
      for (let i = 0; i < requests.length; i += 20) {
        const batch = requests.slice(i, i + 20).map((body, j) => ({
          id: String(j),
          method: 'POST',
          url: POLICIES,
          headers: { 'content-type': 'application/json' },
          body,
        }));
        const reply = await t.graph('POST', '/$batch', { requests: batch });
        assert.equal(reply.status, 200);
        for (const r of reply.body.responses) {
          assert.ok(
            r.status === 201 || r.status === 400,
            `${JSON.stringify(batch[Number(r.id)]!.body).slice(0, 300)} → ${r.status}`,
          );
          if (r.status === 400) assert.match(r.body.error.innerError.message ?? '', /^\d{4}: /);
        }
      }
      const notJson = await t.graph('POST', POLICIES, '{"displayName": ');
      assert.equal(notJson.status, 400);
    });
  });

  describe('PATCH', () => {
    it('deep-merges complex values, replaces collections, sets modifiedDateTime, answers 204', async () => {
      const created = await create(
        withConditions(
          {
            users: { includeUsers: [USER_ID], excludeGroups: [GROUP_ID] },
            platforms: { includePlatforms: ['android'], excludePlatforms: ['iOS'] },
          },
          { operator: 'OR', builtInControls: ['mfa'] },
        ),
      );
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id;
      const patch = await t.graph('PATCH', `${POLICIES}/${id}`, {
        conditions: {
          signInRiskLevels: ['high'],
          platforms: { includePlatforms: ['windows', 'macOS'] },
          users: { includeUsers: [USER_ID_2] },
        },
        sessionControls: { signInFrequency: { isEnabled: true, value: 1, type: 'days' } },
      });
      assert.equal(patch.status, 204);
      assert.equal(patch.body, undefined);
      const got = (await t.graph('GET', `${POLICIES}/${id}`)).body;
      assert.deepEqual(got.conditions.signInRiskLevels, ['high']);
      assert.deepEqual(got.conditions.platforms, {
        includePlatforms: ['windows', 'macOS'],
        excludePlatforms: ['iOS'],
      });
      assert.deepEqual(got.conditions.users.includeUsers, [USER_ID_2]);
      assert.deepEqual(got.conditions.users.excludeGroups, [GROUP_ID]);
      assert.deepEqual(got.conditions.applications.includeApplications, ['None']);
      assert.deepEqual(got.grantControls.builtInControls, ['mfa']);
      assert.equal(got.sessionControls.signInFrequency.value, 1);
      assert.equal(got.sessionControls.persistentBrowser, null);
      assert.equal(got.displayName, created.body.displayName);
      assert.equal(got.createdDateTime, created.body.createdDateTime);
      assert.ok(got.modifiedDateTime && Date.parse(got.modifiedDateTime) >= Date.parse(got.createdDateTime));
      const renamed = await t.graph('PATCH', `${ALIAS}/${id}`, { displayName: 'Renamed', state: 'ENABLED' });
      assert.equal(renamed.status, 204);
      const again = (await t.graph('GET', `${POLICIES}/${id}`)).body;
      assert.equal(again.displayName, 'Renamed');
      assert.equal(again.state, 'enabled');
      assert.equal(again.sessionControls.signInFrequency.type, 'days');
    });

    it('re-validates the merged policy and leaves it unchanged on failure', async () => {
      const created = await create(minimal('patch target'));
      const id = created.body.id;
      const before = (await t.graph('GET', `${POLICIES}/${id}`)).body;
      assertValidation(
        await t.graph('PATCH', `${POLICIES}/${id}`, { conditions: { clientAppTypes: [] } }),
        1064,
      );
      assertValidation(await t.graph('PATCH', `${POLICIES}/${id}`, { grantControls: null }), 1114);
      assertValidation(await t.graph('PATCH', `${POLICIES}/${id}`, { state: 'sometimes' }), 1007);
      assertValidation(await t.graph('PATCH', `${POLICIES}/${id}`, { bogus: 1 }), 1007);
      assertValidation(await t.graph('PATCH', `${POLICIES}/${id}`, [1, 2]), 1007);
      assertValidation(
        await t.graph('PATCH', `${POLICIES}/${id}`, {
          grantControls: { builtInControls: ['mfa'], authenticationStrength: { id: MFA_STRENGTH } },
        }),
        1108,
      );
      const after = (await t.graph('GET', `${POLICIES}/${id}`)).body;
      assert.deepEqual(after, before);
    });

    it('switches from mfa to an authentication strength and back', async () => {
      const created = await create(withConditions({}, { operator: 'OR', builtInControls: ['mfa'] }));
      const id = created.body.id;
      const toStrength = await t.graph('PATCH', `${POLICIES}/${id}`, {
        grantControls: { builtInControls: [], authenticationStrength: { id: PHISHING_RESISTANT } },
      });
      assert.equal(toStrength.status, 204, JSON.stringify(toStrength.body));
      const got = (await t.graph('GET', `${POLICIES}/${id}`)).body;
      assert.equal(got.grantControls.authenticationStrength.displayName, 'Phishing resistant MFA');
      const back = await t.graph('PATCH', `${POLICIES}/${id}`, {
        grantControls: { builtInControls: ['mfa'], authenticationStrength: null },
      });
      assert.equal(back.status, 204, JSON.stringify(back.body));
      assert.equal(
        (await t.graph('GET', `${POLICIES}/${id}`)).body.grantControls.authenticationStrength,
        null,
      );
    });
  });

  it('expands the authentication strength in GET, with its @odata.context', async () => {
    const created = await create(
      withConditions(
        {},
        { operator: 'OR', builtInControls: [], authenticationStrength: { id: MFA_STRENGTH } },
      ),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const got = (await t.graph('GET', `${POLICIES}/${id}`)).body;
    const grant = got.grantControls;
    assert.equal(
      grant['authenticationStrength@odata.context'],
      `${t.tenant.origin}/v1.0/$metadata#identity/conditionalAccess/policies('${id}')/grantControls/authenticationStrength/$entity`,
    );
    assert.deepEqual(Object.keys(grant.authenticationStrength), [
      'id',
      'createdDateTime',
      'modifiedDateTime',
      'displayName',
      'description',
      'policyType',
      'requirementsSatisfied',
      'allowedCombinations',
    ]);
    assert.equal(grant.authenticationStrength.id, MFA_STRENGTH);
    assert.equal(grant.authenticationStrength.displayName, 'Multifactor authentication');
    assert.equal(grant.authenticationStrength.policyType, 'builtIn');
    assert.ok(grant.authenticationStrength.allowedCombinations.includes('password,sms'));
    const listed = (await t.graph('GET', POLICIES)).body.value.find((p: Json) => p.id === id);
    assert.deepEqual(listed.grantControls, grant);
    const echoed = await t.graph('PATCH', `${POLICIES}/${id}`, { grantControls: grant });
    assert.equal(echoed.status, 204, JSON.stringify(echoed.body));
  });

  describe('soft delete and deletedItems', () => {
    it('DELETE moves the policy to deletedItems; restore brings it back; DELETE there purges', async () => {
      const created = await create(minimal('to delete'));
      const id = created.body.id;
      const del = await t.graph('DELETE', `${POLICIES}/${id}`);
      assert.equal(del.status, 204);
      assert.equal((await t.graph('GET', `${POLICIES}/${id}`)).status, 404);
      const deleted = await t.graph('GET', '/identity/conditionalAccess/deletedItems/policies');
      assert.equal(deleted.status, 200);
      assert.match(deleted.body['@odata.context'], /#identity\/conditionalAccess\/deletedItems\/policies$/);
      const item = deleted.body.value.find((p: Json) => p.id === id);
      assert.ok(item);
      assert.ok(Date.parse(item.deletedDateTime));
      assert.equal(item.displayName, 'to delete');
      const one = await t.graph('GET', `/identity/conditionalAccess/deletedItems/policies/${id}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.id, id);
      const restored = await t.graph(
        'POST',
        `/identity/conditionalAccess/deletedItems/policies/${id}/restore`,
      );
      assert.equal(restored.status, 200);
      assert.equal(restored.body.id, id);
      assert.equal(restored.body.deletedDateTime, undefined);
      assert.deepEqual(withoutServerFields(restored.body), withoutServerFields(created.body));
      assert.equal((await t.graph('GET', `${POLICIES}/${id}`)).status, 200);
      assert.equal(
        (await t.graph('GET', `/identity/conditionalAccess/deletedItems/policies/${id}`)).status,
        404,
      );
      assert.equal(
        (await t.graph('POST', `/identity/conditionalAccess/deletedItems/policies/${id}/restore`)).status,
        404,
      );

      assert.equal((await t.graph('DELETE', `${ALIAS}/${id}`)).status, 204);
      assert.equal(
        (await t.graph('DELETE', `/identity/conditionalAccess/deletedItems/policies/${id}`)).status,
        204,
      );
      assert.equal(
        (await t.graph('GET', `/identity/conditionalAccess/deletedItems/policies/${id}`)).status,
        404,
      );
      assert.equal(
        (await t.graph('DELETE', `/identity/conditionalAccess/deletedItems/policies/${id}`)).status,
        404,
      );
    });

    it('refuses deletedItems writes for the reader', async () => {
      const created = await create(minimal('reader delete'));
      await t.graph('DELETE', `${POLICIES}/${created.body.id}`);
      const reader = { app: 'reader' as const };
      const path = `/identity/conditionalAccess/deletedItems/policies/${created.body.id}`;
      assert.equal((await t.graph('GET', path, undefined, reader)).status, 200);
      assert.equal((await t.graph('POST', `${path}/restore`, undefined, reader)).status, 403);
      assert.equal((await t.graph('DELETE', path, undefined, reader)).status, 403);
      assert.equal((await t.graph('PATCH', path, {})).status, 405);
    });
  });
});

describe('local tenant: the 195-policy limit', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
  });
  after(() => t.close());

  it('creates policies up to 195 (any state) and refuses the 196th; restore is refused at the cap', async () => {
    const existing = (await t.graph('GET', POLICIES)).body.value.length as number;
    const states = ['enabled', 'disabled', 'enabledForReportingButNotEnforced'];
    const toCreate = 195 - existing;
    for (let i = 0; i < toCreate; i += 20) {
      const requests = Array.from({ length: Math.min(20, toCreate - i) }, (_, j) => ({
        id: String(j),
        method: 'POST',
        url: POLICIES,
        headers: { 'content-type': 'application/json' },
        body: { ...minimal(`cap ${i + j}`), state: states[(i + j) % 3] },
      }));
      const reply = await t.graph('POST', '/$batch', { requests });
      assert.ok(reply.body.responses.every((r: { status: number }) => r.status === 201));
    }
    assert.equal((await t.graph('GET', POLICIES)).body.value.length, 195);
    assertValidation(await t.graph('POST', POLICIES, minimal('one too many')), 1113, /195/);
    const victim = (await t.graph('GET', `${POLICIES}?$top=1`)).body.value[0].id;
    assert.equal((await t.graph('DELETE', `${POLICIES}/${victim}`)).status, 204);
    const replacement = await t.graph('POST', POLICIES, minimal('replacement'));
    assert.equal(replacement.status, 201);
    assertValidation(
      await t.graph('POST', `/identity/conditionalAccess/deletedItems/policies/${victim}/restore`),
      1113,
    );
  });
});
