/**
 * Authentication strengths when a user registers security information (ca-evaluation §4.1, after
 * concept-authentication-strength-how-it-works): strengths of policies that target the *Register security
 * information* user action are preferred over the strengths of policies that reach the sign-in through All
 * resources; every other grant control of those policies applies as usual, and several user-action strengths must
 * all be met. The engine reads "preferred over" as a substitution: in such a policy, the authentication-strength
 * control is replaced by the user action's strength requirement (one strength, or when several, one control whose
 * combinations are those that meet all of them), so an AND grant still asks for its other controls and an OR grant
 * is met by the user action's strength or by any of its other controls. Only the strength control is replaced: a
 * plain `mfa` control is not an authentication strength and applies as usual. The reference states the rule for
 * registration in interrupt mode; What If cannot tell the modes apart, so it applies to every
 * `registerSecurityInformation` sign-in, and each policy it changes carries a note saying so (ADR 0008).
 */
import type { PreparedPolicy } from './prepare.ts';
import type { GrantControl, SignIn, WhatIfNote } from './types.ts';

export const REGISTER_SECURITY_INFO_URN = 'urn:user:registersecurityinfo';

type StrengthControl = Extract<GrantControl, { kind: 'authenticationStrength' }>;

function strengthOf(policy: PreparedPolicy): StrengthControl | undefined {
  return policy.grant?.controls.find((c): c is StrengthControl => c.kind === 'authenticationStrength');
}

function targetsRegistration(policy: PreparedPolicy): boolean {
  return policy.applications?.userActions.has(REGISTER_SECURITY_INFO_URN) ?? false;
}

/** One control met exactly when every one of `strengths` is: each combination the union of one of each. */
function allOf(strengths: readonly StrengthControl[]): StrengthControl {
  if (strengths.length === 1) return strengths[0]!;
  let combinations = [''];
  for (const s of strengths) {
    const next = new Set<string>();
    for (const left of combinations)
      for (const right of s.allowedCombinations) {
        const methods = new Set([...left.split(','), ...right.split(',')].filter((m) => m !== ''));
        next.add([...methods].sort().join(','));
      }
    combinations = [...next];
  }
  return {
    kind: 'authenticationStrength',
    id: strengths.map((s) => s.id).join('+'),
    displayName: strengths.map((s) => s.displayName).join(' and '),
    allowedCombinations: combinations,
  };
}

function noteFor(by: StrengthControl): WhatIfNote {
  return {
    code: 'registrationStrengthPrecedence',
    message: `Registering security information: the authentication strength required for that user action ("${by.displayName}") replaces the strengths of the All-resources policies that apply; their other controls still apply (§4.1). The rule is documented for registration in interrupt mode; What If cannot tell the modes apart and applies it to every registerSecurityInformation sign-in (docs/adr/0008-impact-analysis.md).`,
  };
}

export interface StrengthSubstitution {
  policy: PreparedPolicy;
  note: WhatIfNote;
}

/**
 * For a registerSecurityInformation sign-in: the applying policies whose strength gives way to the user action's,
 * each as a copy with its strength control replaced, and the note to attach. Empty for any other sign-in, or when
 * no enforced applying policy that targets the user action requires a strength.
 */
export function registrationStrengthSubstitutions(
  applying: readonly PreparedPolicy[],
  signIn: SignIn,
): Map<PreparedPolicy, StrengthSubstitution> {
  const out = new Map<PreparedPolicy, StrengthSubstitution>();
  const context = signIn.context;
  if (context.kind !== 'userAction' || context.userAction !== 'registerSecurityInformation') return out;
  const preferred = new Map<string, StrengthControl>();
  for (const p of applying) {
    const strength = p.state === 'enabled' && targetsRegistration(p) ? strengthOf(p) : undefined;
    if (strength) preferred.set(strength.id.toLowerCase(), strength);
  }
  if (preferred.size === 0) return out;
  const replacement = allOf([...preferred.values()]);
  for (const p of applying) {
    const strength = targetsRegistration(p) ? undefined : strengthOf(p);
    if (!strength || strength.id.toLowerCase() === replacement.id.toLowerCase()) continue;
    const controls = p.grant!.controls.map((c) => (c === strength ? replacement : c));
    out.set(p, { policy: { ...p, grant: { ...p.grant!, controls } }, note: noteFor(replacement) });
  }
  return out;
}
