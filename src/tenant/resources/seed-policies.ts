/**
 * Creates a seed's named locations, then its Conditional Access policies, through the same shaping and validation
 * as POST. Invalid seed data throws (the seed's transaction then leaves nothing behind). A seed entry may carry an
 * `id` so that policies can reference the locations it declares.
 */
import { ShapeError } from '../../model/json-shape.ts';
import { GraphError } from '../errors.ts';
import type { TenantInfo } from '../graph-types.ts';
import { createPolicy } from '../policies/ca-policy-store.ts';
import { isRecord } from '../../model/json-shape.ts';
import { createNamedLocation } from '../policies/named-location-store.ts';
import type { DirectorySeed } from '../seed/seed-types.ts';
import type { Store } from '../store.ts';

type Create = (store: Store, tenant: TenantInfo, body: unknown, fixedId?: string) => unknown;

function seedEach(
  store: Store,
  tenant: TenantInfo,
  entries: Record<string, unknown>[],
  what: string,
  create: Create,
): void {
  entries.forEach((entry, index) => {
    const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : undefined;
    try {
      create(store, tenant, entry, id);
    } catch (err) {
      const name = isRecord(entry) && typeof entry.displayName === 'string' ? entry.displayName : `#${index}`;
      const detail =
        err instanceof GraphError || err instanceof ShapeError
          ? (err.innerMessage ?? err.message)
          : String(err);
      throw new Error(`invalid seed ${what} '${name}': ${detail}`, { cause: err });
    }
  });
}

export function seedPolicies(store: Store, tenant: TenantInfo, seed: DirectorySeed): void {
  seedEach(store, tenant, seed.namedLocations ?? [], 'named location', createNamedLocation);
  seedEach(store, tenant, seed.conditionalAccessPolicies ?? [], 'Conditional Access policy', createPolicy);
}
