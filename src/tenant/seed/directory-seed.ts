import type { TenantInfo } from '../graph-types.ts';
import type { Store } from '../store.ts';
import type { DirectorySeed } from './seed-types.ts';

/** Writes the seed's users, groups, memberships, role assignments, service principals and user flows. Not implemented yet. */
export function seedDirectory(_store: Store, _tenant: TenantInfo, _seed: DirectorySeed): void {}
