/**
 * `spec` of a NamedLocation (graph-contract §3): either an IP location (`ipRanges`, `isTrusted`) or a country
 * location (`countriesAndRegions`, …). `@odata.type` may be given (as pasted from Graph) but is implied by the shape.
 * IP ranges may be plain CIDR strings or Graph `ipRange` objects.
 */
import type { JsonSchema } from '../../core/kind.ts';
import { arrayOf, booleanSchema, enumSchema, patternSchema } from '../shared-schemas.ts';

const IP_LOCATION_TYPE = '#microsoft.graph.ipNamedLocation';
const COUNTRY_LOCATION_TYPE = '#microsoft.graph.countryNamedLocation';
const CIDR_TYPES = ['#microsoft.graph.iPv4CidrRange', '#microsoft.graph.iPv6CidrRange'];
const RANGE_TYPES = ['#microsoft.graph.iPv4Range', '#microsoft.graph.iPv6Range'];

const CIDR_PATTERN = '^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)/[0-9]{1,3}$';
const ADDRESS_PATTERN = '^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$';

const cidrString = patternSchema(
  CIDR_PATTERN,
  "must be an IPv4 or IPv6 range in CIDR notation, e.g. '203.0.113.0/24'",
  "A CIDR range such as '203.0.113.0/24'.",
);

const addressString = patternSchema(ADDRESS_PATTERN, 'must be an IPv4 or IPv6 address');

/** A Graph `ipRange` object: CIDR types carry `cidrAddress`, range types `lowerAddress` and `upperAddress`. */
const ipRangeObject: JsonSchema = {
  type: 'object',
  description: 'A Graph ipRange object with its @odata.type.',
  properties: {
    '@odata.type': enumSchema([...CIDR_TYPES, ...RANGE_TYPES]),
    cidrAddress: cidrString,
    lowerAddress: addressString,
    upperAddress: addressString,
  },
  required: ['@odata.type'],
  additionalProperties: false,
  oneOf: [
    {
      title: 'a CIDR range (iPv4CidrRange or iPv6CidrRange with cidrAddress)',
      properties: { '@odata.type': { enum: CIDR_TYPES } },
      required: ['cidrAddress'],
      not: { anyOf: [{ required: ['lowerAddress'] }, { required: ['upperAddress'] }] },
    },
    {
      title: 'an address range (iPv4Range or iPv6Range with lowerAddress and upperAddress)',
      properties: { '@odata.type': { enum: RANGE_TYPES } },
      required: ['lowerAddress', 'upperAddress'],
      not: { required: ['cidrAddress'] },
    },
  ],
};

const ipRangeSchema: JsonSchema = {
  description: "A CIDR string ('10.0.0.0/16') or a Graph ipRange object.",
  oneOf: [
    { title: 'a CIDR string', ...cidrString },
    { title: 'a Graph ipRange object', ...ipRangeObject },
  ],
};

export const namedLocationSpecSchema: JsonSchema = {
  type: 'object',
  description:
    'A named location: an IP location (ipRanges, isTrusted) or a country location (countriesAndRegions, includeUnknownCountriesAndRegions, countryLookupMethod).',
  properties: {
    '@odata.type': enumSchema(
      [IP_LOCATION_TYPE, COUNTRY_LOCATION_TYPE],
      'Optional; implied by ipRanges or countriesAndRegions.',
    ),
    displayName: { type: 'string', minLength: 1, description: 'The location name.' },
    ipRanges: arrayOf(ipRangeSchema, 'IP ranges (up to 2000).', { min: 1, max: 2000 }),
    isTrusted: booleanSchema('Whether this IP location is trusted (`AllTrusted`).'),
    countriesAndRegions: arrayOf(
      patternSchema('^[A-Z]{2}$', 'must be an ISO 3166 alpha-2 code in upper case, e.g. NL'),
      'ISO 3166 alpha-2 country or region codes.',
      { min: 1 },
    ),
    includeUnknownCountriesAndRegions: booleanSchema('Whether unknown countries and regions are included.'),
    countryLookupMethod: enumSchema(
      ['clientIpAddress', 'authenticatorAppGps'],
      'How the country is found (default clientIpAddress).',
    ),
  },
  required: ['displayName'],
  additionalProperties: false,
  oneOf: [
    {
      title: 'an IP location (ipRanges, isTrusted)',
      properties: { '@odata.type': { enum: [IP_LOCATION_TYPE] } },
      required: ['ipRanges'],
      not: {
        anyOf: [
          { required: ['countriesAndRegions'] },
          { required: ['includeUnknownCountriesAndRegions'] },
          { required: ['countryLookupMethod'] },
        ],
      },
    },
    {
      title:
        'a country location (countriesAndRegions, includeUnknownCountriesAndRegions, countryLookupMethod)',
      properties: { '@odata.type': { enum: [COUNTRY_LOCATION_TYPE] } },
      required: ['countriesAndRegions'],
      not: { anyOf: [{ required: ['ipRanges'] }, { required: ['isTrusted'] }] },
    },
  ],
};
