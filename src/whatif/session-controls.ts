/**
 * Merging the session controls of every applying enabled policy (ca-evaluation §4.2). Microsoft does not document
 * conflicts; the engine takes the most restrictive value (§6 #1, ADR 0006) and lists each policy's contribution.
 */
import { isObject, type JsonObject, readBoolean, readString } from './json-read.ts';
import type { PreparedPolicy } from './prepare.ts';
import type { MergedSessionControls, SessionContribution } from './types.ts';

const CLOUD_APP_SECURITY_RANK: Record<string, number> = {
  mcasConfigured: 1,
  monitorOnly: 2,
  blockDownloads: 3,
};
const HOURS_PER: Record<string, number> = { hours: 1, days: 24 };

type Pick = (a: JsonObject, b: JsonObject) => JsonObject;

/** `everyTime` beats any period; otherwise the shorter period wins. */
const pickSignInFrequency: Pick = (a, b) => {
  const everyTime = (x: JsonObject): boolean => readString(x, 'frequencyInterval') === 'everyTime';
  if (everyTime(a) || everyTime(b)) return everyTime(a) ? a : b;
  const hours = (x: JsonObject): number =>
    (typeof x.value === 'number' ? x.value : Infinity) * (HOURS_PER[readString(x, 'type') ?? 'hours'] ?? 1);
  return hours(b) < hours(a) ? b : a;
};

const pickPersistentBrowser: Pick = (a, b) => (readString(b, 'mode') === 'never' ? b : a);

const pickCloudAppSecurity: Pick = (a, b) => {
  const rank = (x: JsonObject): number =>
    CLOUD_APP_SECURITY_RANK[readString(x, 'cloudAppSecurityType') ?? ''] ?? 0;
  return rank(b) > rank(a) ? b : a;
};

function enabledControl(session: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = session?.[key];
  return isObject(value) && readBoolean(value, 'isEnabled') ? value : undefined;
}

function mergeObjects(
  policies: readonly PreparedPolicy[],
  key: string,
  pick: Pick,
  contributors: Record<string, SessionContribution[]>,
): JsonObject | null {
  let merged: JsonObject | null = null;
  for (const policy of policies) {
    const control = enabledControl(policy.session, key);
    if (!control) continue;
    (contributors[key] ??= []).push({ policyId: policy.id, value: control });
    merged = merged ? pick(merged, control) : control;
  }
  return merged;
}

function mergeFlags(
  policies: readonly PreparedPolicy[],
  key: string,
  isOn: (session: JsonObject | undefined) => boolean,
  contributors: Record<string, SessionContribution[]>,
): boolean {
  const on = policies.filter((p) => isOn(p.session));
  if (on.length > 0) contributors[key] = on.map((p) => ({ policyId: p.id, value: true }));
  return on.length > 0;
}

export function mergeSessionControls(enforced: readonly PreparedPolicy[]): MergedSessionControls {
  const contributors: Record<string, SessionContribution[]> = {};
  const isEnabledObject = (key: string) => (s: JsonObject | undefined) =>
    enabledControl(s, key) !== undefined;
  return {
    controls: {
      signInFrequency: mergeObjects(enforced, 'signInFrequency', pickSignInFrequency, contributors),
      persistentBrowser: mergeObjects(enforced, 'persistentBrowser', pickPersistentBrowser, contributors),
      cloudAppSecurity: mergeObjects(enforced, 'cloudAppSecurity', pickCloudAppSecurity, contributors),
      applicationEnforcedRestrictions: mergeFlags(
        enforced,
        'applicationEnforcedRestrictions',
        isEnabledObject('applicationEnforcedRestrictions'),
        contributors,
      ),
      secureSignInSession: mergeFlags(
        enforced,
        'secureSignInSession',
        isEnabledObject('secureSignInSession'),
        contributors,
      ),
      disableResilienceDefaults: mergeFlags(
        enforced,
        'disableResilienceDefaults',
        (s) => s?.disableResilienceDefaults === true,
        contributors,
      ),
    },
    contributors,
  };
}
