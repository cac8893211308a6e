/**
 * MFA that no one can do: a policy requiring MFA (or a strength) while the authentication methods policy leaves no
 * method to do it with (email OTP disabled while it was the only enabled method), and, in an External ID tenant,
 * customers whose first factor is the email one-time passcode, which then cannot be their second (graph-contract §8.3).
 */
import { error, type Diagnostic } from '../core/diagnostics.ts';
import type { DesiredObject, LiveObject } from '../core/kind.ts';
import { desiredPolicies, type LintInput, type PolicyUnderLint } from './lint-input.ts';
import {
  ALL,
  applicationsOf,
  includesAllUsers,
  isEnabled,
  METHODS_POLICY_KIND,
  requiresMfa,
} from './policy-view.ts';

/** Method configuration ids (lower-cased) that customers of an External ID tenant can use as a second factor. */
const CUSTOMER_MFA_METHODS = ['email', 'sms'];
const METHODS_POLICY_ID = 'authenticationmethodspolicy';

/** Each method configuration's state after the plan (desired overrides live), by lower-cased id. */
export function effectiveMethodStates(
  live: readonly LiveObject[],
  desired: readonly DesiredObject[],
): Map<string, 'enabled' | 'disabled'> {
  const states = new Map<string, 'enabled' | 'disabled'>();
  const record = (id: string, state: unknown): void => {
    if (id.toLowerCase() === METHODS_POLICY_ID) return;
    if (state === 'enabled' || state === 'disabled') states.set(id.toLowerCase(), state);
  };
  for (const object of live) record(object.id, object.state.state);
  for (const object of desired) {
    if (object.kind === METHODS_POLICY_KIND)
      record(object.pinnedId ?? object.displayName, object.state.state);
  }
  return states;
}

export function enabledMethods(input: Pick<LintInput, 'live' | 'desired' | 'facts'>): string[] {
  const states = effectiveMethodStates(input.live.get(METHODS_POLICY_KIND) ?? [], input.desired);
  const enabled = [...states].filter(([, s]) => s === 'enabled').map(([id]) => id);
  return input.facts.isExternalTenant ? enabled.filter((id) => CUSTOMER_MFA_METHODS.includes(id)) : enabled;
}

function noMethodDiagnostic(policy: PolicyUnderLint, emailDisabled: boolean, external: boolean): Diagnostic {
  const why = emailDisabled
    ? 'email one-time passcode is disabled and no other method is enabled'
    : 'no authentication method is enabled';
  return error(
    'mfa-no-usable-method',
    `'${policy.displayName}' requires MFA but the authentication methods policy leaves no usable method: ${why}`,
    {
      detail: external
        ? 'Customers of an External ID tenant do MFA with email one-time passcode (or SMS): enable email in the AuthenticationMethodsPolicy manifest, or drop the MFA requirement.'
        : 'Enable a method users can do MFA with (Microsoft Authenticator, FIDO2, email OTP for guests…) in the AuthenticationMethodsPolicy manifest, or drop the MFA requirement.',
      location: policy.locate('/grantControls'),
    },
  );
}

export function lintMfaNoUsableMethod(input: LintInput): Diagnostic[] {
  const policies = desiredPolicies(input).filter((p) => isEnabled(p.state) && requiresMfa(p.state));
  if (policies.length === 0 || enabledMethods(input).length > 0) return [];
  const states = effectiveMethodStates(input.live.get(METHODS_POLICY_KIND) ?? [], input.desired);
  const emailDisabled = states.get('email') === 'disabled';
  return policies.map((p) => noMethodDiagnostic(p, emailDisabled, input.facts.isExternalTenant));
}

/** The OTP-first-factor apps a policy covers. */
function otpAppsCovered(policy: PolicyUnderLint, input: LintInput): { appId: string; flow: string }[] {
  const apps = applicationsOf(policy.state);
  const excluded = new Set(apps.excludeApplications.map((a) => a.toLowerCase()));
  const included = new Set(apps.includeApplications.map((a) => a.toLowerCase()));
  return input.facts.otpFirstFactorApps.filter(
    (a) =>
      !excluded.has(a.appId.toLowerCase()) &&
      (included.has(ALL.toLowerCase()) || included.has(a.appId.toLowerCase())),
  );
}

export function lintMfaOtpFirstFactor(input: LintInput): Diagnostic[] {
  if (!input.facts.isExternalTenant) return [];
  return desiredPolicies(input).flatMap((policy) => {
    if (!isEnabled(policy.state) || !requiresMfa(policy.state) || !includesAllUsers(policy.state)) return [];
    const covered = otpAppsCovered(policy, input);
    if (covered.length === 0) return [];
    const flows = [...new Set(covered.map((c) => `'${c.flow}'`))].join(', ');
    return [
      error(
        'mfa-otp-first-factor',
        `'${policy.displayName}' requires MFA for customers who sign in with an email one-time passcode (user flow ${flows})`,
        {
          detail:
            'The passcode is already their first factor and cannot be their second, so they could not sign in. Exclude those applications (or their users), or switch the user flow to email with password.',
          location: policy.locate('/grantControls'),
        },
      ),
    ];
  });
}
