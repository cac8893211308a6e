/**
 * The tenant as it will be once a plan is applied, in the What-If engine's terms: the live objects with the plan's
 * creates added (under their `pending:` ids, which the payloads already use), its updates applied and its deletes
 * removed. Unmanaged objects stay as they are: they are part of what users will face. Pure.
 */
import type { GraphBody } from '../core/graph-port.ts';
import type { LiveObject } from '../core/kind.ts';
import type { Plan, ResourceChange } from '../core/plan.ts';
import {
  CA_POLICY_KIND,
  METHODS_POLICY_KIND,
  NAMED_LOCATION_KIND,
  STRENGTH_KIND,
} from '../lint/policy-view.ts';
import { enabledMethodAvailability, type MethodAvailability } from '../lint/method-availability.ts';
import { pendingId } from '../pipeline/resolve-references.ts';
import type { AuthenticationStrength } from '../whatif/types.ts';

/** A policy document with its id and, when a manifest manages it, where that manifest is. */
export interface PolicyAfterPlan {
  id: string;
  displayName: string;
  document: GraphBody;
  file?: string;
  line?: number;
}

export interface StateAfterPlan {
  policies: PolicyAfterPlan[];
  namedLocations: GraphBody[];
  authenticationStrengths: AuthenticationStrength[];
  /** Method configurations enabled in the authentication methods policy (lower-cased ids, e.g. `fido2`). */
  enabledMethods: string[];
  /** The same methods with the groups they are enabled for. */
  methods: MethodAvailability[];
}

interface Entry {
  id: string;
  displayName: string;
  state: GraphBody;
  change?: ResourceChange;
}

function applyChanges(
  kind: string,
  live: readonly LiveObject[],
  changes: readonly ResourceChange[],
): Entry[] {
  const byId = new Map<string, Entry>(
    live.map((l) => [l.id.toLowerCase(), { id: l.id, displayName: l.displayName, state: l.state }]),
  );
  for (const change of changes.filter((c) => c.kind === kind)) {
    if (change.action === 'delete' && change.id) byId.delete(change.id.toLowerCase());
    if (change.action === 'create' && change.payload) {
      const id = pendingId(kind, change.name);
      byId.set(id.toLowerCase(), { id, displayName: change.displayName, state: change.payload, change });
    }
    if ((change.action === 'update' || change.action === 'no-op') && change.id) {
      const current = byId.get(change.id.toLowerCase());
      if (!current) continue;
      const state =
        change.action === 'update' && change.payload
          ? { ...current.state, ...change.payload }
          : current.state;
      byId.set(change.id.toLowerCase(), { ...current, displayName: change.displayName, state, change });
    }
  }
  return [...byId.values()];
}

function toStrength(entry: Entry): AuthenticationStrength {
  const combinations = entry.state.allowedCombinations;
  return {
    id: entry.id,
    displayName: entry.displayName,
    allowedCombinations: Array.isArray(combinations) ? combinations.map(String) : [],
  };
}

export function stateAfterPlan(
  plan: Pick<Plan, 'changes'>,
  live: ReadonlyMap<string, readonly LiveObject[]>,
): StateAfterPlan {
  const objectsOf = (kind: string): Entry[] => applyChanges(kind, live.get(kind) ?? [], plan.changes);
  const methods = enabledMethodAvailability(objectsOf(METHODS_POLICY_KIND));
  return {
    policies: objectsOf(CA_POLICY_KIND).map((e) => ({
      id: e.id,
      displayName: e.displayName,
      document: { ...e.state, id: e.id },
      ...(e.change?.file ? { file: e.change.file, line: e.change.line ?? 1 } : {}),
    })),
    namedLocations: objectsOf(NAMED_LOCATION_KIND).map((e) => ({ ...e.state, id: e.id })),
    authenticationStrengths: objectsOf(STRENGTH_KIND).map(toStrength),
    enabledMethods: methods.map((m) => m.id),
    methods,
  };
}
