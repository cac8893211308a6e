/**
 * Read access to a tenant's directory in the store, with indexes (UPN → user, membership graph) rebuilt only
 * when the underlying collection changes, so a 10,000-user tenant answers lookups in constant time.
 */
import { COLLECTIONS } from '../collections.ts';
import type { Doc, Store } from '../store.ts';
import { buildMembershipIndex, type MemberType, type MembershipIndex } from './membership.ts';

/** Collection of the external (partner) tenants a seed declares. */
export const EXTERNAL_TENANTS = 'externalTenants';

interface Cached<T> {
  version: number;
  value: T;
}

const caches = new WeakMap<Store, Map<string, Cached<unknown>>>();

function cached<T>(store: Store, tenantId: string, coll: string, build: () => T): T {
  let perStore = caches.get(store);
  if (!perStore) {
    perStore = new Map();
    caches.set(store, perStore);
  }
  const key = `${tenantId}\u0000${coll}`;
  const version = store.version(tenantId, coll);
  const hit = perStore.get(key);
  if (hit && hit.version === version) return hit.value as T;
  const value = build();
  perStore.set(key, { version, value });
  return value;
}

export function membershipIndex(store: Store, tenantId: string): MembershipIndex {
  return cached(store, tenantId, COLLECTIONS.groupMembers, () =>
    buildMembershipIndex(
      store.all(tenantId, COLLECTIONS.groupMembers).map((doc) => ({
        groupId: String(doc.groupId),
        memberId: String(doc.memberId),
        memberType: doc.memberType as MemberType,
      })),
    ),
  );
}

function upnIndex(store: Store, tenantId: string): Map<string, Doc> {
  return cached(store, tenantId, COLLECTIONS.users, () => {
    const map = new Map<string, Doc>();
    for (const user of store.all(tenantId, COLLECTIONS.users)) {
      if (typeof user.userPrincipalName === 'string') map.set(user.userPrincipalName.toLowerCase(), user);
    }
    return map;
  });
}

/** A user by object id or userPrincipalName. */
export function findUser(store: Store, tenantId: string, idOrUpn: string): Doc | undefined {
  if (idOrUpn.includes('@')) return upnIndex(store, tenantId).get(idOrUpn.toLowerCase());
  return store.get(tenantId, COLLECTIONS.users, idOrUpn);
}

export function findUserByUpn(store: Store, tenantId: string, upn: string): Doc | undefined {
  return upnIndex(store, tenantId).get(upn.toLowerCase());
}

export function findGroup(store: Store, tenantId: string, id: string): Doc | undefined {
  return store.get(tenantId, COLLECTIONS.groups, id);
}

export type DirectoryObjectKind = 'user' | 'group' | 'servicePrincipal';

export interface DirectoryObjectRef {
  kind: DirectoryObjectKind;
  doc: Doc;
}

/** A user, group or service principal by object id. */
export function findDirectoryObject(
  store: Store,
  tenantId: string,
  id: string,
): DirectoryObjectRef | undefined {
  const user = store.get(tenantId, COLLECTIONS.users, id);
  if (user) return { kind: 'user', doc: user };
  const group = store.get(tenantId, COLLECTIONS.groups, id);
  if (group) return { kind: 'group', doc: group };
  const sp = store.get(tenantId, COLLECTIONS.servicePrincipals, id);
  if (sp) return { kind: 'servicePrincipal', doc: sp };
  return undefined;
}

/** Removes every membership edge touching `id` (as group or as member) and its role assignments. */
export function removeDirectoryReferences(store: Store, tenantId: string, id: string): void {
  const key = id.toLowerCase();
  for (const edge of store.all(tenantId, COLLECTIONS.groupMembers)) {
    if (String(edge.groupId).toLowerCase() === key || String(edge.memberId).toLowerCase() === key) {
      store.remove(tenantId, COLLECTIONS.groupMembers, edge.id);
    }
  }
  for (const assignment of store.all(tenantId, COLLECTIONS.roleAssignments)) {
    if (String(assignment.principalId).toLowerCase() === key) {
      store.remove(tenantId, COLLECTIONS.roleAssignments, assignment.id);
    }
  }
}
