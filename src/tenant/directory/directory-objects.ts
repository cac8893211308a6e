/** `GET /directoryObjects/{id}` and `POST /directoryObjects/getByIds` (batched name resolution). */
import { COLLECTIONS } from '../collections.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { contextUrl, respondEntity } from '../odata.ts';
import { requestBadRequest, requireObjectBody, resourceNotFound } from './directory-errors.ts';
import { findDirectoryObject } from './directory-store.ts';
import { typedDoc } from './presenters.ts';
import { findActivatedRole } from './roles-data.ts';

const DIRECTORY_READ = [['Directory.Read.All']] as const;
const TYPE_COLLECTIONS: Record<string, string> = {
  user: COLLECTIONS.users,
  group: COLLECTIONS.groups,
  serviceprincipal: COLLECTIONS.servicePrincipals,
};
const TYPE_KINDS = { user: 'user', group: 'group', serviceprincipal: 'servicePrincipal' } as const;

function findAny(ctx: GraphContext, id: string): Record<string, unknown> | undefined {
  const found = findDirectoryObject(ctx.store, ctx.tenant.id, id);
  if (found) return typedDoc(found.kind, found.doc);
  const role = findActivatedRole(ctx.store, ctx.tenant.id, id);
  return role && role.id === id.toLowerCase() ? typedDoc('directoryRole', role) : undefined;
}

function getDirectoryObject(ctx: GraphContext): GraphResult {
  const doc = findAny(ctx, ctx.params.id!);
  if (!doc) throw resourceNotFound(ctx.params.id!);
  return respondEntity(ctx, doc, 'directoryObjects/$entity');
}

function parseTypes(raw: unknown): (keyof typeof TYPE_KINDS)[] {
  if (raw === undefined || raw === null) return ['user', 'group', 'serviceprincipal'];
  if (!Array.isArray(raw)) throw requestBadRequest("Invalid value specified for property 'types'.");
  return raw.map((t) => {
    const key = typeof t === 'string' ? t.toLowerCase().replace(/^#?microsoft\.graph\./, '') : '';
    if (!(key in TYPE_KINDS)) throw requestBadRequest(`Unsupported type '${String(t)}' in 'types'.`);
    return key as keyof typeof TYPE_KINDS;
  });
}

function getByIds(ctx: GraphContext): GraphResult {
  const body = requireObjectBody(ctx.request.body);
  const ids = body.ids;
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) {
    throw requestBadRequest("Invalid value specified for property 'ids'.");
  }
  if (ids.length > 1000) throw requestBadRequest('The number of ids exceeds the limit of 1000.');
  const types = parseTypes(body.types);
  const value: Record<string, unknown>[] = [];
  for (const id of ids) {
    for (const type of types) {
      const doc = ctx.store.get(ctx.tenant.id, TYPE_COLLECTIONS[type]!, id);
      if (doc) {
        value.push(typedDoc(TYPE_KINDS[type], doc));
        break;
      }
    }
  }
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'directoryObjects'), value } };
}

export const directoryObjectsRoutes: Route[] = [
  {
    method: 'POST',
    path: '/directoryObjects/getByIds',
    permissions: DIRECTORY_READ,
    throttle: 'directory',
    handler: getByIds,
  },
  {
    method: 'GET',
    path: '/directoryObjects/{id}',
    permissions: DIRECTORY_READ,
    throttle: 'directory',
    handler: getDirectoryObject,
  },
];
