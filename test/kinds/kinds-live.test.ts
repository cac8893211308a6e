/**
 * The kinds against the real local tenant, over HTTP with the writer's token: what a kind writes and then reads
 * back must compare equal to what it wanted (zero false drift), through create, update and delete.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  GraphRequestError,
  type BatchItem,
  type GraphBody,
  type GraphPort,
} from '../../src/core/graph-port.ts';
import type { DesiredObject, KindModule, LiveObject, ReferenceLookup } from '../../src/core/kind.ts';
import type { Manifest } from '../../src/core/manifest.ts';
import {
  authenticationMethodsPolicyKind,
  mergeMethodsPolicySpecs,
} from '../../src/kinds/authentication-methods-policy/index.ts';
import { authenticationStrengthPolicyKind } from '../../src/kinds/authentication-strength/index.ts';
import { crossTenantAccessPolicyKind } from '../../src/kinds/cross-tenant-access-policy/index.ts';
import { namedLocationKind } from '../../src/kinds/named-location/index.ts';
import { registry } from '../../src/kinds/registry.ts';
import { resolveReferences } from '../../src/pipeline/resolve-references.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';
import { buildManifest, changesBetween } from './kind-fixtures.ts';

/** A tiny GraphPort over the test tenant's HTTP helper (the real adapter lives in src/graph/). */
function buildPort(t: TestTenant): GraphPort {
  const call = async (method: string, path: string, body?: GraphBody): Promise<GraphBody | undefined> => {
    const reply = await t.graph(method, path, body);
    if (reply.status >= 400) {
      const error = reply.body?.error ?? {};
      throw new GraphRequestError(
        reply.status,
        String(error.code),
        `${method} ${path}: ${String(error.message)}`,
      );
    }
    return reply.body as GraphBody | undefined;
  };
  return {
    async get(path) {
      const reply = await t.graph('GET', path);
      if (reply.status === 404) return undefined;
      if (reply.status >= 400) throw new GraphRequestError(reply.status, 'error', JSON.stringify(reply.body));
      return reply.body as GraphBody;
    },
    async list(path) {
      const items: GraphBody[] = [];
      let next: string | undefined = path;
      while (next) {
        const page = (await call('GET', next)) as { value: GraphBody[]; '@odata.nextLink'?: string };
        items.push(...page.value);
        const link = page['@odata.nextLink'];
        next = link ? link.slice(link.indexOf('/v1.0/') + 5) : undefined;
      }
      return items;
    },
    async post(path, body) {
      return (await call('POST', path, body)) ?? {};
    },
    async patch(path, body) {
      return call('PATCH', path, body);
    },
    async delete(path) {
      await call('DELETE', path);
    },
    async batch(items: readonly BatchItem[]) {
      const requests = items.map((item, i) => ({
        id: String(i),
        method: item.method,
        url: item.path,
        body: item.body,
        headers: item.body ? { 'content-type': 'application/json' } : undefined,
      }));
      const reply = (await call('POST', '/$batch', { requests })) as {
        responses: { id: string; status: number; body: unknown }[];
      };
      return [...reply.responses]
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((r) => ({ status: r.status, body: r.body }));
    },
  };
}

async function resolveLookup(port: GraphPort, manifests: Manifest[]): Promise<ReferenceLookup> {
  const live = new Map<string, LiveObject[]>();
  for (const kind of registry.ordered()) live.set(kind.kind, await kind.read(port));
  const resolution = await resolveReferences({ manifests, registry, port, live });
  assert.deepEqual(resolution.diagnostics, []);
  return resolution.lookup;
}

async function expandAll(port: GraphPort, kind: KindModule, manifest: Manifest): Promise<DesiredObject[]> {
  return kind.expand(manifest, await resolveLookup(port, [manifest]));
}

async function findLive(port: GraphPort, kind: KindModule, id: string): Promise<LiveObject | undefined> {
  return (await kind.read(port)).find((l) => l.id.toLowerCase() === id.toLowerCase());
}

/** Writes `desired` (create when `id` is undefined), reads back and asserts zero changes; returns the id. */
async function writeAndCheck(
  port: GraphPort,
  kind: KindModule,
  desired: DesiredObject,
  id?: string,
): Promise<string> {
  const target = id ?? (await kind.create(port, desired));
  if (id !== undefined) await kind.update(port, id, desired);
  const live = await findLive(port, kind, target);
  assert.ok(live, `${desired.name}: ${target} is not in the tenant after writing`);
  assert.deepEqual(changesBetween(live, desired), [], `${desired.name}: drift right after writing`);
  if (!desired.partial) assert.deepEqual(live.state, desired.state);
  return target;
}

async function checkFullLifecycle(
  port: GraphPort,
  kind: KindModule,
  first: Manifest,
  second: Manifest,
): Promise<void> {
  const [created] = await expandAll(port, kind, first);
  const id = await writeAndCheck(port, kind, created!);
  const [changed] = await expandAll(port, kind, second);
  await writeAndCheck(port, kind, changed!, id);
  await kind.delete(port, id);
  assert.equal(await findLive(port, kind, id), undefined, `${kind.kind} ${id} still there after delete`);
}

describe('kinds against the local tenant', () => {
  let t: TestTenant;
  let port: GraphPort;
  let groups: { id: string; displayName: string }[];
  before(async () => {
    t = await startTestTenant();
    port = buildPort(t);
    groups = (await port.list('/groups?$select=id,displayName&$top=5')).map((g) => ({
      id: String(g.id),
      displayName: String(g.displayName),
    }));
    assert.ok(groups.length >= 2, 'the demo directory has groups');
  });
  after(() => t.close());

  it('NamedLocation: IP (trusted) and country locations', async () => {
    await checkFullLifecycle(
      port,
      namedLocationKind,
      buildManifest('NamedLocation', 'office', {
        displayName: 'Office egress',
        ipRanges: [
          '203.0.113.0/24',
          '2001:DB8:AB::/48',
          {
            '@odata.type': '#microsoft.graph.iPv4Range',
            lowerAddress: '198.51.100.1',
            upperAddress: '198.51.100.20',
          },
        ],
        isTrusted: true,
      }),
      buildManifest('NamedLocation', 'office', {
        displayName: 'Office egress (renamed)',
        ipRanges: [' 192.0.2.0/24'],
        isTrusted: true,
      }),
    );
    await checkFullLifecycle(
      port,
      namedLocationKind,
      buildManifest('NamedLocation', 'blocked', {
        displayName: 'Blocked countries',
        countriesAndRegions: ['kp', 'IR'],
      }),
      buildManifest('NamedLocation', 'blocked', {
        '@odata.type': '#microsoft.graph.countryNamedLocation',
        displayName: 'Blocked countries',
        countriesAndRegions: ['KP', 'IR', 'SY'],
        includeUnknownCountriesAndRegions: true,
        countryLookupMethod: 'authenticatorAppGps',
      }),
    );
  });

  it('AuthenticationStrengthPolicy: custom strength; built-ins are read as built in', async () => {
    const live = await authenticationStrengthPolicyKind.read(port);
    assert.equal(live.filter((l) => l.builtIn).length, 3);
    await checkFullLifecycle(
      port,
      authenticationStrengthPolicyKind,
      buildManifest('AuthenticationStrengthPolicy', 'strong', {
        displayName: 'Strong MFA',
        allowedCombinations: ['microsoftAuthenticatorPush, password', 'fido2'],
      }),
      buildManifest('AuthenticationStrengthPolicy', 'strong', {
        displayName: 'Strong MFA v2',
        description: 'keys and Authenticator',
        allowedCombinations: ['fido2', 'windowsHelloForBusiness', 'sms,password'],
      }),
    );
  });

  it('AuthenticationMethodsPolicy: methods and policy settings, with group names and implied defaults', async () => {
    const kind = authenticationMethodsPolicyKind;
    const [g0, g1] = groups;
    const first = buildManifest('AuthenticationMethodsPolicy', 'methods', {
      reconfirmationInDays: 180,
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          state: 'enabled',
          snoozeDurationInDays: 3,
          includeTargets: [{ id: g0!.displayName, targetType: 'group' }],
        },
      },
      authenticationMethodConfigurations: {
        email: {
          state: 'enabled',
          allowExternalIdToUseEmailOtp: 'enabled',
          includeTargets: [{ id: 'all_users', targetType: 'group' }],
          excludeTargets: [{ id: g1!.displayName, targetType: 'group' }],
        },
        fido2: {
          state: 'enabled',
          isAttestationEnforced: true,
          keyRestrictions: { isEnforced: true, aaGuids: ['CB69481E-8FF7-4039-93EC-0A2729A154A8'] },
          includeTargets: [{ id: g0!.id.toUpperCase(), targetType: 'group' }],
        },
        microsoftAuthenticator: {
          state: 'enabled',
          includeTargets: [
            { id: g0!.displayName, targetType: 'group', authenticationMode: 'push' },
            { id: 'All_Users', targetType: 'group' },
          ],
          featureSettings: {
            displayAppInformationRequiredState: {
              state: 'enabled',
              includeTarget: { id: g1!.displayName, targetType: 'group' },
            },
          },
        },
        sms: {
          state: 'enabled',
          includeTargets: [{ id: g1!.id, targetType: 'group', isRegistrationRequired: true }],
        },
        temporaryAccessPass: {
          state: 'enabled',
          defaultLifetimeInMinutes: 120,
          maximumLifetimeInMinutes: 480,
        },
        voice: { state: 'disabled', isOfficePhoneAllowed: true },
      },
    });
    const desired = await expandAll(port, kind, first);
    assert.equal(desired.length, 7);
    for (const object of desired) await writeAndCheck(port, kind, object, object.pinnedId);
    const second = buildManifest('AuthenticationMethodsPolicy', 'methods', {
      registrationEnforcement: { authenticationMethodsRegistrationCampaign: { state: 'disabled' } },
      authenticationMethodConfigurations: {
        email: { state: 'disabled' },
        microsoftAuthenticator: {
          state: 'enabled',
          featureSettings: { displayLocationInformationRequiredState: { state: 'disabled' } },
        },
      },
    });
    for (const object of await expandAll(port, kind, second))
      await writeAndCheck(port, kind, object, object.pinnedId);
    // Everything the tenant has compares equal to what its own export expands to.
    const live = await kind.read(port);
    const names = await resolveLookup(port, [first]);
    const exported = buildManifest(
      'AuthenticationMethodsPolicy',
      'export',
      mergeMethodsPolicySpecs(live.map((l) => kind.exportSpec(l, names))),
    );
    assert.equal(JSON.stringify(exported.spec).includes(g0!.displayName), true, 'ids are exported as names');
    const again = await expandAll(port, kind, exported);
    assert.equal(again.length, live.length);
    for (const object of again)
      assert.deepEqual(object.state, live.find((l) => l.id === object.pinnedId)!.state, object.name);
  });

  it('CrossTenantAccessPolicy: default, allowed clouds, and a partner through create, update and delete', async () => {
    const kind = crossTenantAccessPolicyKind;
    const partner = randomUUID().toUpperCase();
    const [g0] = groups;
    const first = buildManifest('CrossTenantAccessPolicy', 'xtap', {
      allowedCloudEndpoints: ['microsoftonline.us'],
      default: {
        inboundTrust: { isMfaAccepted: true },
        automaticUserConsentSettings: { inboundAllowed: true },
        b2bCollaborationOutbound: {
          usersAndGroups: {
            accessType: 'allowed',
            targets: [{ target: g0!.displayName, targetType: 'group' }],
          },
          applications: {
            accessType: 'allowed',
            targets: [{ target: 'AllApplications', targetType: 'application' }],
          },
        },
      },
      partners: [
        { tenantId: partner, inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: true } },
      ],
    });
    const desired = await expandAll(port, kind, first);
    assert.deepEqual(
      desired.map((d) => d.pinnedId),
      ['crossTenantAccessPolicy', 'default', partner.toLowerCase()],
    );
    await writeAndCheck(port, kind, desired[0]!, 'crossTenantAccessPolicy');
    await writeAndCheck(port, kind, desired[1]!, 'default');
    const id = await writeAndCheck(port, kind, desired[2]!);
    assert.equal(id, partner.toLowerCase());
    const second = buildManifest('CrossTenantAccessPolicy', 'xtap', {
      partners: [
        {
          tenantId: partner,
          isServiceProvider: true,
          inboundTrust: { isMfaAccepted: false },
          b2bCollaborationInbound: {
            usersAndGroups: { accessType: 'blocked', targets: [{ target: 'AllUsers', targetType: 'user' }] },
          },
        },
      ],
    });
    const [changed] = await expandAll(port, kind, second);
    await writeAndCheck(port, kind, changed!, id);
    await kind.delete(port, id);
    assert.equal(await findLive(port, kind, id), undefined);
  });
});
