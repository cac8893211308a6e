import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphBody } from '../../core/graph-port.ts';
import {
  buildLookup,
  buildManifest,
  changesBetween,
  FakeGraphPort,
} from '../../../test/kinds/kind-fixtures.ts';
import { crossTenantAccessPolicyKind as kind, mergeCrossTenantSpecs } from './index.ts';

const KIND = 'CrossTenantAccessPolicy';
const PARTNER = '72F988BF-86F1-41AF-91AB-2D7CD011DB47';
const SALES = '11111111-2222-3333-4444-555555555555';
const lookup = buildLookup([['group', 'Sales', SALES]]);
const BASE = '/policies/crossTenantAccessPolicy';

function access(accessType: string, target: string, targetType: string): GraphBody {
  return { accessType, targets: [{ target, targetType }] };
}

function graphDefault(): GraphBody {
  return {
    '@odata.context': 'x',
    isServiceDefault: false,
    inboundTrust: {
      isMfaAccepted: true,
      isCompliantDeviceAccepted: false,
      isHybridAzureADJoinedDeviceAccepted: false,
    },
    b2bCollaborationOutbound: {
      usersAndGroups: access('allowed', SALES, 'group'),
      applications: access('allowed', 'AllApplications', 'application'),
    },
    b2bCollaborationInbound: {
      usersAndGroups: access('allowed', 'AllUsers', 'user'),
      applications: access('allowed', 'AllApplications', 'application'),
    },
    b2bDirectConnectOutbound: {
      usersAndGroups: access('blocked', 'AllUsers', 'user'),
      applications: access('blocked', 'AllApplications', 'application'),
    },
    b2bDirectConnectInbound: {
      usersAndGroups: access('blocked', 'AllUsers', 'user'),
      applications: access('blocked', 'AllApplications', 'application'),
    },
    automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
    tenantRestrictions: {
      usersAndGroups: access('blocked', 'AllUsers', 'user'),
      applications: access('blocked', 'AllApplications', 'application'),
      devices: null,
    },
    invitationRedemptionIdentityProviderConfiguration: {
      primaryIdentityProviderPrecedenceOrder: [
        'externalFederation',
        'azureActiveDirectory',
        'socialIdentityProviders',
      ],
      fallbackIdentityProvider: 'defaultConfiguredIdp',
    },
  };
}

function graphPartner(): GraphBody {
  return {
    tenantId: PARTNER.toLowerCase(),
    isServiceProvider: null,
    isInMultiTenantOrganization: false,
    inboundTrust: {
      isMfaAccepted: true,
      isCompliantDeviceAccepted: false,
      isHybridAzureADJoinedDeviceAccepted: false,
    },
    b2bCollaborationInbound: null,
    b2bCollaborationOutbound: null,
    b2bDirectConnectInbound: null,
    b2bDirectConnectOutbound: null,
    automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
    tenantRestrictions: null,
  };
}

function fakeTenant(): FakeGraphPort {
  const port = new FakeGraphPort();
  port.objects.set(BASE, {
    id: 'crossTenantAccessPolicy',
    displayName: 'CrossTenantAccessPolicy',
    allowedCloudEndpoints: [],
  });
  port.objects.set(`${BASE}/default`, graphDefault());
  port.objects.set(`${BASE}/partners`, [graphPartner()]);
  return port;
}

const spec = {
  default: {
    inboundTrust: { isMfaAccepted: true },
    // A b2b setting is replaced whole by Graph: leaving `applications` out would clear it.
    b2bCollaborationOutbound: {
      usersAndGroups: { accessType: 'allowed', targets: [{ target: 'Sales', targetType: 'group' }] },
      applications: {
        accessType: 'allowed',
        targets: [{ target: 'AllApplications', targetType: 'application' }],
      },
    },
  },
  partners: [{ tenantId: PARTNER, inboundTrust: { isMfaAccepted: true } }],
};

describe('CrossTenantAccessPolicy kind', () => {
  it('resolves only this-tenant targets', () => {
    assert.deepEqual(
      kind.references(spec).map((r) => [r.type, r.pointer, r.value]),
      [['group', '/default/b2bCollaborationOutbound/usersAndGroups/targets/0/target', 'Sales']],
    );
  });

  it('expands the default and each partner as partial objects with Graph defaults filled', () => {
    const desired = kind.expand(buildManifest(KIND, 'xtap', spec), lookup);
    assert.deepEqual(
      desired.map((d) => [d.name, d.pinnedId, d.displayName, d.partial]),
      [
        ['xtap/default', 'default', 'default', true],
        [`xtap/${PARTNER.toLowerCase()}`, PARTNER.toLowerCase(), PARTNER.toLowerCase(), true],
      ],
    );
    assert.deepEqual(desired[1]!.state, {
      inboundTrust: {
        isCompliantDeviceAccepted: false,
        isHybridAzureADJoinedDeviceAccepted: false,
        isMfaAccepted: true,
      },
      tenantId: PARTNER.toLowerCase(),
    });
  });

  it('reads Graph-shaped configurations with zero diff against the manifest', async () => {
    const live = await kind.read(fakeTenant());
    assert.deepEqual(
      live.map((l) => [l.id, l.builtIn ?? false]),
      [
        ['crossTenantAccessPolicy', true],
        ['default', true],
        [PARTNER.toLowerCase(), false],
      ],
    );
    assert.equal('isServiceDefault' in live[1]!.state, false);
    for (const desired of kind.expand(buildManifest(KIND, 'xtap', spec), lookup)) {
      assert.deepEqual(
        changesBetween(
          live.find((l) => l.id === desired.pinnedId),
          desired,
        ),
        [],
        desired.name,
      );
    }
  });

  it('creates partners with their tenant id and patches without it', async () => {
    const port = new FakeGraphPort();
    const [, partner] = kind.expand(buildManifest(KIND, 'xtap', spec), lookup);
    port.nextId = 'unused';
    assert.equal(await kind.create(port, partner!), PARTNER.toLowerCase());
    await kind.update(port, PARTNER.toLowerCase(), partner!);
    const [post, patch] = port.writes();
    assert.equal(post!.path, `${BASE}/partners`);
    assert.equal(post!.body!.tenantId, PARTNER.toLowerCase());
    assert.equal(patch!.path, `${BASE}/partners/${PARTNER.toLowerCase()}`);
    assert.equal('tenantId' in patch!.body!, false);
    await assert.rejects(kind.delete(port, 'default'));
  });

  it('round-trips through exportSpec', async () => {
    const live = await kind.read(fakeTenant());
    const exported = mergeCrossTenantSpecs(live.map((l) => kind.exportSpec(l, lookup)));
    const outbound = (exported.default as GraphBody).b2bCollaborationOutbound as GraphBody;
    assert.deepEqual((outbound.usersAndGroups as GraphBody).targets, [
      { target: 'Sales', targetType: 'group' },
    ]);
    const desired = kind.expand(buildManifest(KIND, 'xtap', exported), lookup);
    assert.equal(desired.length, 3);
    for (const object of desired) {
      const match = live.find((l) => l.id === object.pinnedId);
      assert.deepEqual(changesBetween(match, object), [], object.name);
      if (object.pinnedId === 'default') assert.deepEqual(object.state, match!.state);
    }
  });
});
