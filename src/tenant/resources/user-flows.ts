/**
 * External ID user flows (graph-contract §8.1): `GET/POST /identity/authenticationEventsFlows`, `GET/PATCH/DELETE
 * …/{id}`, and the applications a flow applies to (`GET/POST …/{id}/conditions/applications/includeApplications`,
 * `DELETE …/includeApplications/{appId}[/$ref]`). An app can be linked to only one user flow.
 *
 * Only customer (flavor 'external') tenants have these flows. In a workforce tenant every route answers 400
 * BadRequest naming the reason: the request is well-formed but not valid for this kind of tenant, and 403 would
 * wrongly suggest a missing permission.
 */
import { randomUUID } from 'node:crypto';
import { COLLECTIONS } from '../collections.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondCollection, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import {
  hasOwn,
  isGuid,
  isRecord,
  rejectUnknown,
  requireArray,
  requireBody,
  requireBoolean,
  requireEnum,
  requireInteger,
  requireObject,
  requireString,
  type Json,
} from '../policies/auth-methods/json-checks.ts';
import { BUILT_IN_IDENTITY_PROVIDERS } from '../seed/well-known.ts';
import type { Doc } from '../store.ts';

export const BASE = '/identity/authenticationEventsFlows';
const CONTEXT = 'identity/authenticationEventsFlows';
const FLOW_TYPE = '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow';
export const HANDLER_TYPES: Record<string, string> = {
  onAuthenticationMethodLoadStart:
    '#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp',
  onInteractiveAuthFlowStart: '#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp',
  onAttributeCollection: '#microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp',
  onUserCreateStart: '#microsoft.graph.onUserCreateStartExternalUsersSelfServiceSignUp',
};
const CUSTOM_HANDLERS = ['onAttributeCollectionStart', 'onAttributeCollectionSubmit'];
const WRITABLE = [
  '@odata.type',
  'displayName',
  'description',
  'priority',
  'conditions',
  ...Object.keys(HANDLER_TYPES),
  ...CUSTOM_HANDLERS,
];
const USER_TYPES = ['member', 'guest', 'unknownFutureValue'] as const;

function requireExternalTenant(ctx: GraphContext): void {
  if (ctx.tenant.flavor !== 'external') {
    throw badRequest(
      'User flows for customers (externalUsersSelfServiceSignUpEventsFlow) are available only in external tenants (Microsoft Entra External ID); this is a workforce tenant.',
    );
  }
}

function flows(ctx: GraphContext): Doc[] {
  return ctx.store.all(ctx.tenant.id, COLLECTIONS.userFlows);
}

/** The flow of `{id}` in an external tenant, or Graph's 400 (workforce tenant) / 404. */
export function loadFlow(ctx: GraphContext): Doc {
  requireExternalTenant(ctx);
  const flow = ctx.store.get(ctx.tenant.id, COLLECTIONS.userFlows, ctx.params.id!);
  if (!flow) throw notFound(`The authentication events flow '${ctx.params.id!}' does not exist.`);
  return flow;
}

function checkHandlerType(body: Json, name: string): void {
  const expected = HANDLER_TYPES[name]!;
  const given = body['@odata.type'];
  if (
    given !== undefined &&
    (typeof given !== 'string' || given.replace(/^#/, '').toLowerCase() !== expected.slice(1).toLowerCase())
  ) {
    throw badRequest(`'${name}' must have '@odata.type' '${expected}'.`);
  }
}

function parseIdentityProviders(raw: unknown): Json[] {
  return requireArray(raw, 'onAuthenticationMethodLoadStart.identityProviders').map((item, i) => {
    const at = `onAuthenticationMethodLoadStart.identityProviders[${i}]`;
    const id = requireString(requireObject(item, at).id, `${at}.id`);
    const known = BUILT_IN_IDENTITY_PROVIDERS.find((p) => p.id.toLowerCase() === id.toLowerCase());
    if (!known) throw badRequest(`The identity provider '${id}' is not configured in this tenant.`);
    return { ...known };
  });
}

function parseHandler(name: string, raw: unknown): Json {
  const body = requireObject(raw, name);
  checkHandlerType(body, name);
  const out: Json = { '@odata.type': HANDLER_TYPES[name] };
  if (name === 'onAuthenticationMethodLoadStart') {
    rejectUnknown(body, ['@odata.type', 'identityProviders'], HANDLER_TYPES[name]!.slice(1));
    out.identityProviders = parseIdentityProviders(body.identityProviders ?? []);
  } else if (name === 'onInteractiveAuthFlowStart') {
    rejectUnknown(body, ['@odata.type', 'isSignUpAllowed'], HANDLER_TYPES[name]!.slice(1));
    out.isSignUpAllowed =
      body.isSignUpAllowed === undefined
        ? false
        : requireBoolean(body.isSignUpAllowed, `${name}.isSignUpAllowed`);
  } else if (name === 'onUserCreateStart') {
    rejectUnknown(body, ['@odata.type', 'userTypeToCreate'], HANDLER_TYPES[name]!.slice(1));
    out.userTypeToCreate = requireEnum(
      body.userTypeToCreate ?? 'member',
      `${name}.userTypeToCreate`,
      USER_TYPES,
    );
  } else {
    rejectUnknown(
      body,
      ['@odata.type', 'attributes', 'attributeCollectionPage'],
      HANDLER_TYPES[name]!.slice(1),
    );
    out.attributes = requireArray(body.attributes ?? [], `${name}.attributes`).map((a, i) => {
      requireString(requireObject(a, `${name}.attributes[${i}]`).id, `${name}.attributes[${i}].id`);
      return a;
    });
    out.attributeCollectionPage =
      body.attributeCollectionPage === undefined
        ? null
        : requireObject(body.attributeCollectionPage, `${name}.attributeCollectionPage`);
  }
  return out;
}

function findApp(ctx: GraphContext, appId: string): boolean {
  const lower = appId.toLowerCase();
  const matches = (d: Doc): boolean => typeof d.appId === 'string' && d.appId.toLowerCase() === lower;
  return (
    ctx.store.all(ctx.tenant.id, COLLECTIONS.servicePrincipals).some(matches) ||
    ctx.store.all(ctx.tenant.id, COLLECTIONS.appRegistrations).some(matches)
  );
}

function linkedApps(flow: Json): Json[] {
  const conditions = isRecord(flow.conditions) ? flow.conditions : {};
  const applications = isRecord(conditions.applications) ? conditions.applications : {};
  return Array.isArray(applications.includeApplications) ? (applications.includeApplications as Json[]) : [];
}

/** Checks an app can be linked to `flowId`: it exists and no flow (this one included) has it yet. */
function checkLinkable(ctx: GraphContext, appId: unknown, flowId: string | undefined): string {
  if (!isGuid(appId)) throw badRequest(`Invalid value for property 'appId': expected a GUID.`);
  if (!findApp(ctx, appId)) throw badRequest(`The application '${appId}' does not exist in this tenant.`);
  const owner = flows(ctx).find((f) =>
    linkedApps(f).some((a) => String(a.appId).toLowerCase() === appId.toLowerCase()),
  );
  if (owner) {
    const where = owner.id === flowId ? 'this user flow' : `the user flow '${String(owner.displayName)}'`;
    throw badRequest(
      `The application '${appId}' is already linked to ${where}; an application can be linked to only one user flow.`,
    );
  }
  return appId.toLowerCase();
}

function parseConditions(ctx: GraphContext, raw: unknown, flowId: string | undefined): Json {
  const body = requireObject(raw, 'conditions');
  rejectUnknown(body, ['applications'], 'authenticationConditions');
  const applications =
    body.applications === undefined ? {} : requireObject(body.applications, 'conditions.applications');
  rejectUnknown(applications, ['includeApplications'], 'authenticationConditionsApplications');
  const seen = new Set<string>();
  const apps = requireArray(
    applications.includeApplications ?? [],
    'conditions.applications.includeApplications',
  ).map((item, i) => {
    const entry = requireObject(item, `conditions.applications.includeApplications[${i}]`);
    rejectUnknown(entry, ['appId'], 'authenticationConditionApplication');
    const appId = checkLinkable(ctx, entry.appId, flowId);
    if (seen.has(appId)) throw badRequest(`The application '${appId}' is listed twice.`);
    seen.add(appId);
    return { appId };
  });
  return { applications: { includeApplications: apps } };
}

function checkDisplayName(ctx: GraphContext, raw: unknown, flowId: string | undefined): string {
  const name = requireString(raw, 'displayName');
  const lower = name.toLowerCase();
  if (flows(ctx).some((f) => f.id !== flowId && String(f.displayName).toLowerCase() === lower)) {
    throw conflict(`A user flow named '${name}' already exists.`);
  }
  return name;
}

function applyFields(ctx: GraphContext, flow: Doc, body: Json, creating: boolean): Doc {
  rejectUnknown(body, WRITABLE, FLOW_TYPE.slice(1));
  const next: Doc = { ...flow };
  const flowId = creating ? undefined : flow.id;
  if (hasOwn(body, 'displayName')) next.displayName = checkDisplayName(ctx, body.displayName, flowId);
  if (hasOwn(body, 'description'))
    next.description = body.description === null ? null : requireString(body.description, 'description');
  if (hasOwn(body, 'priority')) next.priority = requireInteger(body.priority, 'priority', 0, 2_147_483_647);
  if (hasOwn(body, 'conditions')) next.conditions = parseConditions(ctx, body.conditions, flowId);
  for (const name of Object.keys(HANDLER_TYPES)) {
    if (!hasOwn(body, name)) continue;
    const required = name === 'onAuthenticationMethodLoadStart' || name === 'onInteractiveAuthFlowStart';
    if (body[name] === null && required)
      throw badRequest(`Property '${name}' is required and cannot be null.`);
    next[name] = body[name] === null ? null : parseHandler(name, body[name]);
  }
  for (const name of CUSTOM_HANDLERS) {
    if (hasOwn(body, name)) next[name] = body[name] === null ? null : requireObject(body[name], name);
  }
  return next;
}

function checkFlowType(body: Json): void {
  const given = body['@odata.type'];
  if (
    typeof given !== 'string' ||
    given.replace(/^#/, '').toLowerCase() !== FLOW_TYPE.slice(1).toLowerCase()
  ) {
    throw badRequest(`'@odata.type' must be '${FLOW_TYPE}'.`);
  }
}

function newFlow(): Doc {
  return {
    id: randomUUID(),
    '@odata.type': FLOW_TYPE,
    displayName: '',
    description: null,
    priority: 500,
    conditions: { applications: { includeApplications: [] } },
    onAuthenticationMethodLoadStart: null,
    onInteractiveAuthFlowStart: null,
    onAttributeCollection: null,
    onAttributeCollectionStart: null,
    onAttributeCollectionSubmit: null,
    onUserCreateStart: null,
  };
}

function createFlow(ctx: GraphContext): GraphResult {
  requireExternalTenant(ctx);
  const body = requireBody(ctx.request.body);
  checkFlowType(body);
  for (const name of ['displayName', 'onAuthenticationMethodLoadStart', 'onInteractiveAuthFlowStart']) {
    if (body[name] === undefined || body[name] === null) throw badRequest(`Property '${name}' is required.`);
  }
  const flow = applyFields(ctx, newFlow(), body, true);
  ctx.store.transaction(() => ctx.store.put(ctx.tenant.id, COLLECTIONS.userFlows, flow));
  return respondEntity(ctx, flow, `${CONTEXT}/$entity`, 201);
}

function listFlows(ctx: GraphContext): GraphResult {
  requireExternalTenant(ctx);
  return respondCollection(ctx, flows(ctx), { contextPath: CONTEXT });
}

function getFlow(ctx: GraphContext): GraphResult {
  return respondEntity(ctx, loadFlow(ctx), `${CONTEXT}/$entity`);
}

function patchFlow(ctx: GraphContext): GraphResult {
  const flow = loadFlow(ctx);
  const body = requireBody(ctx.request.body);
  if (body['@odata.type'] !== undefined) checkFlowType(body);
  if (hasOwn(body, 'id') && body.id !== flow.id) throw badRequest("Property 'id' is read-only.");
  const { id: _id, ...rest } = body;
  const next = applyFields(ctx, flow, rest, false);
  ctx.store.transaction(() => ctx.store.put(ctx.tenant.id, COLLECTIONS.userFlows, next));
  return { status: 204 };
}

function deleteFlow(ctx: GraphContext): GraphResult {
  const flow = loadFlow(ctx);
  ctx.store.transaction(() => ctx.store.remove(ctx.tenant.id, COLLECTIONS.userFlows, flow.id));
  return { status: 204 };
}

function appsContext(flow: Doc): string {
  return `${CONTEXT}('${flow.id}')/conditions/applications/includeApplications`;
}

function listApps(ctx: GraphContext): GraphResult {
  const flow = loadFlow(ctx);
  return respondCollection(
    ctx,
    linkedApps(flow).map((a) => ({ ...a })),
    { contextPath: appsContext(flow) },
  );
}

function withApps(flow: Doc, apps: Json[]): Doc {
  return { ...flow, conditions: { applications: { includeApplications: apps } } };
}

function addApp(ctx: GraphContext): GraphResult {
  const flow = loadFlow(ctx);
  const body = requireBody(ctx.request.body);
  rejectUnknown(body, ['appId', '@odata.type'], 'authenticationConditionApplication');
  const appId = checkLinkable(ctx, body.appId, flow.id);
  const next = withApps(flow, [...linkedApps(flow), { appId }]);
  ctx.store.transaction(() => ctx.store.put(ctx.tenant.id, COLLECTIONS.userFlows, next));
  return respondEntity(ctx, { appId }, `${appsContext(flow)}/$entity`, 201);
}

function removeApp(ctx: GraphContext): GraphResult {
  const flow = loadFlow(ctx);
  const appId = ctx.params.appId!.toLowerCase();
  const apps = linkedApps(flow);
  const remaining = apps.filter((a) => String(a.appId).toLowerCase() !== appId);
  if (remaining.length === apps.length)
    throw notFound(`The application '${ctx.params.appId!}' is not linked to this user flow.`);
  ctx.store.transaction(() => ctx.store.put(ctx.tenant.id, COLLECTIONS.userFlows, withApps(flow, remaining)));
  return { status: 204 };
}

const read = PERMISSIONS.userFlowRead;
const write = PERMISSIONS.userFlowWrite;
const APPS = `${BASE}/{id}/conditions/applications/includeApplications`;

export const userFlowsRoutes: Route[] = [
  { method: 'GET', path: BASE, permissions: read, throttle: 'userFlows', handler: listFlows },
  { method: 'POST', path: BASE, permissions: write, throttle: 'userFlows', handler: createFlow },
  { method: 'GET', path: APPS, permissions: read, throttle: 'userFlows', handler: listApps },
  { method: 'POST', path: APPS, permissions: write, throttle: 'userFlows', handler: addApp },
  {
    method: 'DELETE',
    path: `${APPS}/{appId}/$ref`,
    permissions: write,
    throttle: 'userFlows',
    handler: removeApp,
  },
  {
    method: 'DELETE',
    path: `${APPS}/{appId}`,
    permissions: write,
    throttle: 'userFlows',
    handler: removeApp,
  },
  { method: 'GET', path: `${BASE}/{id}`, permissions: read, throttle: 'userFlows', handler: getFlow },
  { method: 'PATCH', path: `${BASE}/{id}`, permissions: write, throttle: 'userFlows', handler: patchFlow },
  { method: 'DELETE', path: `${BASE}/{id}`, permissions: write, throttle: 'userFlows', handler: deleteFlow },
];
