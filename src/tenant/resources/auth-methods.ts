/**
 * The authentication methods policy (graph-contract §4): `GET/PATCH /policies/authenticationMethodsPolicy` (PATCH
 * answers 200 with the full policy, as the v1.0 page documents) and
 * `GET/PATCH /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}` (PATCH answers 204).
 * The URL segment of a configuration is matched case-insensitively (`email`, `Email`).
 */
import { COLLECTIONS } from '../collections.ts';
import { notFound } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { contextUrl, presentDoc, respondCollection, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import { applyMethodConfigPatch, methodKey } from '../policies/auth-methods/method-config.ts';
import { AUTH_METHODS_POLICY_ID, applyPolicyPatch } from '../policies/auth-methods/policy.ts';
import type { TargetScope } from '../policies/auth-methods/targets.ts';
import { METHOD_CONFIGURATION_TYPES } from '../seed/well-known.ts';
import type { Doc } from '../store.ts';

const BASE = '/policies/authenticationMethodsPolicy';
const CONFIGS_CONTEXT = 'policies/authenticationMethodsPolicy/authenticationMethodConfigurations';

function scopeOf(ctx: GraphContext): TargetScope {
  return { store: ctx.store, tenantId: ctx.tenant.id };
}

function loadPolicy(ctx: GraphContext): Doc {
  const policy = ctx.store.get(ctx.tenant.id, COLLECTIONS.authMethodsPolicy, AUTH_METHODS_POLICY_ID);
  if (!policy) throw notFound('The authentication methods policy does not exist in this tenant.');
  return policy;
}

function loadConfig(ctx: GraphContext, segment: string): { key: string; doc: Doc } {
  const key = methodKey(segment);
  const doc = key
    ? ctx.store.get(ctx.tenant.id, COLLECTIONS.authMethodConfigs, METHOD_CONFIGURATION_TYPES[key]!.id)
    : undefined;
  if (!key || !doc) {
    throw notFound(`Authentication method configuration '${segment}' was not found.`, 'itemNotFound');
  }
  return { key, doc };
}

function policyBody(ctx: GraphContext): Record<string, unknown> {
  const configs = ctx.store.all(ctx.tenant.id, COLLECTIONS.authMethodConfigs).map(presentDoc);
  return {
    '@odata.context': contextUrl(ctx, `${BASE.slice(1)}/$entity`),
    ...presentDoc(loadPolicy(ctx)),
    'authenticationMethodConfigurations@odata.context': contextUrl(ctx, CONFIGS_CONTEXT),
    authenticationMethodConfigurations: configs,
  };
}

function getPolicy(ctx: GraphContext): GraphResult {
  return { status: 200, body: policyBody(ctx) };
}

function patchPolicy(ctx: GraphContext): GraphResult {
  const now = new Date().toISOString();
  const patch = applyPolicyPatch(scopeOf(ctx), loadPolicy(ctx), ctx.request.body, now);
  const updates = patch.configurations.map(({ key, body }) => {
    const { doc } = loadConfig(ctx, key);
    return applyMethodConfigPatch(scopeOf(ctx), key, doc, body) as Doc;
  });
  ctx.store.transaction(() => {
    ctx.store.put(ctx.tenant.id, COLLECTIONS.authMethodsPolicy, patch.policy as Doc);
    for (const doc of updates) ctx.store.put(ctx.tenant.id, COLLECTIONS.authMethodConfigs, doc);
  });
  return { status: 200, body: policyBody(ctx) };
}

function listConfigs(ctx: GraphContext): GraphResult {
  return respondCollection(ctx, ctx.store.all(ctx.tenant.id, COLLECTIONS.authMethodConfigs), {
    contextPath: CONFIGS_CONTEXT,
    defaultPageSize: Infinity,
  });
}

function getConfig(ctx: GraphContext): GraphResult {
  const { doc } = loadConfig(ctx, ctx.params.id!);
  return respondEntity(ctx, doc, `${CONFIGS_CONTEXT}/$entity`);
}

function patchConfig(ctx: GraphContext): GraphResult {
  const { key, doc } = loadConfig(ctx, ctx.params.id!);
  const next = applyMethodConfigPatch(scopeOf(ctx), key, doc, ctx.request.body) as Doc;
  ctx.store.transaction(() => {
    ctx.store.put(ctx.tenant.id, COLLECTIONS.authMethodConfigs, next);
    const policy = loadPolicy(ctx);
    ctx.store.put(ctx.tenant.id, COLLECTIONS.authMethodsPolicy, {
      ...policy,
      lastModifiedDateTime: new Date().toISOString(),
    });
  });
  return { status: 204 };
}

const read = PERMISSIONS.authMethodsRead;
const write = PERMISSIONS.authMethodsWrite;

export const authMethodsRoutes: Route[] = [
  { method: 'GET', path: BASE, permissions: read, throttle: 'none', handler: getPolicy },
  { method: 'PATCH', path: BASE, permissions: write, throttle: 'none', handler: patchPolicy },
  {
    method: 'GET',
    path: `${BASE}/authenticationMethodConfigurations`,
    permissions: read,
    throttle: 'none',
    handler: listConfigs,
  },
  {
    method: 'GET',
    path: `${BASE}/authenticationMethodConfigurations/{id}`,
    permissions: read,
    throttle: 'none',
    handler: getConfig,
  },
  {
    method: 'PATCH',
    path: `${BASE}/authenticationMethodConfigurations/{id}`,
    permissions: write,
    throttle: 'none',
    handler: patchConfig,
  },
];
