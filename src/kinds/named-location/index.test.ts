import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildLookup,
  buildManifest,
  changesBetween,
  FakeGraphPort,
} from '../../../test/kinds/kind-fixtures.ts';
import { namedLocationKind } from './index.ts';

const KIND = 'NamedLocation';
const lookup = buildLookup();
const COLLECTION = '/identity/conditionalAccess/namedLocations';

describe('NamedLocation kind', () => {
  it('expands CIDR strings to Graph ranges with defaults', () => {
    const manifest = buildManifest(KIND, 'office', {
      displayName: 'Office',
      ipRanges: [
        '203.0.113.0/24',
        '2001:DB8::/48',
        {
          '@odata.type': '#microsoft.graph.ipv4Range',
          lowerAddress: '198.51.100.1',
          upperAddress: '198.51.100.9',
        },
      ],
    });
    const [desired] = namedLocationKind.expand(manifest, lookup);
    assert.deepEqual(desired!.state, {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      displayName: 'Office',
      ipRanges: [
        { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' },
        {
          '@odata.type': '#microsoft.graph.iPv4Range',
          lowerAddress: '198.51.100.1',
          upperAddress: '198.51.100.9',
        },
        { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8::/48' },
      ],
      isTrusted: false,
    });
    assert.equal(desired!.displayName, 'Office');
    assert.equal(desired!.pinnedId, undefined);
  });

  it('expands a country location with defaults, upper-cased and de-duplicated', () => {
    const manifest = buildManifest(
      KIND,
      'sanctioned',
      { displayName: 'Sanctioned', countriesAndRegions: ['kp', 'IR', 'KP'] },
      { 'accord.dev/id': 'abc' },
    );
    const [desired] = namedLocationKind.expand(manifest, lookup);
    assert.deepEqual(desired!.state, {
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      countriesAndRegions: ['IR', 'KP'],
      countryLookupMethod: 'clientIpAddress',
      displayName: 'Sanctioned',
      includeUnknownCountriesAndRegions: false,
    });
    assert.equal(desired!.pinnedId, 'abc');
  });

  it('reads Graph-shaped locations to the same state as the manifest (zero diff)', async () => {
    const port = new FakeGraphPort();
    port.objects.set(COLLECTION, [
      {
        '@odata.type': '#microsoft.graph.ipNamedLocation',
        id: 'f1',
        displayName: 'Office',
        createdDateTime: '2024-01-01T00:00:00Z',
        modifiedDateTime: null,
        isTrusted: false,
        ipRanges: [
          { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8::/48' },
          { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' },
        ],
      },
    ]);
    const [live] = await namedLocationKind.read(port);
    const manifest = buildManifest(KIND, 'office', {
      displayName: 'Office',
      ipRanges: ['203.0.113.0/24', '2001:db8::/48'],
    });
    const [desired] = namedLocationKind.expand(manifest, lookup);
    assert.equal(live!.id, 'f1');
    assert.deepEqual(changesBetween(live, desired!), []);
  });

  it('round-trips through exportSpec', () => {
    const specs = [
      {
        displayName: 'A',
        ipRanges: [
          '10.1.0.0/16',
          {
            '@odata.type': '#microsoft.graph.iPv6Range',
            lowerAddress: '2001:db8::1',
            upperAddress: '2001:db8::9',
          },
        ],
        isTrusted: true,
      },
      {
        displayName: 'B',
        countriesAndRegions: ['US'],
        includeUnknownCountriesAndRegions: true,
        countryLookupMethod: 'authenticatorAppGps',
      },
      { displayName: 'C', countriesAndRegions: ['FR'] },
    ];
    for (const spec of specs) {
      const [desired] = namedLocationKind.expand(buildManifest(KIND, 'x', spec), lookup);
      const live = { kind: KIND, id: '1', displayName: spec.displayName, state: desired!.state };
      const exported = namedLocationKind.exportSpec(live, lookup);
      assert.deepEqual(exported, spec);
      const [again] = namedLocationKind.expand(buildManifest(KIND, 'x', exported), lookup);
      assert.deepEqual(again!.state, desired!.state);
    }
  });

  it('untrusts a trusted location before deleting it', async () => {
    const port = new FakeGraphPort();
    port.objects.set(`${COLLECTION}/t1`, {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      id: 't1',
      isTrusted: true,
    });
    await namedLocationKind.delete(port, 't1');
    assert.deepEqual(port.writes(), [
      {
        method: 'PATCH',
        path: `${COLLECTION}/t1`,
        body: { '@odata.type': '#microsoft.graph.ipNamedLocation', isTrusted: false },
      },
      { method: 'DELETE', path: `${COLLECTION}/t1` },
    ]);
  });

  it('PATCHes with @odata.type', async () => {
    const port = new FakeGraphPort();
    const [desired] = namedLocationKind.expand(
      buildManifest(KIND, 'c', { displayName: 'C', countriesAndRegions: ['FR'] }),
      lookup,
    );
    await namedLocationKind.update(port, 'c1', desired!);
    assert.equal(port.writes()[0]!.body!['@odata.type'], '#microsoft.graph.countryNamedLocation');
  });
});
