/**
 * The What-If engine's directory view, read from Graph for the sign-ins at hand — never the whole directory:
 * per user one `GET /users/{upn|id}` (or a list filtered by display name), its `transitiveMemberOf` and one `$batch` of directory-scope role assignments
 * (the user's and those of its role-assignable groups); per application or service principal one lookup by appId,
 * id or display name. Everything read is cached, so a file of scenarios reads each object once.
 */
import type { BatchItem, GraphBody, GraphPort } from '../core/graph-port.ts';
import { classifyUser } from '../tenant/directory/guest-classification.ts';
import { createDirectoryView } from '../whatif/directory-view.ts';
import type {
  CustomSecurityAttributes,
  DirectoryView,
  ServicePrincipalView,
  UserView,
} from '../whatif/types.ts';

export type Lookup<T> = { ok: true; value: T } | { ok: false; message: string };

export interface NamedUser {
  view: UserView;
  userPrincipalName: string;
}

export interface NamedServicePrincipal {
  view: ServicePrincipalView;
  displayName: string;
}

const USER_SELECT = 'id,userPrincipalName,userType,identities,creationType,externalUserState';
const SP_SELECT = 'id,appId,displayName,appOwnerOrganizationId,servicePrincipalType,customSecurityAttributes';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BATCH_SIZE = 20;

function quoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function isRecordOfRecords(value: unknown): value is CustomSecurityAttributes {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Only role-assignable groups can hold a role; a group that does not say (the local tenant) is asked too. */
function mayHoldRoles(group: GraphBody): boolean {
  return !('isAssignableToRole' in group) || group.isAssignableToRole === true;
}

function isGroup(object: GraphBody): boolean {
  const type = object['@odata.type'];
  return type === undefined || type === '#microsoft.graph.group';
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class DirectoryReader {
  readonly #port: GraphPort;
  readonly #tenantId: string;
  readonly #users = new Map<string, Promise<Lookup<NamedUser>>>();
  readonly #servicePrincipals = new Map<string, Promise<Lookup<NamedServicePrincipal>>>();
  /** Display names of the groups and applications read so far, by id and appId. */
  readonly names = new Map<string, string>();
  /** Graph requests made so far (a test checks that one sign-in costs a handful). */
  requests = 0;

  constructor(port: GraphPort, tenantId: string) {
    this.#port = port;
    this.#tenantId = tenantId;
  }

  /** A user by userPrincipalName, object id or display name. */
  findUser(ref: string): Promise<Lookup<NamedUser>> {
    const key = ref.trim().toLowerCase();
    let found = this.#users.get(key);
    if (!found) {
      found = this.#readUser(ref.trim());
      this.#users.set(key, found);
    }
    return found;
  }

  /** A service principal by appId, object id or display name (`what` names it in messages). */
  findServicePrincipal(ref: string, what = 'service principal'): Promise<Lookup<NamedServicePrincipal>> {
    const key = ref.trim().toLowerCase();
    let found = this.#servicePrincipals.get(key);
    if (!found) {
      found = this.#readServicePrincipal(ref.trim(), what);
      this.#servicePrincipals.set(key, found);
    }
    return found;
  }

  /** What the engine may ask about: every user and service principal read so far. */
  async view(): Promise<DirectoryView> {
    const users = (await Promise.all(this.#users.values())).flatMap((l) => (l.ok ? [l.value.view] : []));
    const sps = (await Promise.all(this.#servicePrincipals.values())).flatMap((l) =>
      l.ok ? [l.value.view] : [],
    );
    return createDirectoryView(users, sps);
  }

  async #get(path: string): Promise<GraphBody | undefined> {
    this.requests += 1;
    return this.#port.get(path);
  }

  /** By userPrincipalName or id (one GET), else by display name (one filtered list), never by guessing. */
  async #findUserObject(ref: string): Promise<Lookup<GraphBody>> {
    const user = await this.#get(`/users/${encodeURIComponent(ref)}?$select=${USER_SELECT}`);
    if (user) return { ok: true, value: user };
    const hint = '(give a userPrincipalName, display name or id)';
    if (GUID.test(ref) || ref.includes('@'))
      return { ok: false, message: `no user '${ref}' in the tenant ${hint}` };
    this.requests += 1;
    const named = await this.#port.list(
      `/users?$filter=${encodeURIComponent(`displayName eq ${quoted(ref)}`)}&$select=${USER_SELECT}`,
    );
    if (named.length === 1) return { ok: true, value: named[0]! };
    if (named.length === 0) return { ok: false, message: `no user '${ref}' in the tenant ${hint}` };
    const upns = named.map((u) => String(u.userPrincipalName)).join(', ');
    return {
      ok: false,
      message: `${named.length} users are named '${ref}' (${upns}): give the userPrincipalName`,
    };
  }

  async #readUser(ref: string): Promise<Lookup<NamedUser>> {
    const found = await this.#findUserObject(ref);
    if (!found.ok) return found;
    const user = found.value;
    const id = String(user.id);
    this.requests += 1;
    const memberOf = await this.#port.list(
      `/users/${encodeURIComponent(id)}/transitiveMemberOf?$select=id,displayName,isAssignableToRole`,
    );
    const groups = memberOf.filter(isGroup);
    for (const g of groups) this.names.set(String(g.id).toLowerCase(), String(g.displayName ?? g.id));
    const classification = classifyUser(user, '');
    const view: UserView = {
      id,
      userType: String(user.userType).toLowerCase() === 'guest' ? 'Guest' : 'Member',
      transitiveGroupIds: groups.map((g) => String(g.id)),
      activeRoleTemplateIds: await this.#activeRoles([
        id,
        ...groups.filter(mayHoldRoles).map((g) => String(g.id)),
      ]),
      // Graph does not say which tenant a B2B user comes from: policies naming external tenants cannot match.
      ...(classification === 'member' ? {} : { externalUserType: classification }),
    };
    return { ok: true, value: { view, userPrincipalName: String(user.userPrincipalName ?? ref) } };
  }

  /** Template ids of the built-in roles assigned at directory scope to any of the principals (active only). */
  async #activeRoles(principalIds: readonly string[]): Promise<string[]> {
    const roles = new Set<string>();
    for (const chunk of chunks(principalIds, BATCH_SIZE)) {
      const items: BatchItem[] = chunk.map((id) => ({
        method: 'GET',
        path: `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq ${quoted(id)}`)}`,
      }));
      this.requests += 1;
      for (const result of await this.#port.batch(items)) {
        const body = result.body as { value?: GraphBody[] } | undefined;
        if (result.status !== 200 || !Array.isArray(body?.value)) continue;
        for (const a of body.value)
          if (a.directoryScopeId === '/' || a.directoryScopeId === undefined)
            roles.add(String(a.roleDefinitionId).toLowerCase());
      }
    }
    return [...roles];
  }

  async #readServicePrincipal(ref: string, what: string): Promise<Lookup<NamedServicePrincipal>> {
    const select = `$select=${SP_SELECT}`;
    let sp: GraphBody | undefined;
    if (GUID.test(ref)) {
      sp = await this.#get(`/servicePrincipals(appId=${quoted(ref)})?${select}`);
      sp ??= await this.#get(`/servicePrincipals/${ref}?${select}`);
    } else {
      this.requests += 1;
      const named = await this.#port.list(
        `/servicePrincipals?$filter=${encodeURIComponent(`displayName eq ${quoted(ref)}`)}&${select}`,
      );
      if (named.length > 1)
        return { ok: false, message: `${named.length} ${what}s are named '${ref}': give the appId` };
      sp = named[0];
    }
    if (!sp)
      return { ok: false, message: `no ${what} '${ref}' in the tenant (give an appId or display name)` };
    this.names.set(String(sp.appId).toLowerCase(), String(sp.displayName ?? sp.appId));
    return { ok: true, value: { view: this.#toView(sp), displayName: String(sp.displayName ?? ref) } };
  }

  #toView(sp: GraphBody): ServicePrincipalView {
    const attributes = sp.customSecurityAttributes;
    return {
      id: String(sp.id),
      appId: String(sp.appId),
      // A managed identity or someone else's multi-tenant app is never a workload identity of this tenant (§2.4).
      isSingleTenant:
        String(sp.appOwnerOrganizationId).toLowerCase() === this.#tenantId.toLowerCase() &&
        sp.servicePrincipalType === 'Application',
      customSecurityAttributes: isRecordOfRecords(attributes) ? attributes : {},
    };
  }
}
