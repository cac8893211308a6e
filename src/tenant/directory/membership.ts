/**
 * Group membership as a graph: direct edges (group → member) and the transitive closures Graph serves
 * (`transitiveMembers`, `transitiveMemberOf`). Nesting may contain cycles; every walk is cycle-safe.
 */

export type MemberType = 'user' | 'group' | 'servicePrincipal';

export interface MembershipEdge {
  groupId: string;
  memberId: string;
  memberType: MemberType;
}

export interface MembershipIndex {
  /** group id → direct member ids (insertion order) */
  membersOf: Map<string, string[]>;
  /** member id → ids of the groups it is a direct member of */
  parentsOf: Map<string, string[]>;
  /** member id → its type */
  typeOf: Map<string, MemberType>;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildMembershipIndex(edges: Iterable<MembershipEdge>): MembershipIndex {
  const index: MembershipIndex = { membersOf: new Map(), parentsOf: new Map(), typeOf: new Map() };
  for (const edge of edges) {
    const groupId = edge.groupId.toLowerCase();
    const memberId = edge.memberId.toLowerCase();
    push(index.membersOf, groupId, memberId);
    push(index.parentsOf, memberId, groupId);
    index.typeOf.set(memberId, edge.memberType);
  }
  return index;
}

/** Breadth-first walk from `start` along `next`, excluding `start` itself; each id once. */
function walk(start: string, next: Map<string, string[]>): string[] {
  const seen = new Set<string>([start]);
  const out: string[] = [];
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const id of next.get(queue[i]!) ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(id);
      queue.push(id);
    }
  }
  return out;
}

/** Every group `memberId` belongs to, directly or through nesting (never itself, even in a cycle). */
export function transitiveGroupsOf(index: MembershipIndex, memberId: string): string[] {
  return walk(memberId.toLowerCase(), index.parentsOf);
}

/** Every member of `groupId`, directly or through nested groups (never the group itself). */
export function transitiveMembersOf(index: MembershipIndex, groupId: string): string[] {
  return walk(groupId.toLowerCase(), index.membersOf);
}

export function directMembersOf(index: MembershipIndex, groupId: string): string[] {
  return index.membersOf.get(groupId.toLowerCase()) ?? [];
}

export function directGroupsOf(index: MembershipIndex, memberId: string): string[] {
  return index.parentsOf.get(memberId.toLowerCase()) ?? [];
}

export function membershipDocId(groupId: string, memberId: string): string {
  return `${groupId}:${memberId}`.toLowerCase();
}
