/**
 * What every command starts from: the policy repository (accord.yaml and manifests, validated) and a connection to
 * its tenant.
 */
import { resolve } from 'node:path';
import { hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import type { Manifest } from '../core/manifest.ts';
import { registry } from '../kinds/registry.ts';
import type { Logger } from '../log/log-port.ts';
import { loadManifests } from '../pipeline/load-manifests.ts';
import { validateManifests } from '../pipeline/validate-manifests.ts';
import { InventoryStore } from '../pipeline/inventory.ts';
import { computePlan, type ComputedPlan } from '../pipeline/compute-plan.ts';
import { loadConfig, type AccordConfig } from '../config/accord-config.ts';
import { connectLocalTenant, connectRemoteTenant, type TenantConnection } from './connection.ts';
import { remoteTenantSettings } from './remote-tenant.ts';
import { UserError } from './errors.ts';
import { reviewPlan } from './review-plan.ts';

export interface CommonOptions {
  dir: string;
  tenant?: string;
}

export interface Workspace {
  dir: string;
  config: AccordConfig;
  manifests: Manifest[];
  diagnostics: Diagnostic[];
}

/** Loads and validates the repository; never throws for the user's mistakes (they are diagnostics). */
export function openWorkspace(options: CommonOptions): Workspace {
  const dir = resolve(options.dir);
  const configResult = loadConfig(dir);
  const loaded = loadManifests(dir);
  const diagnostics = [...configResult.diagnostics, ...loaded.diagnostics];
  diagnostics.push(...validateManifests(loaded.manifests));
  return { dir, config: configResult.config, manifests: loaded.manifests, diagnostics };
}

export async function connect(
  workspace: Workspace,
  tenantName: string | undefined,
  logger: Logger,
): Promise<TenantConnection> {
  const paths = {
    dataDir: resolve(workspace.dir, workspace.config.localTenant.dataDir),
    inventoryPath: resolve(workspace.dir, workspace.config.ownership.inventory),
  };
  const settings = await remoteTenantSettings(workspace.config, tenantName, process.env);
  if (!settings) return connectLocalTenant(paths, logger);
  return connectRemoteTenant(paths, settings, logger);
}

export interface PlanRun {
  computed: ComputedPlan;
  connection: TenantConnection;
  inventory: InventoryStore;
}

/**
 * Plans against the tenant; the caller closes the connection. Validation errors stop before any tenant read.
 * `review: false` skips the safety review and sign-in impact (a What-If needs only the resolved states).
 */
export async function planWorkspace(
  workspace: Workspace,
  options: { tenant?: string; prune?: boolean; impact?: boolean; review?: boolean },
  logger: Logger,
): Promise<PlanRun> {
  if (hasErrors(workspace.diagnostics)) throw new WorkspaceInvalid(workspace.diagnostics);
  const connection = await connect(workspace, options.tenant, logger);
  try {
    const inventory = new InventoryStore(connection.inventoryPath, connection.tenantId);
    const computed = await computePlan({
      manifests: workspace.manifests,
      registry,
      port: connection.port,
      tenant: { name: connection.name, id: connection.tenantId },
      inventory: inventory.snapshot(),
      prune: options.prune ?? workspace.config.prune ?? false,
      diagnostics: workspace.diagnostics,
    });
    if (options.review !== false && !hasErrors(computed.plan.diagnostics)) {
      await reviewPlan(
        {
          plan: computed.plan,
          live: computed.live,
          desired: computed.desired,
          port: connection.port,
          names: computed.resolution.names,
          config: workspace.config,
          tenant: options.tenant,
          impact: options.impact ?? true,
        },
        logger,
      );
    }
    return { computed, connection, inventory };
  } catch (err) {
    await connection.close();
    throw err;
  }
}

/** The repository has errors: report them and stop (exit 1), nothing read or written. */
export class WorkspaceInvalid extends UserError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super('the policy repository has errors');
    this.diagnostics = diagnostics;
  }
}
