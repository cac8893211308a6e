/**
 * Authentication contexts (graph-contract §1, §2.4, §7.6): `/identity/conditionalAccess/
 * authenticationContextClassReferences[/{id}]`, ids `c1`…`c99` only. As on Graph, PATCH creates the context when
 * its id is unused and updates it otherwise (204 either way); DELETE answers 204.
 */
import { COLLECTIONS } from '../collections.ts';
import { notFound, validationError } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondCollection, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import { CA_CODES } from '../policies/ca-policy-validation.ts';
import type { Doc } from '../store.ts';
import { isRecord, schemaError } from '../../model/json-shape.ts';

const BASE = '/identity/conditionalAccess/authenticationContextClassReferences';
const CONTEXT = 'identity/conditionalAccess/authenticationContextClassReferences';
const AUTH_CONTEXT_ID = /^c([1-9]|[1-9][0-9])$/i;
const WRITABLE = ['displayName', 'description', 'isAvailable'];

function checkId(raw: string): string {
  if (!AUTH_CONTEXT_ID.test(raw)) {
    throw validationError(
      CA_CODES.authContext,
      `'${raw.slice(0, 100)}' is not an authentication context id; ids are c1 to c99.`,
    );
  }
  return raw.toLowerCase();
}

function findOr404(ctx: GraphContext): Doc {
  const id = checkId(ctx.params.id!);
  const doc = ctx.store.get(ctx.tenant.id, COLLECTIONS.authContexts, id);
  if (!doc) throw notFound(`AuthenticationContextClassReference with id '${id}' does not exist.`);
  return doc;
}

function nullableString(value: unknown, name: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || value.length > 1024) {
    throw schemaError(`authenticationContextClassReference.${name}`, 'expected a string.');
  }
  return value;
}

/** The body's writable properties over the existing (or default) values. */
function applyPatch(existing: Doc, body: unknown): Doc {
  if (!isRecord(body)) {
    throw schemaError('authenticationContextClassReference', 'the request body must be an object.');
  }
  const next: Doc = { ...existing };
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.') || key === 'id') continue;
    const name = WRITABLE.find((w) => w.toLowerCase() === key.toLowerCase());
    if (name === undefined) {
      throw schemaError(
        `authenticationContextClassReference.${key.slice(0, 100)}`,
        "the property does not exist on type 'authenticationContextClassReference'.",
      );
    }
    if (name === 'isAvailable') {
      if (typeof value !== 'boolean' && value !== null) {
        throw schemaError('authenticationContextClassReference.isAvailable', 'expected a boolean.');
      }
      next.isAvailable = value;
    } else {
      next[name] = nullableString(value, name);
    }
  }
  return next;
}

function list(ctx: GraphContext): GraphResult {
  const docs = ctx.store
    .all(ctx.tenant.id, COLLECTIONS.authContexts)
    .sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  return respondCollection(ctx, docs, { contextPath: CONTEXT, defaultPageSize: Infinity });
}

function get(ctx: GraphContext): GraphResult {
  return respondEntity(ctx, findOr404(ctx), `${CONTEXT}/$entity`);
}

function upsert(ctx: GraphContext): GraphResult {
  const id = checkId(ctx.params.id!);
  ctx.store.transaction(() => {
    const existing = ctx.store.get(ctx.tenant.id, COLLECTIONS.authContexts, id) ?? {
      id,
      displayName: null,
      description: null,
      isAvailable: null,
    };
    // No body at all creates the context with its defaults, as Graph documents for an empty object.
    const body = ctx.request.body === undefined ? {} : ctx.request.body;
    ctx.store.put(ctx.tenant.id, COLLECTIONS.authContexts, applyPatch(existing, body));
  });
  return { status: 204 };
}

function remove(ctx: GraphContext): GraphResult {
  ctx.store.transaction(() => {
    ctx.store.remove(ctx.tenant.id, COLLECTIONS.authContexts, findOr404(ctx).id);
  });
  return { status: 204 };
}

const read = { permissions: PERMISSIONS.caRead, throttle: 'none' } as const;
const write = { permissions: PERMISSIONS.caConfigWrite, throttle: 'none' } as const;

export const authContextsRoutes: Route[] = [
  { method: 'GET', path: BASE, ...read, handler: list },
  { method: 'GET', path: `${BASE}/{id}`, ...read, handler: get },
  { method: 'PATCH', path: `${BASE}/{id}`, ...write, handler: upsert },
  { method: 'DELETE', path: `${BASE}/{id}`, ...write, handler: remove },
];
