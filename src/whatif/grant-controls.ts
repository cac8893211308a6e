/**
 * Grant controls against a session (ca-evaluation §4.1): which controls the session already satisfies, whether a
 * policy's grant is met (AND / OR), and the sign-in-log style result of an applying policy. Legacy clients can
 * neither prompt nor send device state, so nothing but "no grant" passes on them.
 */
import { MFA_COMBINATIONS, MFA_STRENGTH_ID } from './built-in-strengths.ts';
import type { PreparedGrant } from './prepare.ts';
import { splitFlags } from './json-read.ts';
import type { GrantControl, SessionState, SignInConditions } from './types.ts';

const LEGACY_CLIENTS = new Set(['exchangeactivesync', 'eassupported', 'other']);
/** Controls Entra can prompt for during the sign-in; the rest are device or app state. */
const PROMPTABLE_BUILT_INS = new Set(['mfa', 'passwordChange', 'riskRemediation']);

export function isLegacyClient(clientAppType: string | undefined): boolean {
  return LEGACY_CLIENTS.has((clientAppType ?? '').toLowerCase());
}

function isDeviceCodeFlow(conditions: SignInConditions): boolean {
  const methods = splitFlags(conditions.authenticationFlow?.transferMethod);
  return [...methods].some((m) => m.toLowerCase() === 'devicecodeflow');
}

/**
 * The session as the sign-in can present it: a device code flow cannot carry the state of the device that signs
 * in (§2.11, ca/concept-conditional-access-grant.md), so compliant and hybrid-joined claims do not count there.
 * `undefined` when nothing changes.
 */
export function withoutUnprovableDeviceState(
  session: SessionState,
  conditions: SignInConditions,
): SessionState | undefined {
  const claimsDevice = session.deviceCompliant === true || session.hybridJoined === true;
  if (!claimsDevice || !isDeviceCodeFlow(conditions)) return undefined;
  return { ...session, deviceCompliant: false, hybridJoined: false };
}

/** A combination is met when every method in it was used. */
export function hasAllowedCombination(
  combinations: readonly string[],
  methodsUsed: readonly string[] = [],
): boolean {
  // Nothing used meets no combination; most evaluations ask before the user has done anything.
  if (methodsUsed.length === 0) return false;
  const used = new Set(methodsUsed.map((m) => m.toLowerCase()));
  return combinations.some((combination) =>
    combination.split(',').every((method) => used.has(method.trim().toLowerCase())),
  );
}

function includesId(ids: readonly string[] | undefined, id: string): boolean {
  return (ids ?? []).some((x) => x.toLowerCase() === id.toLowerCase());
}

const BUILT_IN_CHECKS: Record<string, (session: SessionState) => boolean> = {
  mfa: (s) => s.mfaDone === true || hasAllowedCombination(MFA_COMBINATIONS, s.methodsUsed),
  compliantDevice: (s) => s.deviceCompliant === true,
  domainJoinedDevice: (s) => s.hybridJoined === true,
  approvedApplication: (s) => s.approvedApp === true,
  compliantApplication: (s) => s.appProtection === true,
  passwordChange: (s) => s.passwordChanged === true,
  riskRemediation: (s) => s.passwordChanged === true,
};

export function isControlSatisfied(control: GrantControl, session: SessionState): boolean {
  switch (control.kind) {
    case 'builtIn':
      return BUILT_IN_CHECKS[control.control]?.(session) ?? false;
    case 'authenticationStrength':
      // The built-in MFA strength is the `mfa` control under another name (§4.1).
      return (
        hasAllowedCombination(control.allowedCombinations, session.methodsUsed) ||
        (control.id.toLowerCase() === MFA_STRENGTH_ID && session.mfaDone === true)
      );
    case 'termsOfUse':
      return includesId(session.termsAccepted, control.id);
    case 'customFactor':
      return includesId(session.customFactors, control.id);
  }
}

export function isPromptable(control: GrantControl): boolean {
  return control.kind !== 'builtIn' || PROMPTABLE_BUILT_INS.has(control.control);
}

export function isGrantSatisfied(
  grant: PreparedGrant,
  session: SessionState,
  legacyClient: boolean,
): boolean {
  if (grant.blocks) return false;
  if (grant.controls.length === 0) return true;
  if (legacyClient) return false;
  const satisfied = (c: GrantControl): boolean => isControlSatisfied(c, session);
  return grant.operator === 'OR' ? grant.controls.some(satisfied) : grant.controls.every(satisfied);
}

export type GrantOutcome = 'success' | 'failure' | 'interrupted';

/** success: met; interrupted: a prompt could meet it; failure: blocked or a state the user cannot fix now. */
export function assessGrant(
  grant: PreparedGrant | undefined,
  session: SessionState,
  legacyClient: boolean,
): GrantOutcome {
  if (!grant) return 'success';
  if (isGrantSatisfied(grant, session, legacyClient)) return 'success';
  if (grant.blocks || legacyClient) return 'failure';
  const unmet = grant.controls.filter((c) => !isControlSatisfied(c, session));
  const canPrompt = grant.operator === 'OR' ? unmet.some(isPromptable) : unmet.every(isPromptable);
  return canPrompt ? 'interrupted' : 'failure';
}
