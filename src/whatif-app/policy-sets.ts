/**
 * The two policy sets a What-If can run on, from what the pipeline read and resolved: `desired` (the repository's
 * policies, names resolved as the plan resolves them, with the named locations and strengths they would see after
 * apply) and `tenant` (the tenant's policies as they are). Pure.
 */
import type { DesiredObject, LiveObject } from '../core/kind.ts';
import { isPendingId, pendingId } from '../pipeline/resolve-references.ts';
import { defaultApplicationCatalogue } from '../whatif/well-known-apps.ts';
import type {
  AuthenticationStrength,
  NamedLocationDocument,
  PolicyDocument,
  WhatIfTenant,
} from '../whatif/types.ts';

export type PolicySource = 'desired' | 'tenant';

const POLICY = 'ConditionalAccessPolicy';
const LOCATION = 'NamedLocation';
const STRENGTH = 'AuthenticationStrengthPolicy';

export interface PipelineState {
  tenantId: string;
  desired: readonly DesiredObject[];
  live: ReadonlyMap<string, readonly LiveObject[]>;
}

/** The tenant minus its directory, plus the manifest name of each policy that has one (policy id → name). */
export interface PolicySet {
  source: PolicySource;
  tenant: TenantWithoutDirectory;
  manifestNames: ReadonlyMap<string, string>;
}

/** The id a desired object has (or will have once created), matched to the tenant as the resolver matches it. */
function idOf(desired: DesiredObject, live: readonly LiveObject[]): string {
  const pinned = desired.pinnedId?.toLowerCase();
  const match = live.find((l) =>
    pinned ? l.id.toLowerCase() === pinned : l.displayName === desired.displayName,
  );
  return match?.id ?? pendingId(desired.kind, desired.name);
}

/** Desired objects of a kind (with their ids) and the tenant's objects of that kind no manifest claims. */
function afterApply(state: PipelineState, kind: string): { id: string; body: Record<string, unknown> }[] {
  const live = state.live.get(kind) ?? [];
  const desired = state.desired
    .filter((d) => d.kind === kind)
    .map((d) => ({ id: idOf(d, live), body: d.state }));
  const claimed = new Set(desired.map((d) => d.id));
  const rest = live.filter((l) => !claimed.has(l.id)).map((l) => ({ id: l.id, body: l.state }));
  return [...desired, ...rest];
}

function toStrength(id: string, body: Record<string, unknown>): AuthenticationStrength {
  const combinations = Array.isArray(body.allowedCombinations) ? body.allowedCombinations.map(String) : [];
  return { id, displayName: String(body.displayName ?? id), allowedCombinations: combinations };
}

type TenantWithoutDirectory = Omit<WhatIfTenant, 'directory'>;

function tenantOf(
  state: PipelineState,
  policies: PolicyDocument[],
  source: PolicySource,
): TenantWithoutDirectory {
  const pick = (kind: string): { id: string; body: Record<string, unknown> }[] =>
    source === 'desired'
      ? afterApply(state, kind)
      : (state.live.get(kind) ?? []).map((l) => ({ id: l.id, body: l.state }));
  return {
    tenantId: state.tenantId,
    policies,
    namedLocations: pick(LOCATION).map((l): NamedLocationDocument => ({ ...l.body, id: l.id })),
    authenticationStrengths: pick(STRENGTH).map((s) => toStrength(s.id, s.body)),
    applications: defaultApplicationCatalogue(),
  };
}

function desiredSet(state: PipelineState): PolicySet {
  const live = state.live.get(POLICY) ?? [];
  const manifestNames = new Map<string, string>();
  const documents = state.desired
    .filter((d) => d.kind === POLICY)
    .map((d): PolicyDocument => {
      const id = idOf(d, live);
      manifestNames.set(id, d.name);
      return { ...d.state, id };
    });
  return { source: 'desired', tenant: tenantOf(state, documents, 'desired'), manifestNames };
}

function tenantSet(state: PipelineState): PolicySet {
  const live = state.live.get(POLICY) ?? [];
  const manifestNames = new Map<string, string>();
  for (const d of state.desired.filter((x) => x.kind === POLICY)) {
    const id = idOf(d, live);
    if (!isPendingId(id)) manifestNames.set(id, d.name);
  }
  const documents = live.map((l): PolicyDocument => ({ ...l.state, id: l.id }));
  return { source: 'tenant', tenant: tenantOf(state, documents, 'tenant'), manifestNames };
}

export function selectPolicySet(state: PipelineState, source: PolicySource): PolicySet {
  return source === 'desired' ? desiredSet(state) : tenantSet(state);
}
