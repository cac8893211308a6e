/**
 * Named locations (graph-contract §3): the polymorphic `ipNamedLocation` / `countryNamedLocation` shapes, ip
 * range validation (addresses, CIDR prefix longer than /8, at most 2000 ranges), ISO 3166 country codes and
 * the defaults a created location carries.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { validationError } from '../errors.ts';
import { ISO_COUNTRY_CODES } from '../../model/countries.ts';
import {
  isRecord,
  type Json,
  normaliseObject,
  type ObjectSchema,
  schemaError,
} from '../../model/json-shape.ts';

export const IP_LOCATION_TYPE = '#microsoft.graph.ipNamedLocation';
export const COUNTRY_LOCATION_TYPE = '#microsoft.graph.countryNamedLocation';
export const MAX_IP_RANGES = 2000;
export const MAX_IP_LOCATIONS = 195;
export const MIN_PREFIX_EXCLUSIVE = 8;

export const LOCATION_CODES = {
  type: 1007,
  range: 1301,
  tooManyRanges: 1302,
  limit: 1303,
  country: 1304,
  trusted: 1305,
  inUse: 1306,
  displayName: 1307,
} as const;

const RANGE_TYPES = {
  '#microsoft.graph.ipv4cidrrange': { type: '#microsoft.graph.iPv4CidrRange', family: 'ipv4', cidr: true },
  '#microsoft.graph.ipv6cidrrange': { type: '#microsoft.graph.iPv6CidrRange', family: 'ipv6', cidr: true },
  '#microsoft.graph.ipv4range': { type: '#microsoft.graph.iPv4Range', family: 'ipv4', cidr: false },
  '#microsoft.graph.ipv6range': { type: '#microsoft.graph.iPv6Range', family: 'ipv6', cidr: false },
} as const;

type RangeKind = (typeof RANGE_TYPES)[keyof typeof RANGE_TYPES];

function isFamily(address: string, family: 'ipv4' | 'ipv6'): boolean {
  return family === 'ipv4' ? isIPv4(address) : isIPv6(address);
}

function rangeError(path: string, detail: string): Error {
  return validationError(LOCATION_CODES.range, `Invalid IP range at '${path}': ${detail}`);
}

function normaliseCidr(kind: RangeKind, raw: Json, path: string): Json {
  const out = normaliseObject(
    {
      name: kind.type.slice(17),
      odataType: kind.type,
      emitType: true,
      fields: { cidrAddress: { kind: 'string', nullable: false, required: true, maxLength: 100 } },
    },
    raw,
    path,
  );
  const cidr = String(out.cidrAddress).trim();
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  const max = kind.family === 'ipv4' ? 32 : 128;
  if (!match || !isFamily(match[1]!, kind.family) || Number(match[2]) > max) {
    throw rangeError(
      path,
      `'${cidr.slice(0, 100)}' is not a valid ${kind.family === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR address.`,
    );
  }
  if (Number(match[2]) <= MIN_PREFIX_EXCLUSIVE) {
    throw rangeError(path, `the prefix of '${cidr}' must be longer than /${MIN_PREFIX_EXCLUSIVE}.`);
  }
  out.cidrAddress = cidr;
  return out;
}

function normaliseBounds(kind: RangeKind, raw: Json, path: string): Json {
  const address = { kind: 'string', nullable: false, required: true, maxLength: 100 } as const;
  const out = normaliseObject(
    {
      name: kind.type.slice(17),
      odataType: kind.type,
      emitType: true,
      fields: { lowerAddress: address, upperAddress: address },
    },
    raw,
    path,
  );
  const lower = String(out.lowerAddress).trim();
  const upper = String(out.upperAddress).trim();
  if (!isFamily(lower, kind.family) || !isFamily(upper, kind.family)) {
    throw rangeError(
      path,
      `'${lower.slice(0, 100)}'-'${upper.slice(0, 100)}' are not valid ${kind.family} addresses.`,
    );
  }
  try {
    new BlockList().addRange(lower, upper, kind.family);
  } catch {
    throw rangeError(path, `the lower address '${lower}' is above the upper address '${upper}'.`);
  }
  return { ...out, lowerAddress: lower, upperAddress: upper };
}

function normaliseRange(raw: unknown, path: string): Json {
  if (!isRecord(raw)) throw schemaError(path, 'expected an ipRange object.');
  const type = raw['@odata.type'];
  if (typeof type !== 'string')
    throw schemaError(`${path}.@odata.type`, 'each ip range needs its derived @odata.type.');
  const kind = RANGE_TYPES[type.replace(/^#?/, '#').toLowerCase() as keyof typeof RANGE_TYPES];
  if (!kind) throw schemaError(`${path}.@odata.type`, `'${type.slice(0, 100)}' is not an ipRange type.`);
  return kind.cidr ? normaliseCidr(kind, raw, path) : normaliseBounds(kind, raw, path);
}

function normaliseRanges(value: unknown, path: string): Json[] {
  if (!Array.isArray(value)) throw schemaError(path, 'expected an array of ip ranges.');
  if (value.length === 0)
    throw validationError(LOCATION_CODES.range, `'${path}' needs at least one IP range.`);
  if (value.length > MAX_IP_RANGES) {
    throw validationError(
      LOCATION_CODES.tooManyRanges,
      `'${path}' has ${value.length} ranges; an IP named location holds at most ${MAX_IP_RANGES}.`,
    );
  }
  return value.map((r, i) => normaliseRange(r, `${path}[${i}]`));
}

function normaliseCountries(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) throw schemaError(path, 'expected an array of ISO 3166 country codes.');
  const out = value.map((c, i) => {
    const code = typeof c === 'string' ? c.trim().toUpperCase() : '';
    if (!ISO_COUNTRY_CODES.has(code)) {
      throw validationError(
        LOCATION_CODES.country,
        `'${path}[${i}]' is not an ISO 3166-1 alpha-2 country code: ${JSON.stringify(c)?.slice(0, 100)}`,
      );
    }
    return code;
  });
  return [...new Set(out)];
}

const BASE_FIELDS = {
  id: { kind: 'readOnly' },
  displayName: { kind: 'string', nullable: false, required: true, maxLength: 256 },
  createdDateTime: { kind: 'readOnly' },
  modifiedDateTime: { kind: 'readOnly' },
  deletedDateTime: { kind: 'readOnly' },
} as const;

const IP_LOCATION: ObjectSchema = {
  name: 'ipNamedLocation',
  odataType: IP_LOCATION_TYPE,
  emitType: true,
  fields: {
    ...BASE_FIELDS,
    ipRanges: { kind: 'custom', normalise: normaliseRanges, absent: undefined },
    isTrusted: { kind: 'boolean', nullable: false, default: false },
  },
};

const COUNTRY_LOCATION: ObjectSchema = {
  name: 'countryNamedLocation',
  odataType: COUNTRY_LOCATION_TYPE,
  emitType: true,
  fields: {
    ...BASE_FIELDS,
    countriesAndRegions: { kind: 'custom', normalise: normaliseCountries, absent: undefined },
    includeUnknownCountriesAndRegions: { kind: 'boolean', nullable: false, default: false },
    countryLookupMethod: {
      kind: 'enum',
      members: ['clientIpAddress', 'authenticatorAppGps', 'unknownFutureValue'],
      nullable: false,
      default: 'clientIpAddress',
    },
  },
};

/** The canonical derived type of a body, or a 400 when it has none. */
export function locationType(body: unknown): typeof IP_LOCATION_TYPE | typeof COUNTRY_LOCATION_TYPE {
  if (!isRecord(body)) throw schemaError('namedLocation', 'the request body must be a namedLocation object.');
  const type = body['@odata.type'];
  const lower = typeof type === 'string' ? type.replace(/^#?/, '#').toLowerCase() : '';
  if (lower === IP_LOCATION_TYPE.toLowerCase()) return IP_LOCATION_TYPE;
  if (lower === COUNTRY_LOCATION_TYPE.toLowerCase()) return COUNTRY_LOCATION_TYPE;
  throw validationError(
    LOCATION_CODES.type,
    `'namedLocation.@odata.type' must be '${IP_LOCATION_TYPE}' or '${COUNTRY_LOCATION_TYPE}'.`,
  );
}

/** Canonical content of a named location (with `@odata.type`, without id and dates). */
export function shapeNamedLocation(body: unknown): Json {
  const type = locationType(body);
  const schema = type === IP_LOCATION_TYPE ? IP_LOCATION : COUNTRY_LOCATION;
  const out = normaliseObject(schema, body, 'namedLocation');
  if (String(out.displayName).trim() === '') {
    throw validationError(LOCATION_CODES.displayName, "'namedLocation.displayName' cannot be empty.");
  }
  const collection = type === IP_LOCATION_TYPE ? 'ipRanges' : 'countriesAndRegions';
  if (out[collection] === undefined)
    throw schemaError(`namedLocation.${collection}`, 'the property is required.');
  return out;
}
