/** Creating and updating named locations; shared by the routes, deleted items and seeding. */
import { randomUUID } from 'node:crypto';
import { COLLECTIONS } from '../collections.ts';
import { validationError } from '../errors.ts';
import type { TenantInfo } from '../graph-types.ts';
import type { Doc, Store } from '../store.ts';
import { isRecord, type Json, shallowMerge } from '../../model/json-shape.ts';
import {
  IP_LOCATION_TYPE,
  LOCATION_CODES,
  locationType,
  MAX_IP_LOCATIONS,
  shapeNamedLocation,
} from './named-location-validation.ts';

function withServerFields(content: Json, id: string, created: string, modified: string): Doc {
  const { '@odata.type': type, displayName, ...rest } = content;
  return {
    '@odata.type': type,
    id,
    displayName,
    createdDateTime: created,
    modifiedDateTime: modified,
    ...rest,
  };
}

export function countIpLocations(store: Store, tenant: TenantInfo): number {
  return store.all(tenant.id, COLLECTIONS.namedLocations).filter((d) => d['@odata.type'] === IP_LOCATION_TYPE)
    .length;
}

/** The 195 IP named locations cap (graph-contract §3.3); country locations don't count. */
export function checkIpLocationLimit(store: Store, tenant: TenantInfo, type: unknown): void {
  if (type === IP_LOCATION_TYPE && countIpLocations(store, tenant) >= MAX_IP_LOCATIONS) {
    throw validationError(
      LOCATION_CODES.limit,
      `The tenant has reached the limit of ${MAX_IP_LOCATIONS} IP named locations; delete one before creating another.`,
    );
  }
}

export function createNamedLocation(store: Store, tenant: TenantInfo, body: unknown, fixedId?: string): Doc {
  const content = shapeNamedLocation(body);
  checkIpLocationLimit(store, tenant, content['@odata.type']);
  const now = new Date().toISOString();
  const doc = withServerFields(content, fixedId ?? randomUUID(), now, now);
  store.put(tenant.id, COLLECTIONS.namedLocations, doc);
  return doc;
}

/** PATCH: the body must name the location's own derived type; collections replace, the rest is kept. */
export function updateNamedLocation(store: Store, tenant: TenantInfo, existing: Doc, patch: unknown): Doc {
  const type = locationType(patch);
  if (type !== existing['@odata.type']) {
    throw validationError(
      LOCATION_CODES.type,
      `The type of a named location cannot change from '${String(existing['@odata.type'])}' to '${type}'.`,
    );
  }
  const merged = shallowMerge(existing, isRecord(patch) ? patch : {});
  const content = shapeNamedLocation(merged);
  const doc = withServerFields(
    content,
    existing.id,
    String(existing.createdDateTime),
    new Date().toISOString(),
  );
  store.put(tenant.id, COLLECTIONS.namedLocations, doc);
  return doc;
}
