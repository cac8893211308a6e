/**
 * Step 2 of ca-evaluation §5.3: what makes a policy impossible to evaluate, before any sign-in is looked at.
 * `invalidPolicy`: a missing assignment, a dangling authentication strength, or a combination the reference rules
 * out (report-only on user actions §1/§3, workload identities with anything but block or with an authentication
 * context §2.4, `mfa` with a strength §4.1, the register-device user action with other controls or conditions
 * §2.5, password change outside AND-with-MFA on user-risk All-resources policies §4.1). `invalidCondition`: a
 * filter rule that does not parse and named-location ids the tenant does not have.
 */
import { isObject, type JsonObject, readObject, readString, readStrings } from './json-read.ts';
import type { PolicyDocument } from './types.ts';

const REGISTER_DEVICE_URN = 'urn:user:registerdevice';
const LEGACY_TRUSTED_IPS = '00000000-0000-0000-0000-000000000000';

type Rule = (document: PolicyDocument, conditions: JsonObject | undefined) => string | undefined;

function grantOf(document: PolicyDocument): JsonObject | undefined {
  return readObject(document, 'grantControls');
}

function hasStrength(grant: JsonObject | undefined): boolean {
  return readObject(grant, 'authenticationStrength') !== undefined;
}

function extraControls(grant: JsonObject | undefined): number {
  return readStrings(grant, 'termsOfUse').length + readStrings(grant, 'customAuthenticationFactors').length;
}

function userActionsOf(conditions: JsonObject | undefined): string[] {
  return readStrings(readObject(conditions, 'applications'), 'includeUserActions').map((a) =>
    a.toLowerCase(),
  );
}

const reportOnlyUserActions: Rule = (document, conditions) =>
  readString(document, 'state') === 'enabledForReportingButNotEnforced' &&
  userActionsOf(conditions).length > 0
    ? 'report-only mode cannot be used for the user actions scope (§1, §3)'
    : undefined;

/** Names service principals (an empty `clientApplications` object, as some reads give, targets nobody). */
function targetsWorkloadIdentities(conditions: JsonObject | undefined): boolean {
  const workload = readObject(conditions, 'clientApplications');
  return (
    readStrings(workload, 'includeServicePrincipals').length > 0 || isObject(workload?.servicePrincipalFilter)
  );
}

const workloadIdentityControls: Rule = (document, conditions) => {
  if (!targetsWorkloadIdentities(conditions)) return undefined;
  const grant = grantOf(document);
  const controls = readStrings(grant, 'builtInControls');
  const onlyBlock = controls.length === 1 && controls[0] === 'block' && !hasStrength(grant);
  if (!onlyBlock || extraControls(grant) > 0) return 'a policy for workload identities can only block (§2.4)';
  const contexts = readStrings(
    readObject(conditions, 'applications'),
    'includeAuthenticationContextClassReferences',
  );
  return contexts.length > 0
    ? 'authentication context cannot be combined with workload identities in one policy (§2.4)'
    : undefined;
};

const mfaWithStrength: Rule = (document) => {
  const grant = grantOf(document);
  return hasStrength(grant) && readStrings(grant, 'builtInControls').includes('mfa')
    ? "'mfa' and an authentication strength cannot be in one policy (§4.1)"
    : undefined;
};

const registerDevice: Rule = (document, conditions) => {
  if (!userActionsOf(conditions).includes(REGISTER_DEVICE_URN)) return undefined;
  const grant = grantOf(document);
  const others = readStrings(grant, 'builtInControls').filter((c) => c !== 'mfa');
  const clientApps = readStrings(conditions, 'clientAppTypes').map((c) => c.toLowerCase());
  const hasFilter = isObject(readObject(conditions, 'devices')?.deviceFilter);
  if (others.length > 0 || extraControls(grant) > 0)
    return 'registering or joining devices only takes MFA or an authentication strength (§2.5)';
  return clientApps.some((c) => c !== 'all') || hasFilter
    ? 'registering or joining devices cannot use client app or device filter conditions (§2.5)'
    : undefined;
};

const passwordChange: Rule = (document, conditions) => {
  const grant = grantOf(document);
  const controls = readStrings(grant, 'builtInControls');
  if (!controls.includes('passwordChange')) return undefined;
  const isAnd = (readString(grant, 'operator') ?? 'AND').toUpperCase() === 'AND';
  const apps = readStrings(readObject(conditions, 'applications'), 'includeApplications');
  const allApps = apps.length === 1 && apps[0]!.toLowerCase() === 'all';
  const userRisk = readStrings(conditions, 'userRiskLevels').length > 0;
  return isAnd && controls.includes('mfa') && allApps && userRisk
    ? undefined
    : "'passwordChange' must be ANDed with 'mfa' on a user-risk policy for All resources (§4.1)";
};

const COMBINATION_RULES: readonly Rule[] = [
  reportOnlyUserActions,
  workloadIdentityControls,
  mfaWithStrength,
  registerDevice,
  passwordChange,
];

/** Why the combination of state, assignments and controls is ruled out, if it is. */
export function findInvalidCombination(document: PolicyDocument): string | undefined {
  const conditions = readObject(document, 'conditions');
  for (const rule of COMBINATION_RULES) {
    const reason = rule(document, conditions);
    if (reason) return reason;
  }
  return undefined;
}

/** The first named-location id the tenant does not have (`All`, `AllTrusted` and the legacy trusted IPs exist). */
export function findDanglingLocation(
  locations: { include: readonly string[]; exclude: readonly string[] } | undefined,
  known: ReadonlySet<string>,
): string | undefined {
  if (!locations) return undefined;
  const exists = (id: string): boolean =>
    id === 'all' || id === 'alltrusted' || id === LEGACY_TRUSTED_IPS || known.has(id);
  return [...locations.include, ...locations.exclude].find((id) => !exists(id));
}
