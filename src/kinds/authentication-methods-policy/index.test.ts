import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphBody } from '../../core/graph-port.ts';
import {
  buildLookup,
  buildManifest,
  changesBetween,
  FakeGraphPort,
} from '../../../test/kinds/kind-fixtures.ts';
import { authenticationMethodsPolicyKind as kind, mergeMethodsPolicySpecs } from './index.ts';

const KIND = 'AuthenticationMethodsPolicy';
const HELPDESK = '11111111-2222-3333-4444-555555555555';
const ALICE = 'aaaaaaaa-2222-3333-4444-555555555555';
const lookup = buildLookup([
  ['group', 'Helpdesk', HELPDESK],
  ['user', 'alice@contoso.com', ALICE],
]);
const POLICY = '/policies/authenticationMethodsPolicy';
const NOBODY = '00000000-0000-0000-0000-000000000000';

/** What Graph returns: every default filled in. */
function graphPolicy(): GraphBody {
  return {
    '@odata.context':
      'https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/$entity',
    id: 'authenticationMethodsPolicy',
    displayName: 'Authentication Methods Policy',
    lastModifiedDateTime: '2024-01-01T00:00:00Z',
    policyVersion: '1.5',
    policyMigrationState: 'migrationComplete',
    reconfirmationInDays: 0,
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1,
        state: 'enabled',
        excludeTargets: [],
        includeTargets: [
          {
            id: HELPDESK.toUpperCase(),
            targetType: 'group',
            targetedAuthenticationMethod: 'microsoftAuthenticator',
          },
        ],
      },
    },
    'authenticationMethodConfigurations@odata.context': 'x',
    authenticationMethodConfigurations: [
      {
        '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration',
        id: 'Email',
        state: 'enabled',
        allowExternalIdToUseEmailOtp: 'default',
        excludeTargets: [{ id: ALICE, targetType: 'user' }],
        'includeTargets@odata.context': 'y',
        includeTargets: [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }],
      },
      {
        '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration',
        id: 'MicrosoftAuthenticator',
        state: 'enabled',
        isSoftwareOathEnabled: false,
        excludeTargets: [],
        featureSettings: {
          displayAppInformationRequiredState: {
            state: 'enabled',
            includeTarget: { targetType: 'group', id: HELPDESK },
            excludeTarget: { targetType: 'group', id: NOBODY },
          },
          displayLocationInformationRequiredState: {
            state: 'default',
            includeTarget: { targetType: 'group', id: 'all_users' },
            excludeTarget: { targetType: 'group', id: NOBODY },
          },
        },
        includeTargets: [
          { targetType: 'group', id: 'all_users', isRegistrationRequired: false, authenticationMode: 'any' },
        ],
      },
    ],
  };
}

function manifestSpec(): GraphBody {
  return {
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        state: 'enabled',
        includeTargets: [{ id: 'Helpdesk', targetType: 'group' }],
      },
    },
    authenticationMethodConfigurations: {
      email: {
        state: 'enabled',
        includeTargets: [{ id: 'All_Users', targetType: 'group' }],
        excludeTargets: [{ id: 'alice@contoso.com', targetType: 'user' }],
      },
      microsoftAuthenticator: {
        state: 'enabled',
        featureSettings: {
          displayAppInformationRequiredState: {
            state: 'enabled',
            includeTarget: { targetType: 'group', id: 'Helpdesk' },
          },
        },
      },
    },
  };
}

describe('AuthenticationMethodsPolicy kind', () => {
  it('finds group and user references, not all_users', () => {
    const refs = kind.references(manifestSpec());
    assert.deepEqual(
      refs.map((r) => [r.type, r.pointer, r.value]),
      [
        ['user', '/authenticationMethodConfigurations/email/excludeTargets/0/id', 'alice@contoso.com'],
        [
          'group',
          '/authenticationMethodConfigurations/microsoftAuthenticator/featureSettings/displayAppInformationRequiredState/includeTarget/id',
          'Helpdesk',
        ],
        [
          'group',
          '/registrationEnforcement/authenticationMethodsRegistrationCampaign/includeTargets/0/id',
          'Helpdesk',
        ],
      ],
    );
  });

  it('expands one partial object per method plus the policy settings', () => {
    const desired = kind.expand(buildManifest(KIND, 'methods', manifestSpec()), lookup);
    assert.deepEqual(
      desired.map((d) => [d.name, d.pinnedId, d.partial]),
      [
        ['methods', 'authenticationMethodsPolicy', true],
        ['methods/email', 'Email', true],
        ['methods/microsoftAuthenticator', 'MicrosoftAuthenticator', true],
      ],
    );
    assert.deepEqual(desired[1]!.state, {
      '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration',
      excludeTargets: [{ id: ALICE, targetType: 'user' }],
      includeTargets: [{ id: 'all_users', isRegistrationRequired: false, targetType: 'group' }],
      state: 'enabled',
    });
  });

  it('reads Graph-shaped state that matches the manifest with zero diff', async () => {
    const port = new FakeGraphPort();
    port.objects.set(POLICY, graphPolicy());
    const live = await kind.read(port);
    assert.deepEqual(
      live.map((l) => l.id),
      ['authenticationMethodsPolicy', 'Email', 'MicrosoftAuthenticator'],
    );
    for (const desired of kind.expand(buildManifest(KIND, 'methods', manifestSpec()), lookup)) {
      const match = live.find((l) => l.id === desired.pinnedId);
      assert.deepEqual(changesBetween(match, desired), [], desired.name);
    }
  });

  it('shows a change when a default the manifest implies differs in the tenant', async () => {
    const body = graphPolicy();
    const configs = body.authenticationMethodConfigurations as GraphBody[];
    (configs[0]!.includeTargets as GraphBody[])[0]!.isRegistrationRequired = true;
    const port = new FakeGraphPort();
    port.objects.set(POLICY, body);
    const live = await kind.read(port);
    const email = kind.expand(buildManifest(KIND, 'methods', manifestSpec()), lookup)[1]!;
    assert.equal(changesBetween(live[1], email).length, 1);
  });

  it('PATCHes a configuration with @odata.type and the policy settings at the policy', async () => {
    const port = new FakeGraphPort();
    const [policy, email] = kind.expand(buildManifest(KIND, 'methods', manifestSpec()), lookup);
    await kind.update(port, 'Email', email!);
    await kind.update(port, 'authenticationMethodsPolicy', policy!);
    const [first, second] = port.writes();
    assert.equal(first!.path, `${POLICY}/authenticationMethodConfigurations/Email`);
    assert.equal(first!.body!['@odata.type'], '#microsoft.graph.emailAuthenticationMethodConfiguration');
    assert.equal(second!.path, POLICY);
    assert.deepEqual(Object.keys(second!.body!), ['registrationEnforcement']);
  });

  it('round-trips through exportSpec', async () => {
    const port = new FakeGraphPort();
    port.objects.set(POLICY, graphPolicy());
    const live = await kind.read(port);
    const spec = mergeMethodsPolicySpecs(live.map((l) => kind.exportSpec(l, lookup)));
    const configs = spec.authenticationMethodConfigurations as GraphBody;
    assert.deepEqual((configs.email as GraphBody).excludeTargets, [
      { id: 'alice@contoso.com', targetType: 'user' },
    ]);
    assert.deepEqual((configs.email as GraphBody).includeTargets, [{ id: 'all_users', targetType: 'group' }]);
    const desired = kind.expand(buildManifest(KIND, 'methods', spec), lookup);
    assert.equal(desired.length, live.length);
    for (const object of desired) {
      assert.deepEqual(object.state, live.find((l) => l.id === object.pinnedId)!.state, object.name);
    }
  });

  it('refuses to create or delete the singleton', async () => {
    const port = new FakeGraphPort();
    const [policy] = kind.expand(buildManifest(KIND, 'methods', manifestSpec()), lookup);
    await assert.rejects(kind.create(port, policy!));
    await assert.rejects(kind.delete(port, 'Email'));
  });
});
