/**
 * Conditional Access templates (graph-contract §1): `GET /identity/conditionalAccess/templates[/{id}]`, read-only
 * and the same in every tenant, with `$filter` (e.g. `scenarios has 'secureFoundation'`) and `$select`.
 */
import { notFound } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondCollection, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import { CONDITIONAL_ACCESS_TEMPLATES } from '../seed/ca-templates.ts';

const BASE = '/identity/conditionalAccess/templates';
const CONTEXT = 'identity/conditionalAccess/templates';

function templateDocs(): Record<string, unknown>[] {
  return CONDITIONAL_ACCESS_TEMPLATES.map((t) => structuredClone({ ...t }));
}

function list(ctx: GraphContext): GraphResult {
  return respondCollection(ctx, templateDocs(), { contextPath: CONTEXT, defaultPageSize: Infinity });
}

function get(ctx: GraphContext): GraphResult {
  const id = ctx.params.id!.toLowerCase();
  const template = templateDocs().find((t) => t.id === id);
  if (!template) {
    throw notFound(`ConditionalAccessTemplate with id '${ctx.params.id!.slice(0, 100)}' does not exist.`);
  }
  return respondEntity(ctx, template, `${CONTEXT}/$entity`);
}

// The 1 request/s budget of §7.4 names policies and named locations, not templates.
const read = { permissions: PERMISSIONS.caRead, throttle: 'none' } as const;

export const caTemplatesRoutes: Route[] = [
  { method: 'GET', path: BASE, ...read, handler: list },
  { method: 'GET', path: `${BASE}/{id}`, ...read, handler: get },
];
