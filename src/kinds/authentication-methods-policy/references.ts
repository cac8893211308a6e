/**
 * Where the methods policy names users and groups (graph-contract §4): the include and exclude targets of each
 * method configuration and of the registration campaign, and the Authenticator feature-setting targets. The pseudo
 * group `all_users` and the all-zero "nobody" id are not references.
 */
import type { GraphBody } from '../../core/graph-port.ts';
import type { Reference, ReferenceLookup, ReferenceType } from '../../core/kind.ts';
import { cloneJson, escapePointer, isRecord, setAtPointer } from '../common/canonical.ts';
import { ALL_USERS, NO_TARGET } from './normalise.ts';

const CAMPAIGN_POINTER = '/registrationEnforcement/authenticationMethodsRegistrationCampaign';
const FEATURE_SETTINGS = ['displayAppInformationRequiredState', 'displayLocationInformationRequiredState'];

function referenceTypeOf(target: Record<string, unknown>): ReferenceType | undefined {
  const id = target.id;
  if (typeof id !== 'string' || id.toLowerCase() === ALL_USERS || id === NO_TARGET) return undefined;
  if (target.targetType === 'group') return 'group';
  if (target.targetType === 'user') return 'user';
  return undefined;
}

function collectTarget(target: unknown, pointer: string, into: Reference[]): void {
  if (!isRecord(target)) return;
  const type = referenceTypeOf(target);
  if (type) into.push({ type, pointer: `${pointer}/id`, value: String(target.id) });
}

function collectTargetList(list: unknown, pointer: string, into: Reference[]): void {
  if (!Array.isArray(list)) return;
  list.forEach((target, index) => collectTarget(target, `${pointer}/${index}`, into));
}

/** Every user or group a methods-policy spec (or a fragment of one) names. */
export function findMethodsPolicyReferences(spec: GraphBody): Reference[] {
  const references: Reference[] = [];
  const configurations = spec.authenticationMethodConfigurations;
  if (isRecord(configurations)) {
    for (const [key, config] of Object.entries(configurations)) {
      if (!isRecord(config)) continue;
      const base = `/authenticationMethodConfigurations/${escapePointer(key)}`;
      collectTargetList(config.includeTargets, `${base}/includeTargets`, references);
      collectTargetList(config.excludeTargets, `${base}/excludeTargets`, references);
      const features = config.featureSettings;
      if (!isRecord(features)) continue;
      for (const name of FEATURE_SETTINGS) {
        const setting = features[name];
        if (!isRecord(setting)) continue;
        collectTarget(setting.includeTarget, `${base}/featureSettings/${name}/includeTarget`, references);
        collectTarget(setting.excludeTarget, `${base}/featureSettings/${name}/excludeTarget`, references);
      }
    }
  }
  const enforcement = spec.registrationEnforcement;
  const campaign = isRecord(enforcement) ? enforcement.authenticationMethodsRegistrationCampaign : undefined;
  if (isRecord(campaign)) {
    collectTargetList(campaign.includeTargets, `${CAMPAIGN_POINTER}/includeTargets`, references);
    collectTargetList(campaign.excludeTargets, `${CAMPAIGN_POINTER}/excludeTargets`, references);
  }
  return references;
}

/** The spec with every name replaced by its id. */
export function resolveMethodsPolicySpec(spec: GraphBody, lookup: ReferenceLookup): GraphBody {
  const resolved = cloneJson(spec);
  for (const reference of findMethodsPolicyReferences(spec)) {
    setAtPointer(resolved, reference.pointer, lookup.idOf(reference));
  }
  return resolved;
}

/** The spec with every id replaced by a readable name (for export). */
export function nameMethodsPolicySpec(spec: GraphBody, lookup: ReferenceLookup): GraphBody {
  const named = cloneJson(spec);
  for (const reference of findMethodsPolicyReferences(spec)) {
    setAtPointer(named, reference.pointer, lookup.nameOf(reference.type, reference.value));
  }
  return named;
}
