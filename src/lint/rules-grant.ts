/**
 * Grant and session control combinations Graph or Entra do not allow (graph-contract §2.6, §2.7): `mfa` with an
 * authentication strength, `passwordChange` outside a user-risk policy on all apps, the `registerdevice` user action
 * with anything but `mfa`, `persistentBrowser` without All resources.
 */
import { error, warning, type Diagnostic } from '../core/diagnostics.ts';
import { desiredPolicies, type LintInput, type PolicyUnderLint } from './lint-input.ts';
import {
  ALL,
  applicationsOf,
  conditionsOf,
  grantOf,
  narrowingConditions,
  REGISTER_DEVICE_ACTION,
  sessionControlOf,
} from './policy-view.ts';

function eachPolicy(input: LintInput, check: (p: PolicyUnderLint) => Diagnostic | undefined): Diagnostic[] {
  return desiredPolicies(input).flatMap((p) => check(p) ?? []);
}

function checkMfaWithStrength(policy: PolicyUnderLint): Diagnostic | undefined {
  const grant = grantOf(policy.state);
  if (!grant || !grant.builtInControls.includes('mfa') || grant.strengthId === undefined) return undefined;
  return error(
    'mfa-with-strength',
    `'${policy.displayName}' requires both mfa and an authentication strength`,
    {
      detail:
        "Graph rejects 'Require multifactor authentication' together with 'Require authentication strength'. Keep one: the built-in 'Multifactor authentication' strength is the same as mfa.",
      location: policy.locate('/grantControls/authenticationStrength'),
    },
  );
}

export const lintMfaWithStrength = (input: LintInput): Diagnostic[] =>
  eachPolicy(input, checkMfaWithStrength);

/** What is wrong with a policy that uses `passwordChange`, one phrase each. */
export function passwordChangeProblems(policy: PolicyUnderLint): string[] {
  const grant = grantOf(policy.state);
  if (!grant?.builtInControls.includes('passwordChange')) return [];
  const problems: string[] = [];
  if (grant.operator !== 'AND' || !grant.builtInControls.includes('mfa'))
    problems.push("it must be combined with 'mfa' under operator AND");
  const conditions = conditionsOf(policy.state);
  const userRisk = conditions.userRiskLevels;
  if (!Array.isArray(userRisk) || userRisk.length === 0) problems.push('the policy must set userRiskLevels');
  const apps = applicationsOf(policy.state);
  if (
    apps.includeApplications.length !== 1 ||
    apps.includeApplications[0] !== ALL ||
    apps.excludeApplications.length > 0
  )
    problems.push('it must target All resources with no exclusions');
  const others = narrowingConditions(policy.state).filter((c) => c !== 'userRiskLevels');
  if (others.length > 0) problems.push(`no other conditions are allowed (found ${others.join(', ')})`);
  return problems;
}

function checkPasswordChange(policy: PolicyUnderLint): Diagnostic | undefined {
  const problems = passwordChangeProblems(policy);
  if (problems.length === 0) return undefined;
  return error(
    'password-change-misuse',
    `'${policy.displayName}' uses passwordChange incorrectly: ${problems.join('; ')}`,
    {
      detail:
        "Graph accepts 'Require password change' only with 'mfa' (AND), in a user-risk policy on All resources without other conditions (error 1032 InvalidPasswordResetControl).",
      location: policy.locate('/grantControls/builtInControls'),
    },
  );
}

export const lintPasswordChange = (input: LintInput): Diagnostic[] => eachPolicy(input, checkPasswordChange);

function checkRegisterDevice(policy: PolicyUnderLint): Diagnostic | undefined {
  if (!applicationsOf(policy.state).includeUserActions.includes(REGISTER_DEVICE_ACTION)) return undefined;
  const grant = grantOf(policy.state);
  const extra = grant
    ? [
        ...grant.builtInControls.filter((c) => c !== 'mfa'),
        ...(grant.strengthId ? ['authenticationStrength'] : []),
        ...(grant.termsOfUse.length > 0 ? ['termsOfUse'] : []),
        ...(grant.customAuthenticationFactors.length > 0 ? ['customAuthenticationFactors'] : []),
      ]
    : [];
  const conditions = narrowingConditions(policy.state).filter(
    (c) => c === 'clientAppTypes' || c === 'devices',
  );
  if (extra.length === 0 && conditions.length === 0) return undefined;
  const parts = [
    ...(extra.length > 0 ? [`grant controls ${extra.join(', ')}`] : []),
    ...(conditions.length > 0 ? [`conditions ${conditions.join(', ')}`] : []),
  ];
  return error(
    'register-device-grant',
    `'${policy.displayName}' targets 'Register or join devices' with ${parts.join(' and ')}`,
    {
      detail:
        "The registerdevice user action allows only the 'mfa' grant, and no client app or device filter condition.",
      location: policy.locate('/conditions/applications/includeUserActions'),
    },
  );
}

export const lintRegisterDevice = (input: LintInput): Diagnostic[] => eachPolicy(input, checkRegisterDevice);

function checkPersistentBrowser(policy: PolicyUnderLint): Diagnostic | undefined {
  const control = sessionControlOf(policy.state, 'persistentBrowser');
  if (!control || control.isEnabled !== true) return undefined;
  const apps = applicationsOf(policy.state);
  if (apps.includeApplications.includes(ALL) && apps.excludeApplications.length === 0) return undefined;
  // Graph accepts it (so a warning, not an error), but the control only works on All resources.
  return warning(
    'persistent-browser-scope',
    `'${policy.displayName}' sets persistentBrowser without targeting All resources`,
    {
      detail:
        'Persistent browser session works only when the policy targets All resources (no exclusions). Target All, or drop the control.',
      location: policy.locate('/sessionControls/persistentBrowser'),
    },
  );
}

export const lintPersistentBrowser = (input: LintInput): Diagnostic[] =>
  eachPolicy(input, checkPersistentBrowser);
