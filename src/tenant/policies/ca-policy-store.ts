/**
 * Creating, updating and presenting Conditional Access policies; shared by the policy routes, deleted items and
 * seeding so that every path goes through the same shaping and validation.
 */
import { randomUUID } from 'node:crypto';
import { COLLECTIONS } from '../collections.ts';
import type { TenantInfo } from '../graph-types.ts';
import type { Doc, Store } from '../store.ts';
import { findStrength, presentStrength } from './auth-strengths.ts';
import { shapePolicy, withServerFields } from '../../model/ca-policy-shape.ts';
import { checkPolicyLimit, type PolicyLookups, validatePolicy } from './ca-policy-validation.ts';
import { deepMerge, isRecord, type Json, schemaError } from '../../model/json-shape.ts';

export function policyLookups(store: Store, tenant: TenantInfo): PolicyLookups {
  return {
    userExists: (id) => store.get(tenant.id, COLLECTIONS.users, id) !== undefined,
    groupExists: (id) => store.get(tenant.id, COLLECTIONS.groups, id) !== undefined,
    locationExists: (id) => store.get(tenant.id, COLLECTIONS.namedLocations, id) !== undefined,
    strengthExists: (id) => findStrength(store, tenant, id) !== undefined,
  };
}

/** Uses the strength's own id (canonical case) in the stored reference. */
function canonicaliseStrengthRef(content: Json, store: Store, tenant: TenantInfo): void {
  const grant = content.grantControls;
  if (!isRecord(grant) || !isRecord(grant.authenticationStrength)) return;
  const strength = findStrength(store, tenant, String(grant.authenticationStrength.id));
  if (strength) grant.authenticationStrength = { id: strength.id };
}

function shapeAndValidate(body: unknown, store: Store, tenant: TenantInfo): Json {
  const content = shapePolicy(body);
  validatePolicy(content, policyLookups(store, tenant));
  canonicaliseStrengthRef(content, store, tenant);
  return content;
}

/** Validates and stores a new policy (POST and seeding). Throws Graph's 400 on invalid input. */
export function createPolicy(store: Store, tenant: TenantInfo, body: unknown, fixedId?: string): Doc {
  const content = shapeAndValidate(body, store, tenant);
  checkPolicyLimit(store.count(tenant.id, COLLECTIONS.caPolicies));
  const doc = withServerFields(content, {
    id: fixedId ?? randomUUID(),
    templateId: null,
    createdDateTime: new Date().toISOString(),
    modifiedDateTime: null,
  }) as Doc;
  store.put(tenant.id, COLLECTIONS.caPolicies, doc);
  return doc;
}

/** PATCH: deep-merges complex values, replaces collections, re-validates the result. */
export function updatePolicy(store: Store, tenant: TenantInfo, existing: Doc, patch: unknown): Doc {
  if (!isRecord(patch))
    throw schemaError('policy', 'the request body must be a conditionalAccessPolicy object.');
  const merged = deepMerge(existing, patch);
  const content = shapeAndValidate(merged, store, tenant);
  const doc = withServerFields(content, {
    id: existing.id,
    templateId: (existing.templateId as string | null | undefined) ?? null,
    createdDateTime: String(existing.createdDateTime),
    modifiedDateTime: new Date().toISOString(),
  }) as Doc;
  store.put(tenant.id, COLLECTIONS.caPolicies, doc);
  return doc;
}

export interface PresentContext {
  origin: string;
  version: string;
  store: Store;
  tenant: TenantInfo;
}

/** The wire form: `grantControls.authenticationStrength` expanded, with its `@odata.context`. */
export function presentPolicy(ctx: PresentContext, doc: Record<string, unknown>): Record<string, unknown> {
  const out: Json = { ...doc };
  const grant = doc.grantControls;
  if (!isRecord(grant)) return out;
  const { authenticationStrength: ref, ...rest } = grant;
  const strength = isRecord(ref) ? findStrength(ctx.store, ctx.tenant, String(ref.id)) : undefined;
  out.grantControls = strength
    ? {
        ...rest,
        'authenticationStrength@odata.context': `${ctx.origin}/${ctx.version}/$metadata#identity/conditionalAccess/policies('${String(doc.id)}')/grantControls/authenticationStrength/$entity`,
        authenticationStrength: presentStrength(strength),
      }
    : { ...rest, authenticationStrength: null };
  return out;
}

function referencedIds(doc: Doc, pick: (doc: Doc) => unknown[]): string[] {
  return pick(doc)
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.toLowerCase());
}

function locationIds(doc: Doc): unknown[] {
  const conditions = isRecord(doc.conditions) ? doc.conditions : {};
  const locations = isRecord(conditions.locations) ? conditions.locations : {};
  const include = Array.isArray(locations.includeLocations) ? locations.includeLocations : [];
  const exclude = Array.isArray(locations.excludeLocations) ? locations.excludeLocations : [];
  return [...include, ...exclude];
}

function strengthIds(doc: Doc): unknown[] {
  const grant = isRecord(doc.grantControls) ? doc.grantControls : {};
  return isRecord(grant.authenticationStrength) ? [grant.authenticationStrength.id] : [];
}

/** Live policies whose location conditions name the location. */
export function policiesUsingLocation(store: Store, tenant: TenantInfo, locationId: string): Doc[] {
  const id = locationId.toLowerCase();
  return store
    .all(tenant.id, COLLECTIONS.caPolicies)
    .filter((p) => referencedIds(p, locationIds).includes(id));
}

/** Live policies that require the authentication strength. */
export function policiesUsingStrength(store: Store, tenant: TenantInfo, strengthId: string): Doc[] {
  const id = strengthId.toLowerCase();
  return store
    .all(tenant.id, COLLECTIONS.caPolicies)
    .filter((p) => referencedIds(p, strengthIds).includes(id));
}
