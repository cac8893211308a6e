/**
 * Named locations (graph-contract §3): `/identity/conditionalAccess/namedLocations[/{id}]`, polymorphic ip and
 * country locations, OData list options, soft delete into `deletedItems`.
 */
import { COLLECTIONS } from '../collections.ts';
import { notFound, validationError } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondCollection, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import { policiesUsingLocation } from '../policies/ca-policy-store.ts';
import { createNamedLocation, updateNamedLocation } from '../policies/named-location-store.ts';
import { LOCATION_CODES } from '../policies/named-location-validation.ts';
import type { Doc } from '../store.ts';

const BASE = '/identity/conditionalAccess/namedLocations';
const CONTEXT = 'identity/conditionalAccess/namedLocations';

function findOr404(ctx: GraphContext, id: string): Doc {
  const doc = ctx.store.get(ctx.tenant.id, COLLECTIONS.namedLocations, id);
  if (!doc) throw notFound(`NamedLocation with id ${id.slice(0, 100)} does not exist in the directory.`);
  return doc;
}

function list(ctx: GraphContext): GraphResult {
  return respondCollection(ctx, ctx.store.all(ctx.tenant.id, COLLECTIONS.namedLocations), {
    contextPath: CONTEXT,
    defaultPageSize: 100,
  });
}

function get(ctx: GraphContext): GraphResult {
  return respondEntity(ctx, findOr404(ctx, ctx.params.id!), `${CONTEXT}/$entity`);
}

function create(ctx: GraphContext): GraphResult {
  const doc = ctx.store.transaction(() => createNamedLocation(ctx.store, ctx.tenant, ctx.request.body));
  return respondEntity(ctx, doc, `${CONTEXT}/$entity`, 201);
}

function update(ctx: GraphContext): GraphResult {
  ctx.store.transaction(() =>
    updateNamedLocation(ctx.store, ctx.tenant, findOr404(ctx, ctx.params.id!), ctx.request.body),
  );
  return { status: 204 };
}

function checkDeletable(ctx: GraphContext, doc: Doc): void {
  if (doc.isTrusted === true) {
    throw validationError(
      LOCATION_CODES.trusted,
      `NamedLocation with id ${doc.id} is marked as trusted; mark it as untrusted (isTrusted: false) before deleting it.`,
    );
  }
  const users = policiesUsingLocation(ctx.store, ctx.tenant, doc.id);
  if (users.length > 0) {
    const names = users.slice(0, 10).map((p) => `'${String(p.displayName)}' (${p.id})`);
    throw validationError(
      LOCATION_CODES.inUse,
      `NamedLocation with id ${doc.id} is referenced by Conditional Access policies and cannot be deleted: ${names.join(', ')}.`,
    );
  }
}

function remove(ctx: GraphContext): GraphResult {
  ctx.store.transaction(() => {
    const doc = findOr404(ctx, ctx.params.id!);
    checkDeletable(ctx, doc);
    ctx.store.remove(ctx.tenant.id, COLLECTIONS.namedLocations, doc.id);
    ctx.store.put(ctx.tenant.id, COLLECTIONS.deletedNamedLocations, {
      ...doc,
      deletedDateTime: new Date().toISOString(),
    });
  });
  return { status: 204 };
}

const read = { permissions: PERMISSIONS.caRead, throttle: 'conditionalAccess' } as const;
const write = { permissions: PERMISSIONS.caWrite, throttle: 'conditionalAccess' } as const;

export const namedLocationsRoutes: Route[] = [
  { method: 'GET', path: BASE, ...read, handler: list },
  { method: 'POST', path: BASE, ...write, handler: create },
  { method: 'GET', path: `${BASE}/{id}`, ...read, handler: get },
  { method: 'PATCH', path: `${BASE}/{id}`, ...write, handler: update },
  { method: 'DELETE', path: `${BASE}/{id}`, ...write, handler: remove },
];
