/** `/servicePrincipals` (graph-contract §1, §6): list with `$filter` (appId, displayName, `in`), get by id or appId. */
import { COLLECTIONS } from '../collections.ts';
import { resourceNotFound } from '../directory/directory-errors.ts';
import { respondDirectoryCollection, respondDirectoryCount } from '../directory/directory-query.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';

function byAppId(ctx: GraphContext): GraphResult {
  const appId = ctx.params.appId!.toLowerCase();
  const sp = ctx.store
    .all(ctx.tenant.id, COLLECTIONS.servicePrincipals)
    .find((s) => String(s.appId).toLowerCase() === appId);
  if (!sp) throw resourceNotFound(ctx.params.appId!);
  return respondEntity(ctx, sp, 'servicePrincipals/$entity');
}

function byId(ctx: GraphContext): GraphResult {
  const sp = ctx.store.get(ctx.tenant.id, COLLECTIONS.servicePrincipals, ctx.params.id!);
  if (!sp) throw resourceNotFound(ctx.params.id!);
  return respondEntity(ctx, sp, 'servicePrincipals/$entity');
}

const read = PERMISSIONS.appRead;

export const servicePrincipalsRoutes: Route[] = [
  {
    method: 'GET',
    path: '/servicePrincipals',
    permissions: read,
    throttle: 'directory',
    handler: (ctx) =>
      respondDirectoryCollection(ctx, ctx.store.all(ctx.tenant.id, COLLECTIONS.servicePrincipals), {
        contextPath: 'servicePrincipals',
      }),
  },
  {
    method: 'GET',
    path: '/servicePrincipals/$count',
    permissions: read,
    throttle: 'directory',
    handler: (ctx) => respondDirectoryCount(ctx, ctx.store.all(ctx.tenant.id, COLLECTIONS.servicePrincipals)),
  },
  {
    method: 'GET',
    path: "/servicePrincipals(appId='{appId}')",
    permissions: read,
    throttle: 'directory',
    handler: byAppId,
  },
  { method: 'GET', path: '/servicePrincipals/{id}', permissions: read, throttle: 'directory', handler: byId },
];
