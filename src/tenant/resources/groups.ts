/**
 * `/groups` (graph-contract §1, §6): list/get/create/update/delete, `members`, `transitiveMembers` (nested,
 * cycle-safe), `members/$ref` add and remove, memberOf / transitiveMemberOf and the member-group actions.
 */
import { COLLECTIONS } from '../collections.ts';
import { requestBadRequest, requireObjectBody, resourceNotFound } from '../directory/directory-errors.ts';
import { respondDirectoryCollection, respondDirectoryCount } from '../directory/directory-query.ts';
import {
  findDirectoryObject,
  findGroup,
  membershipIndex,
  removeDirectoryReferences,
} from '../directory/directory-store.ts';
import { bindReferences, createGroup, referenceFromBody, updateGroup } from '../directory/group-writes.ts';
import { respondCheckMemberGroups, respondGetMemberGroups, respondMemberOf } from '../directory/member-of.ts';
import { directMembersOf, membershipDocId, transitiveMembersOf } from '../directory/membership.ts';
import { typedDoc } from '../directory/presenters.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import { routeFactory } from '../router.ts';
import type { Doc, Store } from '../store.ts';

function requireGroup(ctx: GraphContext): Doc {
  const id = ctx.params.id!;
  const group = findGroup(ctx.store, ctx.tenant.id, id);
  if (!group) throw resourceNotFound(id);
  return group;
}

function memberDocs(ctx: GraphContext, ids: string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const id of ids) {
    const found = findDirectoryObject(ctx.store, ctx.tenant.id, id);
    if (found) out.push(typedDoc(found.kind, found.doc));
  }
  return out;
}

function listMembers(ctx: GraphContext, transitive: boolean): GraphResult {
  const group = requireGroup(ctx);
  const index = membershipIndex(ctx.store, ctx.tenant.id);
  const ids = transitive ? transitiveMembersOf(index, group.id) : directMembersOf(index, group.id);
  return respondDirectoryCollection(ctx, memberDocs(ctx, ids), {
    contextPath: 'directoryObjects',
    users: 'typed',
  });
}

/** Adds `memberId` to `groupId`: 404 for an unknown object, 400 for a duplicate or the group itself. */
function addMember(store: Store, tenantId: string, groupId: string, memberId: string): void {
  const member = findDirectoryObject(store, tenantId, memberId);
  if (!member) throw resourceNotFound(memberId);
  if (member.doc.id.toLowerCase() === groupId.toLowerCase())
    throw requestBadRequest('A group cannot be a member of itself.');
  const edgeId = membershipDocId(groupId, member.doc.id);
  if (store.get(tenantId, COLLECTIONS.groupMembers, edgeId)) {
    throw requestBadRequest(
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
  }
  store.put(tenantId, COLLECTIONS.groupMembers, {
    id: edgeId,
    groupId: groupId.toLowerCase(),
    memberId: member.doc.id,
    memberType: member.kind,
  });
}

function postGroup(ctx: GraphContext): GraphResult {
  const body = requireObjectBody(ctx.request.body);
  const doc = ctx.store.transaction(() => {
    const created = createGroup(body);
    const members = bindReferences(body);
    ctx.store.put(ctx.tenant.id, COLLECTIONS.groups, created);
    for (const memberId of members) addMember(ctx.store, ctx.tenant.id, created.id, memberId);
    return created;
  });
  return respondEntity(ctx, doc, 'groups/$entity', 201);
}

function patchGroup(ctx: GraphContext): GraphResult {
  const body = requireObjectBody(ctx.request.body);
  ctx.store.transaction(() => {
    ctx.store.put(ctx.tenant.id, COLLECTIONS.groups, updateGroup(requireGroup(ctx), body));
  });
  return { status: 204 };
}

function deleteGroup(ctx: GraphContext): GraphResult {
  ctx.store.transaction(() => {
    const group = requireGroup(ctx);
    removeDirectoryReferences(ctx.store, ctx.tenant.id, group.id);
    ctx.store.remove(ctx.tenant.id, COLLECTIONS.groups, group.id);
  });
  return { status: 204 };
}

function postMemberRef(ctx: GraphContext): GraphResult {
  const memberId = referenceFromBody(ctx.request.body);
  ctx.store.transaction(() => addMember(ctx.store, ctx.tenant.id, requireGroup(ctx).id, memberId));
  return { status: 204 };
}

function deleteMemberRef(ctx: GraphContext): GraphResult {
  ctx.store.transaction(() => {
    const group = requireGroup(ctx);
    const memberId = ctx.params.memberId!;
    if (!ctx.store.remove(ctx.tenant.id, COLLECTIONS.groupMembers, membershipDocId(group.id, memberId))) {
      throw resourceNotFound(memberId);
    }
  });
  return { status: 204 };
}

const read = PERMISSIONS.groupRead;
const write = PERMISSIONS.groupWrite;
const memberWrite = [['GroupMember.ReadWrite.All'], ['Group.ReadWrite.All']] as const;

const route = routeFactory('directory');

export const groupsRoutes: Route[] = [
  route('GET', '/groups', read, (ctx) =>
    respondDirectoryCollection(ctx, ctx.store.all(ctx.tenant.id, COLLECTIONS.groups), {
      contextPath: 'groups',
    }),
  ),
  route('GET', '/groups/$count', read, (ctx) =>
    respondDirectoryCount(ctx, ctx.store.all(ctx.tenant.id, COLLECTIONS.groups)),
  ),
  route('POST', '/groups', write, postGroup),
  route('GET', '/groups/{id}/members', read, (ctx) => listMembers(ctx, false)),
  route('GET', '/groups/{id}/transitiveMembers', read, (ctx) => listMembers(ctx, true)),
  route('POST', '/groups/{id}/members/$ref', memberWrite, postMemberRef),
  route('DELETE', '/groups/{id}/members/{memberId}/$ref', memberWrite, deleteMemberRef),
  route('GET', '/groups/{id}/memberOf', read, (ctx) => respondMemberOf(ctx, requireGroup(ctx).id, false)),
  route('GET', '/groups/{id}/transitiveMemberOf', read, (ctx) =>
    respondMemberOf(ctx, requireGroup(ctx).id, true),
  ),
  route('POST', '/groups/{id}/getMemberGroups', read, (ctx) =>
    respondGetMemberGroups(ctx, requireGroup(ctx).id),
  ),
  route('POST', '/groups/{id}/checkMemberGroups', read, (ctx) =>
    respondCheckMemberGroups(ctx, requireGroup(ctx).id),
  ),
  route('GET', '/groups/{id}', read, (ctx) => respondEntity(ctx, requireGroup(ctx), 'groups/$entity')),
  route('PATCH', '/groups/{id}', write, patchGroup),
  route('DELETE', '/groups/{id}', write, deleteGroup),
];
