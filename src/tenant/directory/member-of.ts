/** `memberOf`, `transitiveMemberOf`, `getMemberGroups` and `checkMemberGroups` for any directory object. */
import { COLLECTIONS } from '../collections.ts';
import type { GraphContext, GraphResult } from '../graph-types.ts';
import { contextUrl } from '../odata.ts';
import { requestBadRequest, requireObjectBody } from './directory-errors.ts';
import { respondDirectoryCollection } from './directory-query.ts';
import { membershipIndex } from './directory-store.ts';
import { directGroupsOf, transitiveGroupsOf } from './membership.ts';
import { typedDoc } from './presenters.ts';
import { directoryRoleDoc, findTemplateById, roleAssignments, rolesOfPrincipal } from './roles-data.ts';

function groupDocs(ctx: GraphContext, ids: string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const id of ids) {
    const group = ctx.store.get(ctx.tenant.id, COLLECTIONS.groups, id);
    if (group) out.push(typedDoc('group', group));
  }
  return out;
}

function roleDocs(ctx: GraphContext, templateIds: string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const id of templateIds) {
    const template = findTemplateById(id);
    if (template) out.push(typedDoc('directoryRole', directoryRoleDoc(ctx.tenant.id, template)));
  }
  return out;
}

function directRoles(ctx: GraphContext, principalId: string): string[] {
  const key = principalId.toLowerCase();
  return [
    ...new Set(
      roleAssignments(ctx.store, ctx.tenant.id)
        .filter((a) => String(a.principalId).toLowerCase() === key)
        .map((a) => String(a.roleDefinitionId).toLowerCase()),
    ),
  ];
}

export function respondMemberOf(ctx: GraphContext, objectId: string, transitive: boolean): GraphResult {
  const index = membershipIndex(ctx.store, ctx.tenant.id);
  const groupIds = transitive ? transitiveGroupsOf(index, objectId) : directGroupsOf(index, objectId);
  const roleIds = transitive
    ? rolesOfPrincipal(ctx.store, ctx.tenant.id, objectId)
    : directRoles(ctx, objectId);
  const docs = [...groupDocs(ctx, groupIds), ...roleDocs(ctx, roleIds)];
  return respondDirectoryCollection(ctx, docs, { contextPath: 'directoryObjects' });
}

function stringCollection(ctx: GraphContext, value: string[]): GraphResult {
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'Collection(Edm.String)'), value } };
}

/** `POST …/getMemberGroups` `{ securityEnabledOnly }` → ids of every group the object is in, transitively. */
export function respondGetMemberGroups(ctx: GraphContext, objectId: string): GraphResult {
  const body = requireObjectBody(ctx.request.body);
  const flag = body.securityEnabledOnly;
  if (flag !== undefined && flag !== null && typeof flag !== 'boolean') {
    throw requestBadRequest("Invalid value specified for property 'securityEnabledOnly'.");
  }
  const index = membershipIndex(ctx.store, ctx.tenant.id);
  const ids = transitiveGroupsOf(index, objectId).filter((id) => {
    const group = ctx.store.get(ctx.tenant.id, COLLECTIONS.groups, id);
    return group !== undefined && (flag !== true || group.securityEnabled === true);
  });
  return stringCollection(ctx, ids);
}

/** `POST …/checkMemberGroups` `{ groupIds }` (at most 20) → the given ids the object is a transitive member of. */
export function respondCheckMemberGroups(ctx: GraphContext, objectId: string): GraphResult {
  const body = requireObjectBody(ctx.request.body);
  const groupIds = body.groupIds;
  if (!Array.isArray(groupIds) || !groupIds.every((id): id is string => typeof id === 'string')) {
    throw requestBadRequest("Invalid value specified for property 'groupIds'.");
  }
  if (groupIds.length > 20) throw requestBadRequest('The number of groupIds exceeds the limit of 20.');
  const member = new Set(transitiveGroupsOf(membershipIndex(ctx.store, ctx.tenant.id), objectId));
  return stringCollection(
    ctx,
    groupIds.filter((id) => member.has(id.toLowerCase())),
  );
}
