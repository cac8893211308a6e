/**
 * The device, network, risk and flow steps of §5.3 (platform, device filter, client app, location, sign-in risk,
 * user risk, service principal risk, insider risk, authentication flow) compiled: per policy a flat array holding a
 * predicate only for the conditions it configures, in §5.3 order. A predicate reads the sign-in's conditions,
 * prepared once (lower-cased, ip parsed, device lookup built), and answers a reason code (0 = matches).
 */
import type { AttributeValue } from '../filter-rule.ts';
import { evaluateFilter } from '../filter-rule.ts';
import { deviceAttributes } from '../filter-schemas.ts';
import { isLegacyClient } from '../grant-controls.ts';
import { type IpAddress, isInRange, parseIpAddress, type IpRange } from '../ip-address.ts';
import { splitFlags } from '../json-read.ts';
import type { PreparedLocation, PreparedPolicy, PreparedTenant } from '../prepare.ts';
import type { SignInConditions, WhatIfOptions } from '../types.ts';
import { reasonCode, toStage, type StageVerdicts } from './stage.ts';

/** A sign-in's conditions, prepared once for every predicate. */
export interface ConditionInput {
  isServicePrincipal: boolean;
  platform: string;
  clientApp: string;
  hasDevice: boolean;
  device: (attribute: string) => AttributeValue;
  country: string | undefined;
  ip: IpAddress | undefined;
  signInRisk: string;
  userRisk: string;
  servicePrincipalRisk: string;
  insiderRisk: string;
  transferMethods: readonly string[];
  isLegacyClient: boolean;
}

type Predicate = (input: ConditionInput) => number;

export interface ConditionsCompiler {
  checks: readonly (readonly Predicate[])[];
}

const R = {
  notEnoughInformation: reasonCode('notEnoughInformation'),
  invalidCondition: reasonCode('invalidCondition'),
  devicePlatform: reasonCode('devicePlatform'),
  devices: reasonCode('devices'),
  clientApps: reasonCode('clientApps'),
  location: reasonCode('location'),
  signInRisk: reasonCode('signInRisk'),
  userRisk: reasonCode('userRisk'),
  workloadIdentities: reasonCode('workloadIdentities'),
  insiderRisk: reasonCode('insiderRisk'),
  authenticationFlow: reasonCode('authenticationFlow'),
};

/** Location match: false, true, unknown (the input does not say), invalid (no such location). */
const NO = 0;
const YES = 1;
const UNKNOWN = 2;
const INVALID = 3;
type LocationMatcher = (input: ConditionInput) => number;

const LEGACY_TRUSTED_IPS = '00000000-0000-0000-0000-000000000000';

function isUnknown(value: string): boolean {
  return value === 'all' || value === 'unknownfuturevalue' || value === '';
}

export function prepareConditions(conditions: SignInConditions, isServicePrincipal: boolean): ConditionInput {
  const lower = (v: string | undefined, fallback: string): string => (v ?? fallback).toLowerCase();
  return {
    isServicePrincipal,
    platform: lower(conditions.devicePlatform, 'all'),
    clientApp: lower(conditions.clientAppType, 'all'),
    hasDevice: conditions.deviceInfo !== undefined,
    device: deviceAttributes(conditions.deviceInfo),
    country: conditions.country === '' ? undefined : conditions.country?.toUpperCase(),
    ip: conditions.ipAddress ? parseIpAddress(conditions.ipAddress) : undefined,
    signInRisk: lower(conditions.signInRiskLevel, 'none'),
    userRisk: lower(conditions.userRiskLevel, 'none'),
    servicePrincipalRisk: lower(conditions.servicePrincipalRiskLevel, 'none'),
    insiderRisk: lower(conditions.insiderRiskLevel, 'none'),
    transferMethods: [...splitFlags(conditions.authenticationFlow?.transferMethod)].map((m) =>
      m.toLowerCase(),
    ),
    isLegacyClient: isLegacyClient(conditions.clientAppType),
  };
}

function platformCheck(platforms: NonNullable<PreparedPolicy['platforms']>): Predicate {
  const includesAll = platforms.include.has('all');
  return (c) => {
    if (isUnknown(c.platform)) {
      if (includesAll && platforms.exclude.size === 0) return 0;
      return includesAll ? 0 : R.notEnoughInformation;
    }
    const included = includesAll || platforms.include.has(c.platform);
    return included && !platforms.exclude.has(c.platform) ? 0 : R.devicePlatform;
  };
}

function deviceFilterCheck(filter: NonNullable<PreparedPolicy['deviceFilter']>, strict: boolean): Predicate {
  const rule = filter.rule;
  if (!rule) return () => R.invalidCondition;
  const wantMatch = filter.mode === 'include';
  return (c) => {
    if (!c.hasDevice && strict) return R.notEnoughInformation;
    return evaluateFilter(rule, c.device) === wantMatch ? 0 : R.devices;
  };
}

function clientAppCheck(types: ReadonlySet<string>): Predicate {
  const coversEas = types.has('exchangeactivesync');
  return (c) => {
    if (isUnknown(c.clientApp)) return R.notEnoughInformation;
    return types.has(c.clientApp) || (coversEas && c.clientApp === 'eassupported') ? 0 : R.clientApps;
  };
}

function inRanges(ip: IpAddress, ranges: readonly IpRange[]): boolean {
  for (const r of ranges) if (isInRange(ip, r)) return true;
  return false;
}

function trustedRanges(tenant: PreparedTenant): IpRange[] {
  const out: IpRange[] = [];
  for (const location of tenant.locations.values())
    if (location.kind === 'ip' && location.isTrusted) out.push(...location.ranges);
  return [...out, ...tenant.legacyTrustedRanges];
}

function namedLocationMatcher(location: PreparedLocation | undefined): LocationMatcher {
  if (!location) return () => INVALID;
  if (location.kind === 'ip') return (c) => (c.ip ? (inRanges(c.ip, location.ranges) ? YES : NO) : UNKNOWN);
  // `country` wins over the ip; with only an ip the country is unknown offline (§2.6, §6 #8).
  return (c) => {
    if (c.country !== undefined) return location.countries.has(c.country) ? YES : NO;
    if (!c.ip) return UNKNOWN;
    return location.includeUnknown ? YES : NO;
  };
}

function locationMatcher(id: string, tenant: PreparedTenant, trusted: readonly IpRange[]): LocationMatcher {
  if (id === 'all') return () => YES;
  if (id === 'alltrusted') return (c) => (c.ip ? (inRanges(c.ip, trusted) ? YES : NO) : UNKNOWN);
  if (id === LEGACY_TRUSTED_IPS) {
    const legacy = tenant.legacyTrustedRanges;
    return (c) => (c.ip ? (inRanges(c.ip, legacy) ? YES : NO) : UNKNOWN);
  }
  return namedLocationMatcher(tenant.locations.get(id));
}

/** invalid beats true beats unknown beats false, as the interpreter reads a list. */
function anyMatcher(matchers: readonly LocationMatcher[]): LocationMatcher {
  return (c) => {
    let seenYes = false;
    let seenUnknown = false;
    for (const m of matchers) {
      const r = m(c);
      if (r === INVALID) return INVALID;
      if (r === YES) seenYes = true;
      else if (r === UNKNOWN) seenUnknown = true;
    }
    return seenYes ? YES : seenUnknown ? UNKNOWN : NO;
  };
}

function locationCheck(
  locations: NonNullable<PreparedPolicy['locations']>,
  tenant: PreparedTenant,
): Predicate {
  const trusted = trustedRanges(tenant);
  const include = anyMatcher(locations.include.map((id) => locationMatcher(id, tenant, trusted)));
  const exclude = anyMatcher(locations.exclude.map((id) => locationMatcher(id, tenant, trusted)));
  return (c) => {
    const included = include(c);
    const excluded = exclude(c);
    if (included === INVALID || excluded === INVALID) return R.invalidCondition;
    if (included === NO || excluded === YES) return R.location;
    return included === UNKNOWN || excluded === UNKNOWN ? R.notEnoughInformation : 0;
  };
}

function levelCheck(
  levels: ReadonlySet<string>,
  read: (c: ConditionInput) => string,
  reason: number,
): Predicate {
  return (c) => (levels.has(read(c)) ? 0 : reason);
}

function flowCheck(methods: ReadonlySet<string>): Predicate {
  return (c) => {
    for (const m of c.transferMethods) if (methods.has(m)) return 0;
    return R.authenticationFlow;
  };
}

function riskChecks(policy: PreparedPolicy): Predicate[] {
  const checks: Predicate[] = [];
  if (policy.signInRisk.size > 0)
    checks.push(levelCheck(policy.signInRisk, (c) => c.signInRisk, R.signInRisk));
  if (policy.userRisk.size > 0) checks.push(levelCheck(policy.userRisk, (c) => c.userRisk, R.userRisk));
  if (policy.servicePrincipalRisk.size > 0) {
    const levels = policy.servicePrincipalRisk;
    checks.push((c) =>
      !c.isServicePrincipal || levels.has(c.servicePrincipalRisk) ? 0 : R.workloadIdentities,
    );
  }
  if (policy.insiderRisk.size > 0)
    checks.push(levelCheck(policy.insiderRisk, (c) => c.insiderRisk, R.insiderRisk));
  if (policy.transferMethods.size > 0) checks.push(flowCheck(policy.transferMethods));
  return checks;
}

/** The predicates of one policy's configured conditions, in §5.3 order (steps 5–12). */
function compilePolicyConditions(
  policy: PreparedPolicy,
  tenant: PreparedTenant,
  options: Required<WhatIfOptions>,
): Predicate[] {
  const checks: Predicate[] = [];
  if (policy.platforms) checks.push(platformCheck(policy.platforms));
  if (policy.deviceFilter)
    checks.push(deviceFilterCheck(policy.deviceFilter, options.missingDeviceInfo === 'notEnoughInformation'));
  if (policy.clientAppTypes.size > 0 && !policy.clientAppTypes.has('all'))
    checks.push(clientAppCheck(policy.clientAppTypes));
  if (policy.locations) checks.push(locationCheck(policy.locations, tenant));
  return [...checks, ...riskChecks(policy)];
}

export function compileConditions(
  policies: readonly PreparedPolicy[],
  tenant: PreparedTenant,
  options: Required<WhatIfOptions>,
): ConditionsCompiler {
  return { checks: policies.map((p) => compilePolicyConditions(p, tenant, options)) };
}

function firstFailure(checks: readonly Predicate[], input: ConditionInput): number {
  for (const check of checks) {
    const reason = check(input);
    if (reason !== 0) return reason;
  }
  return 0;
}

/** The condition steps' verdict for every policy. */
export function conditionsStage(compiler: ConditionsCompiler, input: ConditionInput): StageVerdicts {
  const reasons = new Uint8Array(compiler.checks.length);
  compiler.checks.forEach((checks, i) => (reasons[i] = firstFailure(checks, input)));
  return toStage(reasons);
}
