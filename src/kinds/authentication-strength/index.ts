/**
 * `AuthenticationStrengthPolicy`: one custom Graph `authenticationStrengthPolicy` (graph-contract §5). The three
 * built-ins are read (so policies can name them) but never reported as unmanaged, changed or deleted.
 */
import type { GraphBody, GraphPort } from '../../core/graph-port.ts';
import type { DesiredObject, KindModule, LiveObject } from '../../core/kind.ts';
import type { Manifest } from '../../core/manifest.ts';
import { canonicalize } from '../common/canonical.ts';
import { canonicalizeCombinations } from './method-modes.ts';
import { authenticationStrengthPolicySpecSchema } from './schema.ts';
import { desiredFromManifest } from '../common/desired.ts';

const KIND = 'AuthenticationStrengthPolicy';
const COLLECTION = '/policies/authenticationStrengthPolicies';

/** The writable state; `policyType`, `requirementsSatisfied` and the dates are Graph's and left out. */
export function canonicalStrength(body: GraphBody): GraphBody {
  return canonicalize({
    displayName: body.displayName,
    description: body.description ?? null,
    allowedCombinations: canonicalizeCombinations(body.allowedCombinations),
  });
}

function toLive(body: GraphBody): LiveObject {
  const live: LiveObject = {
    kind: KIND,
    id: String(body.id),
    displayName: String(body.displayName ?? ''),
    state: canonicalStrength(body),
  };
  if (body.policyType === 'builtIn') live.builtIn = true;
  return live;
}

function exportSpec(live: LiveObject): GraphBody {
  const { displayName, description, allowedCombinations } = live.state;
  return description === null || description === undefined
    ? { displayName, allowedCombinations }
    : { displayName, description, allowedCombinations };
}

function sameCombinations(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonicalizeCombinations(a)) === JSON.stringify(canonicalizeCombinations(b));
}

export const authenticationStrengthPolicyKind: KindModule = {
  kind: KIND,
  description:
    'A custom authentication strength: the method combinations that satisfy it (Graph authenticationStrengthPolicy).',
  specSchema: authenticationStrengthPolicySpecSchema,
  dependsOn: [],
  lifecycle: 'full',
  references: () => [],
  expand(manifest: Manifest): DesiredObject[] {
    return [desiredFromManifest(KIND, manifest, canonicalStrength(manifest.spec))];
  },
  async read(port: GraphPort): Promise<LiveObject[]> {
    return (await port.list(COLLECTION)).map(toLive);
  },
  async create(port: GraphPort, desired: DesiredObject): Promise<string> {
    const { displayName, description, allowedCombinations } = desired.state;
    const created = await port.post(COLLECTION, { displayName, description, allowedCombinations });
    return String(created.id);
  },
  async update(port: GraphPort, id: string, desired: DesiredObject): Promise<void> {
    const { displayName, description, allowedCombinations } = desired.state;
    // Graph refuses allowedCombinations in a PATCH; they change through their own action.
    await port.patch(`${COLLECTION}/${id}`, { displayName, description });
    const current = await port.get(`${COLLECTION}/${id}`);
    if (current && !sameCombinations(current.allowedCombinations, allowedCombinations)) {
      await port.post(`${COLLECTION}/${id}/updateAllowedCombinations`, { allowedCombinations });
    }
  },
  async delete(port: GraphPort, id: string): Promise<void> {
    await port.delete(`${COLLECTION}/${id}`);
  },
  exportSpec,
};
