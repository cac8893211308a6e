/**
 * MFA that no one can do: a policy requiring MFA (or a strength) while the authentication methods policy leaves no
 * method to do it with (email OTP disabled while it was the only enabled method) or enables methods only for groups
 * that leave some of the policy's users out; and, in an External ID tenant, customers whose first factor is the
 * email one-time passcode, which then cannot be their second (graph-contract §8.3).
 */
import { error, type Diagnostic } from '../core/diagnostics.ts';
import type { GraphBody } from '../core/graph-port.ts';
import type { DesiredObject, LiveObject } from '../core/kind.ts';
import { desiredPolicies, type LintInput, type PolicyUnderLint } from './lint-input.ts';
import {
  enabledMethodAvailability,
  isMethodAvailableTo,
  isMethodsPolicyId,
  type MethodAvailability,
} from './method-availability.ts';
import {
  ALL,
  applicationsOf,
  includesAllUsers,
  isEnabled,
  METHODS_POLICY_KIND,
  requiresMfa,
  usersOf,
} from './policy-view.ts';

/** Method configuration ids (lower-cased) that customers of an External ID tenant can use as a second factor. */
const CUSTOMER_MFA_METHODS = ['email', 'sms'];

/** Each method configuration as the plan leaves it: the tenant's, with the manifest's properties laid over it. */
function methodConfigurationsAfterPlan(
  live: readonly LiveObject[],
  desired: readonly DesiredObject[],
): { id: string; state: GraphBody }[] {
  const configurations = new Map<string, { id: string; state: GraphBody }>();
  for (const object of live)
    configurations.set(object.id.toLowerCase(), { id: object.id, state: object.state });
  for (const object of desired) {
    if (object.kind !== METHODS_POLICY_KIND) continue;
    const id = object.pinnedId ?? object.displayName;
    const current = configurations.get(id.toLowerCase());
    configurations.set(id.toLowerCase(), { id, state: { ...current?.state, ...object.state } });
  }
  return [...configurations.values()].filter((c) => !isMethodsPolicyId(c.id));
}

/** Each method configuration's state after the plan (desired overrides live), by lower-cased id. */
function effectiveMethodStates(
  live: readonly LiveObject[],
  desired: readonly DesiredObject[],
): Map<string, 'enabled' | 'disabled'> {
  const states = new Map<string, 'enabled' | 'disabled'>();
  for (const { id, state } of methodConfigurationsAfterPlan(live, desired))
    if (state.state === 'enabled' || state.state === 'disabled') states.set(id.toLowerCase(), state.state);
  return states;
}

/** The enabled methods the tenant's users can do MFA with (customers of an External ID tenant: email and SMS). */
function usableMethods(input: Pick<LintInput, 'live' | 'desired' | 'facts'>): MethodAvailability[] {
  const configurations = methodConfigurationsAfterPlan(
    input.live.get(METHODS_POLICY_KIND) ?? [],
    input.desired,
  );
  const enabled = enabledMethodAvailability(configurations);
  return input.facts.isExternalTenant ? enabled.filter((m) => CUSTOMER_MFA_METHODS.includes(m.id)) : enabled;
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

/**
 * The users a policy targets that no enabled method is enabled for, in words; undefined when every one has a
 * method, or when that cannot be told from the policy alone (single users, roles, guests: their groups are unknown).
 */
function usersWithoutMethod(
  policy: PolicyUnderLint,
  methods: readonly MethodAvailability[],
  nameOf: (id: string) => string,
): string | undefined {
  if (methods.some((m) => m.allUsers && m.excludeGroupIds.length === 0)) return undefined;
  const users = usersOf(policy.state);
  const offered = [...new Set(methods.flatMap((m) => m.includeGroupIds))].map(nameOf);
  const forGroups = offered.length > 0 ? `only for ${offered.join(', ')}` : 'for no one (no include target)';
  if (includesAllUsers(policy.state) && !methods.some((m) => m.allUsers))
    return `it covers all users, but the enabled methods (${methods.map((m) => m.id).join(', ')}) are enabled ${forGroups}`;
  const onlyGroups =
    !includesAllUsers(policy.state) &&
    users.includeUsers.length === 0 &&
    users.includeRoles.length === 0 &&
    !users.hasGuestInclude;
  if (!onlyGroups) return undefined;
  const bare = users.includeGroups.filter((g) => !methods.some((m) => isMethodAvailableTo(m, [g])));
  if (bare.length === 0) return undefined;
  return `no enabled method is enabled for ${bare.map(nameOf).join(', ')}`;
}

function notTargetedDiagnostic(policy: PolicyUnderLint, why: string): Diagnostic {
  return error(
    'mfa-no-usable-method',
    `'${policy.displayName}' requires MFA for users who have no usable method: ${why}`,
    {
      detail:
        'Those users could not complete MFA, so they could not sign in. Enable a method for them (includeTargets all_users, or their group) in the AuthenticationMethodsPolicy manifest, or narrow the policy.',
      location: policy.locate('/grantControls'),
    },
  );
}

export function lintMfaNoUsableMethod(input: LintInput): Diagnostic[] {
  const policies = desiredPolicies(input).filter((p) => isEnabled(p.state) && requiresMfa(p.state));
  if (policies.length === 0) return [];
  const methods = usableMethods(input);
  if (methods.length === 0) {
    const states = effectiveMethodStates(input.live.get(METHODS_POLICY_KIND) ?? [], input.desired);
    const emailDisabled = states.get('email') === 'disabled';
    return policies.map((p) => noMethodDiagnostic(p, emailDisabled, input.facts.isExternalTenant));
  }
  const nameOf = (id: string): string => input.names?.get(id) ?? input.names?.get(id.toLowerCase()) ?? id;
  return policies.flatMap((p) => {
    const why = usersWithoutMethod(p, methods, nameOf);
    return why ? [notTargetedDiagnostic(p, why)] : [];
  });
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
