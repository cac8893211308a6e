/**
 * Plans one tenant: every resource bound to it together, on one read of the tenant. The pipeline's stages do the
 * work (validate, resolve, build the plan, the lint and the lockout guard); this module decides which resources take
 * part and what the plan may do:
 *   - a resource with its own error (invalid, an unresolvable name, refused by the guard) is left out and reported,
 *     and the plan is made again without it, so one bad resource does not stop the others; the objects it manages
 *     are protected from deletion meanwhile;
 *   - deletes are only of objects the controller created (the inventory), for resources being deleted with the
 *     Delete policy, or — with the Tenant's prune on — whose resource no longer exists;
 *   - changes to a resource already applied at its generation are drift: kept (Correct) or dropped (Report).
 */
import { hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import type { GraphPort } from '../core/graph-port.ts';
import type { LiveObject } from '../core/kind.ts';
import type { Manifest, ManifestSource } from '../core/manifest.ts';
import { summarize, type Plan, type ResourceChange } from '../core/plan.ts';
import { addToPlan, runSafetyChecksWithFacts, type SafetySettings } from '../guard/safety-checks.ts';
import { registry } from '../kinds/registry.ts';
import { computePlan } from '../pipeline/compute-plan.ts';
import { validateManifests } from '../pipeline/validate-manifests.ts';
import { isTrue } from './conditions.ts';
import { describeResource, type PolicyResource } from './resources.ts';
import type { TenantInventory } from './tenant-inventory.ts';

export type DriftMode = 'Correct' | 'Report';

export interface TenantPlanInput {
  tenant: { name: string; id: string };
  /** Resources to reconcile. */
  active: readonly PolicyResource[];
  /** Resources left alone (suspended): their objects are neither changed nor deleted. */
  held: readonly PolicyResource[];
  /** Resources being deleted whose objects are to be deleted (policy Delete). */
  deleting: readonly PolicyResource[];
  port: GraphPort;
  live: Map<string, LiveObject[]>;
  inventory: TenantInventory;
  prune: boolean;
  drift: DriftMode;
  safety: SafetySettings;
}

export interface TenantPlan {
  plan: Plan;
  /** Resources left out, with why (their own errors). */
  excluded: Map<string, Diagnostic[]>;
  /** Errors that belong to no single resource: nothing is applied. */
  tenantErrors: Diagnostic[];
  /** Resources whose tenant object was changed by hand, with the changes found. */
  drifted: Map<string, ResourceChange[]>;
  /** The resource each change belongs to. */
  owners: Map<ResourceChange, string>;
}

/** How many times a plan is made again after leaving out resources with errors. */
const MAX_ROUNDS = 6;

/** The key of a resource in this module's maps (also its manifest's "file" in diagnostics). */
export function resourceKey(resource: Pick<PolicyResource, 'kind' | 'metadata'>): string {
  return describeResource(resource);
}

/** A custom resource as the pipeline's manifest: the same envelope, located by its resource name. */
export function toManifest(resource: PolicyResource): Manifest {
  const file = resourceKey(resource);
  const location = { file, line: 1, column: 1 };
  const source: ManifestSource = {
    file,
    document: 0,
    location,
    locate: (pointer) => ({ ...location, pointer }),
  };
  const annotations = resource.metadata.annotations;
  return {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    metadata: { name: resource.metadata.name, ...(annotations ? { annotations } : {}) },
    spec: resource.spec,
    source,
  };
}

function attribute(
  diagnostics: readonly Diagnostic[],
  keys: ReadonlySet<string>,
): {
  byResource: Map<string, Diagnostic[]>;
  unattributed: Diagnostic[];
} {
  const byResource = new Map<string, Diagnostic[]>();
  const unattributed: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity !== 'error') continue;
    const file = diagnostic.location?.file;
    if (file && keys.has(file)) byResource.set(file, [...(byResource.get(file) ?? []), diagnostic]);
    else unattributed.push(diagnostic);
  }
  return { byResource, unattributed };
}

/** Applied at its current generation and Ready: any change the plan finds for it now was made in the tenant. */
function isSettled(resource: PolicyResource): boolean {
  return (
    resource.status?.observedGeneration === resource.metadata.generation &&
    isTrue(resource.status?.conditions, 'Ready')
  );
}

/** The ids the plan may delete. */
function deletableIds(input: TenantPlanInput): Set<string> {
  const ids = new Set<string>();
  for (const resource of input.deleting)
    for (const id of input.inventory.idsOf(resource.kind, resource.metadata.name))
      ids.add(`${resource.kind}/${id}`);
  if (input.prune) {
    const existing = new Set([...input.active, ...input.held].map((r) => `${r.kind}/${r.metadata.name}`));
    for (const [kind, owned] of input.inventory.snapshot()) {
      for (const id of owned) {
        const owner = input.inventory.ownerOf(kind, id);
        if (owner !== undefined && !existing.has(`${kind}/${owner}`) && !id.startsWith('pending-create:'))
          ids.add(`${kind}/${id}`);
      }
    }
  }
  return ids;
}

function ownerOfDelete(change: ResourceChange, input: TenantPlanInput): string | undefined {
  const owner = input.inventory.ownerOf(change.kind, change.id ?? '');
  if (owner === undefined) return undefined;
  const resource = [...input.deleting, ...input.active, ...input.held].find(
    (r) => r.kind === change.kind && r.metadata.name === owner,
  );
  return resource ? resourceKey(resource) : undefined;
}

/** Keeps the deletes that are allowed; the others become "unmanaged" (left alone). */
function restrictDeletes(plan: Plan, allowed: ReadonlySet<string>): void {
  plan.changes = plan.changes.map((change) => {
    if (change.action !== 'delete' || allowed.has(`${change.kind}/${(change.id ?? '').toLowerCase()}`))
      return change;
    return { ...change, action: 'unmanaged', reason: 'created by the controller; left in place' };
  });
}

export async function planTenant(input: TenantPlanInput): Promise<TenantPlan> {
  const excluded = new Map<string, Diagnostic[]>();
  const byKey = new Map(input.active.map((r) => [resourceKey(r), r]));
  const keys = new Set(byKey.keys());
  // Validation is per resource: its errors leave the resource out before anything is read.
  const validation = attribute(validateManifests(input.active.map(toManifest)), keys);
  for (const [key, diagnostics] of validation.byResource) excluded.set(key, diagnostics);

  for (let round = 1; ; round++) {
    const candidates = input.active.filter((r) => !excluded.has(resourceKey(r)));
    // Left-out resources keep their objects: they count as held for deletes.
    const held = [...input.held, ...input.active.filter((r) => excluded.has(resourceKey(r)))];
    const computed = await computePlan({
      manifests: candidates.map(toManifest),
      registry,
      port: input.port,
      tenant: input.tenant,
      inventory: input.inventory.snapshot(),
      prune: true,
      live: input.live,
    });
    const plan = computed.plan;
    const errors = attribute(plan.diagnostics, keys);
    if (errors.byResource.size > 0 && round < MAX_ROUNDS) {
      for (const [key, diagnostics] of errors.byResource) excluded.set(key, diagnostics);
      continue;
    }
    if (hasErrors(plan.diagnostics))
      return failed(plan, excluded, [...errors.unattributed, ...flatten(errors.byResource)]);

    restrictDeletes(plan, deletableIds({ ...input, held }));
    const owners = new Map<ResourceChange, string>();
    for (const change of plan.changes) {
      const owner = change.action === 'delete' ? ownerOfDelete(change, input) : change.file;
      if (owner) owners.set(change, owner);
    }
    const drifted = new Map<string, ResourceChange[]>();
    for (const change of plan.changes) {
      if (change.action !== 'create' && change.action !== 'update') continue;
      const resource = byKey.get(owners.get(change) ?? '');
      if (resource && isSettled(resource))
        drifted.set(resourceKey(resource), [...(drifted.get(resourceKey(resource)) ?? []), change]);
    }
    if (input.drift === 'Report') {
      plan.changes = plan.changes.filter(
        (c) => !(owners.has(c) && drifted.has(owners.get(c)!) && c.action !== 'delete'),
      );
    }
    plan.summary = summarize(plan.changes);

    if (plan.summary.create + plan.summary.update + plan.summary.delete > 0) {
      const safety = await runSafetyChecksWithFacts({
        plan,
        live: input.live,
        desired: computed.desired,
        port: input.port,
        safety: input.safety,
        names: computed.resolution.names,
      });
      const guard = attribute(safety.diagnostics, keys);
      if (guard.byResource.size > 0 && round < MAX_ROUNDS) {
        for (const [key, diagnostics] of guard.byResource) excluded.set(key, diagnostics);
        continue;
      }
      addToPlan(plan, safety.diagnostics);
      if (hasErrors(plan.diagnostics))
        return failed(plan, excluded, [...guard.unattributed, ...flatten(guard.byResource)]);
    }
    return { plan, excluded, tenantErrors: [], drifted, owners };
  }
}

function flatten(map: Map<string, Diagnostic[]>): Diagnostic[] {
  return [...map.values()].flat();
}

function failed(plan: Plan, excluded: Map<string, Diagnostic[]>, tenantErrors: Diagnostic[]): TenantPlan {
  plan.changes = [];
  plan.summary = summarize([]);
  return { plan, excluded, tenantErrors, drifted: new Map(), owners: new Map() };
}
