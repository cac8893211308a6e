/**
 * The representative sign-ins the lockout guard tries: each application the policies name plus the ones every
 * tenant depends on (any app under All, Office 365, Windows Azure Service Management API, the admin portals), each
 * client type, each platform, from a trusted and an untrusted location. Pure.
 */
import type { GraphBody } from '../core/graph-port.ts';
import { applicationsOf } from '../lint/policy-view.ts';
import { AZURE_MANAGEMENT_APP_ID } from '../whatif/well-known-apps.ts';
import type { SignInConditions } from '../whatif/types.ts';

export interface TargetApp {
  appId: string;
  label: string;
}

export const AZURE_PORTAL_APP_ID = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';
const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
const OFFICE_PORTAL_APP_ID = '00000006-0000-0ff1-ce00-000000000000';
/** TEST-NET-2: an address no named location of a real tenant should hold. */
export const UNTRUSTED_IP = '198.51.100.23';

/** The admin portals: an administrator must still reach at least one of these. */
export const ADMIN_PORTAL_APPS: readonly TargetApp[] = [
  { appId: AZURE_PORTAL_APP_ID, label: 'Azure portal' },
  { appId: AZURE_MANAGEMENT_APP_ID, label: 'Windows Azure Service Management API' },
  { appId: OFFICE_PORTAL_APP_ID, label: 'Microsoft 365 admin portal' },
];

const BASE_APPS: readonly TargetApp[] = [
  { appId: MICROSOFT_GRAPH_APP_ID, label: 'Microsoft Graph (any application)' },
  { appId: EXCHANGE_ONLINE_APP_ID, label: 'Office 365 Exchange Online' },
  ...ADMIN_PORTAL_APPS,
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every concrete application the (non-disabled) policies include, after the base ones. */
export function targetApps(
  policies: readonly GraphBody[],
  names: ReadonlyMap<string, string> = new Map(),
): TargetApp[] {
  const out = [...BASE_APPS];
  const seen = new Set(out.map((a) => a.appId.toLowerCase()));
  for (const policy of policies) {
    if (policy.state === 'disabled') continue;
    for (const appId of applicationsOf(policy).includeApplications) {
      if (!GUID.test(appId) || seen.has(appId.toLowerCase())) continue;
      seen.add(appId.toLowerCase());
      out.push({ appId, label: names.get(appId.toLowerCase()) ?? appId });
    }
  }
  return out;
}

export const CLIENT_APP_TYPES = [
  'browser',
  'mobileAppsAndDesktopClients',
  'exchangeActiveSync',
  'other',
] as const;
export const PLATFORMS = ['windows', 'macOS', 'iOS', 'android', 'linux'] as const;

export interface Context {
  label: string;
  conditions: SignInConditions;
}

/** An address inside the first trusted IPv4 named location, if there is one. */
export function trustedIp(namedLocations: readonly GraphBody[]): string | undefined {
  for (const location of namedLocations) {
    if (location.isTrusted !== true || !Array.isArray(location.ipRanges)) continue;
    for (const range of location.ipRanges as GraphBody[]) {
      const cidr = String(range.cidrAddress ?? '');
      if (/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr)) return cidr.split('/')[0];
    }
  }
  return undefined;
}

export function signInContexts(namedLocations: readonly GraphBody[]): Context[] {
  const trusted = trustedIp(namedLocations);
  const locations = [
    ...(trusted ? [{ label: 'a trusted location', ipAddress: trusted }] : []),
    { label: 'an untrusted location', ipAddress: UNTRUSTED_IP },
  ];
  const out: Context[] = [];
  for (const clientAppType of CLIENT_APP_TYPES) {
    for (const devicePlatform of PLATFORMS) {
      for (const location of locations) {
        out.push({
          label: `${clientAppType} on ${devicePlatform} from ${location.label}`,
          conditions: { clientAppType, devicePlatform, ipAddress: location.ipAddress },
        });
      }
    }
  }
  return out;
}
