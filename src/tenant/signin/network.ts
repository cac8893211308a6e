/**
 * What a sign-in's request says about where and on what it happens: the address Conditional Access sees (loopback
 * mapped to the tenant's configured address), its country from the tenant's table, and the device platform from the
 * User-Agent (as Entra reads it).
 */
import type { IncomingMessage } from 'node:http';
import { isInRange, parseCidr, parseIpAddress } from '../../whatif/ip-address.ts';
import type { SignInSettings } from './settings.ts';

export interface SignInNetwork {
  /** The address the sign-in is evaluated and logged with. */
  ipAddress: string;
  /** ISO 3166 alpha-2, when the table knows the address. */
  country: string | undefined;
  /** The address the request really came from (loopback in local use). */
  peerAddress: string;
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export function countryOf(address: string, settings: SignInSettings): string | undefined {
  const ip = parseIpAddress(address);
  if (!ip) return undefined;
  for (const entry of settings.addressCountries) {
    const range = parseCidr(
      entry.range.includes('/') ? entry.range : `${entry.range}/${ip.family === 4 ? 32 : 128}`,
    );
    if (range && isInRange(ip, range)) return entry.country;
  }
  return undefined;
}

export function networkOf(req: IncomingMessage, settings: SignInSettings): SignInNetwork {
  const peer = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const ipAddress = isLoopback(peer) ? settings.loopbackAddress : peer;
  return { ipAddress, country: countryOf(ipAddress, settings), peerAddress: peer };
}

export interface ClientDevice {
  /** `conditionalAccessDevicePlatform`, or undefined when the User-Agent names none Entra knows. */
  platform: string | undefined;
  /** For the sign-in log's deviceDetail. */
  operatingSystem: string;
  browser: string;
}

const PLATFORMS: readonly [RegExp, string, string][] = [
  [/Windows Phone/i, 'windowsPhone', 'Windows Phone'],
  [/iPhone|iPad|iPod/i, 'iOS', 'iOS'],
  [/Android/i, 'android', 'Android'],
  [/Windows NT/i, 'windows', 'Windows'],
  [/Mac OS X|Macintosh/i, 'macOS', 'MacOs'],
  [/Linux|X11|CrOS/i, 'linux', 'Linux'],
];

const BROWSERS: readonly [RegExp, string][] = [
  [/Edg\/(\d+)/, 'Edge'],
  [/HeadlessChrome\/(\d+)/, 'Chrome'],
  [/Chrome\/(\d+)/, 'Chrome'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/Version\/(\d+).*Safari/, 'Safari'],
];

export function deviceOf(userAgent: string | undefined): ClientDevice {
  const ua = userAgent ?? '';
  const platform = PLATFORMS.find(([re]) => re.test(ua));
  let browser = 'Unknown';
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua);
    if (m) {
      browser = `${name} ${m[1]}`;
      break;
    }
  }
  return { platform: platform?.[1], operatingSystem: platform?.[2] ?? 'Unknown', browser };
}
