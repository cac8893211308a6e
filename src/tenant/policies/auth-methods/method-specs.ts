/**
 * The type-specific properties of each authentication method configuration (graph-contract §4.2): what can be
 * written, how each value is checked, and the extra properties its include targets carry.
 */
import { badRequest } from '../../errors.ts';
import {
  isRecord,
  rejectUnknown,
  requireArray,
  requireBoolean,
  requireEnum,
  requireInteger,
  requireObject,
  requireString,
  requireStringArray,
  type Json,
} from './json-checks.ts';

type Check = (value: unknown, name: string, current: Json) => unknown;

interface TargetExtra {
  check: (value: unknown, name: string) => unknown;
  /** Value given to a new include target that leaves the property out. */
  fallback: unknown;
}

export interface MethodSpec {
  properties: Record<string, Check>;
  targetExtras: Record<string, TargetExtra>;
  /** Checks between properties, on the merged configuration. */
  finalCheck?: (doc: Json) => void;
}

const EMAIL_OTP_STATES = ['default', 'enabled', 'disabled', 'unknownFutureValue'] as const;
const FEATURE_STATES = ['default', 'enabled', 'disabled', 'unknownFutureValue'] as const;
const FEATURE_TARGET_TYPES = ['group', 'administrativeUnit', 'role', 'unknownFutureValue'] as const;
const AUTHENTICATOR_MODES = ['deviceBasedPush', 'push', 'any'] as const;
const FIDO2_ENFORCEMENT = ['allow', 'block', 'unknownFutureValue'] as const;
const LIFETIME_MIN = 10;
const LIFETIME_MAX = 43200;

const bool: Check = (value, name) => requireBoolean(value, name);

function checkKeyRestrictions(value: unknown, name: string, current: Json): Json {
  const body = requireObject(value, name);
  rejectUnknown(body, ['aaGuids', 'enforcementType', 'isEnforced'], 'fido2KeyRestrictions');
  const previous = isRecord(current.keyRestrictions) ? current.keyRestrictions : {};
  const out: Json = { isEnforced: false, enforcementType: 'block', aaGuids: [], ...previous };
  if (body.isEnforced !== undefined) out.isEnforced = requireBoolean(body.isEnforced, `${name}.isEnforced`);
  if (body.enforcementType !== undefined) {
    out.enforcementType = requireEnum(body.enforcementType, `${name}.enforcementType`, FIDO2_ENFORCEMENT);
  }
  if (body.aaGuids !== undefined) out.aaGuids = requireStringArray(body.aaGuids, `${name}.aaGuids`);
  return out;
}

function checkFeatureTarget(value: unknown, name: string): Json {
  const target = requireObject(value, name);
  rejectUnknown(target, ['id', 'targetType'], 'featureTarget');
  return {
    targetType: requireEnum(target.targetType, `${name}.targetType`, FEATURE_TARGET_TYPES),
    id: requireString(target.id, `${name}.id`),
  };
}

function checkFeatureSetting(value: unknown, name: string, previous: unknown): Json {
  const body = requireObject(value, name);
  rejectUnknown(
    body,
    ['state', 'includeTarget', 'excludeTarget'],
    'authenticationMethodFeatureConfiguration',
  );
  const out: Json = isRecord(previous) ? { ...previous } : {};
  if (body.state !== undefined) out.state = requireEnum(body.state, `${name}.state`, FEATURE_STATES);
  if (body.includeTarget !== undefined)
    out.includeTarget = checkFeatureTarget(body.includeTarget, `${name}.includeTarget`);
  if (body.excludeTarget !== undefined)
    out.excludeTarget = checkFeatureTarget(body.excludeTarget, `${name}.excludeTarget`);
  if (out.state === undefined) throw badRequest(`Property '${name}.state' is required.`);
  return out;
}

const FEATURE_SETTING_NAMES = [
  'displayAppInformationRequiredState',
  'displayLocationInformationRequiredState',
];

function checkFeatureSettings(value: unknown, name: string, current: Json): Json {
  const body = requireObject(value, name);
  rejectUnknown(body, FEATURE_SETTING_NAMES, 'microsoftAuthenticatorFeatureSettings');
  const previous = isRecord(current.featureSettings) ? current.featureSettings : {};
  const out: Json = { ...previous };
  for (const key of FEATURE_SETTING_NAMES) {
    if (body[key] !== undefined) out[key] = checkFeatureSetting(body[key], `${name}.${key}`, previous[key]);
  }
  return out;
}

function lifetime(value: unknown, name: string): number {
  return requireInteger(value, name, LIFETIME_MIN, LIFETIME_MAX);
}

function checkTapRanges(doc: Json): void {
  const min = Number(doc.minimumLifetimeInMinutes);
  const max = Number(doc.maximumLifetimeInMinutes);
  const lifetimeDefault = Number(doc.defaultLifetimeInMinutes);
  if (min > max) {
    throw badRequest('minimumLifetimeInMinutes must not be greater than maximumLifetimeInMinutes.');
  }
  if (lifetimeDefault < min || lifetimeDefault > max) {
    throw badRequest(
      'defaultLifetimeInMinutes must be between minimumLifetimeInMinutes and maximumLifetimeInMinutes.',
    );
  }
}

function objectOf(typeName: string): Check {
  return (value, name) => {
    if (!isRecord(value))
      throw badRequest(`Invalid value for property '${name}': expected a ${typeName} object.`);
    return value;
  };
}

function arrayOfObjects(typeName: string): Check {
  return (value, name) => {
    const items = requireArray(value, name);
    items.forEach((item, i) => objectOf(typeName)(item, `${name}[${i}]`, {}));
    return items;
  };
}

/** Keyed by the lower-camel URL segment of `METHOD_CONFIGURATION_TYPES`. */
export const METHOD_SPECS: Record<string, MethodSpec> = {
  email: {
    properties: {
      allowExternalIdToUseEmailOtp: (value, name) => requireEnum(value, name, EMAIL_OTP_STATES),
    },
    targetExtras: {},
  },
  fido2: {
    properties: {
      isAttestationEnforced: bool,
      isSelfServiceRegistrationAllowed: bool,
      keyRestrictions: checkKeyRestrictions,
      defaultPasskeyProfile: (value, name) => (value === null ? null : requireString(value, name)),
    },
    targetExtras: {
      allowedPasskeyProfiles: {
        check: (value, name) => requireStringArray(value, name),
        fallback: undefined,
      },
    },
  },
  microsoftAuthenticator: {
    properties: { isSoftwareOathEnabled: bool, featureSettings: checkFeatureSettings },
    targetExtras: {
      authenticationMode: {
        check: (value, name) => requireEnum(value, name, AUTHENTICATOR_MODES),
        fallback: 'any',
      },
    },
  },
  sms: {
    properties: {},
    targetExtras: {
      isUsableForSignIn: { check: (value, name) => requireBoolean(value, name), fallback: true },
    },
  },
  voice: { properties: { isOfficePhoneAllowed: bool }, targetExtras: {} },
  softwareOath: { properties: {}, targetExtras: {} },
  temporaryAccessPass: {
    properties: {
      defaultLength: (value, name) => requireInteger(value, name, 8, 48),
      defaultLifetimeInMinutes: lifetime,
      isUsableOnce: bool,
      minimumLifetimeInMinutes: lifetime,
      maximumLifetimeInMinutes: lifetime,
    },
    targetExtras: {},
    finalCheck: checkTapRanges,
  },
  x509Certificate: {
    properties: {
      authenticationModeConfiguration: objectOf('x509CertificateAuthenticationModeConfiguration'),
      certificateUserBindings: arrayOfObjects('x509CertificateUserBinding'),
      crlValidationConfiguration: objectOf('x509CertificateCRLValidationConfiguration'),
      issuerHintsConfiguration: objectOf('x509CertificateIssuerHintsConfiguration'),
      certificateAuthorityScopes: arrayOfObjects('x509CertificateAuthorityScope'),
    },
    targetExtras: {},
  },
};
