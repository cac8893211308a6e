/**
 * `ConditionalAccessPolicy`: one Graph `conditionalAccessPolicy` (graph-contract §2), written with readable names
 * where Graph wants ids.
 */
import type { GraphBody, GraphPort } from '../../core/graph-port.ts';
import type {
  DesiredObject,
  KindModule,
  LiveObject,
  ReferenceLookup,
  WriteRequest,
} from '../../core/kind.ts';
import type { Manifest } from '../../core/manifest.ts';
import { shapePolicy } from '../../model/ca-policy-shape.ts';
import { canonicalize, cloneJson, getAtPointer, pruneDefaults, setAtPointer } from '../common/canonical.ts';
import { conditionalAccessPolicySpecSchema } from './schema.ts';
import { findPolicyReferences, REFERENCE_SITES, STRENGTH_POINTER } from './references.ts';
import { desiredFromManifest } from '../common/desired.ts';

const KIND = 'ConditionalAccessPolicy';
const COLLECTION = '/identity/conditionalAccess/policies';

/** Graph's canonical policy (defaults filled, enums in canonical case), then accord's canonical form. */
export function canonicalPolicy(body: GraphBody): GraphBody {
  const shaped = shapePolicy(body);
  return canonicalize({
    displayName: shaped.displayName,
    description: shaped.description ?? null,
    state: shaped.state,
    conditions: shaped.conditions,
    grantControls: shaped.grantControls ?? null,
    sessionControls: shaped.sessionControls ?? null,
  });
}

function resolveSpec(spec: GraphBody, lookup: ReferenceLookup): GraphBody {
  const resolved = cloneJson(spec);
  for (const reference of findPolicyReferences(spec)) {
    setAtPointer(resolved, reference.pointer, lookup.idOf(reference));
  }
  return resolved;
}

function toLive(body: GraphBody): LiveObject {
  return {
    kind: KIND,
    id: String(body.id),
    displayName: String(body.displayName ?? ''),
    state: canonicalPolicy(body),
  };
}

function writeBody(desired: WriteRequest): GraphBody {
  const { displayName, description, state, conditions, grantControls, sessionControls } = desired.state;
  return { displayName, description, state, conditions, grantControls, sessionControls };
}

/** Ids back to names, defaults dropped: the spec a person would write. */
function exportSpec(live: LiveObject, lookup: ReferenceLookup): GraphBody {
  const spec = cloneJson(live.state);
  for (const site of REFERENCE_SITES) {
    const values = getAtPointer(spec, site.pointer);
    if (!Array.isArray(values)) continue;
    values.forEach((value, index) => {
      if (typeof value === 'string') values[index] = lookup.nameOf(site.type, value);
    });
  }
  const strength = getAtPointer(spec, STRENGTH_POINTER);
  if (typeof strength === 'string')
    setAtPointer(spec, STRENGTH_POINTER, lookup.nameOf('authenticationStrength', strength));
  const pruned = pruneDefaults(spec) as GraphBody;
  // Graph requires clientAppTypes; keep it even when pruning would not remove it anyway.
  return pruned;
}

export const conditionalAccessPolicyKind: KindModule = {
  kind: KIND,
  description: 'A Conditional Access policy (Graph conditionalAccessPolicy).',
  specSchema: conditionalAccessPolicySpecSchema,
  dependsOn: ['NamedLocation', 'AuthenticationStrengthPolicy'],
  lifecycle: 'full',
  references: findPolicyReferences,
  expand(manifest: Manifest, lookup: ReferenceLookup): DesiredObject[] {
    return [desiredFromManifest(KIND, manifest, canonicalPolicy(resolveSpec(manifest.spec, lookup)))];
  },
  async read(port: GraphPort): Promise<LiveObject[]> {
    return (await port.list(COLLECTION)).map(toLive);
  },
  async create(port: GraphPort, desired: WriteRequest): Promise<string> {
    const created = await port.post(COLLECTION, writeBody(desired));
    return String(created.id);
  },
  async update(port: GraphPort, id: string, desired: WriteRequest): Promise<void> {
    await port.patch(`${COLLECTION}/${id}`, writeBody(desired));
  },
  async delete(port: GraphPort, id: string): Promise<void> {
    await port.delete(`${COLLECTION}/${id}`);
  },
  exportSpec,
};
