/**
 * Which Tenant a resource is reconciled to: the one its label `accord.dev/tenant` names in its namespace, or
 * without the label the only Tenant of its namespace. Anything else is a reason the resource cannot be Ready. Pure.
 */
import { Reason } from './conditions.ts';
import { TENANT_LABEL, type ObjectMeta } from './resources.ts';

export type Binding =
  | { kind: 'bound'; tenant: string }
  | {
      kind: 'unbound';
      reason: typeof Reason.TenantNotFound | typeof Reason.TenantAmbiguous;
      message: string;
    };

export function bindResource(
  metadata: Pick<ObjectMeta, 'labels'>,
  tenantsInNamespace: readonly string[],
): Binding {
  const named = metadata.labels?.[TENANT_LABEL]?.trim();
  if (named) {
    if (tenantsInNamespace.includes(named)) return { kind: 'bound', tenant: named };
    return {
      kind: 'unbound',
      reason: Reason.TenantNotFound,
      message: `the label ${TENANT_LABEL} names the Tenant '${named}', which does not exist in this namespace`,
    };
  }
  if (tenantsInNamespace.length === 1) return { kind: 'bound', tenant: tenantsInNamespace[0]! };
  if (tenantsInNamespace.length === 0) {
    return {
      kind: 'unbound',
      reason: Reason.TenantNotFound,
      message: 'no Tenant in this namespace: create one (kind: Tenant) to say where this policy goes',
    };
  }
  const names = [...tenantsInNamespace].sort().join(', ');
  return {
    kind: 'unbound',
    reason: Reason.TenantAmbiguous,
    message: `this namespace has several Tenants (${names}): choose one with the label ${TENANT_LABEL}`,
  };
}
