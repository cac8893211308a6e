/**
 * Resources that no Tenant claims (none in the namespace, the named one missing, or several and no label): they
 * are reported (Ready=False, TenantNotFound or TenantAmbiguous, Stalled until a Tenant appears) and, when deleted,
 * let go at once — without a Tenant there is nothing the controller could delete, so the tenant object is left in
 * place and an event says so.
 */
import { bindResource } from './binding.ts';
import type { EventRecorder } from './events.ts';
import { hasFinalizer, isDeleting, type PolicyResource } from './resources.ts';
import { notReady, type StatusWriter } from './status.ts';

export interface NamespaceReconcileInput {
  namespace: string;
  tenants: string[];
  resources: PolicyResource[];
  status: StatusWriter;
  events: EventRecorder;
  pluralOf(kind: string): string;
  mayWrite(): boolean;
}

/** Unbound resources hardly change: their status is refreshed at most hourly. */
const UNBOUND_REFRESH_MS = 3_600_000;

export async function reconcileNamespace(input: NamespaceReconcileInput): Promise<void> {
  for (const original of input.resources) {
    const binding = bindResource(original.metadata, input.tenants);
    if (binding.kind === 'bound') continue;
    if (!input.mayWrite()) return;
    const resource = structuredClone(original);
    const target = { plural: input.pluralOf(resource.kind), metadata: resource.metadata };
    if (isDeleting(resource.metadata)) {
      if (!hasFinalizer(resource.metadata)) continue;
      input.events.record(
        resource,
        'Warning',
        'Orphaned',
        'Delete',
        `${binding.message}; the tenant object${resource.status?.id ? ` ${resource.status.id}` : ''} was left in place`,
      );
      await input.status.removeFinalizer(target);
      continue;
    }
    await input.status.write(
      { kind: resource.kind, ...target, status: resource.status },
      { conditions: notReady(binding.reason, binding.message, true), observe: false },
      UNBOUND_REFRESH_MS,
    );
  }
}
