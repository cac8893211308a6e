/**
 * Conditional Access policies (graph-contract §1, §2): `/identity/conditionalAccess/policies[/{id}]` and the alias
 * `/policies/conditionalAccessPolicies[/{id}]`. POST 201 with server defaults, PATCH/DELETE 204, DELETE moves the
 * policy to `deletedItems`.
 */
import { COLLECTIONS } from '../collections.ts';
import { notFound } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondCollection, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import { createPolicy, presentPolicy, updatePolicy } from '../policies/ca-policy-store.ts';
import type { Doc } from '../store.ts';

const BASES = [
  { path: '/identity/conditionalAccess/policies', context: 'identity/conditionalAccess/policies' },
  { path: '/policies/conditionalAccessPolicies', context: 'policies/conditionalAccessPolicies' },
] as const;

export function findPolicyOr404(ctx: GraphContext, id: string): Doc {
  const doc = ctx.store.get(ctx.tenant.id, COLLECTIONS.caPolicies, id);
  if (!doc)
    throw notFound(`ConditionalAccessPolicy with id '${id.slice(0, 100)}' does not exist in the directory.`);
  return doc;
}

function present(ctx: GraphContext) {
  return (doc: Record<string, unknown>) => presentPolicy(ctx, doc);
}

function list(context: string) {
  return (ctx: GraphContext): GraphResult =>
    respondCollection(ctx, ctx.store.all(ctx.tenant.id, COLLECTIONS.caPolicies), {
      contextPath: context,
      defaultPageSize: Infinity,
      present: present(ctx),
    });
}

function get(context: string) {
  return (ctx: GraphContext): GraphResult =>
    respondEntity(ctx, presentPolicy(ctx, findPolicyOr404(ctx, ctx.params.id!)), `${context}/$entity`);
}

function create(context: string) {
  return (ctx: GraphContext): GraphResult => {
    const doc = ctx.store.transaction(() => createPolicy(ctx.store, ctx.tenant, ctx.request.body));
    return respondEntity(ctx, presentPolicy(ctx, doc), `${context}/$entity`, 201);
  };
}

function update(ctx: GraphContext): GraphResult {
  ctx.store.transaction(() => {
    const existing = findPolicyOr404(ctx, ctx.params.id!);
    updatePolicy(ctx.store, ctx.tenant, existing, ctx.request.body);
  });
  return { status: 204 };
}

function remove(ctx: GraphContext): GraphResult {
  ctx.store.transaction(() => {
    const existing = findPolicyOr404(ctx, ctx.params.id!);
    ctx.store.remove(ctx.tenant.id, COLLECTIONS.caPolicies, existing.id);
    ctx.store.put(ctx.tenant.id, COLLECTIONS.deletedCaPolicies, {
      ...existing,
      deletedDateTime: new Date().toISOString(),
    });
  });
  return { status: 204 };
}

const read = { permissions: PERMISSIONS.caRead, throttle: 'conditionalAccess' } as const;
const write = { permissions: PERMISSIONS.caWrite, throttle: 'conditionalAccess' } as const;

export const caPoliciesRoutes: Route[] = BASES.flatMap(({ path, context }): Route[] => [
  { method: 'GET', path, ...read, handler: list(context) },
  { method: 'POST', path, ...write, handler: create(context) },
  { method: 'GET', path: `${path}/{id}`, ...read, handler: get(context) },
  { method: 'PATCH', path: `${path}/{id}`, ...write, handler: update },
  { method: 'DELETE', path: `${path}/{id}`, ...write, handler: remove },
]);
