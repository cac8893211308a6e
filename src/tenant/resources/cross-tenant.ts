/**
 * Cross-tenant access settings: `GET/PATCH /policies/crossTenantAccessPolicy` (PATCH 204), its `default`
 * configuration (`GET/PATCH`, PATCH 204, `POST …/default/resetToSystemDefault` 204), and partner configurations
 * (`GET/POST …/partners` (201), `GET/PATCH/DELETE …/partners/{tenantId}` (204)). Unset complex values of a partner
 * are `null`, as Graph returns them.
 */
import { COLLECTIONS } from '../collections.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondCollection, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import {
  hasOwn,
  isGuid,
  rejectUnknown,
  requireBody,
  requireBoolean,
  requireEnum,
  requireObject,
  requireStringArray,
  type Json,
} from '../policies/auth-methods/json-checks.ts';
import {
  applySettings,
  serviceDefaultConfiguration,
  SETTING_PROPERTIES,
} from '../policies/cross-tenant/settings.ts';
import type { Doc } from '../store.ts';
import {
  CROSS_TENANT_DEFAULT_ID,
  CROSS_TENANT_POLICY_ID,
  defaultCrossTenantPolicy,
} from './policy-defaults.ts';

const BASE = '/policies/crossTenantAccessPolicy';
const CONTEXT = 'policies/crossTenantAccessPolicy';
const CLOUD_ENDPOINTS = ['microsoftonline.us', 'partner.microsoftonline.cn'] as const;
const DEFAULT_WRITABLE = [...SETTING_PROPERTIES, 'invitationRedemptionIdentityProviderConfiguration'];
const PARTNER_WRITABLE = [...SETTING_PROPERTIES, 'tenantId', 'isServiceProvider'];

function loadPolicy(ctx: GraphContext): Doc {
  return (
    ctx.store.get(ctx.tenant.id, COLLECTIONS.crossTenantPolicy, CROSS_TENANT_POLICY_ID) ??
    defaultCrossTenantPolicy()
  );
}

function loadDefault(ctx: GraphContext): Doc {
  return (
    ctx.store.get(ctx.tenant.id, COLLECTIONS.crossTenantPolicy, CROSS_TENANT_DEFAULT_ID) ??
    (serviceDefaultConfiguration() as Doc)
  );
}

function write(ctx: GraphContext, coll: string, doc: Doc): void {
  ctx.store.transaction(() => ctx.store.put(ctx.tenant.id, coll, doc));
}

function getPolicy(ctx: GraphContext): GraphResult {
  return respondEntity(ctx, loadPolicy(ctx), `${CONTEXT}/$entity`);
}

function patchPolicy(ctx: GraphContext): GraphResult {
  const body = requireBody(ctx.request.body);
  rejectUnknown(body, ['allowedCloudEndpoints', 'displayName'], 'microsoft.graph.crossTenantAccessPolicy');
  const next: Doc = { ...loadPolicy(ctx) };
  if (hasOwn(body, 'displayName')) throw badRequest("Property 'displayName' is read-only and cannot be set.");
  if (hasOwn(body, 'allowedCloudEndpoints')) {
    next.allowedCloudEndpoints = requireStringArray(body.allowedCloudEndpoints, 'allowedCloudEndpoints').map(
      (e, i) => requireEnum(e, `allowedCloudEndpoints[${i}]`, CLOUD_ENDPOINTS),
    );
  }
  write(ctx, COLLECTIONS.crossTenantPolicy, next);
  return { status: 204 };
}

/** The stored default without its store key (Graph's default configuration has no `id`). */
function presentDefault(doc: Json): Json {
  const { id: _id, ...rest } = doc;
  return rest;
}

function getDefault(ctx: GraphContext): GraphResult {
  return respondEntity(ctx, presentDefault(loadDefault(ctx)), `${CONTEXT}/default/$entity`);
}

function checkInvitationRedemption(value: unknown): Json {
  const body = requireObject(value, 'invitationRedemptionIdentityProviderConfiguration');
  rejectUnknown(
    body,
    ['primaryIdentityProviderPrecedenceOrder', 'fallbackIdentityProvider'],
    'defaultInvitationRedemptionIdentityProviderConfiguration',
  );
  return body;
}

function patchDefault(ctx: GraphContext): GraphResult {
  const body = requireBody(ctx.request.body);
  if (hasOwn(body, 'isServiceDefault'))
    throw badRequest("Property 'isServiceDefault' is read-only and cannot be set.");
  rejectUnknown(body, DEFAULT_WRITABLE, 'microsoft.graph.crossTenantAccessPolicyConfigurationDefault');
  const next = applySettings(loadDefault(ctx), body, false) as Doc;
  if (hasOwn(body, 'invitationRedemptionIdentityProviderConfiguration')) {
    next.invitationRedemptionIdentityProviderConfiguration = checkInvitationRedemption(
      body.invitationRedemptionIdentityProviderConfiguration,
    );
  }
  next.isServiceDefault = false;
  write(ctx, COLLECTIONS.crossTenantPolicy, next);
  return { status: 204 };
}

function resetDefault(ctx: GraphContext): GraphResult {
  write(ctx, COLLECTIONS.crossTenantPolicy, serviceDefaultConfiguration() as Doc);
  return { status: 204 };
}

function partnerTenantId(ctx: GraphContext): string {
  const tenantId = ctx.params.tenantId!;
  if (!isGuid(tenantId)) throw badRequest(`Invalid tenant id '${tenantId}': expected a GUID.`);
  return tenantId.toLowerCase();
}

function loadPartner(ctx: GraphContext): Doc {
  const tenantId = partnerTenantId(ctx);
  const doc = ctx.store.get(ctx.tenant.id, COLLECTIONS.crossTenantPartners, tenantId);
  if (!doc) throw notFound(`No partner configuration exists for tenant '${tenantId}'.`);
  return doc;
}

function presentPartner(doc: Json): Json {
  const { id: _id, ...rest } = doc;
  return rest;
}

function emptyPartner(tenantId: string): Doc {
  const doc: Doc = { id: tenantId, tenantId, isServiceProvider: null, isInMultiTenantOrganization: false };
  for (const key of SETTING_PROPERTIES) doc[key] = null;
  return doc;
}

function parsePartnerFields(current: Doc, body: Json): Doc {
  if (hasOwn(body, 'isInMultiTenantOrganization')) {
    throw badRequest("Property 'isInMultiTenantOrganization' is read-only and cannot be set.");
  }
  rejectUnknown(body, PARTNER_WRITABLE, 'microsoft.graph.crossTenantAccessPolicyConfigurationPartner');
  const next = applySettings(current, body, true) as Doc;
  if (hasOwn(body, 'isServiceProvider')) {
    next.isServiceProvider =
      body.isServiceProvider === null ? null : requireBoolean(body.isServiceProvider, 'isServiceProvider');
  }
  return next;
}

function listPartners(ctx: GraphContext): GraphResult {
  return respondCollection(ctx, ctx.store.all(ctx.tenant.id, COLLECTIONS.crossTenantPartners), {
    contextPath: `${CONTEXT}/partners`,
    present: presentPartner,
  });
}

function createPartner(ctx: GraphContext): GraphResult {
  const body = requireBody(ctx.request.body);
  if (body.tenantId === undefined) throw badRequest("Property 'tenantId' is required.");
  if (!isGuid(body.tenantId)) throw badRequest(`Invalid value for property 'tenantId': expected a GUID.`);
  const tenantId = body.tenantId.toLowerCase();
  if (tenantId === ctx.tenant.id.toLowerCase())
    throw badRequest('A tenant cannot be its own cross-tenant partner.');
  if (ctx.store.get(ctx.tenant.id, COLLECTIONS.crossTenantPartners, tenantId)) {
    throw conflict(`A partner configuration for tenant '${tenantId}' already exists.`);
  }
  const doc = parsePartnerFields(emptyPartner(tenantId), body);
  doc.tenantId = tenantId;
  write(ctx, COLLECTIONS.crossTenantPartners, doc);
  return respondEntity(ctx, presentPartner(doc), `${CONTEXT}/partners/$entity`, 201);
}

function getPartner(ctx: GraphContext): GraphResult {
  return respondEntity(ctx, presentPartner(loadPartner(ctx)), `${CONTEXT}/partners/$entity`);
}

function patchPartner(ctx: GraphContext): GraphResult {
  const current = loadPartner(ctx);
  const body = requireBody(ctx.request.body);
  if (
    hasOwn(body, 'tenantId') &&
    (typeof body.tenantId !== 'string' || body.tenantId.toLowerCase() !== current.tenantId)
  ) {
    throw badRequest("Property 'tenantId' is read-only and cannot be changed.");
  }
  write(ctx, COLLECTIONS.crossTenantPartners, parsePartnerFields(current, body));
  return { status: 204 };
}

function deletePartner(ctx: GraphContext): GraphResult {
  const current = loadPartner(ctx);
  ctx.store.transaction(() => ctx.store.remove(ctx.tenant.id, COLLECTIONS.crossTenantPartners, current.id));
  return { status: 204 };
}

const read = PERMISSIONS.crossTenantRead;
const writeRule = PERMISSIONS.crossTenantWrite;

export const crossTenantRoutes: Route[] = [
  { method: 'GET', path: BASE, permissions: read, throttle: 'none', handler: getPolicy },
  { method: 'PATCH', path: BASE, permissions: writeRule, throttle: 'none', handler: patchPolicy },
  { method: 'GET', path: `${BASE}/default`, permissions: read, throttle: 'none', handler: getDefault },
  {
    method: 'PATCH',
    path: `${BASE}/default`,
    permissions: writeRule,
    throttle: 'none',
    handler: patchDefault,
  },
  {
    method: 'POST',
    path: `${BASE}/default/resetToSystemDefault`,
    permissions: writeRule,
    throttle: 'none',
    handler: resetDefault,
  },
  {
    method: 'POST',
    path: `${BASE}/default/microsoft.graph.resetToSystemDefault`,
    permissions: writeRule,
    throttle: 'none',
    handler: resetDefault,
  },
  { method: 'GET', path: `${BASE}/partners`, permissions: read, throttle: 'none', handler: listPartners },
  {
    method: 'POST',
    path: `${BASE}/partners`,
    permissions: writeRule,
    throttle: 'none',
    handler: createPartner,
  },
  {
    method: 'GET',
    path: `${BASE}/partners/{tenantId}`,
    permissions: read,
    throttle: 'none',
    handler: getPartner,
  },
  {
    method: 'PATCH',
    path: `${BASE}/partners/{tenantId}`,
    permissions: writeRule,
    throttle: 'none',
    handler: patchPartner,
  },
  {
    method: 'DELETE',
    path: `${BASE}/partners/{tenantId}`,
    permissions: writeRule,
    throttle: 'none',
    handler: deletePartner,
  },
];
