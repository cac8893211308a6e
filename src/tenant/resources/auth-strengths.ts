/**
 * Authentication strength policies (graph-contract §5): `/policies/authenticationStrengthPolicies[/{id}]` and the
 * alias `/identity/conditionalAccess/authenticationStrength/policies[/{id}]`, `updateAllowedCombinations`, `usage`,
 * and the list of `authenticationMethodModes`. The three built-ins are always present and read-only.
 */
import { COLLECTIONS } from '../collections.ts';
import { notFound } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { contextUrl, respondCollection, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import {
  checkDeletable,
  combinationsFromBody,
  findStrength,
  listStrengths,
  methodModeDetails,
  patchStrength,
  presentStrength,
  shapeNewStrength,
} from '../policies/auth-strengths.ts';
import { policiesUsingStrength, presentPolicy } from '../policies/ca-policy-store.ts';
import type { Doc } from '../store.ts';

const BASES = [
  { path: '/policies/authenticationStrengthPolicies', context: 'policies/authenticationStrengthPolicies' },
  {
    path: '/identity/conditionalAccess/authenticationStrength/policies',
    context: 'identity/conditionalAccess/authenticationStrength/policies',
  },
] as const;

function findOr404(ctx: GraphContext, id: string): Doc {
  const doc = findStrength(ctx.store, ctx.tenant, id);
  if (!doc)
    throw notFound(
      `AuthenticationStrengthPolicy with id '${id.slice(0, 100)}' does not exist.`,
      'ResourceNotFound',
    );
  return doc;
}

function list(context: string) {
  return (ctx: GraphContext): GraphResult =>
    respondCollection(ctx, listStrengths(ctx.store, ctx.tenant), {
      contextPath: context,
      defaultPageSize: Infinity,
      present: (doc) => presentStrength(doc as Doc),
    });
}

function get(context: string) {
  return (ctx: GraphContext): GraphResult =>
    respondEntity(ctx, presentStrength(findOr404(ctx, ctx.params.id!)), `${context}/$entity`);
}

function create(context: string) {
  return (ctx: GraphContext): GraphResult => {
    const doc = ctx.store.transaction(() => {
      const created = shapeNewStrength(ctx.request.body, ctx.store, ctx.tenant);
      ctx.store.put(ctx.tenant.id, COLLECTIONS.authStrengths, created);
      return created;
    });
    return respondEntity(ctx, presentStrength(doc), `${context}/$entity`, 201);
  };
}

function update(ctx: GraphContext): GraphResult {
  ctx.store.transaction(() => {
    const next = patchStrength(findOr404(ctx, ctx.params.id!), ctx.request.body, ctx.store, ctx.tenant);
    ctx.store.put(ctx.tenant.id, COLLECTIONS.authStrengths, next);
  });
  return { status: 204 };
}

function remove(ctx: GraphContext): GraphResult {
  ctx.store.transaction(() => {
    const doc = findOr404(ctx, ctx.params.id!);
    checkDeletable(
      doc,
      policiesUsingStrength(ctx.store, ctx.tenant, doc.id).map((p) => p.id),
    );
    ctx.store.remove(ctx.tenant.id, COLLECTIONS.authStrengths, doc.id);
  });
  return { status: 204 };
}

function updateCombinations(ctx: GraphContext): GraphResult {
  const result = ctx.store.transaction(() => {
    const doc = findOr404(ctx, ctx.params.id!);
    const combinations = combinationsFromBody(doc, ctx.request.body);
    const previous = doc.allowedCombinations;
    ctx.store.put(ctx.tenant.id, COLLECTIONS.authStrengths, {
      ...doc,
      allowedCombinations: combinations,
      modifiedDateTime: new Date().toISOString(),
    });
    return {
      additionalInformation: null,
      conditionalAccessReferences: policiesUsingStrength(ctx.store, ctx.tenant, doc.id).map((p) => p.id),
      currentCombinations: combinations,
      previousCombinations: previous,
    };
  });
  return {
    status: 200,
    body: { '@odata.context': contextUrl(ctx, 'microsoft.graph.updateAllowedCombinationsResult'), ...result },
  };
}

function usage(ctx: GraphContext): GraphResult {
  const doc = findOr404(ctx, ctx.params.id!);
  const policies = policiesUsingStrength(ctx.store, ctx.tenant, doc.id).map((p) => presentPolicy(ctx, p));
  const mfa = doc.requirementsSatisfied === 'mfa' ? policies : [];
  const none = doc.requirementsSatisfied === 'mfa' ? [] : policies;
  return {
    status: 200,
    body: { '@odata.context': contextUrl(ctx, 'microsoft.graph.authenticationStrengthUsage'), mfa, none },
  };
}

function methodModes(ctx: GraphContext): GraphResult {
  return respondCollection(ctx, methodModeDetails(), {
    contextPath: 'identity/conditionalAccess/authenticationStrength/authenticationMethodModes',
    defaultPageSize: Infinity,
  });
}

const read = { permissions: PERMISSIONS.caRead, throttle: 'directory' } as const;
const write = { permissions: PERMISSIONS.caConfigWrite, throttle: 'directory' } as const;

export const authStrengthsRoutes: Route[] = [
  {
    method: 'GET',
    path: '/identity/conditionalAccess/authenticationStrength/authenticationMethodModes',
    ...read,
    handler: methodModes,
  },
  ...BASES.flatMap(({ path, context }): Route[] => [
    { method: 'GET', path, ...read, handler: list(context) },
    { method: 'POST', path, ...write, handler: create(context) },
    { method: 'GET', path: `${path}/{id}/usage`, ...read, handler: usage },
    { method: 'GET', path: `${path}/{id}/usage()`, ...read, handler: usage },
    { method: 'POST', path: `${path}/{id}/updateAllowedCombinations`, ...write, handler: updateCombinations },
    { method: 'GET', path: `${path}/{id}`, ...read, handler: get(context) },
    { method: 'PATCH', path: `${path}/{id}`, ...write, handler: update },
    { method: 'DELETE', path: `${path}/{id}`, ...write, handler: remove },
  ]),
];
