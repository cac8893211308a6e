/**
 * Canonical states of cross-tenant access configurations (Graph `crossTenantAccessPolicyConfigurationDefault` and
 * `…Partner`). Graph fills unset booleans of `inboundTrust` and `automaticUserConsentSettings` with `false`, unset
 * target configurations and `tenantRestrictions.devices` with `null`, and returns read-only flags
 * (`isServiceDefault`, `isInMultiTenantOrganization`) that are not state; both sides are brought to that shape.
 */
import type { GraphBody } from '../../core/graph-port.ts';
import { canonicalize, isRecord } from '../common/canonical.ts';

export const SETTING_PROPERTIES = [
  'inboundTrust',
  'b2bCollaborationInbound',
  'b2bCollaborationOutbound',
  'b2bDirectConnectInbound',
  'b2bDirectConnectOutbound',
  'automaticUserConsentSettings',
  'tenantRestrictions',
] as const;

export const DEFAULT_PROPERTIES: readonly string[] = [
  ...SETTING_PROPERTIES,
  'invitationRedemptionIdentityProviderConfiguration',
];
export const PARTNER_PROPERTIES: readonly string[] = ['tenantId', 'isServiceProvider', ...SETTING_PROPERTIES];
export const POLICY_PROPERTIES: readonly string[] = ['allowedCloudEndpoints'];

const BOOLEAN_SETTINGS: Record<string, readonly string[]> = {
  inboundTrust: ['isMfaAccepted', 'isCompliantDeviceAccepted', 'isHybridAzureADJoinedDeviceAccepted'],
  automaticUserConsentSettings: ['inboundAllowed', 'outboundAllowed'],
};

/** The precedence order of identity providers is a ranking, not a set. */
const ORDERED_ARRAYS = new Set([
  'invitationRedemptionIdentityProviderConfiguration.primaryIdentityProviderPrecedenceOrder',
]);

function fillBooleans(value: unknown, keys: readonly string[]): unknown {
  if (!isRecord(value)) return value;
  return { ...value, ...Object.fromEntries(keys.map((k) => [k, value[k] ?? false])) };
}

function fillB2bSetting(value: unknown, extra: readonly string[] = []): unknown {
  if (!isRecord(value)) return value;
  const out: GraphBody = { ...value };
  for (const key of ['usersAndGroups', 'applications', ...extra]) out[key] = value[key] ?? null;
  return out;
}

function fillSetting(key: string, value: unknown): unknown {
  const booleans = BOOLEAN_SETTINGS[key];
  if (booleans) return fillBooleans(value, booleans);
  if (key === 'tenantRestrictions') return fillB2bSetting(value, ['devices']);
  if (key.startsWith('b2b')) return fillB2bSetting(value);
  return value;
}

/** The canonical state of the `keys` present in `body` (every key of a live object; the given ones of a spec). */
export function canonicalConfiguration(body: GraphBody, keys: readonly string[]): GraphBody {
  const out: GraphBody = {};
  for (const key of keys) {
    if (body[key] === undefined) continue;
    out[key] = fillSetting(key, body[key]);
  }
  if (typeof out.tenantId === 'string') out.tenantId = out.tenantId.toLowerCase();
  return canonicalize(out, { orderedArrays: ORDERED_ARRAYS });
}

/** Drops Graph's `null` fill-ins again (for export); expanding the result fills them back. */
export function exportConfiguration(state: GraphBody): GraphBody {
  const out: GraphBody = {};
  for (const [key, value] of Object.entries(state)) {
    if (value === null || value === undefined) continue;
    out[key] = isRecord(value)
      ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null))
      : value;
  }
  return out;
}
