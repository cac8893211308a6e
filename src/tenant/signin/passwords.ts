/**
 * Passwords of the local tenant's users, stored as scrypt hashes (`scrypt$N$r$p$salt$hash`, node:crypto), never in
 * plain text. Seeds set the same documented demo password on many users: their hash is computed once per process
 * (one shared salt; the demo password's is precomputed), so seeding stays fast; a password set through Graph gets its
 * own salt.
 */
import { randomBytes, scrypt as scryptCallback, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;

function encode(salt: Buffer, hash: Buffer): string {
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return encode(salt, scryptSync(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAX_MEM }));
}

/**
 * The documented demo password's hash, computed once and kept here: one scrypt costs about a tenth of a second, which
 * would otherwise be spent on every start with a fresh data directory.
 */
const seedHashes = new Map<string, string>([
  ['Passw0rd!', 'scrypt$16384$8$1$SlXLIwPhACAMiJIepr1xww$TNjdxMj2BvpEBmIAT_inklb0g0Lb1TMxMWcU9Oyqmd8'],
]);

/** The hash of a password given in a seed; the same password hashes once per process. */
export function hashSeedPassword(password: string): string {
  let hash = seedHashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    seedHashes.set(password, hash);
  }
  return hash;
}

/** Whether `password` matches `stored`; a malformed or missing hash never matches. */
export async function verifyPassword(password: string, stored: unknown): Promise<boolean> {
  if (typeof stored !== 'string') return false;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0) || n > 1 << 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  const actual = await scrypt(password, salt, expected.length, { N: n, r, p, maxmem: MAX_MEM });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
