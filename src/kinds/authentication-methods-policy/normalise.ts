/**
 * Canonical states of method configurations and the policy-level settings. Graph fills defaults into what it
 * stores (an include target gets `isRegistrationRequired: false`, an Authenticator target `authenticationMode:
 * 'any'`, a campaign its snooze duration, …) and merges nested settings with what it had. Both sides are filled
 * with the same defaults here, so a manifest that leaves a default out shows no change, and the PATCH built from
 * the desired state sets every nested value (so the tenant converges on exactly what git says).
 */
import type { GraphBody } from '../../core/graph-port.ts';
import { canonicalize, isRecord } from '../common/canonical.ts';
import type { MethodType } from './method-types.ts';

export const ALL_USERS = 'all_users';
export const NO_TARGET = '00000000-0000-0000-0000-000000000000';
const FEATURE_SETTINGS = ['displayAppInformationRequiredState', 'displayLocationInformationRequiredState'];
const INCLUDE_TARGET_DEFAULTS = { isRegistrationRequired: false };
const KEY_RESTRICTION_DEFAULTS = { isEnforced: false, enforcementType: 'block', aaGuids: [] };
const CAMPAIGN_TARGET_DEFAULTS = { targetedAuthenticationMethod: 'microsoftAuthenticator' };
const CAMPAIGN_DEFAULTS = {
  snoozeDurationInDays: 1,
  state: 'default',
  enforceRegistrationAfterAllowedSnoozes: true,
};

/** `All_Users` is Graph's pseudo group; it is echoed in lower case. */
export function normaliseTargetId(id: unknown): unknown {
  return typeof id === 'string' && id.toLowerCase() === ALL_USERS ? ALL_USERS : id;
}

function mapTargets(value: unknown, defaults: Readonly<Record<string, unknown>>): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((t) => (isRecord(t) ? { ...defaults, ...t, id: normaliseTargetId(t.id) } : t));
}

function featureTarget(value: unknown, fallbackId: string): GraphBody {
  const target = isRecord(value) ? value : { targetType: 'group', id: fallbackId };
  return { ...target, id: normaliseTargetId(target.id) };
}

function featureSetting(value: unknown): GraphBody {
  const setting = isRecord(value) ? value : {};
  return {
    ...setting,
    state: setting.state ?? 'default',
    includeTarget: featureTarget(setting.includeTarget, ALL_USERS),
    excludeTarget: featureTarget(setting.excludeTarget, NO_TARGET),
  };
}

function featureSettings(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return {
    ...value,
    ...Object.fromEntries(FEATURE_SETTINGS.map((name) => [name, featureSetting(value[name])])),
  };
}

/**
 * The canonical state of one method configuration: the properties given (all of them for a live object), with
 * `@odata.type` and Graph's defaults inside targets and nested settings.
 */
export function canonicalMethodConfig(method: MethodType | undefined, body: GraphBody): GraphBody {
  const out: GraphBody = { ...body };
  delete out.id;
  out['@odata.type'] = method?.odataType ?? body['@odata.type'];
  const targetDefaults = { ...INCLUDE_TARGET_DEFAULTS, ...method?.targetDefaults };
  if ('includeTargets' in out) out.includeTargets = mapTargets(out.includeTargets, targetDefaults);
  if ('excludeTargets' in out) out.excludeTargets = mapTargets(out.excludeTargets, {});
  if ('featureSettings' in out) out.featureSettings = featureSettings(out.featureSettings);
  if (isRecord(out.keyRestrictions))
    out.keyRestrictions = { ...KEY_RESTRICTION_DEFAULTS, ...out.keyRestrictions };
  return canonicalize(out);
}

function campaign(value: unknown): GraphBody {
  const body = isRecord(value) ? value : {};
  const includeTargets = body.includeTargets ?? [{ id: ALL_USERS, targetType: 'group' }];
  return {
    ...CAMPAIGN_DEFAULTS,
    ...body,
    includeTargets: mapTargets(includeTargets, CAMPAIGN_TARGET_DEFAULTS),
    excludeTargets: mapTargets(body.excludeTargets ?? [], {}),
  };
}

/** The canonical state of the policy-level settings present in `body`. */
export function canonicalPolicySettings(body: GraphBody, keys: readonly string[]): GraphBody {
  const out: GraphBody = {};
  for (const key of keys) {
    if (body[key] === undefined) continue;
    out[key] = body[key];
  }
  if (isRecord(out.registrationEnforcement)) {
    out.registrationEnforcement = {
      ...out.registrationEnforcement,
      authenticationMethodsRegistrationCampaign: campaign(
        out.registrationEnforcement.authenticationMethodsRegistrationCampaign,
      ),
    };
  }
  return canonicalize(out);
}

function pruneTargetDefaults(value: unknown, defaults: Readonly<Record<string, unknown>>): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((t) => {
    if (!isRecord(t)) return t;
    return Object.fromEntries(Object.entries(t).filter(([k, v]) => !(k in defaults) || defaults[k] !== v));
  });
}

/** A method configuration's state as a person would write it: no `@odata.type`, target defaults left out. */
export function exportMethodConfig(method: MethodType | undefined, state: GraphBody): GraphBody {
  const out: GraphBody = { ...state };
  delete out['@odata.type'];
  const targetDefaults = { ...INCLUDE_TARGET_DEFAULTS, ...method?.targetDefaults };
  if ('includeTargets' in out) out.includeTargets = pruneTargetDefaults(out.includeTargets, targetDefaults);
  return out;
}

/** The policy-level settings as a person would write them: campaign defaults left out. */
export function exportPolicySettings(state: GraphBody): GraphBody {
  const out: GraphBody = { ...state };
  const enforcement = out.registrationEnforcement;
  if (!isRecord(enforcement) || !isRecord(enforcement.authenticationMethodsRegistrationCampaign)) return out;
  const current = enforcement.authenticationMethodsRegistrationCampaign;
  const pruned: GraphBody = Object.fromEntries(
    Object.entries(current).filter(
      ([k, v]) => !(k in CAMPAIGN_DEFAULTS) || CAMPAIGN_DEFAULTS[k as keyof typeof CAMPAIGN_DEFAULTS] !== v,
    ),
  );
  pruned.includeTargets = pruneTargetDefaults(current.includeTargets, CAMPAIGN_TARGET_DEFAULTS);
  out.registrationEnforcement = { ...enforcement, authenticationMethodsRegistrationCampaign: pruned };
  return out;
}
