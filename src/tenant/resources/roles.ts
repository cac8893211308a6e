/**
 * Directory roles (graph-contract §1, §6): activated `directoryRoles` (not paged; by id, template id or the
 * `roleTemplateId` alternate key), their members, `directoryRoleTemplates`, built-in `roleDefinitions` and
 * directory-scope `roleAssignments`.
 */
import { randomUUID } from 'node:crypto';
import { COLLECTIONS } from '../collections.ts';
import { requestBadRequest, requireObjectBody, resourceNotFound } from '../directory/directory-errors.ts';
import { respondDirectoryCollection } from '../directory/directory-query.ts';
import { findDirectoryObject } from '../directory/directory-store.ts';
import { typedDoc } from '../directory/presenters.ts';
import {
  activatedTemplates,
  directoryRoleDoc,
  findActivatedRole,
  findTemplateById,
  principalsOfRole,
  roleDefinitionDoc,
  roleTemplateDoc,
} from '../directory/roles-data.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondCollection, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import { routeFactory } from '../router.ts';
import { BUILT_IN_ROLE_TEMPLATES } from '../seed/well-known.ts';
import type { Doc } from '../store.ts';

function requireRole(ctx: GraphContext): Doc {
  const role = findActivatedRole(ctx.store, ctx.tenant.id, ctx.params.id!);
  if (!role) throw resourceNotFound(ctx.params.id!);
  return role;
}

function listDirectoryRoles(ctx: GraphContext): GraphResult {
  const docs = activatedTemplates(ctx.store, ctx.tenant.id).map((t) => directoryRoleDoc(ctx.tenant.id, t));
  return respondDirectoryCollection(ctx, docs, { contextPath: 'directoryRoles', unpaged: true });
}

function listRoleMembers(ctx: GraphContext): GraphResult {
  const role = requireRole(ctx);
  const docs: Record<string, unknown>[] = [];
  for (const id of principalsOfRole(ctx.store, ctx.tenant.id, String(role.roleTemplateId))) {
    const found = findDirectoryObject(ctx.store, ctx.tenant.id, id);
    if (found) docs.push(typedDoc(found.kind, found.doc));
  }
  return respondDirectoryCollection(ctx, docs, { contextPath: 'directoryObjects', users: 'typed' });
}

function listRoleDefinitions(ctx: GraphContext): GraphResult {
  return respondCollection(ctx, BUILT_IN_ROLE_TEMPLATES.map(roleDefinitionDoc), {
    contextPath: 'roleManagement/directory/roleDefinitions',
    defaultPageSize: Infinity,
    maxPageSize: 999,
  });
}

function getRoleDefinition(ctx: GraphContext): GraphResult {
  const template = findTemplateById(ctx.params.id!);
  if (!template) throw resourceNotFound(ctx.params.id!);
  return respondEntity(ctx, roleDefinitionDoc(template), 'roleManagement/directory/roleDefinitions/$entity');
}

function listAssignments(ctx: GraphContext): GraphResult {
  return respondCollection(ctx, ctx.store.all(ctx.tenant.id, COLLECTIONS.roleAssignments), {
    contextPath: 'roleManagement/directory/roleAssignments',
    defaultPageSize: 100,
    maxPageSize: 999,
  });
}

function requireAssignment(ctx: GraphContext): Doc {
  const doc = ctx.store.get(ctx.tenant.id, COLLECTIONS.roleAssignments, ctx.params.id!);
  if (!doc) throw resourceNotFound(ctx.params.id!);
  return doc;
}

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw requestBadRequest(
      `Invalid value specified for property '${key}' of resource 'UnifiedRoleAssignment'.`,
    );
  }
  return value.trim();
}

function postAssignment(ctx: GraphContext): GraphResult {
  const body = requireObjectBody(ctx.request.body);
  const principalId = requireString(body, 'principalId');
  const roleDefinitionId = requireString(body, 'roleDefinitionId');
  const directoryScopeId =
    body.directoryScopeId === undefined ? '/' : requireString(body, 'directoryScopeId');
  if (directoryScopeId !== '/')
    throw requestBadRequest(`The directory scope '${directoryScopeId}' is not supported.`);
  const template = findTemplateById(roleDefinitionId);
  if (!template) throw resourceNotFound(roleDefinitionId);
  const doc = ctx.store.transaction(() => {
    const principal = findDirectoryObject(ctx.store, ctx.tenant.id, principalId);
    if (!principal) throw resourceNotFound(principalId);
    const duplicate = ctx.store
      .all(ctx.tenant.id, COLLECTIONS.roleAssignments)
      .some(
        (a) =>
          String(a.principalId).toLowerCase() === principal.doc.id.toLowerCase() &&
          a.roleDefinitionId === template.id,
      );
    if (duplicate) {
      throw requestBadRequest(
        'A conflicting object with one or more of the specified property values is present in the directory.',
      );
    }
    const created: Doc = {
      id: randomUUID(),
      principalId: principal.doc.id,
      roleDefinitionId: template.id,
      directoryScopeId,
    };
    ctx.store.put(ctx.tenant.id, COLLECTIONS.roleAssignments, created);
    return created;
  });
  return respondEntity(ctx, doc, 'roleManagement/directory/roleAssignments/$entity', 201);
}

function deleteAssignment(ctx: GraphContext): GraphResult {
  ctx.store.transaction(() => {
    ctx.store.remove(ctx.tenant.id, COLLECTIONS.roleAssignments, requireAssignment(ctx).id);
  });
  return { status: 204 };
}

const read = PERMISSIONS.roleRead;
const write = PERMISSIONS.roleWrite;

const route = routeFactory('directory');

export const rolesRoutes: Route[] = [
  route('GET', '/directoryRoles', read, listDirectoryRoles),
  route('GET', "/directoryRoles(roleTemplateId='{id}')", read, (ctx) =>
    respondEntity(ctx, requireRole(ctx), 'directoryRoles/$entity'),
  ),
  route('GET', "/directoryRoles(roleTemplateId='{id}')/members", read, listRoleMembers),
  route('GET', '/directoryRoles/{id}/members', read, listRoleMembers),
  route('GET', '/directoryRoles/{id}', read, (ctx) =>
    respondEntity(ctx, requireRole(ctx), 'directoryRoles/$entity'),
  ),
  route('GET', '/directoryRoleTemplates', read, (ctx) =>
    respondCollection(ctx, BUILT_IN_ROLE_TEMPLATES.map(roleTemplateDoc), {
      contextPath: 'directoryRoleTemplates',
      defaultPageSize: Infinity,
    }),
  ),
  route('GET', '/directoryRoleTemplates/{id}', read, (ctx) => {
    const template = findTemplateById(ctx.params.id!);
    if (!template) throw resourceNotFound(ctx.params.id!);
    return respondEntity(ctx, roleTemplateDoc(template), 'directoryRoleTemplates/$entity');
  }),
  route('GET', '/roleManagement/directory/roleDefinitions', read, listRoleDefinitions),
  route('GET', '/roleManagement/directory/roleDefinitions/{id}', read, getRoleDefinition),
  route('GET', '/roleManagement/directory/roleAssignments', read, listAssignments),
  route('POST', '/roleManagement/directory/roleAssignments', write, postAssignment),
  route('GET', '/roleManagement/directory/roleAssignments/{id}', read, (ctx) =>
    respondEntity(ctx, requireAssignment(ctx), 'roleManagement/directory/roleAssignments/$entity'),
  ),
  route('DELETE', '/roleManagement/directory/roleAssignments/{id}', write, deleteAssignment),
];
