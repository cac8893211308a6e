/**
 * Turns Graph documents into the engine's prepared form once per tenant: lower-cased id sets, parsed filter
 * rules and ip ranges, resolved authentication strengths. The interpreter (and a compiled engine later) reads only
 * this form, so the shape of Graph JSON is dealt with in one place.
 */
import { FilterError, type FilterNode, type FilterSchema, parseFilterRule } from './filter-rule.ts';
import { ATTRIBUTE_FILTER_SCHEMA, DEVICE_FILTER_SCHEMA } from './filter-schemas.ts';
import { type IpRange, parseBounds, parseCidr } from './ip-address.ts';
import { findDanglingLocation, findInvalidCombination } from './policy-validity.ts';
import {
  isObject,
  type JsonObject,
  lowerSet,
  readBoolean,
  readObject,
  readString,
  readStrings,
  splitFlags,
} from './json-read.ts';
import type {
  AnalysisReason,
  AuthenticationStrength,
  DirectoryView,
  GrantControl,
  PolicyDocument,
  PolicyState,
  WhatIfTenant,
} from './types.ts';

/** A filter whose rule did not parse keeps the parser's message: the condition is then `invalidCondition`. */
export type PreparedFilter =
  | { mode: 'include' | 'exclude'; rule: FilterNode; error?: undefined }
  | { mode: 'include' | 'exclude'; rule?: undefined; error: string };

export interface PreparedGuests {
  types: ReadonlySet<string>;
  /** `all` tenants, or the enumerated home tenant ids (lower case). */
  tenants: 'all' | ReadonlySet<string>;
}

export interface PreparedUsers {
  includeUsers: ReadonlySet<string>;
  excludeUsers: ReadonlySet<string>;
  includeGroups: ReadonlySet<string>;
  excludeGroups: ReadonlySet<string>;
  includeRoles: ReadonlySet<string>;
  excludeRoles: ReadonlySet<string>;
  includeGuests: PreparedGuests | undefined;
  excludeGuests: PreparedGuests | undefined;
}

export interface PreparedWorkload {
  include: ReadonlySet<string>;
  exclude: ReadonlySet<string>;
  filter: PreparedFilter | undefined;
}

export interface PreparedApplications {
  include: ReadonlySet<string>;
  exclude: ReadonlySet<string>;
  userActions: ReadonlySet<string>;
  authContexts: ReadonlySet<string>;
  filter: PreparedFilter | undefined;
}

export interface PreparedGrant {
  operator: 'AND' | 'OR';
  blocks: boolean;
  /** Every control but `block`, in prompt order. */
  controls: GrantControl[];
}

export interface PreparedPolicy {
  id: string;
  displayName: string;
  state: PolicyState;
  document: PolicyDocument;
  /** Why the policy cannot be evaluated (`invalidPolicy`), if it cannot. */
  invalid: string | undefined;
  /** When `invalid` is a combination the reference rules out (rather than a missing or dangling part). */
  isInvalidCombination: boolean;
  /** Why a condition cannot be evaluated (`invalidCondition`): a filter that does not parse, an unknown location. */
  invalidCondition: string | undefined;
  isEmpty: boolean;
  users: PreparedUsers | undefined;
  workload: PreparedWorkload | undefined;
  applications: PreparedApplications | undefined;
  platforms: { include: ReadonlySet<string>; exclude: ReadonlySet<string> } | undefined;
  deviceFilter: PreparedFilter | undefined;
  clientAppTypes: ReadonlySet<string>;
  locations: { include: readonly string[]; exclude: readonly string[] } | undefined;
  signInRisk: ReadonlySet<string>;
  userRisk: ReadonlySet<string>;
  servicePrincipalRisk: ReadonlySet<string>;
  insiderRisk: ReadonlySet<string>;
  transferMethods: ReadonlySet<string>;
  grant: PreparedGrant | undefined;
  session: JsonObject | undefined;
}

export type PreparedLocation =
  | { kind: 'ip'; isTrusted: boolean; ranges: IpRange[] }
  | { kind: 'country'; countries: ReadonlySet<string>; includeUnknown: boolean };

export interface PreparedTenant {
  tenantId: string;
  policies: PreparedPolicy[];
  locations: ReadonlyMap<string, PreparedLocation>;
  legacyTrustedRanges: IpRange[];
  office365: ReadonlySet<string>;
  adminPortals: ReadonlySet<string>;
  /** What a policy naming the Windows Azure Service Management API covers (§2.5), that API included. */
  azureManagement: ReadonlySet<string>;
  directory: DirectoryView;
}

/** Built-in controls in Entra's prompt order (§4.1); authentication strength is asked with MFA. */
const PROMPT_ORDER = [
  'mfa',
  'compliantDevice',
  'domainJoinedDevice',
  'approvedApplication',
  'compliantApplication',
  'passwordChange',
  'riskRemediation',
];

function prepareFilter(value: unknown, schema: FilterSchema): PreparedFilter | undefined {
  if (!isObject(value)) return undefined;
  const mode = readString(value, 'mode') === 'exclude' ? 'exclude' : 'include';
  try {
    return { mode, rule: parseFilterRule(readString(value, 'rule') ?? '', schema) };
  } catch (err) {
    if (err instanceof FilterError) return { mode, error: err.message };
    throw err;
  }
}

function prepareGuests(value: unknown): PreparedGuests | undefined {
  if (!isObject(value)) return undefined;
  const tenants = readObject(value, 'externalTenants');
  const enumerated = readString(tenants, 'membershipKind') === 'enumerated';
  return {
    types: splitFlags(readString(value, 'guestOrExternalUserTypes')),
    tenants: enumerated ? lowerSet(readStrings(tenants, 'members')) : 'all',
  };
}

function prepareUsers(value: JsonObject | undefined): PreparedUsers | undefined {
  if (!value) return undefined;
  return {
    includeUsers: lowerSet(readStrings(value, 'includeUsers')),
    excludeUsers: lowerSet(readStrings(value, 'excludeUsers')),
    includeGroups: lowerSet(readStrings(value, 'includeGroups')),
    excludeGroups: lowerSet(readStrings(value, 'excludeGroups')),
    includeRoles: lowerSet(readStrings(value, 'includeRoles')),
    excludeRoles: lowerSet(readStrings(value, 'excludeRoles')),
    includeGuests: prepareGuests(value.includeGuestsOrExternalUsers),
    excludeGuests: prepareGuests(value.excludeGuestsOrExternalUsers),
  };
}

function prepareWorkload(value: JsonObject | undefined): PreparedWorkload | undefined {
  if (!value) return undefined;
  return {
    include: lowerSet(readStrings(value, 'includeServicePrincipals')),
    exclude: lowerSet(readStrings(value, 'excludeServicePrincipals')),
    filter: prepareFilter(value.servicePrincipalFilter, ATTRIBUTE_FILTER_SCHEMA),
  };
}

function prepareApplications(value: JsonObject | undefined): PreparedApplications | undefined {
  if (!value) return undefined;
  return {
    include: lowerSet(readStrings(value, 'includeApplications')),
    exclude: lowerSet(readStrings(value, 'excludeApplications')),
    userActions: lowerSet(readStrings(value, 'includeUserActions')),
    authContexts: lowerSet(readStrings(value, 'includeAuthenticationContextClassReferences')),
    filter: prepareFilter(value.applicationFilter, ATTRIBUTE_FILTER_SCHEMA),
  };
}

function builtInControls(grant: JsonObject): GrantControl[] {
  const present = new Set(readStrings(grant, 'builtInControls'));
  return PROMPT_ORDER.filter((c) => present.has(c)).map((control) => ({ kind: 'builtIn', control }));
}

function strengthControl(strength: AuthenticationStrength): GrantControl {
  const { id, displayName, allowedCombinations } = strength;
  return { kind: 'authenticationStrength', id, displayName, allowedCombinations };
}

/** The grant, or a message when it names a strength the tenant does not have. */
function prepareGrant(
  grant: JsonObject | undefined,
  strengths: ReadonlyMap<string, AuthenticationStrength>,
): PreparedGrant | string | undefined {
  if (!grant) return undefined;
  const controls = builtInControls(grant);
  const strengthId = readString(readObject(grant, 'authenticationStrength'), 'id');
  if (strengthId !== undefined) {
    const strength = strengths.get(strengthId.toLowerCase());
    if (!strength) return `authentication strength '${strengthId}' does not exist`;
    const mfaAt = controls.findIndex((c) => c.kind === 'builtIn' && c.control === 'mfa');
    controls.splice(mfaAt < 0 ? 0 : mfaAt + 1, 0, strengthControl(strength));
  }
  controls.push(...readStrings(grant, 'termsOfUse').map((id): GrantControl => ({ kind: 'termsOfUse', id })));
  controls.push(
    ...readStrings(grant, 'customAuthenticationFactors').map((id): GrantControl => ({
      kind: 'customFactor',
      id,
    })),
  );
  const blocks = readStrings(grant, 'builtInControls').includes('block');
  if (!blocks && controls.length === 0) return undefined;
  // The operator's case varies in Microsoft's samples (§6 #12).
  const operator = (readString(grant, 'operator') ?? 'AND').toUpperCase() === 'OR' ? 'OR' : 'AND';
  return { operator, blocks, controls };
}

/** An enabled control; continuous access evaluation has a `mode` instead of `isEnabled`. */
function hasSessionControls(session: JsonObject | undefined): boolean {
  if (!session) return false;
  return Object.entries(session).some(
    ([key, v]) =>
      !key.includes('@') &&
      (v === true || (isObject(v) && (readBoolean(v, 'isEnabled') || readString(v, 'mode') !== undefined))),
  );
}

function findMissingPart(
  conditions: JsonObject | undefined,
  grant: PreparedGrant | string | undefined,
): string | undefined {
  if (typeof grant === 'string') return grant;
  if (!readObject(conditions, 'applications')) return "the policy has no 'applications' condition";
  if (!readObject(conditions, 'users') && !readObject(conditions, 'clientApplications')) {
    return "the policy has neither 'users' nor 'clientApplications'";
  }
  return undefined;
}

function invalidConditionReason(
  policy: Pick<PreparedPolicy, 'deviceFilter' | 'applications' | 'workload' | 'locations'>,
  knownLocations: ReadonlySet<string> | undefined,
): string | undefined {
  const filterError =
    policy.deviceFilter?.error ?? policy.applications?.filter?.error ?? policy.workload?.filter?.error;
  if (filterError !== undefined) return `a filter rule cannot be read: ${filterError}`;
  const dangling = knownLocations && findDanglingLocation(policy.locations, knownLocations);
  return dangling ? `the tenant has no named location '${dangling}'` : undefined;
}

function preparePlatforms(value: JsonObject | undefined): PreparedPolicy['platforms'] {
  if (!value) return undefined;
  return {
    include: lowerSet(readStrings(value, 'includePlatforms')),
    exclude: lowerSet(readStrings(value, 'excludePlatforms')),
  };
}

function prepareLocations(value: JsonObject | undefined): PreparedPolicy['locations'] {
  if (!value) return undefined;
  return {
    include: readStrings(value, 'includeLocations').map((id) => id.toLowerCase()),
    exclude: readStrings(value, 'excludeLocations').map((id) => id.toLowerCase()),
  };
}

function readState(document: PolicyDocument): PolicyState {
  const state = readString(document, 'state');
  return state === 'enabled' || state === 'enabledForReportingButNotEnforced' ? state : 'disabled';
}

/**
 * One policy in prepared form. `knownLocations` (lower-case ids of the tenant's named locations) lets location ids
 * the tenant does not have make the policy `invalidCondition`; without it they are not checked.
 */
export function preparePolicy(
  document: PolicyDocument,
  strengths: ReadonlyMap<string, AuthenticationStrength>,
  knownLocations?: ReadonlySet<string>,
): PreparedPolicy {
  const conditions = readObject(document, 'conditions');
  const grant = prepareGrant(readObject(document, 'grantControls'), strengths);
  const session = readObject(document, 'sessionControls');
  const insider = readString(conditions, 'insiderRiskLevels');
  const flows = readObject(conditions, 'authenticationFlows');
  const checked = {
    workload: prepareWorkload(readObject(conditions, 'clientApplications')),
    applications: prepareApplications(readObject(conditions, 'applications')),
    deviceFilter: prepareFilter(readObject(conditions, 'devices')?.deviceFilter, DEVICE_FILTER_SCHEMA),
    locations: prepareLocations(readObject(conditions, 'locations')),
  };
  const missing = findMissingPart(conditions, grant);
  const combination = missing === undefined ? findInvalidCombination(document) : undefined;
  return {
    id: readString(document, 'id') ?? '',
    displayName: readString(document, 'displayName') ?? '',
    state: readState(document),
    document,
    invalid: missing ?? combination,
    isInvalidCombination: combination !== undefined,
    invalidCondition: invalidConditionReason(checked, knownLocations),
    isEmpty: grant === undefined && !hasSessionControls(session),
    users: prepareUsers(readObject(conditions, 'users')),
    ...checked,
    platforms: preparePlatforms(readObject(conditions, 'platforms')),
    clientAppTypes: lowerSet(readStrings(conditions, 'clientAppTypes')),
    signInRisk: lowerSet(readStrings(conditions, 'signInRiskLevels')),
    userRisk: lowerSet(readStrings(conditions, 'userRiskLevels')),
    servicePrincipalRisk: lowerSet(readStrings(conditions, 'servicePrincipalRiskLevels')),
    insiderRisk: lowerSet([...splitFlags(insider)]),
    transferMethods: lowerSet([...splitFlags(readString(flows, 'transferMethods'))]),
    grant: typeof grant === 'string' ? undefined : grant,
    session,
  };
}

function prepareRanges(values: readonly unknown[]): IpRange[] {
  const out: IpRange[] = [];
  for (const value of values) {
    const cidr = readString(value, 'cidrAddress');
    const lower = readString(value, 'lowerAddress');
    const upper = readString(value, 'upperAddress');
    const range =
      cidr !== undefined ? parseCidr(cidr) : lower && upper ? parseBounds(lower, upper) : undefined;
    if (range) out.push(range);
  }
  return out;
}

export function prepareLocation(document: JsonObject): PreparedLocation {
  const type = (readString(document, '@odata.type') ?? '').toLowerCase();
  if (type.endsWith('countrynamedlocation')) {
    return {
      kind: 'country',
      countries: new Set(readStrings(document, 'countriesAndRegions').map((c) => c.toUpperCase())),
      includeUnknown: readBoolean(document, 'includeUnknownCountriesAndRegions'),
    };
  }
  const ranges = Array.isArray(document.ipRanges) ? document.ipRanges : [];
  return { kind: 'ip', isTrusted: readBoolean(document, 'isTrusted'), ranges: prepareRanges(ranges) };
}

/**
 * §5.3 steps 1–2, the reasons that need no sign-in, in that order: disabled, no controls, an invalid policy, an
 * invalid condition. Both engines read them from here.
 */
export function findPolicyLevelReason(policy: PreparedPolicy): AnalysisReason | undefined {
  if (policy.state === 'disabled') return 'policyNotEnabled';
  if (policy.isEmpty) return 'emptyPolicy';
  if (policy.invalid !== undefined) return 'invalidPolicy';
  if (policy.invalidCondition !== undefined) return 'invalidCondition';
  return undefined;
}

export function prepareTenant(tenant: WhatIfTenant): PreparedTenant {
  const strengths = new Map(tenant.authenticationStrengths.map((s) => [s.id.toLowerCase(), s]));
  const locations = new Map<string, PreparedLocation>();
  for (const doc of tenant.namedLocations) {
    const id = readString(doc, 'id');
    if (id !== undefined) locations.set(id.toLowerCase(), prepareLocation(doc));
  }
  const knownLocations = new Set(locations.keys());
  return {
    tenantId: tenant.tenantId,
    policies: tenant.policies.map((p) => preparePolicy(p, strengths, knownLocations)),
    locations,
    // The legacy MFA trusted IPs are IPv4 only (§2.6).
    legacyTrustedRanges: (tenant.legacyTrustedIps ?? [])
      .flatMap((c) => parseCidr(c) ?? [])
      .filter((r) => r.family === 4),
    office365: lowerSet(tenant.applications.office365AppIds),
    adminPortals: lowerSet(tenant.applications.adminPortalAppIds),
    azureManagement: lowerSet(tenant.applications.azureManagementAppIds),
    directory: tenant.directory,
  };
}
