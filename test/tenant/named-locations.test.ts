import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestTenant, type GraphReply, type TestTenant } from '../helpers/local-tenant.ts';

const LOCATIONS = '/identity/conditionalAccess/namedLocations';
const IP = '#microsoft.graph.ipNamedLocation';
const COUNTRY = '#microsoft.graph.countryNamedLocation';

type Json = Record<string, unknown>;

function ipLocation(name: string, ranges: Json[] = [cidr('198.51.100.0/24')], extra: Json = {}): Json {
  return { '@odata.type': IP, displayName: name, ipRanges: ranges, ...extra };
}

function cidr(address: string, v6 = false): Json {
  return {
    '@odata.type': v6 ? '#microsoft.graph.iPv6CidrRange' : '#microsoft.graph.iPv4CidrRange',
    cidrAddress: address,
  };
}

function assertValidation(reply: GraphReply, code: number, pattern?: RegExp): void {
  assert.equal(reply.status, 400, JSON.stringify(reply.body));
  assert.equal(reply.body.error.code, 'BadRequest');
  assert.match(reply.body.error.innerError.message, new RegExp(`^${code}: `));
  if (pattern) assert.match(reply.body.error.innerError.message, pattern);
}

describe('local tenant: named locations', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
  });
  after(() => t.close());

  it('creates an IP location with defaults and every range type (201)', async () => {
    const reply = await t.graph('POST', LOCATIONS, {
      '@odata.type': '#microsoft.graph.IPNamedLocation',
      displayName: 'HQ',
      ipRanges: [
        cidr('12.34.221.11/22'),
        cidr('2001:0:9d38:90d6:0:0:0:0/63', true),
        { '@odata.type': 'microsoft.graph.iPv4Range', lowerAddress: '10.0.0.1', upperAddress: '10.0.0.9' },
        {
          '@odata.type': '#microsoft.graph.iPv6Range',
          lowerAddress: '2001:db8::1',
          upperAddress: '2001:db8::ff',
        },
      ],
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const { '@odata.context': context, id, createdDateTime, modifiedDateTime, ...rest } = reply.body;
    assert.match(context, /#identity\/conditionalAccess\/namedLocations\/\$entity$/);
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.ok(Date.parse(createdDateTime));
    assert.ok(Date.parse(modifiedDateTime));
    assert.deepEqual(rest, {
      '@odata.type': IP,
      displayName: 'HQ',
      ipRanges: [
        cidr('12.34.221.11/22'),
        cidr('2001:0:9d38:90d6:0:0:0:0/63', true),
        { '@odata.type': '#microsoft.graph.iPv4Range', lowerAddress: '10.0.0.1', upperAddress: '10.0.0.9' },
        {
          '@odata.type': '#microsoft.graph.iPv6Range',
          lowerAddress: '2001:db8::1',
          upperAddress: '2001:db8::ff',
        },
      ],
      isTrusted: false,
    });
    const got = await t.graph('GET', `${LOCATIONS}/${id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(
      { ...got.body, '@odata.context': undefined },
      { ...reply.body, '@odata.context': undefined },
    );
  });

  it('creates a country location with defaults, codes in any case', async () => {
    const reply = await t.graph('POST', LOCATIONS, {
      '@odata.type': COUNTRY,
      displayName: 'Allowed countries',
      countriesAndRegions: ['ca', 'US'],
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.equal(reply.body['@odata.type'], COUNTRY);
    assert.deepEqual(reply.body.countriesAndRegions, ['CA', 'US']);
    assert.equal(reply.body.includeUnknownCountriesAndRegions, false);
    assert.equal(reply.body.countryLookupMethod, 'clientIpAddress');
    assert.equal(reply.body.isTrusted, undefined);
    const gps = await t.graph('POST', LOCATIONS, {
      '@odata.type': COUNTRY,
      displayName: 'GPS',
      countriesAndRegions: ['DE'],
      countryLookupMethod: 'AUTHENTICATORAPPGPS',
      includeUnknownCountriesAndRegions: true,
    });
    assert.equal(gps.status, 201);
    assert.equal(gps.body.countryLookupMethod, 'authenticatorAppGps');
    assert.equal(gps.body.includeUnknownCountriesAndRegions, true);
  });

  describe('validation', () => {
    const cases: [string, unknown, number, RegExp?][] = [
      ['no @odata.type', { displayName: 'x', ipRanges: [cidr('1.2.3.0/24')] }, 1007, /@odata.type/],
      [
        'an abstract @odata.type',
        { '@odata.type': '#microsoft.graph.namedLocation', displayName: 'x' },
        1007,
      ],
      ['a null body', null, 1007],
      ['no displayName', { '@odata.type': IP, ipRanges: [cidr('1.2.3.0/24')] }, 1007, /displayName/],
      ['an empty displayName', ipLocation(' '), 1307],
      ['no ipRanges', { '@odata.type': IP, displayName: 'x' }, 1007, /ipRanges/],
      ['empty ipRanges', ipLocation('x', []), 1301],
      [
        'a range without @odata.type',
        ipLocation('x', [{ cidrAddress: '1.2.3.0/24' }]),
        1007,
        /ipRanges\[0\]/,
      ],
      [
        'an unknown range type',
        ipLocation('x', [{ '@odata.type': '#microsoft.graph.ipRange', cidrAddress: '1.2.3.0/24' }]),
        1007,
      ],
      ['an invalid IPv4 CIDR', ipLocation('x', [cidr('1.2.3.400/24')]), 1301],
      ['an IPv6 address in an IPv4 range', ipLocation('x', [cidr('2001:db8::/32')]), 1301],
      ['a CIDR without prefix', ipLocation('x', [cidr('1.2.3.4')]), 1301],
      ['a /8 prefix', ipLocation('x', [cidr('10.0.0.0/8')]), 1301, /longer than \/8/],
      ['a /0 IPv6 prefix', ipLocation('x', [cidr('::/0', true)]), 1301],
      ['a prefix over 32', ipLocation('x', [cidr('1.2.3.0/33')]), 1301],
      [
        'an inverted range',
        ipLocation('x', [
          { '@odata.type': '#microsoft.graph.iPv4Range', lowerAddress: '10.0.0.9', upperAddress: '10.0.0.1' },
        ]),
        1301,
      ],
      [
        'a range with a bad address',
        ipLocation('x', [
          { '@odata.type': '#microsoft.graph.iPv4Range', lowerAddress: 'a', upperAddress: '10.0.0.1' },
        ]),
        1301,
      ],
      [
        '2001 ranges',
        ipLocation(
          'x',
          Array.from({ length: 2001 }, (_, i) => cidr(`10.${Math.floor(i / 256)}.${i % 256}.0/24`)),
        ),
        1302,
      ],
      ['isTrusted as a string', ipLocation('x', undefined, { isTrusted: 'yes' }), 1007, /isTrusted/],
      [
        'isTrusted on a country location',
        { '@odata.type': COUNTRY, displayName: 'x', countriesAndRegions: ['US'], isTrusted: true },
        1007,
      ],
      [
        'an unknown country code',
        { '@odata.type': COUNTRY, displayName: 'x', countriesAndRegions: ['XX'] },
        1304,
      ],
      [
        'a three-letter country code',
        { '@odata.type': COUNTRY, displayName: 'x', countriesAndRegions: ['USA'] },
        1304,
      ],
      [
        'a numeric country code',
        { '@odata.type': COUNTRY, displayName: 'x', countriesAndRegions: [1] },
        1304,
      ],
      ['no countriesAndRegions', { '@odata.type': COUNTRY, displayName: 'x' }, 1007],
      [
        'an unknown lookup method',
        { '@odata.type': COUNTRY, displayName: 'x', countriesAndRegions: ['US'], countryLookupMethod: 'dns' },
        1007,
      ],
      ['an unknown property', ipLocation('x', undefined, { colour: 'red' }), 1007, /colour/],
    ];
    for (const [name, body, code, pattern] of cases) {
      it(`refuses ${name} with ${code}`, async () => {
        assertValidation(await t.graph('POST', LOCATIONS, body), code, pattern);
      });
    }

    it('accepts 2000 ranges and a /9', async () => {
      const ranges = Array.from({ length: 2000 }, (_, i) =>
        cidr(`10.${Math.floor(i / 256)}.${i % 256}.0/24`),
      );
      assert.equal((await t.graph('POST', LOCATIONS, ipLocation('big', ranges))).status, 201);
      assert.equal(
        (await t.graph('POST', LOCATIONS, ipLocation('slash nine', [cidr('10.0.0.0/9')]))).status,
        201,
      );
    });
  });

  describe('PATCH', () => {
    it('needs the derived type, cannot change it, replaces collections and keeps the rest (204)', async () => {
      const created = await t.graph(
        'POST',
        LOCATIONS,
        ipLocation('patch me', [cidr('192.0.2.0/24')], { isTrusted: true }),
      );
      const id = created.body.id;
      assertValidation(
        await t.graph('PATCH', `${LOCATIONS}/${id}`, { displayName: 'no type' }),
        1007,
        /@odata.type/,
      );
      assertValidation(
        await t.graph('PATCH', `${LOCATIONS}/${id}`, { '@odata.type': COUNTRY, countriesAndRegions: ['US'] }),
        1007,
        /cannot change/,
      );
      assertValidation(
        await t.graph('PATCH', `${LOCATIONS}/${id}`, { '@odata.type': IP, ipRanges: [cidr('1.0.0.0/8')] }),
        1301,
      );
      const ok = await t.graph('PATCH', `${LOCATIONS}/${id}`, {
        '@odata.type': IP,
        ipRanges: [cidr('192.0.2.0/25'), cidr('198.51.100.0/24')],
      });
      assert.equal(ok.status, 204);
      const got = (await t.graph('GET', `${LOCATIONS}/${id}`)).body;
      assert.deepEqual(got.ipRanges, [cidr('192.0.2.0/25'), cidr('198.51.100.0/24')]);
      assert.equal(got.displayName, 'patch me');
      assert.equal(got.isTrusted, true);
      assert.equal(got.createdDateTime, created.body.createdDateTime);
      assert.ok(Date.parse(got.modifiedDateTime) >= Date.parse(created.body.modifiedDateTime));
      assert.equal(
        (await t.graph('PATCH', `${LOCATIONS}/${randomUUID()}`, { '@odata.type': IP, displayName: 'x' }))
          .status,
        404,
      );
    });
  });

  describe('DELETE', () => {
    it('refuses a trusted location until untrusted, then soft-deletes it; restore brings it back', async () => {
      const created = await t.graph('POST', LOCATIONS, ipLocation('trusted', undefined, { isTrusted: true }));
      const id = created.body.id;
      assertValidation(await t.graph('DELETE', `${LOCATIONS}/${id}`), 1305, /trusted/);
      assert.equal(
        (await t.graph('PATCH', `${LOCATIONS}/${id}`, { '@odata.type': IP, isTrusted: false })).status,
        204,
      );
      assert.equal((await t.graph('DELETE', `${LOCATIONS}/${id}`)).status, 204);
      assert.equal((await t.graph('GET', `${LOCATIONS}/${id}`)).status, 404);
      const deleted = await t.graph('GET', '/identity/conditionalAccess/deletedItems/namedLocations');
      assert.equal(deleted.status, 200);
      const item = deleted.body.value.find((d: Json) => d.id === id);
      assert.ok(item && Date.parse(item.deletedDateTime));
      assert.equal(item['@odata.type'], IP);
      assert.equal(
        (await t.graph('GET', `/identity/conditionalAccess/deletedItems/namedLocations/${id}`)).status,
        200,
      );
      const restored = await t.graph(
        'POST',
        `/identity/conditionalAccess/deletedItems/namedLocations/${id}/restore`,
      );
      assert.equal(restored.status, 200);
      assert.equal(restored.body.id, id);
      assert.equal(restored.body.deletedDateTime, undefined);
      assert.equal((await t.graph('GET', `${LOCATIONS}/${id}`)).status, 200);
      assert.equal((await t.graph('DELETE', `${LOCATIONS}/${id}`)).status, 204);
      assert.equal(
        (await t.graph('DELETE', `/identity/conditionalAccess/deletedItems/namedLocations/${id}`)).status,
        204,
      );
      assert.equal(
        (await t.graph('GET', `/identity/conditionalAccess/deletedItems/namedLocations/${id}`)).status,
        404,
      );
    });

    it('refuses a location a policy references', async () => {
      const created = await t.graph('POST', LOCATIONS, ipLocation('used'));
      const id = created.body.id;
      const policy = await t.graph('POST', '/identity/conditionalAccess/policies', {
        displayName: 'uses location',
        state: 'disabled',
        conditions: {
          applications: { includeApplications: ['None'] },
          users: { includeUsers: ['None'] },
          clientAppTypes: ['all'],
          locations: { includeLocations: ['All'], excludeLocations: [id.toUpperCase()] },
        },
        grantControls: { operator: 'OR', builtInControls: ['block'] },
      });
      assert.equal(policy.status, 201, JSON.stringify(policy.body));
      assertValidation(await t.graph('DELETE', `${LOCATIONS}/${id}`), 1306, /uses location/);
      assert.equal(
        (await t.graph('DELETE', `/identity/conditionalAccess/policies/${policy.body.id}`)).status,
        204,
      );
      assert.equal((await t.graph('DELETE', `${LOCATIONS}/${id}`)).status, 204);
    });

    it('answers 404, 405 and 403 like Graph', async () => {
      const missing = await t.graph('GET', `${LOCATIONS}/00000000-0000-0000-0000-000000000000`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'ResourceNotFound');
      assert.match(
        missing.body.error.message,
        /^NamedLocation with id 00000000-0000-0000-0000-000000000000 does not exist in the directory\.$/,
      );
      assert.equal((await t.graph('DELETE', `${LOCATIONS}/${randomUUID()}`)).status, 404);
      assert.equal((await t.graph('PUT', `${LOCATIONS}/${randomUUID()}`, ipLocation('x'))).status, 405);
      const reader = { app: 'reader' as const };
      assert.equal((await t.graph('GET', LOCATIONS, undefined, reader)).status, 200);
      assert.equal((await t.graph('POST', LOCATIONS, ipLocation('reader'), reader)).status, 403);
      const id = (await t.graph('POST', LOCATIONS, ipLocation('reader target'))).body.id;
      assert.equal(
        (await t.graph('PATCH', `${LOCATIONS}/${id}`, { '@odata.type': IP, displayName: 'r' }, reader))
          .status,
        403,
      );
      assert.equal((await t.graph('DELETE', `${LOCATIONS}/${id}`, undefined, reader)).status, 403);
    });
  });
});

describe('local tenant: named location queries and limits', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
  });
  after(() => t.close());

  async function batchCreate(bodies: Json[]): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < bodies.length; i += 20) {
      const requests = bodies.slice(i, i + 20).map((body, j) => ({
        id: String(j),
        method: 'POST',
        url: LOCATIONS,
        headers: { 'content-type': 'application/json' },
        body,
      }));
      const reply = await t.graph('POST', '/$batch', { requests });
      statuses.push(...reply.body.responses.map((r: { status: number }) => r.status));
    }
    return statuses;
  }

  it('caps IP locations at 195 (country locations do not count) and pages with $top and @odata.nextLink', async () => {
    const existingIp = (
      await t.graph('GET', `${LOCATIONS}?$filter=isof('microsoft.graph.ipNamedLocation')&$top=999`)
    ).body.value.length;
    const bodies = Array.from({ length: 195 - existingIp }, (_, i) =>
      ipLocation(`ip ${i}`, [cidr(`100.${Math.floor(i / 256)}.${i % 256}.0/24`)]),
    );
    assert.ok((await batchCreate(bodies)).every((s) => s === 201));
    assertValidation(await t.graph('POST', LOCATIONS, ipLocation('ip 196')), 1303, /195/);
    const country = await t.graph('POST', LOCATIONS, {
      '@odata.type': COUNTRY,
      displayName: 'Country',
      countriesAndRegions: ['CA'],
    });
    assert.equal(country.status, 201);

    const total = existingIp + bodies.length + 1;
    const seen: string[] = [];
    let next: string | undefined = `${LOCATIONS}?$top=50`;
    let pages = 0;
    while (next) {
      const reply = await t.graph('GET', next);
      assert.equal(reply.status, 200);
      assert.ok(reply.body.value.length <= 50);
      seen.push(...reply.body.value.map((l: Json) => l.id as string));
      const link = reply.body['@odata.nextLink'] as string | undefined;
      next = link ? link.slice(`${t.tenant.origin}/v1.0`.length) : undefined;
      if (link) assert.ok(link.startsWith(`${t.tenant.origin}/v1.0${LOCATIONS}?`));
      pages++;
    }
    assert.equal(pages, Math.ceil(total / 50));
    assert.equal(new Set(seen).size, total);
    const defaultPage = await t.graph('GET', LOCATIONS);
    assert.equal(defaultPage.body.value.length, 100);
    assert.ok(defaultPage.body['@odata.nextLink']);
  });

  it('filters with isof and any, selects and counts', async () => {
    await t.graph('POST', LOCATIONS, {
      '@odata.type': COUNTRY,
      displayName: 'Nordics',
      countriesAndRegions: ['NO', 'SE', 'FI'],
    });
    const countries = await t.graph(
      'GET',
      `${LOCATIONS}?$filter=isof('microsoft.graph.countryNamedLocation')`,
    );
    assert.equal(countries.status, 200);
    assert.ok(countries.body.value.length >= 2);
    assert.ok(countries.body.value.every((l: Json) => l['@odata.type'] === COUNTRY));
    const ips = await t.graph(
      'GET',
      `${LOCATIONS}?$filter=isof('microsoft.graph.ipNamedLocation')&$count=true&$top=5`,
    );
    assert.equal(ips.body['@odata.count'], 195);
    assert.equal(ips.body.value.length, 5);
    const canada = await t.graph(
      'GET',
      `${LOCATIONS}?$filter=microsoft.graph.countryNamedLocation/countriesAndRegions/any(c: c eq 'CA')`,
    );
    assert.deepEqual(
      canada.body.value.map((l: Json) => l.displayName),
      ['Country'],
    );
    const selected = await t.graph(
      'GET',
      `${LOCATIONS}?$filter=displayName eq 'Nordics'&$select=displayName`,
    );
    assert.deepEqual(selected.body.value, [{ '@odata.type': COUNTRY, displayName: 'Nordics' }]);
    const trusted = await t.graph(
      'GET',
      `${LOCATIONS}?$filter=microsoft.graph.ipNamedLocation/isTrusted eq true`,
    );
    assert.equal(trusted.body.value.length, 0);
  });
});
