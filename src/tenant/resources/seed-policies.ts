import type { TenantInfo } from '../graph-types.ts';
import type { Store } from '../store.ts';
import type { DirectorySeed } from '../seed/seed-types.ts';

/** Creates the seed's named locations and Conditional Access policies, validated as a POST would be. Not implemented yet. */
export function seedPolicies(_store: Store, _tenant: TenantInfo, _seed: DirectorySeed): void {}
