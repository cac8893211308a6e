import type { TenantInfo } from '../graph-types.ts';
import type { Store } from '../store.ts';

/** The policy objects every new tenant has (authentication methods policy, built-in strengths, cross-tenant default). Not implemented yet. */
export function initializePolicyDefaults(_store: Store, _tenant: TenantInfo): void {}
