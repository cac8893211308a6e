/**
 * Application permissions and the rules of each route (graph-contract §2.11, §7.7). A broader permission implies
 * the narrower ones, as in Entra (e.g. `Directory.Read.All` covers `User.Read.All`).
 */
import type { PermissionRule } from './graph-types.ts';

const IMPLIES: Record<string, readonly string[]> = {
  'Policy.ReadWrite.ConditionalAccess': ['Policy.Read.ConditionalAccess'],
  'Policy.Read.All': ['Policy.Read.ConditionalAccess'],
  'Policy.ReadWrite.AuthenticationMethod': [],
  'Policy.ReadWrite.CrossTenantAccess': [],
  'Directory.ReadWrite.All': [
    'Directory.Read.All',
    'User.ReadWrite.All',
    'Group.ReadWrite.All',
    'GroupMember.ReadWrite.All',
  ],
  'Directory.Read.All': [
    'User.Read.All',
    'Group.Read.All',
    'GroupMember.Read.All',
    'Application.Read.All',
    'RoleManagement.Read.Directory',
  ],
  'User.ReadWrite.All': ['User.Read.All'],
  'Group.ReadWrite.All': ['Group.Read.All', 'GroupMember.Read.All', 'GroupMember.ReadWrite.All'],
  'GroupMember.ReadWrite.All': ['GroupMember.Read.All'],
  'Group.Read.All': ['GroupMember.Read.All'],
  'RoleManagement.ReadWrite.Directory': ['RoleManagement.Read.Directory'],
  'Application.ReadWrite.All': ['Application.Read.All'],
  'EventListener.ReadWrite.All': ['EventListener.Read.All'],
};

/** Every permission a set of granted permissions amounts to. */
export function expandPermissions(granted: readonly string[]): Set<string> {
  const out = new Set<string>();
  const pending = [...granted];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (out.has(next)) continue;
    out.add(next);
    pending.push(...(IMPLIES[next] ?? []));
  }
  return out;
}

export function isAllowed(rule: PermissionRule, held: Set<string>): boolean {
  if (rule.length === 0) return true;
  return rule.some((alternative) => alternative.every((permission) => held.has(permission)));
}

export function describeRule(rule: PermissionRule): string {
  return rule.map((alt) => alt.join(' + ')).join(' or ');
}

/** Rules used by the resource modules. */
export const PERMISSIONS = {
  caRead: [['Policy.Read.All'], ['Policy.ReadWrite.ConditionalAccess']],
  /**
   * Creating, updating and deleting policies and named locations needs Policy.ReadWrite.ConditionalAccess together
   * with Policy.Read.All (least privilege) or Application.Read.All (graph-contract §2.11, §3.2).
   */
  caWrite: [
    ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'],
    ['Application.Read.All', 'Policy.ReadWrite.ConditionalAccess'],
  ],
  /** Authentication strengths and authentication contexts: Policy.ReadWrite.ConditionalAccess alone. */
  caConfigWrite: [['Policy.ReadWrite.ConditionalAccess']],
  caEvaluate: [['Policy.Read.ConditionalAccess']],
  authMethodsRead: [['Policy.ReadWrite.AuthenticationMethod'], ['Policy.Read.All']],
  authMethodsWrite: [['Policy.ReadWrite.AuthenticationMethod']],
  crossTenantRead: [['Policy.Read.All'], ['Policy.ReadWrite.CrossTenantAccess']],
  crossTenantWrite: [['Policy.ReadWrite.CrossTenantAccess']],
  userRead: [['User.Read.All'], ['User.ReadBasic.All']],
  userWrite: [['User.ReadWrite.All']],
  groupRead: [['Group.Read.All'], ['GroupMember.Read.All']],
  groupWrite: [['Group.ReadWrite.All']],
  memberWrite: [['GroupMember.ReadWrite.All']],
  roleRead: [['RoleManagement.Read.Directory']],
  roleWrite: [['RoleManagement.ReadWrite.Directory']],
  appRead: [['Application.Read.All']],
  invite: [['User.Invite.All'], ['User.ReadWrite.All']],
  userFlowRead: [['EventListener.Read.All']],
  userFlowWrite: [['EventListener.ReadWrite.All']],
  auditRead: [['AuditLog.Read.All']],
  directoryRead: [['Directory.Read.All']],
} as const satisfies Record<string, PermissionRule>;
