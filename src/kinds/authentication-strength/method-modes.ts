/**
 * `authenticationMethodModes` in Graph's canonical (CSDL flags) order (graph-contract §5). A combination is a set
 * of modes; Graph echoes its members in this order, so accord does too. Kept here rather than imported from the
 * local tenant: the core never depends on `src/tenant`.
 */
export const AUTHENTICATION_METHOD_MODES: readonly string[] = [
  'password',
  'voice',
  'hardwareOath',
  'softwareOath',
  'sms',
  'fido2',
  'windowsHelloForBusiness',
  'microsoftAuthenticatorPush',
  'deviceBasedPush',
  'temporaryAccessPassOneTime',
  'temporaryAccessPassMultiUse',
  'email',
  'x509CertificateSingleFactor',
  'x509CertificateMultiFactor',
  'federatedSingleFactor',
  'federatedMultiFactor',
  'unknownFutureValue',
  'qrCodePin',
];

function findMode(part: string): string {
  const lower = part.toLowerCase();
  return AUTHENTICATION_METHOD_MODES.find((m) => m.toLowerCase() === lower) ?? part;
}

function rankOf(mode: string): number {
  const index = AUTHENTICATION_METHOD_MODES.indexOf(mode);
  return index === -1 ? AUTHENTICATION_METHOD_MODES.length : index;
}

/** `'microsoftAuthenticatorPush, Password'` → `'password,microsoftAuthenticatorPush'`. */
export function canonicalizeCombination(combination: string): string {
  const modes = new Set(
    combination
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map(findMode),
  );
  return [...modes].sort((a, b) => rankOf(a) - rankOf(b) || (a < b ? -1 : a > b ? 1 : 0)).join(',');
}

/** Every combination canonical, duplicates dropped, the list sorted. */
export function canonicalizeCombinations(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [];
  return [...new Set(list.map((c) => canonicalizeCombination(String(c))))].sort();
}
