/**
 * The whole directory as impact needs it, in few Graph requests: users paged 999 at a time with only the fields
 * the engine reads; for each group some policy names (either side), its transitive members (`$select=id`, 20 per
 * `$batch`, a member list longer than a page followed from the page's next link); and the directory-scope role
 * assignments in one list (a role assigned to a group reaches that group's transitive members, read the same way).
 * Groups no policy names are never read: they cannot tell users apart. Cost: ⌈users / 999⌉ pages + ⌈named groups /
 * 20⌉ batches + the role assignment pages + ⌈role-assigned groups / 20⌉ batches, plus one request per further page
 * of a member list longer than 999.
 *
 * Graph's user resource does not say which tenant a guest comes from: `homeTenantId` stays unknown, so guest
 * conditions scoped to enumerated external tenants cover none of them, and a service provider's technician counts
 * as a B2B collaboration guest (docs/adr/0008-impact-analysis.md).
 */
import type { BatchItem, GraphBody, GraphPort } from '../core/graph-port.ts';
import { classifyUser } from '../tenant/directory/guest-classification.ts';
import type { PolicyDocument } from '../whatif/types.ts';
import type { ImpactDirectory, ImpactUser } from './impact-types.ts';

const USER_SELECT = 'id,userPrincipalName,userType,identities,creationType,externalUserState';
const BATCH_SIZE = 20;

export interface ImpactDirectoryRead {
  directory: ImpactDirectory;
  /** Calls made through the port (a paged list counts once, whatever its pages). */
  requests: number;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Group ids any policy names in its user conditions (include or exclude). */
export function namedGroupIds(policies: readonly PolicyDocument[], extra: readonly string[] = []): string[] {
  const out = new Set(extra.map((g) => g.toLowerCase()));
  for (const p of policies) {
    const users = (p.conditions as GraphBody | undefined)?.users as GraphBody | undefined;
    for (const g of [...strings(users?.includeGroups), ...strings(users?.excludeGroups)])
      out.add(g.toLowerCase());
  }
  return [...out];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

class Reader {
  requests = 0;
  readonly port: GraphPort;

  constructor(port: GraphPort) {
    this.port = port;
  }

  async list(path: string): Promise<GraphBody[]> {
    this.requests++;
    return this.port.list(path);
  }

  /** Transitive member ids of each group, keyed by group id (lower case). */
  async members(groupIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const chunk of chunks(groupIds, BATCH_SIZE)) {
      const items: BatchItem[] = chunk.map((id) => ({
        method: 'GET',
        path: `/groups/${id}/transitiveMembers?$select=id&$top=999`,
      }));
      this.requests++;
      const results = await this.port.batch(items);
      for (const [i, result] of results.entries()) {
        const body = result.body as { value?: GraphBody[]; '@odata.nextLink'?: string } | undefined;
        const id = chunk[i]!;
        if (result.status !== 200 || !Array.isArray(body?.value)) continue;
        // A page is not the whole list: the paging client follows the rest from the page's own link.
        const next = body['@odata.nextLink'];
        const members = typeof next === 'string' ? [...body.value, ...(await this.list(next))] : body.value;
        out.set(
          id,
          members.map((m) => String(m.id).toLowerCase()),
        );
      }
    }
    return out;
  }
}

function addTo(index: Map<string, Set<string>>, userId: string, value: string): void {
  let set = index.get(userId);
  if (!set) index.set(userId, (set = new Set()));
  set.add(value);
}

async function readRoles(reader: Reader, userIds: ReadonlySet<string>): Promise<Map<string, Set<string>>> {
  const roles = new Map<string, Set<string>>();
  const assignments = await reader.list(
    '/roleManagement/directory/roleAssignments?$select=principalId,roleDefinitionId,directoryScopeId',
  );
  const viaGroups = new Map<string, string[]>();
  for (const a of assignments) {
    if (a.directoryScopeId !== undefined && a.directoryScopeId !== '/') continue;
    const principal = String(a.principalId).toLowerCase();
    const role = String(a.roleDefinitionId).toLowerCase();
    addTo(roles, principal, role);
    viaGroups.set(principal, [...(viaGroups.get(principal) ?? []), role]);
  }
  // Principals that are not users are role-assignable groups: their members hold the role too.
  const candidates = [...viaGroups.keys()].filter((id) => !userIds.has(id));
  const members = await reader.members(candidates);
  for (const [groupId, memberIds] of members)
    for (const m of memberIds) for (const role of viaGroups.get(groupId) ?? []) addTo(roles, m, role);
  return roles;
}

export async function readImpactDirectory(
  port: GraphPort,
  policies: readonly PolicyDocument[],
  options: { breakGlassGroups?: readonly string[]; tenantDomain?: string } = {},
): Promise<ImpactDirectoryRead> {
  const reader = new Reader(port);
  const users = await reader.list(`/users?$select=${USER_SELECT}&$top=999`);
  const groupIds = namedGroupIds(policies, options.breakGlassGroups);
  const groupsOf = new Map<string, Set<string>>();
  for (const [groupId, members] of await reader.members(groupIds))
    for (const m of members) addTo(groupsOf, m, groupId);
  const userIds = new Set(users.map((u) => String(u.id).toLowerCase()));
  const roles = await readRoles(reader, userIds);
  const views: ImpactUser[] = users.map((u) => {
    const id = String(u.id);
    const classification = classifyUser(u, options.tenantDomain ?? '');
    return {
      id,
      userPrincipalName: String(u.userPrincipalName ?? id),
      userType: String(u.userType).toLowerCase() === 'guest' ? 'Guest' : 'Member',
      transitiveGroupIds: [...(groupsOf.get(id.toLowerCase()) ?? [])],
      activeRoleTemplateIds: [...(roles.get(id.toLowerCase()) ?? [])],
      ...(classification === 'member' ? {} : { externalUserType: classification }),
    };
  });
  return { directory: { users: views }, requests: reader.requests };
}
