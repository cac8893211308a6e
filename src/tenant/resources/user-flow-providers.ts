/**
 * The identity providers of a user flow (graph-contract §8.1): `GET …/{id}/onAuthenticationMethodLoadStart/
 * microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders`, `POST …/$ref`
 * with `{ "@odata.id": "…/identityProviders/{idp}" }` (204) and `DELETE …/{idp}/$ref` (204). The path may also carry
 * the flow's type cast (`…/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/…`), as the docs write it.
 */
import { COLLECTIONS } from '../collections.ts';
import { badRequest, notFound } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondCollection } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import { isRecord, requireBody, type Json } from '../policies/auth-methods/json-checks.ts';
import { BUILT_IN_IDENTITY_PROVIDERS } from '../seed/well-known.ts';
import type { Doc } from '../store.ts';
import { BASE, HANDLER_TYPES, loadFlow } from './user-flows.ts';

const HANDLER = 'onAuthenticationMethodLoadStart';
const HANDLER_CAST = HANDLER_TYPES[HANDLER]!.slice(1);
const FLOW_CAST = 'microsoft.graph.externalUsersSelfServiceSignUpEventsFlow';

function providersOf(flow: Doc): Json[] {
  const handler = flow[HANDLER];
  const providers = isRecord(handler) ? handler.identityProviders : undefined;
  return Array.isArray(providers) ? (providers as Json[]) : [];
}

function withProviders(flow: Doc, providers: Json[]): Doc {
  return { ...flow, [HANDLER]: { '@odata.type': HANDLER_TYPES[HANDLER], identityProviders: providers } };
}

/** `{ "@odata.id": "https://graph.microsoft.com/beta/identityProviders/Google-OAUTH" }` (or `{ "id": … }`). */
function providerIdFromBody(body: Json): string {
  const ref = body['@odata.id'] ?? body.id;
  if (typeof ref !== 'string' || ref.trim() === '') {
    throw badRequest("The request body must name the identity provider in '@odata.id'.");
  }
  return ref.replace(/\/+$/, '').split('/').pop()!;
}

function list(ctx: GraphContext): GraphResult {
  const flow = loadFlow(ctx);
  return respondCollection(
    ctx,
    providersOf(flow).map((p) => ({ ...p })),
    { contextPath: 'identityProviders', defaultPageSize: Infinity },
  );
}

function add(ctx: GraphContext): GraphResult {
  const flow = loadFlow(ctx);
  const id = providerIdFromBody(requireBody(ctx.request.body));
  const provider = BUILT_IN_IDENTITY_PROVIDERS.find((p) => p.id.toLowerCase() === id.toLowerCase());
  if (!provider)
    throw badRequest(`The identity provider '${id.slice(0, 100)}' is not configured in this tenant.`);
  const providers = providersOf(flow);
  if (providers.some((p) => String(p.id).toLowerCase() === provider.id.toLowerCase())) {
    throw badRequest(`The identity provider '${provider.id}' is already part of this user flow.`);
  }
  const next = withProviders(flow, [...providers, { ...provider }]);
  ctx.store.transaction(() => ctx.store.put(ctx.tenant.id, COLLECTIONS.userFlows, next));
  return { status: 204 };
}

function remove(ctx: GraphContext): GraphResult {
  const flow = loadFlow(ctx);
  const id = ctx.params.providerId!.toLowerCase();
  const providers = providersOf(flow);
  const remaining = providers.filter((p) => String(p.id).toLowerCase() !== id);
  if (remaining.length === providers.length) {
    throw notFound(
      `The identity provider '${ctx.params.providerId!.slice(0, 100)}' is not part of this user flow.`,
    );
  }
  if (remaining.length === 0) {
    throw badRequest(
      'A user flow needs at least one identity provider; add another before removing this one.',
    );
  }
  ctx.store.transaction(() =>
    ctx.store.put(ctx.tenant.id, COLLECTIONS.userFlows, withProviders(flow, remaining)),
  );
  return { status: 204 };
}

function routesUnder(flowPath: string): Route[] {
  const path = `${flowPath}/${HANDLER}/${HANDLER_CAST}/identityProviders`;
  const read = { permissions: PERMISSIONS.userFlowRead, throttle: 'userFlows' } as const;
  const write = { permissions: PERMISSIONS.userFlowWrite, throttle: 'userFlows' } as const;
  return [
    { method: 'GET', path, ...read, handler: list },
    { method: 'POST', path: `${path}/$ref`, ...write, handler: add },
    { method: 'DELETE', path: `${path}/{providerId}/$ref`, ...write, handler: remove },
  ];
}

export const userFlowProviderRoutes: Route[] = [
  ...routesUnder(`${BASE}/{id}`),
  ...routesUnder(`${BASE}/{id}/${FLOW_CAST}`),
];
