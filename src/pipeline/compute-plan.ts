/**
 * The pipeline up to the plan: read the tenant, resolve names, expand manifests to desired objects, build the
 * plan. Reading is the only I/O; everything after it is pure.
 */
import { hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import type { GraphPort } from '../core/graph-port.ts';
import type { DesiredObject, LiveObject } from '../core/kind.ts';
import type { Manifest } from '../core/manifest.ts';
import { summarize, type Plan } from '../core/plan.ts';
import type { KindRegistry } from '../kinds/registry.ts';
import { buildPlan, type Inventory } from './build-plan.ts';
import { nameUnknownIds } from './name-ids.ts';
import { readTenant } from './read-tenant.ts';
import { resolveReferences, type Resolution } from './resolve-references.ts';

export interface ComputePlanInput {
  manifests: readonly Manifest[];
  registry: KindRegistry;
  port: GraphPort;
  tenant: { name: string; id: string };
  inventory: Inventory;
  prune: boolean;
  /** Diagnostics from loading and validation, carried into the plan. */
  diagnostics?: readonly Diagnostic[];
  /** The tenant as already read (the controller plans several times on one read); read here when absent. */
  live?: Map<string, LiveObject[]>;
}

export interface ComputedPlan {
  plan: Plan;
  live: Map<string, LiveObject[]>;
  desired: DesiredObject[];
  resolution: Resolution;
}

export async function computePlan(input: ComputePlanInput): Promise<ComputedPlan> {
  const live = input.live ?? (await readTenant(input.port, input.registry));
  const resolution = await resolveReferences({
    manifests: input.manifests,
    registry: input.registry,
    port: input.port,
    live,
  });
  const diagnostics = [...(input.diagnostics ?? []), ...resolution.diagnostics];
  const desired = hasErrors(diagnostics)
    ? []
    : input.manifests.flatMap((m) => input.registry.get(m.kind)?.expand(m, resolution.lookup) ?? []);
  const plan = buildPlan({
    tenant: input.tenant,
    registry: input.registry,
    desired,
    live,
    inventory: input.inventory,
    prune: input.prune,
    names: resolution.names,
    diagnostics,
  });
  // With errors there is no trustworthy plan: report them, change nothing.
  if (hasErrors(plan.diagnostics)) {
    plan.changes = [];
    plan.summary = summarize([]);
  } else {
    await nameUnknownIds(plan, input.port);
  }
  return { plan, live, desired, resolution };
}
