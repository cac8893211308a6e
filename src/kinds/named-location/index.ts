/**
 * `NamedLocation`: one Graph `ipNamedLocation` or `countryNamedLocation` (graph-contract §3). IP ranges may be
 * written as plain CIDR strings; the canonical state always holds Graph's `ipRange` objects.
 */
import type { GraphBody, GraphPort } from '../../core/graph-port.ts';
import type { DesiredObject, KindModule, LiveObject } from '../../core/kind.ts';
import type { Manifest } from '../../core/manifest.ts';
import { canonicalize, isRecord } from '../common/canonical.ts';
import { namedLocationSpecSchema } from './schema.ts';
import { desiredFromManifest } from '../common/desired.ts';

const KIND = 'NamedLocation';
const COLLECTION = '/identity/conditionalAccess/namedLocations';
export const IP_LOCATION_TYPE = '#microsoft.graph.ipNamedLocation';
export const COUNTRY_LOCATION_TYPE = '#microsoft.graph.countryNamedLocation';
const IPV4_CIDR = '#microsoft.graph.iPv4CidrRange';
const IPV6_CIDR = '#microsoft.graph.iPv6CidrRange';
const CIDR_TYPES = [IPV4_CIDR, IPV6_CIDR];
const RANGE_TYPES = [...CIDR_TYPES, '#microsoft.graph.iPv4Range', '#microsoft.graph.iPv6Range'];
const DEFAULT_LOOKUP_METHOD = 'clientIpAddress';

/** `#microsoft.graph.X` in Graph's spelling, whatever case or leading `#` it was written with. */
function findType(value: unknown, types: readonly string[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  const wanted = value.replace(/^#?/, '#').toLowerCase();
  return types.find((t) => t.toLowerCase() === wanted);
}

/** Addresses compare case-insensitively (IPv6 hex digits); Graph's own spelling is lower case. */
function normaliseAddress(value: unknown): string {
  return String(value).trim().toLowerCase();
}

/** A range as Graph's `ipRange` object: a CIDR string becomes `iPv4CidrRange` or `iPv6CidrRange`. */
export function toGraphRange(range: unknown): GraphBody {
  if (typeof range === 'string') {
    const cidrAddress = normaliseAddress(range);
    return { '@odata.type': cidrAddress.includes(':') ? IPV6_CIDR : IPV4_CIDR, cidrAddress };
  }
  const body = isRecord(range) ? range : {};
  const type = findType(body['@odata.type'], RANGE_TYPES) ?? String(body['@odata.type']);
  if (CIDR_TYPES.includes(type))
    return { '@odata.type': type, cidrAddress: normaliseAddress(body.cidrAddress) };
  return {
    '@odata.type': type,
    lowerAddress: normaliseAddress(body.lowerAddress),
    upperAddress: normaliseAddress(body.upperAddress),
  };
}

/** The derived type: as given, else implied by the shape (countries → country location). */
function locationTypeOf(body: GraphBody): string {
  const given = findType(body['@odata.type'], [IP_LOCATION_TYPE, COUNTRY_LOCATION_TYPE]);
  if (given) return given;
  return body.countriesAndRegions !== undefined ? COUNTRY_LOCATION_TYPE : IP_LOCATION_TYPE;
}

/** Graph's state of a location (defaults filled, ranges as objects, countries upper-cased), canonicalized. */
export function canonicalNamedLocation(body: GraphBody): GraphBody {
  const type = locationTypeOf(body);
  if (type === IP_LOCATION_TYPE) {
    const ranges = Array.isArray(body.ipRanges) ? body.ipRanges : [];
    return canonicalize({
      '@odata.type': type,
      displayName: body.displayName,
      ipRanges: ranges.map(toGraphRange),
      isTrusted: body.isTrusted ?? false,
    });
  }
  const countries = Array.isArray(body.countriesAndRegions) ? body.countriesAndRegions : [];
  return canonicalize({
    '@odata.type': type,
    displayName: body.displayName,
    countriesAndRegions: [...new Set(countries.map((c) => String(c).trim().toUpperCase()))],
    includeUnknownCountriesAndRegions: body.includeUnknownCountriesAndRegions ?? false,
    countryLookupMethod: body.countryLookupMethod ?? DEFAULT_LOOKUP_METHOD,
  });
}

function toLive(body: GraphBody): LiveObject {
  return {
    kind: KIND,
    id: String(body.id),
    displayName: String(body.displayName ?? ''),
    state: canonicalNamedLocation(body),
  };
}

/** CIDR ranges back to plain strings, defaults dropped: the spec a person would write. */
function exportSpec(live: LiveObject): GraphBody {
  const state = live.state;
  if (state['@odata.type'] === IP_LOCATION_TYPE) {
    const ranges = Array.isArray(state.ipRanges) ? state.ipRanges : [];
    const spec: GraphBody = {
      displayName: state.displayName,
      ipRanges: ranges.map((r) =>
        isRecord(r) && CIDR_TYPES.includes(String(r['@odata.type'])) ? r.cidrAddress : r,
      ),
    };
    if (state.isTrusted === true) spec.isTrusted = true;
    return spec;
  }
  const spec: GraphBody = { displayName: state.displayName, countriesAndRegions: state.countriesAndRegions };
  if (state.includeUnknownCountriesAndRegions === true) spec.includeUnknownCountriesAndRegions = true;
  if (state.countryLookupMethod !== DEFAULT_LOOKUP_METHOD)
    spec.countryLookupMethod = state.countryLookupMethod;
  return spec;
}

export const namedLocationKind: KindModule = {
  kind: KIND,
  description: 'A named location for Conditional Access: IP ranges or countries (Graph namedLocation).',
  specSchema: namedLocationSpecSchema,
  dependsOn: [],
  lifecycle: 'full',
  references: () => [],
  expand(manifest: Manifest): DesiredObject[] {
    return [desiredFromManifest(KIND, manifest, canonicalNamedLocation(manifest.spec))];
  },
  async read(port: GraphPort): Promise<LiveObject[]> {
    return (await port.list(COLLECTION)).map(toLive);
  },
  async create(port: GraphPort, desired: DesiredObject): Promise<string> {
    const created = await port.post(COLLECTION, desired.state);
    return String(created.id);
  },
  async update(port: GraphPort, id: string, desired: DesiredObject): Promise<void> {
    // The state carries `@odata.type`, which Graph requires on PATCH; a change of type is refused by Graph.
    await port.patch(`${COLLECTION}/${id}`, desired.state);
  },
  async delete(port: GraphPort, id: string): Promise<void> {
    // Graph refuses to delete a trusted location: untrust it first.
    const current = await port.get(`${COLLECTION}/${id}`);
    if (current === undefined) return;
    if (current.isTrusted === true) {
      await port.patch(`${COLLECTION}/${id}`, { '@odata.type': IP_LOCATION_TYPE, isTrusted: false });
    }
    await port.delete(`${COLLECTION}/${id}`);
  },
  exportSpec,
};
