/**
 * The console's What-If evaluator for the controller's tenants: a question about `<namespace>/<name>` reads that
 * tenant through the Tenant's own Graph session and resolves its custom resources afresh (as a reconcile would, the
 * resources with errors of their own left out), then evaluates the sign-in against the desired state or the tenant
 * as it is — the same engine and report as `accord whatif`. It never writes: the port refuses writes.
 */
import { hasErrors } from '../core/diagnostics.ts';
import type { ConsoleState, WhatIfEvaluator } from '../console/console-state.ts';
import { readSuggestions } from '../console/workspace-whatif.ts';
import { registry } from '../kinds/registry.ts';
import { computePlan } from '../pipeline/compute-plan.ts';
import { readTenant } from '../pipeline/read-tenant.ts';
import { validateManifests } from '../pipeline/validate-manifests.ts';
import { DirectoryReader, type Lookup } from '../whatif-app/directory-reader.ts';
import { selectPolicySet } from '../whatif-app/policy-sets.ts';
import { runSignIn, type WhatIfReport } from '../whatif-app/run-sign-in.ts';
import { bindResource } from './binding.ts';
import { guardedPort } from './guarded-port.ts';
import { resourceKey, toManifest } from './plan-tenant.ts';
import type { ControllerView } from './reconcile-observer.ts';
import { isDeleting, isSuspended, type PolicyResource, type TenantResource } from './resources.ts';

/** A console tenant's name: the Tenant resource's `namespace/name`. */
export function consoleTenantName(tenant: Pick<TenantResource, 'metadata'>): string {
  return `${tenant.metadata.namespace}/${tenant.metadata.name}`;
}

function tenantNamed(view: ControllerView, state: ConsoleState, name: string): TenantResource | undefined {
  // Only the Tenants this replica serves (those in its console), so the answer comes from the shard's holder.
  if (!state.tenants().some((t) => t.name === name)) return undefined;
  return view.tenants().find((t) => consoleTenantName(t) === name);
}

/** The resources a reconcile of the Tenant would plan. */
function activeResources(view: ControllerView, tenant: TenantResource): PolicyResource[] {
  const namespace = tenant.metadata.namespace;
  const names = view
    .tenants()
    .filter((t) => t.metadata.namespace === namespace)
    .map((t) => t.metadata.name);
  return view.resourcesIn(namespace).filter((r) => {
    const binding = bindResource(r.metadata, names);
    return (
      binding.kind === 'bound' &&
      binding.tenant === tenant.metadata.name &&
      !isDeleting(r.metadata) &&
      !isSuspended(r.metadata)
    );
  });
}

export function controllerWhatIf(view: ControllerView, state: ConsoleState): WhatIfEvaluator {
  const readOnlyPort = async (tenant: TenantResource) =>
    guardedPort((await view.session(tenant)).client, () => false);
  return {
    async evaluate(request, against, name): Promise<Lookup<WhatIfReport>> {
      const tenant = tenantNamed(view, state, name);
      if (!tenant) return { ok: false, message: `tenant ${name} is not reconciled by this replica` };
      const port = await readOnlyPort(tenant);
      const live = await readTenant(port, registry);
      const resources = activeResources(view, tenant);
      const invalid = new Set(
        validateManifests(resources.map(toManifest))
          .filter((d) => d.severity === 'error')
          .map((d) => d.location?.file),
      );
      const computed = await computePlan({
        manifests: resources.filter((r) => !invalid.has(resourceKey(r))).map(toManifest),
        registry,
        port,
        tenant: { name, id: tenant.spec.tenantId },
        inventory: new Map(),
        prune: false,
        live,
      });
      if (against === 'desired' && hasErrors(computed.plan.diagnostics))
        return {
          ok: false,
          message: 'the desired state has errors (see Findings); evaluate against the tenant instead',
        };
      const pipeline = { tenantId: tenant.spec.tenantId, desired: computed.desired, live: computed.live };
      return runSignIn(
        {
          policies: selectPolicySet(pipeline, against),
          reader: new DirectoryReader(port, tenant.spec.tenantId),
          names: computed.resolution.names,
        },
        request,
      );
    },
    async suggestions(name) {
      const tenant = tenantNamed(view, state, name);
      if (!tenant) return { users: [], applications: [] };
      return readSuggestions(await readOnlyPort(tenant));
    },
  };
}
