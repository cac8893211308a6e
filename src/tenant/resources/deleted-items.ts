/**
 * Soft-deleted Conditional Access objects (graph-contract §1, §10.4): `/identity/conditionalAccess/deletedItems/
 * {policies|namedLocations}[/{id}]`, `restore` (200 + the restored object) and permanent DELETE (204).
 */
import { COLLECTIONS } from '../collections.ts';
import { notFound, validationError } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondCollection, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import { policyLookups, presentPolicy } from '../policies/ca-policy-store.ts';
import { checkPolicyLimit, validatePolicy } from '../policies/ca-policy-validation.ts';
import { checkIpLocationLimit } from '../policies/named-location-store.ts';
import type { Doc } from '../store.ts';

interface Kind {
  segment: string;
  deleted: string;
  live: string;
  name: string;
  liveContext: string;
  present: (ctx: GraphContext, doc: Record<string, unknown>) => Record<string, unknown>;
  checkRestore: (ctx: GraphContext, doc: Doc) => void;
}

const BASE = '/identity/conditionalAccess/deletedItems';

function checkNameFree(ctx: GraphContext, kind: Kind, doc: Doc): void {
  const name = String(doc.displayName).toLowerCase();
  if (ctx.store.all(ctx.tenant.id, kind.live).some((d) => String(d.displayName).toLowerCase() === name)) {
    throw validationError(
      1401,
      `A ${kind.name} named '${String(doc.displayName)}' already exists; rename or delete it before restoring.`,
    );
  }
}

const KINDS: Kind[] = [
  {
    segment: 'policies',
    deleted: COLLECTIONS.deletedCaPolicies,
    live: COLLECTIONS.caPolicies,
    name: 'ConditionalAccessPolicy',
    liveContext: 'identity/conditionalAccess/policies/$entity',
    present: (ctx, doc) => presentPolicy(ctx, doc),
    checkRestore: (ctx, doc) => {
      checkPolicyLimit(ctx.store.count(ctx.tenant.id, COLLECTIONS.caPolicies));
      validatePolicy(structuredClone(doc), policyLookups(ctx.store, ctx.tenant));
    },
  },
  {
    segment: 'namedLocations',
    deleted: COLLECTIONS.deletedNamedLocations,
    live: COLLECTIONS.namedLocations,
    name: 'NamedLocation',
    liveContext: 'identity/conditionalAccess/namedLocations/$entity',
    present: (_ctx, doc) => doc,
    checkRestore: (ctx, doc) => checkIpLocationLimit(ctx.store, ctx.tenant, doc['@odata.type']),
  },
];

function findOr404(ctx: GraphContext, kind: Kind): Doc {
  const id = ctx.params.id!;
  const doc = ctx.store.get(ctx.tenant.id, kind.deleted, id);
  if (!doc)
    throw notFound(`Deleted ${kind.name} with id ${id.slice(0, 100)} does not exist in the directory.`);
  return doc;
}

function routesFor(kind: Kind): Route[] {
  const path = `${BASE}/${kind.segment}`;
  const context = `identity/conditionalAccess/deletedItems/${kind.segment}`;
  const read = { permissions: PERMISSIONS.caRead, throttle: 'conditionalAccess' } as const;
  const write = { permissions: PERMISSIONS.caWrite, throttle: 'conditionalAccess' } as const;
  const list = (ctx: GraphContext): GraphResult =>
    respondCollection(ctx, ctx.store.all(ctx.tenant.id, kind.deleted), {
      contextPath: context,
      defaultPageSize: Infinity,
      present: (doc) => kind.present(ctx, doc),
    });
  const get = (ctx: GraphContext): GraphResult =>
    respondEntity(ctx, kind.present(ctx, findOr404(ctx, kind)), `${context}/$entity`);
  const restore = (ctx: GraphContext): GraphResult => {
    const restored = ctx.store.transaction(() => {
      const doc = findOr404(ctx, kind);
      kind.checkRestore(ctx, doc);
      checkNameFree(ctx, kind, doc);
      const { deletedDateTime: _deleted, ...live } = doc;
      ctx.store.remove(ctx.tenant.id, kind.deleted, doc.id);
      ctx.store.put(ctx.tenant.id, kind.live, live as Doc);
      return live;
    });
    return respondEntity(ctx, kind.present(ctx, restored), kind.liveContext);
  };
  const purge = (ctx: GraphContext): GraphResult => {
    ctx.store.transaction(() => ctx.store.remove(ctx.tenant.id, kind.deleted, findOr404(ctx, kind).id));
    return { status: 204 };
  };
  return [
    { method: 'GET', path, ...read, handler: list },
    { method: 'POST', path: `${path}/{id}/restore`, ...write, handler: restore },
    { method: 'POST', path: `${path}/{id}/microsoft.graph.restore`, ...write, handler: restore },
    { method: 'GET', path: `${path}/{id}`, ...read, handler: get },
    { method: 'DELETE', path: `${path}/{id}`, ...write, handler: purge },
  ];
}

export const deletedItemsRoutes: Route[] = KINDS.flatMap(routesFor);
