/**
 * A simulated sign-in as a person writes it (on the command line or in a scenario file): readable names for the
 * user, service principal and application, enum values checked against Graph's members. `checkSignInRequest`
 * returns every problem as a sentence; `toSignIn` builds the engine's input once the names are resolved.
 */
import { isIP } from 'node:net';
import {
  CLIENT_APP_TYPES,
  DEVICE_PLATFORMS,
  INSIDER_RISK_LEVELS,
  RISK_LEVELS,
  SERVICE_PRINCIPAL_RISK_LEVELS,
  TRANSFER_METHODS,
} from '../model/ca-enums.ts';
import { ISO_COUNTRY_CODES } from '../model/countries.ts';
import { DEVICE_FILTER_SCHEMA } from '../whatif/filter-schemas.ts';
import type { DeviceInfo, SignIn, SignInConditions, SignInContext, UserAction } from '../whatif/types.ts';

export type DeviceValue = string | boolean | readonly string[];

export interface SignInRequest {
  /** A userPrincipalName or object id. */
  user?: string;
  /** An appId, object id or display name. */
  servicePrincipal?: string;
  /** The target resource: an appId or display name. */
  application?: string;
  userAction?: string;
  authenticationContext?: string;
  platform?: string;
  clientApp?: string;
  ip?: string;
  country?: string;
  signInRisk?: string;
  userRisk?: string;
  servicePrincipalRisk?: string;
  insiderRisk?: string;
  authFlow?: string;
  device?: Readonly<Record<string, DeviceValue>>;
}

const USER_ACTIONS: readonly UserAction[] = ['registerSecurityInformation', 'registerOrJoinDevices'];

/** The enum-valued fields and their members (Graph's, without `unknownFutureValue`). */
export const SIGN_IN_ENUMS = {
  userAction: USER_ACTIONS,
  platform: without(DEVICE_PLATFORMS),
  clientApp: without(CLIENT_APP_TYPES),
  signInRisk: without(RISK_LEVELS),
  userRisk: without(RISK_LEVELS),
  servicePrincipalRisk: without(SERVICE_PRINCIPAL_RISK_LEVELS),
  insiderRisk: without(INSIDER_RISK_LEVELS),
  authFlow: without(TRANSFER_METHODS),
} as const satisfies Partial<Record<keyof SignInRequest, readonly string[]>>;

type EnumField = keyof typeof SIGN_IN_ENUMS;

function without(values: readonly string[]): readonly string[] {
  return values.filter((v) => v !== 'unknownFutureValue');
}

/** The member as Graph spells it, matched case-insensitively. */
export function canonicalMember(field: EnumField, value: string): string | undefined {
  const wanted = value.trim().toLowerCase();
  return SIGN_IN_ENUMS[field].find((m) => m.toLowerCase() === wanted);
}

function checkEnums(request: SignInRequest, label: (field: string) => string): string[] {
  const problems: string[] = [];
  for (const field of Object.keys(SIGN_IN_ENUMS) as EnumField[]) {
    const value = request[field];
    if (value === undefined || canonicalMember(field, value)) continue;
    problems.push(`${label(field)} must be one of ${SIGN_IN_ENUMS[field].join(', ')} (got '${value}')`);
  }
  return problems;
}

function countOf(...values: unknown[]): number {
  return values.filter((v) => v !== undefined).length;
}

function checkShape(request: SignInRequest, label: (field: string) => string): string[] {
  const problems: string[] = [];
  if (countOf(request.user, request.servicePrincipal) !== 1)
    problems.push(`give exactly one of ${label('user')} and ${label('servicePrincipal')}`);
  if (countOf(request.application, request.userAction, request.authenticationContext) !== 1) {
    const fields = ['application', 'userAction', 'authenticationContext'].map(label).join(', ');
    problems.push(`give exactly one of ${fields}`);
  }
  const context = request.authenticationContext;
  if (context !== undefined && !/^c([1-9]|[1-9][0-9])$/i.test(context))
    problems.push(`${label('authenticationContext')} must be c1 … c99 (got '${context}')`);
  if (request.ip !== undefined && isIP(request.ip.trim()) === 0)
    problems.push(`${label('ip')} must be an IPv4 or IPv6 address (got '${request.ip}')`);
  if (request.country !== undefined && !ISO_COUNTRY_CODES.has(request.country.trim().toUpperCase()))
    problems.push(`${label('country')} must be a two-letter ISO 3166 code (got '${request.country}')`);
  return problems;
}

/** The attributes device filters can test (ca-evaluation §2.10), as the rule spells them; `ownership` is Graph's name. */
const DEVICE_ATTRIBUTE_NAMES = [
  'deviceId',
  'mdmAppId',
  'displayName',
  'enrollmentProfileName',
  'manufacturer',
  'model',
  'operatingSystem',
  'operatingSystemVersion',
  'deviceOwnership',
  'isCompliant',
  'profileType',
  'trustType',
  'physicalIds',
  'systemLabels',
];

function isDeviceAttribute(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'ownership' || DEVICE_FILTER_SCHEMA.attributes?.has(lower) === true;
}

/** A misspelt device attribute would silently test nothing: the filter reads it as null. */
function checkDevice(request: SignInRequest, label: (field: string) => string): string[] {
  const unknown = Object.keys(request.device ?? {}).filter((name) => !isDeviceAttribute(name));
  if (unknown.length === 0) return [];
  const known = `${DEVICE_ATTRIBUTE_NAMES.join(', ')}, extensionAttribute1 … extensionAttribute15`;
  return [
    `${label('device')} has no attribute ${unknown.map((n) => `'${n}'`).join(', ')} (device filters know ${known})`,
  ];
}

/** Every problem of the request, each a sentence naming the field as the caller spells it. */
export function checkSignInRequest(
  request: SignInRequest,
  label: (field: string) => string = (field) => field,
): string[] {
  return [...checkShape(request, label), ...checkEnums(request, label), ...checkDevice(request, label)];
}

export interface ResolvedNames {
  /** The directory object id of the user, or the service principal's id. */
  subjectId: string;
  /** The target application's appId (application sign-ins only). */
  appId?: string;
}

function contextOf(request: SignInRequest, names: ResolvedNames): SignInContext {
  if (request.userAction !== undefined)
    return {
      kind: 'userAction',
      userAction: canonicalMember('userAction', request.userAction) as UserAction,
    };
  if (request.authenticationContext !== undefined)
    return { kind: 'authContext', authenticationContextValue: request.authenticationContext.toLowerCase() };
  return { kind: 'application', includeApplications: names.appId ? [names.appId] : [] };
}

function enumValue(request: SignInRequest, field: EnumField): string | undefined {
  const value = request[field];
  return value === undefined ? undefined : canonicalMember(field, value);
}

function conditionsOf(request: SignInRequest): SignInConditions {
  const conditions: SignInConditions = {
    devicePlatform: enumValue(request, 'platform'),
    clientAppType: enumValue(request, 'clientApp'),
    signInRiskLevel: enumValue(request, 'signInRisk'),
    userRiskLevel: enumValue(request, 'userRisk'),
    servicePrincipalRiskLevel: enumValue(request, 'servicePrincipalRisk'),
    insiderRiskLevel: enumValue(request, 'insiderRisk'),
    ipAddress: request.ip?.trim(),
    country: request.country?.trim().toUpperCase(),
    authenticationFlow: request.authFlow ? { transferMethod: enumValue(request, 'authFlow') } : undefined,
    deviceInfo: request.device as DeviceInfo | undefined,
  };
  return Object.fromEntries(
    Object.entries(conditions).filter(([, v]) => v !== undefined),
  ) as SignInConditions;
}

/** The engine's sign-in for a request that `checkSignInRequest` accepted and whose names resolved. */
export function toSignIn(request: SignInRequest, names: ResolvedNames): SignIn {
  const identity: SignIn['identity'] =
    request.user !== undefined
      ? { kind: 'user', userId: names.subjectId }
      : { kind: 'servicePrincipal', servicePrincipalId: names.subjectId };
  return { identity, context: contextOf(request, names), conditions: conditionsOf(request) };
}
