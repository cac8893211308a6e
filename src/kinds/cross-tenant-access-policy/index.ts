/**
 * `CrossTenantAccessPolicy`: cross-tenant access settings (Graph `crossTenantAccessPolicy`), e.g. "accept MFA
 * from the guest's home tenant". The `default` configuration and the policy's `allowedCloudEndpoints` are tenant
 * singletons (built in: updated, never created or deleted); each partner is an object of its own. Every desired
 * object is partial: settings the manifest leaves out stay as the tenant has them.
 */
import type { GraphBody, GraphPort } from '../../core/graph-port.ts';
import type { DesiredObject, KindModule, LiveObject, ReferenceLookup } from '../../core/kind.ts';
import type { Manifest } from '../../core/manifest.ts';
import { isRecord } from '../common/canonical.ts';
import { findCrossTenantReferences, nameConfiguration, resolveCrossTenantSpec } from './references.ts';
import { crossTenantAccessPolicySpecSchema } from './schema.ts';
import {
  canonicalConfiguration,
  DEFAULT_PROPERTIES,
  exportConfiguration,
  PARTNER_PROPERTIES,
  POLICY_PROPERTIES,
} from './settings.ts';

const KIND = 'CrossTenantAccessPolicy';
const POLICY_PATH = '/policies/crossTenantAccessPolicy';
const DEFAULT_PATH = `${POLICY_PATH}/default`;
const PARTNERS_PATH = `${POLICY_PATH}/partners`;
export const DEFAULT_ID = 'default';
export const POLICY_ID = 'crossTenantAccessPolicy';

function desiredObject(manifest: Manifest, name: string, id: string, state: GraphBody): DesiredObject {
  return {
    kind: KIND,
    name,
    displayName: id,
    pinnedId: id,
    naturalKey: true,
    state,
    partial: true,
    manifest,
  };
}

function expand(manifest: Manifest, lookup: ReferenceLookup): DesiredObject[] {
  const spec = resolveCrossTenantSpec(manifest.spec, lookup);
  const name = manifest.metadata.name;
  const out: DesiredObject[] = [];
  if (spec.allowedCloudEndpoints !== undefined) {
    out.push(
      desiredObject(manifest, `${name}/policy`, POLICY_ID, canonicalConfiguration(spec, POLICY_PROPERTIES)),
    );
  }
  if (isRecord(spec.default)) {
    out.push(
      desiredObject(
        manifest,
        `${name}/default`,
        DEFAULT_ID,
        canonicalConfiguration(spec.default, DEFAULT_PROPERTIES),
      ),
    );
  }
  const partners = Array.isArray(spec.partners) ? spec.partners.filter(isRecord) : [];
  for (const partner of partners) {
    const tenantId = String(partner.tenantId).toLowerCase();
    out.push(
      desiredObject(
        manifest,
        `${name}/${tenantId}`,
        tenantId,
        canonicalConfiguration(partner, PARTNER_PROPERTIES),
      ),
    );
  }
  return out;
}

async function read(port: GraphPort): Promise<LiveObject[]> {
  const out: LiveObject[] = [];
  const policy = await port.get(POLICY_PATH);
  if (policy) {
    const state = canonicalConfiguration(policy, POLICY_PROPERTIES);
    out.push({ kind: KIND, id: POLICY_ID, displayName: POLICY_ID, state, builtIn: true });
  }
  const defaults = await port.get(DEFAULT_PATH);
  if (defaults) {
    const state = canonicalConfiguration(defaults, DEFAULT_PROPERTIES);
    out.push({ kind: KIND, id: DEFAULT_ID, displayName: DEFAULT_ID, state, builtIn: true });
  }
  for (const partner of await port.list(PARTNERS_PATH)) {
    const tenantId = String(partner.tenantId).toLowerCase();
    out.push({
      kind: KIND,
      id: tenantId,
      displayName: tenantId,
      state: canonicalConfiguration(partner, PARTNER_PROPERTIES),
    });
  }
  return out;
}

function isSingleton(id: string): 'policy' | 'default' | undefined {
  const lower = id.toLowerCase();
  if (lower === POLICY_ID.toLowerCase()) return 'policy';
  if (lower === DEFAULT_ID) return 'default';
  return undefined;
}

/** A live object's part of the spec: `{ default: … }`, `{ partners: [ … ] }` or `{ allowedCloudEndpoints }`. */
function exportSpec(live: LiveObject, lookup: ReferenceLookup): GraphBody {
  const singleton = isSingleton(live.id);
  if (singleton === 'policy') return exportConfiguration(live.state);
  const config = nameConfiguration(exportConfiguration(live.state), lookup);
  return singleton === 'default' ? { default: config } : { partners: [config] };
}

/** Merges the parts `exportSpec` returns for each live object into one spec. */
export function mergeCrossTenantSpecs(parts: readonly GraphBody[]): GraphBody {
  const spec: GraphBody = {};
  const partners: unknown[] = [];
  for (const part of parts) {
    const { partners: more, ...rest } = part;
    Object.assign(spec, rest);
    if (Array.isArray(more)) partners.push(...more);
  }
  if (partners.length > 0) spec.partners = partners;
  return spec;
}

function withoutTenantId(state: GraphBody): GraphBody {
  const { tenantId: _tenantId, ...rest } = state;
  return rest;
}

export const crossTenantAccessPolicyKind: KindModule = {
  kind: KIND,
  description:
    'Cross-tenant access settings: the default and partner configurations, e.g. trusting MFA from a partner.',
  specSchema: crossTenantAccessPolicySpecSchema,
  dependsOn: [],
  lifecycle: 'full',
  references: findCrossTenantReferences,
  expand,
  read,
  async create(port: GraphPort, desired: DesiredObject): Promise<string> {
    if (isSingleton(desired.pinnedId ?? '')) {
      throw new Error(
        `the cross-tenant ${desired.pinnedId} configuration is built in: it is updated, never created`,
      );
    }
    const created = await port.post(PARTNERS_PATH, desired.state);
    return String(created.tenantId ?? desired.state.tenantId).toLowerCase();
  },
  async update(port: GraphPort, id: string, desired: DesiredObject): Promise<void> {
    const singleton = isSingleton(id);
    if (singleton === 'policy') await port.patch(POLICY_PATH, desired.state);
    else if (singleton === 'default') await port.patch(DEFAULT_PATH, desired.state);
    else await port.patch(`${PARTNERS_PATH}/${encodeURIComponent(id)}`, withoutTenantId(desired.state));
  },
  async delete(port: GraphPort, id: string): Promise<void> {
    if (isSingleton(id))
      throw new Error(`the cross-tenant ${id} configuration is built in: it is never deleted`);
    await port.delete(`${PARTNERS_PATH}/${encodeURIComponent(id)}`);
  },
  exportSpec,
};
