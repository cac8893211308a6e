/**
 * Graph's `analysisReasons` in words, the way the admin center's What If tool says why a policy does not apply
 * (`users: Emergency access accounts is excluded`). The engine names the failing condition; this looks at that
 * condition once more to say which part failed, with readable names. Pure.
 */
import type { AnalysisReason, PolicyDocument, SignIn, UserView } from '../whatif/types.ts';

export interface ExplainInput {
  reason: AnalysisReason;
  policy: PolicyDocument;
  signIn: SignIn;
  /** The signing-in user as the directory has it (user sign-ins only). */
  user: UserView | undefined;
  /** Readable names of ids (groups, roles, apps, locations); an id without one is shown as is. */
  nameOf: (id: string) => string;
  /** The engine's notes on this policy: they say which input was missing. */
  notes: readonly { message: string }[];
}

const REASON_WORDS: Record<AnalysisReason, string> = {
  notSet: 'applies',
  notEnoughInformation: 'the sign-in does not give a value this policy needs (see the notes)',
  invalidCondition: 'a condition cannot be evaluated (an unknown location or a filter that does not parse)',
  users: 'the user is not included',
  workloadIdentities: 'the service principal is not included',
  application: 'the application is not included',
  userActions: 'the user action is not included',
  authenticationContext: 'the authentication context is not included',
  devicePlatform: 'the device platform is not included',
  devices: 'the device does not match the device filter',
  clientApps: 'the client app type is not included',
  location: 'the location is not included',
  signInRisk: 'the sign-in risk level is not included',
  emptyPolicy: 'the policy has neither grant nor session controls',
  invalidPolicy:
    'the policy is invalid (a missing condition, a dangling reference or a combination Entra rules out)',
  policyNotEnabled: 'the policy is disabled',
  userRisk: 'the user risk level is not included',
  time: 'the time condition is not met',
  insiderRisk: 'the insider risk level is not included',
  authenticationFlow: 'the authentication flow is not included',
};

function readObject(value: unknown, key: string): Record<string, unknown> {
  const inner = (value as Record<string, unknown> | null | undefined)?.[key];
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner)
    ? (inner as Record<string, unknown>)
    : {};
}

function readList(value: Record<string, unknown>, key: string): string[] {
  const list = value[key];
  return Array.isArray(list) ? list.map(String) : [];
}

function overlap(listed: readonly string[], held: readonly string[]): string | undefined {
  const lower = new Set(held.map((h) => h.toLowerCase()));
  return listed.find((id) => lower.has(id.toLowerCase()));
}

function guestTypes(users: Record<string, unknown>, key: string): string[] {
  const spec = readObject(users, key);
  const types = spec.guestOrExternalUserTypes;
  return typeof types === 'string' ? types.split(',').map((t) => t.trim()) : [];
}

/** Which exclusion caught the user, if one did. */
function userExclusion(users: Record<string, unknown>, user: UserView, nameOf: (id: string) => string) {
  if (overlap(readList(users, 'excludeUsers'), [user.id])) return 'the user is excluded';
  const group = overlap(readList(users, 'excludeGroups'), user.transitiveGroupIds);
  if (group) return `${nameOf(group)} is excluded`;
  const role = overlap(readList(users, 'excludeRoles'), user.activeRoleTemplateIds);
  if (role) return `the role ${nameOf(role)} is excluded`;
  const type = user.externalUserType;
  if (type && guestTypes(users, 'excludeGuestsOrExternalUsers').includes(type))
    return `guest or external user type ${type} is excluded`;
  return undefined;
}

function explainUsers(input: ExplainInput): string {
  const users = readObject(readObject(input.policy, 'conditions'), 'users');
  if (input.signIn.identity.kind !== 'user') return 'a service principal sign-in; the policy targets users';
  if (!input.user) return 'the user is not in the directory';
  return userExclusion(users, input.user, input.nameOf) ?? 'the user is not included';
}

function explainApplication(input: ExplainInput): string {
  if (input.signIn.context.kind !== 'application') return REASON_WORDS.application;
  const apps = readObject(readObject(input.policy, 'conditions'), 'applications');
  const target = input.signIn.context.includeApplications;
  const excluded = overlap(readList(apps, 'excludeApplications'), target);
  if (excluded) return `${input.nameOf(excluded)} is excluded`;
  const included = readList(apps, 'includeApplications');
  if (included.length > 0 && included.every((a) => /^[0-9a-f-]{36}$/i.test(a)))
    return `the policy targets ${included.map(input.nameOf).join(', ')}`;
  return REASON_WORDS.application;
}

function explainListed(input: ExplainInput, key: string, given: string | undefined, what: string): string {
  const conditions = readObject(input.policy, 'conditions');
  const isClientApps = key === 'clientAppTypes';
  const listed = isClientApps
    ? readList(conditions, key)
    : readList(readObject(conditions, 'platforms'), key);
  if (given === undefined) return `no ${what} given; the policy lists ${listed.join(', ')}`;
  const excluded = isClientApps ? [] : readList(readObject(conditions, 'platforms'), 'excludePlatforms');
  if (excluded.some((p) => p.toLowerCase() === given.toLowerCase())) return `${given} is excluded`;
  return `${given} is not among ${listed.join(', ')}`;
}

function detailOf(input: ExplainInput): string {
  const conditions = input.signIn.conditions;
  switch (input.reason) {
    case 'users':
      return explainUsers(input);
    case 'application':
      return explainApplication(input);
    case 'clientApps':
      return explainListed(input, 'clientAppTypes', conditions.clientAppType, 'client app');
    case 'devicePlatform':
      return explainListed(input, 'includePlatforms', conditions.devicePlatform, 'platform');
    case 'notEnoughInformation':
      return input.notes.length > 0
        ? input.notes.map((n) => n.message).join(' ')
        : REASON_WORDS.notEnoughInformation;
    default:
      return REASON_WORDS[input.reason];
  }
}

/** `reason: words`, e.g. `users: Emergency access accounts is excluded`. */
export function explainReason(input: ExplainInput): string {
  return `${input.reason}: ${detailOf(input)}`;
}
