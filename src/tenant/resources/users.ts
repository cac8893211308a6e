/**
 * `/users` (graph-contract §1, §6): list with paging, `$filter`, `$select`, `$count`; get by id or
 * userPrincipalName; create, update, delete; memberOf / transitiveMemberOf / getMemberGroups / checkMemberGroups.
 * Also hosts `/directoryObjects` (see directory/directory-objects.ts).
 */
import { COLLECTIONS } from '../collections.ts';
import { directoryObjectsRoutes } from '../directory/directory-objects.ts';
import { requireObjectBody, resourceNotFound } from '../directory/directory-errors.ts';
import {
  respondDirectoryCollection,
  respondDirectoryCount,
  userEntityView,
} from '../directory/directory-query.ts';
import { findUser, findUserByUpn, removeDirectoryReferences } from '../directory/directory-store.ts';
import { respondCheckMemberGroups, respondGetMemberGroups, respondMemberOf } from '../directory/member-of.ts';
import { createUser, updateUser } from '../directory/user-writes.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { presentDoc, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import { routeFactory } from '../router.ts';
import type { Doc } from '../store.ts';

function requireUser(ctx: GraphContext): Doc {
  const id = ctx.params.id!;
  const user = findUser(ctx.store, ctx.tenant.id, id);
  if (!user) throw resourceNotFound(id);
  return user;
}

function getUserByUpn(ctx: GraphContext): GraphResult {
  const upn = ctx.params.upn!;
  const user = findUserByUpn(ctx.store, ctx.tenant.id, upn);
  if (!user) throw resourceNotFound(upn);
  return respondEntity(ctx, userEntityView(ctx, presentDoc(user)), 'users/$entity');
}

function listUsers(ctx: GraphContext): GraphResult {
  return respondDirectoryCollection(ctx, ctx.store.all(ctx.tenant.id, COLLECTIONS.users), {
    contextPath: 'users',
    users: 'all',
  });
}

function countUsers(ctx: GraphContext): GraphResult {
  return respondDirectoryCount(ctx, ctx.store.all(ctx.tenant.id, COLLECTIONS.users));
}

function getUser(ctx: GraphContext): GraphResult {
  const user = requireUser(ctx);
  return respondEntity(ctx, userEntityView(ctx, presentDoc(user)), 'users/$entity');
}

function postUser(ctx: GraphContext): GraphResult {
  const body = requireObjectBody(ctx.request.body);
  const doc = ctx.store.transaction(() => {
    const created = createUser(ctx.store, ctx.tenant, body);
    ctx.store.put(ctx.tenant.id, COLLECTIONS.users, created);
    return created;
  });
  return respondEntity(ctx, presentDoc(doc), 'users/$entity', 201);
}

function patchUser(ctx: GraphContext): GraphResult {
  const body = requireObjectBody(ctx.request.body);
  ctx.store.transaction(() => {
    const existing = requireUser(ctx);
    ctx.store.put(ctx.tenant.id, COLLECTIONS.users, updateUser(ctx.store, ctx.tenant, existing, body));
  });
  return { status: 204 };
}

function deleteUser(ctx: GraphContext): GraphResult {
  ctx.store.transaction(() => {
    const user = requireUser(ctx);
    removeDirectoryReferences(ctx.store, ctx.tenant.id, user.id);
    ctx.store.remove(ctx.tenant.id, COLLECTIONS.users, user.id);
  });
  return { status: 204 };
}

const read = PERMISSIONS.userRead;
const write = PERMISSIONS.userWrite;
const memberRead = [['User.Read.All', 'GroupMember.Read.All'], ['Directory.Read.All']] as const;

const route = routeFactory('directory');

export const usersRoutes: Route[] = [
  route('GET', '/users', read, listUsers),
  route('GET', '/users/$count', read, countUsers),
  route('POST', '/users', write, postUser),
  route('GET', '/users/{id}/memberOf', memberRead, (ctx) => respondMemberOf(ctx, requireUser(ctx).id, false)),
  route('GET', '/users/{id}/transitiveMemberOf', memberRead, (ctx) =>
    respondMemberOf(ctx, requireUser(ctx).id, true),
  ),
  route('POST', '/users/{id}/getMemberGroups', memberRead, (ctx) =>
    respondGetMemberGroups(ctx, requireUser(ctx).id),
  ),
  route('POST', '/users/{id}/checkMemberGroups', memberRead, (ctx) =>
    respondCheckMemberGroups(ctx, requireUser(ctx).id),
  ),
  route('GET', '/users/{id}', read, getUser),
  // The CSDL alternate key (graph-contract §1): `/users(userPrincipalName='adele@contoso.com')`.
  route('GET', "/users(userPrincipalName='{upn}')", read, getUserByUpn),
  route('PATCH', '/users/{id}', write, patchUser),
  route('DELETE', '/users/{id}', write, deleteUser),
  ...directoryObjectsRoutes,
];
