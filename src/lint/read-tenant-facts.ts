/**
 * The I/O edge of the semantic lint and the lockout guard: reads the directory facts they need (the break-glass
 * accounts of accord.yaml, the administrators, the users and service principals the policies name, the soft-deleted
 * named locations, the External ID user flows, the identity running accord). A handful of requests, whatever the
 * directory's size.
 */
import { GraphRequestError, type GraphBody, type GraphPort } from '../core/graph-port.ts';
import { isGuid } from '../kinds/common/canonical.ts';
import { applicationsOf, servicePrincipalsOf, usersOf } from './policy-view.ts';
import {
  ADMIN_ROLE_TEMPLATE_IDS,
  type BreakGlassFacts,
  type CallerFacts,
  type ServicePrincipalFact,
  type TenantFacts,
  type UserFact,
} from './tenant-facts.ts';

export interface FactsRequest {
  tenantId: string;
  breakGlass: { users: readonly string[]; groups: readonly string[] };
  /** The desired Conditional Access policies (canonical state), for the users they name. */
  policies: readonly GraphBody[];
  /** The identity running accord, when known: by appId, or by display name (the local tenant's app). */
  caller?: { appId: string } | { displayName: string };
}

const USER_SELECT = '$select=id,userPrincipalName,accountEnabled,userType';
const EMAIL_OTP_PROVIDER = 'emailotpsignup-oauth';

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A list that may legitimately be unavailable (a role never activated, a workforce tenant's user flows); with
 * `forbiddenIsUnknown`, also one the identity may not read (EventListener.Read.All is not in every reader's grant).
 */
async function listOrEmpty(
  port: GraphPort,
  path: string,
  forbiddenIsUnknown = false,
): Promise<GraphBody[] | undefined> {
  try {
    return await port.list(path);
  } catch (err) {
    const unavailable = [400, 404, ...(forbiddenIsUnknown ? [403] : [])];
    if (err instanceof GraphRequestError && unavailable.includes(err.status)) return undefined;
    throw err;
  }
}

function isUserObject(item: GraphBody): boolean {
  const type = item['@odata.type'];
  return type === undefined || type === '#microsoft.graph.user';
}

async function userFact(port: GraphPort, basic: GraphBody): Promise<UserFact> {
  const id = String(basic.id);
  const memberOf =
    (await listOrEmpty(port, `/users/${id}/transitiveMemberOf?$select=id,roleTemplateId`)) ?? [];
  return {
    id,
    userPrincipalName: String(basic.userPrincipalName ?? id),
    accountEnabled: basic.accountEnabled !== false,
    userType: String(basic.userType).toLowerCase() === 'guest' ? 'Guest' : 'Member',
    transitiveGroupIds: memberOf
      .filter((m) => m['@odata.type'] === '#microsoft.graph.group')
      .map((m) => String(m.id).toLowerCase()),
    activeRoleTemplateIds: memberOf
      .filter((m) => m['@odata.type'] === '#microsoft.graph.directoryRole')
      .map((m) => String(m.roleTemplateId).toLowerCase()),
  };
}

async function findGroup(port: GraphPort, value: string): Promise<GraphBody | undefined> {
  if (isGuid(value)) return port.get(`/groups/${value}?$select=id,displayName`);
  const found = await port.list(
    `/groups?$filter=${encodeURIComponent(`displayName eq ${quote(value)}`)}&$select=id,displayName`,
  );
  return found.length === 1 ? found[0] : undefined;
}

async function userMembers(port: GraphPort, groupId: string): Promise<GraphBody[]> {
  const members = await port.list(
    `/groups/${groupId}/transitiveMembers?$select=id,userPrincipalName,accountEnabled,userType`,
  );
  return members.filter(isUserObject);
}

async function readBreakGlass(
  port: GraphPort,
  request: FactsRequest['breakGlass'],
): Promise<BreakGlassFacts> {
  const facts: BreakGlassFacts = {
    configured: request.users.length + request.groups.length > 0,
    groups: [],
    users: [],
    unresolved: [],
  };
  const basics = new Map<string, GraphBody>();
  for (const value of request.users) {
    const user = await port.get(`/users/${encodeURIComponent(value)}?${USER_SELECT}`);
    if (user) basics.set(String(user.id), user);
    else facts.unresolved.push(value);
  }
  for (const value of request.groups) {
    const group = await findGroup(port, value);
    if (!group) {
      facts.unresolved.push(value);
      continue;
    }
    facts.groups.push({
      id: String(group.id).toLowerCase(),
      displayName: String(group.displayName ?? value),
    });
    for (const member of await userMembers(port, String(group.id))) basics.set(String(member.id), member);
  }
  for (const basic of basics.values()) facts.users.push(await userFact(port, basic));
  return facts;
}

async function readAdmins(port: GraphPort): Promise<UserFact[]> {
  const basics = new Map<string, GraphBody>();
  for (const role of ADMIN_ROLE_TEMPLATE_IDS) {
    const members = (await listOrEmpty(port, `/directoryRoles(roleTemplateId='${role}')/members`)) ?? [];
    for (const member of members) {
      if (member['@odata.type'] === '#microsoft.graph.group') {
        for (const user of await userMembers(port, String(member.id))) basics.set(String(user.id), user);
      } else if (isUserObject(member)) basics.set(String(member.id), member);
    }
  }
  const out: UserFact[] = [];
  for (const basic of basics.values()) out.push(await userFact(port, basic));
  return out;
}

async function readNamedUsers(
  port: GraphPort,
  policies: readonly GraphBody[],
): Promise<Map<string, UserFact>> {
  const ids = new Set<string>();
  for (const policy of policies) {
    const users = usersOf(policy);
    for (const id of [...users.includeUsers, ...users.excludeUsers])
      if (isGuid(id)) ids.add(id.toLowerCase());
  }
  const out = new Map<string, UserFact>();
  const list = [...ids];
  for (let i = 0; i < list.length; i += 20) {
    const part = list.slice(i, i + 20);
    const replies = await port.batch(
      part.map((id) => ({ method: 'GET' as const, path: `/users/${id}?${USER_SELECT}` })),
    );
    replies.forEach((reply, j) => {
      if (reply.status !== 200 || typeof reply.body !== 'object' || reply.body === null) return;
      const body = reply.body as GraphBody;
      out.set(part[j]!, {
        id: String(body.id),
        userPrincipalName: String(body.userPrincipalName ?? body.id),
        accountEnabled: body.accountEnabled !== false,
        userType: String(body.userType).toLowerCase() === 'guest' ? 'Guest' : 'Member',
        transitiveGroupIds: [],
        activeRoleTemplateIds: [],
      });
    });
  }
  return out;
}

const SP_SELECT = '$select=id,appId,displayName,accountEnabled';

/** Application appIds and service principal object ids the policies name (GUIDs only: not All, Office365…). */
function servicePrincipalRefs(policies: readonly GraphBody[]): { appIds: string[]; ids: string[] } {
  const appIds = new Set<string>();
  const ids = new Set<string>();
  for (const policy of policies) {
    const apps = applicationsOf(policy);
    for (const appId of [...apps.includeApplications, ...apps.excludeApplications])
      if (isGuid(appId)) appIds.add(appId.toLowerCase());
    const clients = servicePrincipalsOf(policy);
    for (const id of [...clients.include, ...clients.exclude]) if (isGuid(id)) ids.add(id.toLowerCase());
  }
  return { appIds: [...appIds], ids: [...ids] };
}

async function readNamedServicePrincipals(
  port: GraphPort,
  policies: readonly GraphBody[],
): Promise<Map<string, ServicePrincipalFact>> {
  const { appIds, ids } = servicePrincipalRefs(policies);
  const wanted = [
    ...appIds.map((appId) => ({ key: appId, path: `/servicePrincipals(appId='${appId}')?${SP_SELECT}` })),
    ...ids.map((id) => ({ key: id, path: `/servicePrincipals/${id}?${SP_SELECT}` })),
  ];
  const out = new Map<string, ServicePrincipalFact>();
  for (let i = 0; i < wanted.length; i += 20) {
    const part = wanted.slice(i, i + 20);
    const replies = await port.batch(part.map((w) => ({ method: 'GET' as const, path: w.path })));
    replies.forEach((reply, j) => {
      if (reply.status !== 200 || typeof reply.body !== 'object' || reply.body === null) return;
      const body = reply.body as GraphBody;
      out.set(part[j]!.key, {
        id: String(body.id),
        appId: String(body.appId),
        displayName: String(body.displayName ?? body.appId),
        accountEnabled: body.accountEnabled !== false,
      });
    });
  }
  return out;
}

async function readDeletedLocations(port: GraphPort): Promise<Map<string, string>> {
  const deleted = (await listOrEmpty(port, '/identity/conditionalAccess/deletedItems/namedLocations')) ?? [];
  return new Map(deleted.map((d) => [String(d.id).toLowerCase(), String(d.displayName ?? d.id)]));
}

function isOtpFlow(flow: GraphBody): boolean {
  const handler = flow.onAuthenticationMethodLoadStart as GraphBody | undefined;
  const providers = Array.isArray(handler?.identityProviders)
    ? (handler.identityProviders as GraphBody[])
    : [];
  return providers.some((p) => String(p.id).toLowerCase() === EMAIL_OTP_PROVIDER);
}

function flowApps(flow: GraphBody): string[] {
  const conditions = flow.conditions as
    { applications?: { includeApplications?: { appId?: unknown }[] } } | undefined;
  return (conditions?.applications?.includeApplications ?? []).map((a) => String(a.appId));
}

async function readUserFlows(
  port: GraphPort,
): Promise<Pick<TenantFacts, 'isExternalTenant' | 'otpFirstFactorApps'>> {
  const flows = await listOrEmpty(port, '/identity/authenticationEventsFlows', true);
  if (!flows) return { isExternalTenant: false, otpFirstFactorApps: [] };
  const otpFirstFactorApps = flows
    .filter(isOtpFlow)
    .flatMap((f) => flowApps(f).map((appId) => ({ appId, flow: String(f.displayName ?? f.id) })));
  return { isExternalTenant: true, otpFirstFactorApps };
}

async function findCaller(
  port: GraphPort,
  caller: NonNullable<FactsRequest['caller']>,
): Promise<GraphBody | undefined> {
  if ('appId' in caller) return port.get(`/servicePrincipals(appId='${encodeURIComponent(caller.appId)}')`);
  const filter = encodeURIComponent(`displayName eq ${quote(caller.displayName)}`);
  const found = await port.list(`/servicePrincipals?$filter=${filter}`);
  return found.length === 1 ? found[0] : undefined;
}

async function readCaller(
  port: GraphPort,
  tenantId: string,
  caller: NonNullable<FactsRequest['caller']>,
): Promise<CallerFacts | undefined> {
  const sp = await findCaller(port, caller);
  if (!sp) return undefined;
  return {
    appId: String(sp.appId),
    servicePrincipalId: String(sp.id),
    displayName: String(sp.displayName ?? sp.appId),
    isSingleTenant:
      String(sp.appOwnerOrganizationId ?? '').toLowerCase() === tenantId.toLowerCase() &&
      sp.servicePrincipalType === 'Application',
  };
}

export async function readTenantFacts(port: GraphPort, request: FactsRequest): Promise<TenantFacts> {
  const caller = request.caller ? await readCaller(port, request.tenantId, request.caller) : undefined;
  return {
    tenantId: request.tenantId,
    breakGlass: await readBreakGlass(port, request.breakGlass),
    admins: await readAdmins(port),
    namedUsers: await readNamedUsers(port, request.policies),
    namedServicePrincipals: await readNamedServicePrincipals(port, request.policies),
    deletedLocations: await readDeletedLocations(port),
    ...(await readUserFlows(port)),
    ...(caller ? { caller } : {}),
  };
}
