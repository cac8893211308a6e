/**
 * `AuthenticationMethodsPolicy`: the tenant's authentication methods policy (graph-contract §4), a singleton. Each
 * method configuration the manifest lists is one desired object, and so are the policy-level settings when given;
 * methods the manifest leaves out, and properties a listed method leaves out, stay as the tenant has them.
 */
import type { GraphBody, GraphPort } from '../../core/graph-port.ts';
import type { DesiredObject, KindModule, LiveObject, ReferenceLookup } from '../../core/kind.ts';
import type { Manifest } from '../../core/manifest.ts';
import { isRecord } from '../common/canonical.ts';
import { findMethodByKey, findMethodOfConfig, POLICY_ID, POLICY_SETTINGS } from './method-types.ts';
import {
  canonicalMethodConfig,
  canonicalPolicySettings,
  exportMethodConfig,
  exportPolicySettings,
} from './normalise.ts';
import {
  findMethodsPolicyReferences,
  nameMethodsPolicySpec,
  resolveMethodsPolicySpec,
} from './references.ts';
import { authenticationMethodsPolicySpecSchema } from './schema.ts';

const KIND = 'AuthenticationMethodsPolicy';
const POLICY_PATH = '/policies/authenticationMethodsPolicy';
const CONFIGURATIONS_PATH = `${POLICY_PATH}/authenticationMethodConfigurations`;
const POLICY_DISPLAY_NAME = 'Authentication Methods Policy';

function expandMethods(manifest: Manifest, spec: GraphBody): DesiredObject[] {
  const configurations = isRecord(spec.authenticationMethodConfigurations)
    ? spec.authenticationMethodConfigurations
    : {};
  return Object.entries(configurations).flatMap(([key, config]): DesiredObject[] => {
    const method = findMethodByKey(key);
    // The schema admits only known keys; anything else is a defect upstream.
    if (!method || !isRecord(config)) throw new Error(`unknown authentication method configuration '${key}'`);
    return [
      {
        kind: KIND,
        name: `${manifest.metadata.name}/${method.key}`,
        displayName: method.id,
        pinnedId: method.id,
        state: canonicalMethodConfig(method, config),
        partial: true,
        manifest,
      },
    ];
  });
}

function expandPolicySettings(manifest: Manifest, spec: GraphBody): DesiredObject[] {
  if (!POLICY_SETTINGS.some((key) => spec[key] !== undefined)) return [];
  return [
    {
      kind: KIND,
      name: manifest.metadata.name,
      displayName: POLICY_DISPLAY_NAME,
      pinnedId: POLICY_ID,
      state: canonicalPolicySettings(spec, POLICY_SETTINGS),
      partial: true,
      manifest,
    },
  ];
}

function toMethodLive(body: GraphBody): LiveObject {
  const id = String(body.id);
  return { kind: KIND, id, displayName: id, state: canonicalMethodConfig(findMethodOfConfig(body), body) };
}

function isPolicyObject(id: string): boolean {
  return id.toLowerCase() === POLICY_ID.toLowerCase();
}

/**
 * A live object's part of the singleton's spec: `{ authenticationMethodConfigurations: { <key>: … } }` for a method,
 * the policy-level settings for the policy. Merging the parts of every live object gives the whole spec.
 */
function exportSpec(live: LiveObject, lookup: ReferenceLookup): GraphBody {
  if (isPolicyObject(live.id)) return nameMethodsPolicySpec(exportPolicySettings(live.state), lookup);
  const method = findMethodOfConfig({ ...live.state, id: live.id });
  const key = method?.key ?? live.id;
  const fragment = { authenticationMethodConfigurations: { [key]: exportMethodConfig(method, live.state) } };
  return nameMethodsPolicySpec(fragment, lookup);
}

/** Merges the parts `exportSpec` returns for each live object into one spec. */
export function mergeMethodsPolicySpecs(parts: readonly GraphBody[]): GraphBody {
  const spec: GraphBody = {};
  const configurations: GraphBody = {};
  for (const part of parts) {
    const { authenticationMethodConfigurations, ...settings } = part;
    Object.assign(spec, settings);
    if (isRecord(authenticationMethodConfigurations))
      Object.assign(configurations, authenticationMethodConfigurations);
  }
  if (Object.keys(configurations).length > 0) spec.authenticationMethodConfigurations = configurations;
  return spec;
}

export const authenticationMethodsPolicyKind: KindModule = {
  kind: KIND,
  description: 'The tenant authentication methods policy: which methods are enabled for whom (singleton).',
  specSchema: authenticationMethodsPolicySpecSchema,
  dependsOn: [],
  lifecycle: 'update-only',
  references: findMethodsPolicyReferences,
  expand(manifest: Manifest, lookup: ReferenceLookup): DesiredObject[] {
    const spec = resolveMethodsPolicySpec(manifest.spec, lookup);
    return [...expandPolicySettings(manifest, spec), ...expandMethods(manifest, spec)];
  },
  async read(port: GraphPort): Promise<LiveObject[]> {
    const policy = await port.get(POLICY_PATH);
    if (!policy) return [];
    const configurations = Array.isArray(policy.authenticationMethodConfigurations)
      ? policy.authenticationMethodConfigurations.filter(isRecord)
      : await port.list(CONFIGURATIONS_PATH);
    const settings: LiveObject = {
      kind: KIND,
      id: String(policy.id ?? POLICY_ID),
      displayName: String(policy.displayName ?? POLICY_DISPLAY_NAME),
      state: canonicalPolicySettings(policy, POLICY_SETTINGS),
    };
    return [settings, ...configurations.map(toMethodLive)];
  },
  async create(): Promise<string> {
    throw new Error('AuthenticationMethodsPolicy is a tenant singleton: it is updated, never created');
  },
  async update(port: GraphPort, id: string, desired: DesiredObject): Promise<void> {
    // The desired state holds only what the manifest owns (plus `@odata.type`, which a configuration PATCH needs).
    if (isPolicyObject(id)) await port.patch(POLICY_PATH, desired.state);
    else await port.patch(`${CONFIGURATIONS_PATH}/${encodeURIComponent(id)}`, desired.state);
  },
  async delete(): Promise<void> {
    throw new Error('AuthenticationMethodsPolicy is a tenant singleton: it is never deleted');
  },
  exportSpec,
};
