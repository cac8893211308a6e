/**
 * IPv4 / IPv6 addresses as integers, and the range forms of `ipNamedLocation` (CIDR and lower/upper bounds).
 * IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are compared as IPv4.
 */

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface IpRange {
  family: 4 | 6;
  lower: bigint;
  upper: bigint;
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseHextets(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  const groups = text.split(':');
  for (const [i, group] of groups.entries()) {
    if (i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-f]{1,4}$/i.test(group)) {
      out.push(parseInt(group, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseHextets(halves[0]!);
  const tail = halves.length === 2 ? parseHextets(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const hextets = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return hextets.reduce((acc, h) => (acc << 16n) | BigInt(h), 0n);
}

export function parseIpAddress(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseIpv6(trimmed);
    if (value === undefined) return undefined;
    const isMapped = value >> 32n === 0xffffn;
    return isMapped ? { family: 4, value: value - V4_MAPPED_PREFIX } : { family: 6, value };
  }
  const value = parseIpv4(trimmed);
  return value === undefined ? undefined : { family: 4, value };
}

export function parseCidr(text: string): IpRange | undefined {
  const [address, prefixText] = text.trim().split('/');
  const parsed = address === undefined ? undefined : parseIpAddress(address);
  if (!parsed || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const bits = parsed.family === 4 ? 32n : 128n;
  const prefix = BigInt(Number(prefixText));
  if (prefix > bits) return undefined;
  const hostMask = (1n << (bits - prefix)) - 1n;
  const lower = parsed.value & ~hostMask;
  return { family: parsed.family, lower, upper: lower | hostMask };
}

export function parseBounds(lowerText: string, upperText: string): IpRange | undefined {
  const lower = parseIpAddress(lowerText);
  const upper = parseIpAddress(upperText);
  if (!lower || !upper || lower.family !== upper.family) return undefined;
  return { family: lower.family, lower: lower.value, upper: upper.value };
}

export function isInRange(address: IpAddress, range: IpRange): boolean {
  return address.family === range.family && address.value >= range.lower && address.value <= range.upper;
}
