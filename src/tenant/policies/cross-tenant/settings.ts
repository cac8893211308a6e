/**
 * Cross-tenant access settings (Graph `crossTenantAccessPolicyConfigurationDefault` and
 * `crossTenantAccessPolicyConfigurationPartner`): the service defaults and the checks applied to written values.
 */
import { badRequest } from '../../errors.ts';
import {
  hasOwn,
  rejectUnknown,
  requireArray,
  requireBoolean,
  requireEnum,
  requireObject,
  requireString,
  type Json,
} from '../auth-methods/json-checks.ts';

const ACCESS_TYPES = ['allowed', 'blocked', 'unknownFutureValue'] as const;
const USER_TARGET_TYPES = ['user', 'group'] as const;
const APP_TARGET_TYPES = ['application'] as const;

/** The complex properties both the default and a partner configuration carry. */
export const SETTING_PROPERTIES = [
  'inboundTrust',
  'b2bCollaborationInbound',
  'b2bCollaborationOutbound',
  'b2bDirectConnectInbound',
  'b2bDirectConnectOutbound',
  'automaticUserConsentSettings',
  'tenantRestrictions',
] as const;

function access(accessType: 'allowed' | 'blocked', target: string, targetType: string): Json {
  return { accessType, targets: [{ target, targetType }] };
}

function b2bSetting(accessType: 'allowed' | 'blocked'): Json {
  return {
    usersAndGroups: access(accessType, 'AllUsers', 'user'),
    applications: access(accessType, 'AllApplications', 'application'),
  };
}

/** The default configuration as Graph returns it for a tenant that never changed it. */
export function serviceDefaultConfiguration(): Json {
  return {
    id: 'default',
    isServiceDefault: true,
    inboundTrust: {
      isMfaAccepted: false,
      isCompliantDeviceAccepted: false,
      isHybridAzureADJoinedDeviceAccepted: false,
    },
    b2bCollaborationOutbound: b2bSetting('allowed'),
    b2bCollaborationInbound: b2bSetting('allowed'),
    b2bDirectConnectOutbound: b2bSetting('blocked'),
    b2bDirectConnectInbound: b2bSetting('blocked'),
    automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
    tenantRestrictions: { ...b2bSetting('blocked'), devices: null },
    invitationRedemptionIdentityProviderConfiguration: {
      primaryIdentityProviderPrecedenceOrder: [
        'externalFederation',
        'azureActiveDirectory',
        'socialIdentityProviders',
      ],
      fallbackIdentityProvider: 'defaultConfiguredIdp',
    },
  };
}

function parseTargetConfiguration(raw: unknown, name: string, kind: 'users' | 'apps'): Json {
  const body = requireObject(raw, name);
  rejectUnknown(body, ['accessType', 'targets'], 'crossTenantAccessPolicyTargetConfiguration');
  const out: Json = { accessType: requireEnum(body.accessType, `${name}.accessType`, ACCESS_TYPES) };
  const targets = requireArray(body.targets ?? [], `${name}.targets`).map((item, i) => {
    const at = `${name}.targets[${i}]`;
    const target = requireObject(item, at);
    rejectUnknown(target, ['target', 'targetType'], 'crossTenantAccessPolicyTarget');
    const types = kind === 'users' ? USER_TARGET_TYPES : APP_TARGET_TYPES;
    return {
      target: requireString(target.target, `${at}.target`),
      targetType: requireEnum(target.targetType, `${at}.targetType`, types),
    };
  });
  if (targets.length === 0) throw badRequest(`'${name}.targets' must list at least one target.`);
  out.targets = targets;
  return out;
}

function parseB2bSetting(raw: unknown, name: string, extra: readonly string[] = []): Json | null {
  if (raw === null) return null;
  const body = requireObject(raw, name);
  rejectUnknown(body, ['usersAndGroups', 'applications', ...extra], 'crossTenantAccessPolicyB2BSetting');
  const out: Json = {};
  out.usersAndGroups =
    body.usersAndGroups == null
      ? null
      : parseTargetConfiguration(body.usersAndGroups, `${name}.usersAndGroups`, 'users');
  out.applications =
    body.applications == null
      ? null
      : parseTargetConfiguration(body.applications, `${name}.applications`, 'apps');
  return out;
}

function parseBooleans(raw: unknown, name: string, keys: readonly string[], typeName: string): Json | null {
  if (raw === null) return null;
  const body = requireObject(raw, name);
  rejectUnknown(body, keys, typeName);
  const out: Json = {};
  for (const key of keys)
    out[key] =
      body[key] === undefined || body[key] === null ? false : requireBoolean(body[key], `${name}.${key}`);
  return out;
}

function parseTenantRestrictions(raw: unknown): Json | null {
  if (raw === null) return null;
  const out = parseB2bSetting(raw, 'tenantRestrictions', ['devices'])!;
  const devices = (raw as Json).devices;
  if (devices !== undefined && devices !== null) requireObject(devices, 'tenantRestrictions.devices');
  out.devices = devices ?? null;
  return out;
}

function parseSetting(key: (typeof SETTING_PROPERTIES)[number], raw: unknown): Json | null {
  switch (key) {
    case 'inboundTrust':
      return parseBooleans(
        raw,
        key,
        ['isMfaAccepted', 'isCompliantDeviceAccepted', 'isHybridAzureADJoinedDeviceAccepted'],
        'crossTenantAccessPolicyInboundTrust',
      );
    case 'automaticUserConsentSettings':
      return parseBooleans(
        raw,
        key,
        ['inboundAllowed', 'outboundAllowed'],
        'inboundOutboundPolicyConfiguration',
      );
    case 'tenantRestrictions':
      return parseTenantRestrictions(raw);
    default:
      return parseB2bSetting(raw, key);
  }
}

/** Applies the settings in `body` to `current`; complex values are replaced whole (null clears on a partner). */
export function applySettings(current: Json, body: Json, allowNull: boolean): Json {
  const next: Json = { ...current };
  for (const key of SETTING_PROPERTIES) {
    if (!hasOwn(body, key)) continue;
    if (body[key] === null && !allowNull)
      throw badRequest(`Property '${key}' of the default configuration cannot be null.`);
    next[key] = parseSetting(key, body[key]);
  }
  return next;
}
