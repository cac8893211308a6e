/**
 * The attributes each kind of filter may test, and how a sign-in supplies them: device filters read the
 * request's `deviceInfo` (§2.10), application and service principal filters read the service principal's custom
 * security attributes (§2.4, §2.5; only string values).
 */
import type { AttributeValue, FilterOperator, FilterSchema } from './filter-rule.ts';
import type { CustomSecurityAttributes, DeviceInfo } from './types.ts';

const ID_OPS: ReadonlySet<FilterOperator> = new Set(['eq', 'ne', 'in', 'notin']);
const STRING_OPS: ReadonlySet<FilterOperator> = new Set([
  'eq',
  'ne',
  'startswith',
  'notstartswith',
  'endswith',
  'notendswith',
  'contains',
  'notcontains',
  'in',
  'notin',
]);
const EQUALITY_OPS: ReadonlySet<FilterOperator> = new Set(['eq', 'ne']);
const COLLECTION_OPS: ReadonlySet<FilterOperator> = new Set(['contains', 'notcontains']);

const EXTENSION_ATTRIBUTES = Array.from({ length: 15 }, (_, i) => `extensionattribute${i + 1}`);

const DEVICE_ATTRIBUTES = new Map<string, ReadonlySet<FilterOperator>>([
  ['deviceid', ID_OPS],
  ['mdmappid', ID_OPS],
  ...[
    'displayname',
    'enrollmentprofilename',
    'manufacturer',
    'model',
    'operatingsystem',
    'operatingsystemversion',
    ...EXTENSION_ATTRIBUTES,
  ].map((name): [string, ReadonlySet<FilterOperator>] => [name, STRING_OPS]),
  ...['deviceownership', 'iscompliant', 'profiletype', 'trusttype'].map(
    (name): [string, ReadonlySet<FilterOperator>] => [name, EQUALITY_OPS],
  ),
  ['physicalids', COLLECTION_OPS],
  ['systemlabels', COLLECTION_OPS],
]);

export const DEVICE_FILTER_SCHEMA: FilterSchema = { prefix: 'device', attributes: DEVICE_ATTRIBUTES };

export const ATTRIBUTE_FILTER_SCHEMA: FilterSchema = {
  prefix: 'customsecurityattribute',
  anyAttributeOperators: STRING_OPS,
};

/**
 * `deviceInfo` property names besides the rule's own, by lower-case rule attribute: the rule says
 * `deviceOwnership`, Graph's `deviceInfo` says `ownership`; either is read (§2.10 "the same attribute names").
 */
const DEVICE_INFO_ALIASES: Record<string, string> = { deviceownership: 'ownership' };

function toAttributeValue(value: unknown): AttributeValue {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return null;
}

function findKey(record: Readonly<Record<string, unknown>>, lowerName: string): unknown {
  const key = Object.keys(record).find((k) => k.toLowerCase() === lowerName);
  return key === undefined ? undefined : record[key];
}

function readDevice(device: DeviceInfo, attribute: string): AttributeValue {
  const own = toAttributeValue(findKey(device, attribute));
  const alias = DEVICE_INFO_ALIASES[attribute];
  return own === null && alias !== undefined ? toAttributeValue(findKey(device, alias)) : own;
}

/** Extension attributes exist only on Intune-managed, compliant or hybrid-joined devices (§2.10). */
function hasExtensionAttributes(device: DeviceInfo): boolean {
  const is = (attribute: string, value: string): boolean =>
    String(readDevice(device, attribute)).toLowerCase() === value;
  const mdmAppId = readDevice(device, 'mdmappid');
  const managed = typeof mdmAppId === 'string' && mdmAppId !== '';
  return is('iscompliant', 'true') || is('trusttype', 'serverad') || managed;
}

/** Attribute lookup over `deviceInfo`; `undefined` device = unregistered, every attribute null. */
export function deviceAttributes(device: DeviceInfo | undefined): (attribute: string) => AttributeValue {
  return (attribute) => {
    if (!device) return null;
    if (attribute.startsWith('extensionattribute') && !hasExtensionAttributes(device)) return null;
    return readDevice(device, attribute);
  };
}

/** Attribute lookup over custom security attributes: `<Set>_<Attr>` (the set name has no underscore). */
export function securityAttributes(
  attributes: CustomSecurityAttributes | undefined,
): (attribute: string) => AttributeValue {
  return (attribute) => {
    const split = attribute.indexOf('_');
    if (!attributes || split < 0) return null;
    const set = findKey(attributes, attribute.slice(0, split));
    if (typeof set !== 'object' || set === null) return null;
    return toAttributeValue(findKey(set as Readonly<Record<string, unknown>>, attribute.slice(split + 1)));
  };
}
