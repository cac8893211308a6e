/**
 * Entra directory roles as Graph exposes them: built-in role definitions (id = template id), role templates,
 * role assignments (unifiedRoleAssignment at directory scope '/'), and activated directoryRole objects (a role
 * is activated once something is assigned to it).
 */
import { COLLECTIONS } from '../collections.ts';
import { stableGuid } from '../seed/guid.ts';
import { BUILT_IN_ROLE_TEMPLATES, type BuiltInRoleTemplate } from '../seed/well-known.ts';
import type { Doc, Store } from '../store.ts';
import { membershipIndex } from './directory-store.ts';
import { transitiveGroupsOf } from './membership.ts';

const TEMPLATES_BY_ID = new Map(BUILT_IN_ROLE_TEMPLATES.map((t) => [t.id.toLowerCase(), t]));

/** The built-in unifiedRoleDefinition id of a role template (they are the same). */
export function builtInRoleDefinitionId(templateId: string): string {
  return templateId.toLowerCase();
}

export function findTemplateById(id: string): BuiltInRoleTemplate | undefined {
  return TEMPLATES_BY_ID.get(id.toLowerCase());
}

export function roleDefinitionDoc(template: BuiltInRoleTemplate): Record<string, unknown> {
  return {
    id: template.id,
    description: template.description,
    displayName: template.displayName,
    isBuiltIn: true,
    isEnabled: true,
    resourceScopes: ['/'],
    templateId: template.id,
    version: '1',
    rolePermissions: [{ allowedResourceActions: [], condition: null }],
  };
}

export function roleTemplateDoc(template: BuiltInRoleTemplate): Record<string, unknown> {
  return {
    id: template.id,
    deletedDateTime: null,
    description: template.description,
    displayName: template.displayName,
  };
}

/** The directoryRole object of an activated role; its id is per tenant and differs from the template id. */
export function directoryRoleDoc(tenantId: string, template: BuiltInRoleTemplate): Doc {
  return {
    id: stableGuid(`${tenantId}:directoryRole:${template.id}`),
    deletedDateTime: null,
    description: template.description,
    displayName: template.displayName,
    roleTemplateId: template.id,
  };
}

export function roleAssignments(store: Store, tenantId: string): Doc[] {
  return store.all(tenantId, COLLECTIONS.roleAssignments);
}

/** Templates with at least one directory-scope assignment, in template order. */
export function activatedTemplates(store: Store, tenantId: string): BuiltInRoleTemplate[] {
  const assigned = new Set(
    roleAssignments(store, tenantId).map((a) => String(a.roleDefinitionId).toLowerCase()),
  );
  return BUILT_IN_ROLE_TEMPLATES.filter((t) => assigned.has(t.id.toLowerCase()));
}

/** An activated directoryRole by object id or template id. */
export function findActivatedRole(store: Store, tenantId: string, id: string): Doc | undefined {
  const key = id.toLowerCase();
  for (const template of activatedTemplates(store, tenantId)) {
    const doc = directoryRoleDoc(tenantId, template);
    if (doc.id === key || template.id.toLowerCase() === key) return doc;
  }
  return undefined;
}

/** Principal ids directly assigned a role (template id). */
export function principalsOfRole(store: Store, tenantId: string, templateId: string): string[] {
  const key = templateId.toLowerCase();
  return roleAssignments(store, tenantId)
    .filter((a) => String(a.roleDefinitionId).toLowerCase() === key)
    .map((a) => String(a.principalId));
}

/** Template ids of the roles a principal holds directly or through a (role-assignable) group it belongs to. */
export function rolesOfPrincipal(store: Store, tenantId: string, principalId: string): string[] {
  const ids = new Set([
    principalId.toLowerCase(),
    ...transitiveGroupsOf(membershipIndex(store, tenantId), principalId),
  ]);
  const out = new Set<string>();
  for (const a of roleAssignments(store, tenantId)) {
    if (ids.has(String(a.principalId).toLowerCase())) out.add(String(a.roleDefinitionId).toLowerCase());
  }
  return [...out];
}
