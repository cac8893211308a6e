/**
 * The body of `POST /identity/conditionalAccess/evaluate` (graph-contract §9.1) and of the older beta shape
 * (§9.3), validated and normalised into the engine's `SignIn`. Anything wrong is Graph's 400.
 */
import { isIP } from 'node:net';
import { badRequest } from '../errors.ts';
import {
  CLIENT_APP_TYPES,
  DEVICE_PLATFORMS,
  GUEST_OR_EXTERNAL_USER_TYPES,
  RISK_LEVELS,
  SERVICE_PRINCIPAL_RISK_LEVELS,
  TRANSFER_METHODS,
} from '../../model/ca-enums.ts';
import { ISO_COUNTRY_CODES } from '../../model/countries.ts';
import type {
  DeviceInfo,
  ExternalUserType,
  SignIn,
  SignInConditions,
  SignInContext,
  SignInIdentity,
  UserAction,
} from '../../whatif/types.ts';

export interface EvaluateRequest {
  signIn: SignIn;
  appliedPoliciesOnly: boolean;
}

type Body = Record<string, unknown>;

const INSIDER_LEVELS = ['none', 'minor', 'moderate', 'elevated', 'unknownFutureValue'] as const;
const USER_ACTIONS = ['registerSecurityInformation', 'registerOrJoinDevices', 'unknownFutureValue'] as const;

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: Body): string {
  const type = value['@odata.type'];
  return typeof type === 'string' ? type.replace(/^#?(microsoft\.graph\.)?/i, '').toLowerCase() : '';
}

/** A single enum member, echoed in its canonical case; `undefined` when absent. */
function readEnum(body: Body, key: string, members: readonly string[]): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  const match =
    typeof value === 'string' ? members.find((m) => m.toLowerCase() === value.toLowerCase()) : undefined;
  if (match === undefined || match === 'unknownFutureValue') {
    throw badRequest(`Invalid value '${String(value).slice(0, 100)}' for property '${key}'.`);
  }
  return match;
}

function readFlags(body: Body, key: string, members: readonly string[]): string[] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (typeof value !== 'string') throw badRequest(`Invalid value for property '${key}'.`);
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .map((v) => readEnum({ [key]: v }, key, members)!)
    .filter((v) => v !== 'none');
}

function readText(body: Body, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`Invalid value for property '${key}': expected a string.`);
  return value;
}

function requireObject(body: Body, key: string): Body {
  const value = body[key];
  if (value === undefined || value === null) throw badRequest(`The parameter '${key}' is required.`);
  if (!isBody(value)) throw badRequest(`Invalid value for parameter '${key}': expected an object.`);
  return value;
}

function parseIdentity(value: Body): SignInIdentity {
  const type = typeOf(value);
  if (
    type === 'serviceprincipalsignin' ||
    type === 'serviceprincipalsubject' ||
    (type === '' && 'servicePrincipalId' in value)
  ) {
    const id = readText(value, 'servicePrincipalId');
    if (!id) throw badRequest("The property 'servicePrincipalId' is required.");
    return { kind: 'servicePrincipal', servicePrincipalId: id };
  }
  if (type !== 'usersignin' && type !== 'usersubject' && type !== '') {
    throw badRequest(`'${String(value['@odata.type']).slice(0, 100)}' is not a signInIdentity type.`);
  }
  const userId = readText(value, 'userId');
  if (!userId) throw badRequest("The property 'userId' is required.");
  const externalUserTypes = readFlags(value, 'externalUserType', GUEST_OR_EXTERNAL_USER_TYPES);
  if (externalUserTypes.length > 1)
    throw badRequest(
      `Invalid value for property 'externalUserType': a sign-in has one external user type, got '${externalUserTypes.join(',')}'.`,
    );
  const [externalUserType] = externalUserTypes;
  const externalTenantId = readText(value, 'externalTenantId');
  return {
    kind: 'user',
    userId,
    ...(externalUserType ? { externalUserType: externalUserType as ExternalUserType } : {}),
    ...(externalTenantId ? { externalTenantId } : {}),
  };
}

function parseApplications(value: Body): SignInContext {
  const apps = value.includeApplications;
  if (!Array.isArray(apps) || apps.length === 0 || !apps.every((a) => typeof a === 'string')) {
    throw badRequest("The property 'includeApplications' must list at least one application id.");
  }
  return { kind: 'application', includeApplications: apps };
}

function parseContext(value: Body): SignInContext {
  const type = typeOf(value);
  if (type.endsWith('applicationcontext') || (type === '' && 'includeApplications' in value)) {
    return parseApplications(value);
  }
  if (type.endsWith('useractioncontext') || (type === '' && 'userAction' in value)) {
    const userAction = readEnum(value, 'userAction', USER_ACTIONS);
    if (!userAction) throw badRequest("The property 'userAction' is required.");
    return { kind: 'userAction', userAction: userAction as UserAction };
  }
  if (
    type.endsWith('authcontext') ||
    type.endsWith('authenticationcontext') ||
    'authenticationContextValue' in value
  ) {
    const ref = readText(value, 'authenticationContextValue');
    if (!ref || !/^c([1-9]|[1-9][0-9])$/i.test(ref)) {
      throw badRequest(
        "The property 'authenticationContextValue' must be an authentication context id (c1…c99).",
      );
    }
    return { kind: 'authContext', authenticationContextValue: ref.toLowerCase() };
  }
  throw badRequest(`'${String(value['@odata.type'] ?? '').slice(0, 100)}' is not a signInContext type.`);
}

function parseLocationInputs(body: Body): Pick<SignInConditions, 'country' | 'ipAddress'> {
  const ipAddress = readText(body, 'ipAddress');
  if (ipAddress !== undefined && isIP(ipAddress.trim()) === 0) {
    throw badRequest(`Invalid value '${ipAddress.slice(0, 100)}' for property 'ipAddress'.`);
  }
  const country = readText(body, 'country');
  if (country !== undefined && !ISO_COUNTRY_CODES.has(country.toUpperCase())) {
    throw badRequest(`Invalid value '${country.slice(0, 100)}' for property 'country'.`);
  }
  return {
    ...(ipAddress !== undefined ? { ipAddress: ipAddress.trim() } : {}),
    ...(country !== undefined ? { country: country.toUpperCase() } : {}),
  };
}

function parseDeviceInfo(body: Body): DeviceInfo | undefined {
  const value = body.deviceInfo;
  if (value === undefined || value === null) return undefined;
  if (!isBody(value)) throw badRequest("Invalid value for property 'deviceInfo'.");
  return value as DeviceInfo;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function parseConditions(body: Body): SignInConditions {
  const flow = body.authenticationFlow;
  const transferMethods = isBody(flow) ? readFlags(flow, 'transferMethod', TRANSFER_METHODS) : [];
  return withoutUndefined<SignInConditions>({
    devicePlatform: readEnum(body, 'devicePlatform', DEVICE_PLATFORMS),
    clientAppType: readEnum(body, 'clientAppType', CLIENT_APP_TYPES),
    signInRiskLevel: readEnum(body, 'signInRiskLevel', RISK_LEVELS),
    userRiskLevel: readEnum(body, 'userRiskLevel', RISK_LEVELS),
    servicePrincipalRiskLevel: readEnum(body, 'servicePrincipalRiskLevel', SERVICE_PRINCIPAL_RISK_LEVELS),
    insiderRiskLevel: readEnum(body, 'insiderRiskLevel', INSIDER_LEVELS),
    authenticationFlow:
      transferMethods.length > 0 ? { transferMethod: transferMethods.join(',') } : undefined,
    deviceInfo: parseDeviceInfo(body),
    ...parseLocationInputs(body),
  });
}

/** The v1.0 parameter names, or the beta ones (§9.3) on the beta endpoint. */
const SHAPES = {
  v1: { identity: 'signInIdentity', context: 'signInContext', conditions: 'signInConditions' },
  beta: {
    identity: 'conditionalAccessWhatIfSubject',
    context: 'conditionalAccessContext',
    conditions: 'conditionalAccessWhatIfConditions',
  },
} as const;

export function parseEvaluateRequest(body: unknown, version: 'v1.0' | 'beta'): EvaluateRequest {
  if (!isBody(body)) throw badRequest('The request body must be a JSON object.');
  const isBetaShape =
    version === 'beta' && SHAPES.v1.identity in body === false && SHAPES.beta.identity in body;
  const names = isBetaShape ? SHAPES.beta : SHAPES.v1;
  const conditions = body[names.conditions];
  if (conditions !== undefined && conditions !== null && !isBody(conditions)) {
    throw badRequest(`Invalid value for parameter '${names.conditions}': expected an object.`);
  }
  const applied = body.appliedPoliciesOnly;
  if (applied !== undefined && applied !== null && typeof applied !== 'boolean') {
    throw badRequest("Invalid value for parameter 'appliedPoliciesOnly': expected a boolean.");
  }
  return {
    signIn: {
      identity: parseIdentity(requireObject(body, names.identity)),
      context: parseContext(requireObject(body, names.context)),
      conditions: parseConditions(isBody(conditions) ? conditions : {}),
    },
    appliedPoliciesOnly: applied === true,
  };
}
