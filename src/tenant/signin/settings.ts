/**
 * Per-tenant sign-in settings (docs/sign-in.md): which address a loopback sign-in is treated as coming from, and the
 * address → country table Conditional Access locations are evaluated with. Stored with the tenant; a seed's
 * `signIn` section replaces the defaults.
 */
import type { SeedApplication, SeedSignInSettings } from '../seed/seed-types.ts';
import type { Doc, Store } from '../store.ts';

export const SIGN_IN_SETTINGS = 'signInSettings';
const SETTINGS_ID = 'signIn';

/** The sample client app every hosted tenant has (docs/sign-in.md). */
export const DEMO_APP_ID = 'a5d0c9e1-7b3f-4c2a-9e8d-61f4b2c7d0a3';
export const DEMO_APP_NAME = 'accord demo app';
export const DEMO_APP_PATH = '_accord/demo-app';

export function demoAppApplication(): SeedApplication {
  return {
    appId: DEMO_APP_ID,
    displayName: DEMO_APP_NAME,
    servicePrincipalType: 'Application',
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    // The callback, and the app's home page for the return after sign-out: under the tenant, and on the app's
    // own origin (`accord tenant serve --demo-app`). Loopback redirect URIs match on any port.
    redirectUris: [`/{tenantId}/${DEMO_APP_PATH}/`, '/'].flatMap((root) =>
      ['http://localhost', 'http://127.0.0.1', 'https://localhost'].flatMap((host) => [
        `${host}${root}callback`,
        `${host}${root}`,
      ]),
    ),
    publicClient: true,
  };
}

export interface SignInSettings {
  loopbackAddress: string;
  addressCountries: { range: string; country: string }[];
}

/** 198.51.100.0/24 and 203.0.113.0/24 are documentation ranges (RFC 5737): never anyone's real address. */
export const DEFAULT_SIGN_IN_SETTINGS: SignInSettings = {
  loopbackAddress: '198.51.100.23',
  addressCountries: [
    { range: '203.0.113.0/24', country: 'US' },
    { range: '198.51.100.0/24', country: 'NL' },
    { range: '192.0.2.0/24', country: 'GB' },
  ],
};

export function saveSignInSettings(
  store: Store,
  tenantId: string,
  seed: SeedSignInSettings | undefined,
): void {
  const settings: SignInSettings = {
    loopbackAddress: seed?.loopbackAddress ?? DEFAULT_SIGN_IN_SETTINGS.loopbackAddress,
    addressCountries: seed?.addressCountries ?? DEFAULT_SIGN_IN_SETTINGS.addressCountries,
  };
  store.put(tenantId, SIGN_IN_SETTINGS, { id: SETTINGS_ID, ...settings } as Doc);
}

export function loadSignInSettings(store: Store, tenantId: string): SignInSettings {
  const doc = store.get(tenantId, SIGN_IN_SETTINGS, SETTINGS_ID);
  if (!doc) return DEFAULT_SIGN_IN_SETTINGS;
  return {
    loopbackAddress: String(doc.loopbackAddress ?? DEFAULT_SIGN_IN_SETTINGS.loopbackAddress),
    addressCountries: Array.isArray(doc.addressCountries)
      ? (doc.addressCountries as SignInSettings['addressCountries'])
      : DEFAULT_SIGN_IN_SETTINGS.addressCountries,
  };
}
