/**
 * Writes a seed's directory into the store: users, groups, memberships, role assignments, service principals,
 * external tenants and (External ID) user flows. Names in the seed (UPNs, group display names, role names, app
 * names) are resolved here; an unresolvable name throws and the caller's transaction leaves nothing behind.
 */
import { COLLECTIONS } from '../collections.ts';
import { EXTERNAL_TENANTS } from '../directory/directory-store.ts';
import { membershipDocId, type MemberType } from '../directory/membership.ts';
import { builtInRoleDefinitionId } from '../directory/roles-data.ts';
import type { TenantInfo } from '../graph-types.ts';
import type { Doc, Store } from '../store.ts';
import { hashSeedPassword } from '../signin/passwords.ts';
import { DEMO_APP_ID, demoAppApplication, saveSignInSettings } from '../signin/settings.ts';
import { stableGuid } from './guid.ts';
import type { DirectorySeed, SeedApplication, SeedGroup, SeedUser, SeedUserFlow } from './seed-types.ts';
import { BUILT_IN_IDENTITY_PROVIDERS, findRoleTemplate, WELL_KNOWN_APPLICATIONS } from './well-known.ts';

/** Microsoft's own tenant, owner of every first-party application. */
export const MICROSOFT_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

const WELL_KNOWN_APP_IDS = new Set(WELL_KNOWN_APPLICATIONS.map((a) => a.appId));

interface Principal {
  id: string;
  type: MemberType;
}

interface SeedContext {
  store: Store;
  tenant: TenantInfo;
  createdDateTime: string;
  /** lower-case UPN or group displayName (or id) → principal */
  principals: Map<string, Principal>;
}

function userDoc(ctx: SeedContext, user: SeedUser): Doc {
  const upn = user.userPrincipalName;
  const doc: Doc = {
    id: user.id ?? stableGuid(`${ctx.tenant.id}:user:${upn.toLowerCase()}`),
    userPrincipalName: upn,
    displayName: user.displayName,
    mail: user.mail === undefined ? null : user.mail,
    userType: user.userType ?? 'Member',
    accountEnabled: user.accountEnabled ?? true,
    givenName: user.givenName ?? null,
    surname: user.surname ?? null,
    jobTitle: user.jobTitle ?? null,
    department: user.department ?? null,
    businessPhones: [],
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    creationType: user.creationType ?? null,
    externalUserState: user.externalUserState ?? null,
    identities: user.identities ?? [
      { signInType: 'userPrincipalName', issuer: ctx.tenant.domain, issuerAssignedId: upn },
    ],
    createdDateTime: ctx.createdDateTime,
    _authenticationMethods: [...(user.authenticationMethods ?? (user.password ? ['password'] : []))],
    _homeTenantId: user.homeTenantId ?? null,
  };
  if (user.password !== undefined) doc._passwordHash = hashSeedPassword(user.password);
  if (user.externalUserType !== undefined) doc._externalUserType = user.externalUserType;
  return doc;
}

function groupDoc(ctx: SeedContext, group: SeedGroup): Doc {
  return {
    id: group.id ?? stableGuid(`${ctx.tenant.id}:group:${group.displayName}`),
    displayName: group.displayName,
    description: group.description ?? null,
    mailNickname: group.mailNickname ?? group.displayName.replace(/[^A-Za-z0-9]/g, ''),
    securityEnabled: group.securityEnabled ?? true,
    mailEnabled: group.mailEnabled ?? false,
    groupTypes: [...(group.groupTypes ?? [])],
    mail: null,
    createdDateTime: ctx.createdDateTime,
  };
}

function addPrincipal(ctx: SeedContext, name: string, principal: Principal, what: string): void {
  const key = name.toLowerCase();
  const existing = ctx.principals.get(key);
  if (existing && existing.id !== principal.id) throw new Error(`seed: duplicate ${what} '${name}'`);
  ctx.principals.set(key, principal);
}

function resolvePrincipal(ctx: SeedContext, name: string, where: string): Principal {
  const principal = ctx.principals.get(name.trim().toLowerCase());
  if (!principal)
    throw new Error(`seed: ${where} refers to '${name}', which is neither a user (UPN) nor a group`);
  return principal;
}

function seedUsersAndGroups(ctx: SeedContext, seed: DirectorySeed): Doc[] {
  const { store, tenant } = ctx;
  for (const user of seed.users ?? []) {
    const doc = userDoc(ctx, user);
    addPrincipal(ctx, user.userPrincipalName, { id: doc.id, type: 'user' }, 'user');
    ctx.principals.set(doc.id.toLowerCase(), { id: doc.id, type: 'user' });
    store.put(tenant.id, COLLECTIONS.users, doc);
  }
  const groups = (seed.groups ?? []).map((group) => {
    const doc = groupDoc(ctx, group);
    addPrincipal(ctx, group.displayName, { id: doc.id, type: 'group' }, 'group');
    ctx.principals.set(doc.id.toLowerCase(), { id: doc.id, type: 'group' });
    store.put(tenant.id, COLLECTIONS.groups, doc);
    return doc;
  });
  return groups;
}

function seedMemberships(ctx: SeedContext, seed: DirectorySeed, groups: Doc[]): void {
  (seed.groups ?? []).forEach((group, i) => {
    const groupId = groups[i]!.id;
    for (const name of group.members ?? []) {
      const member = resolvePrincipal(ctx, name, `group '${group.displayName}'`);
      ctx.store.put(ctx.tenant.id, COLLECTIONS.groupMembers, {
        id: membershipDocId(groupId, member.id),
        groupId,
        memberId: member.id,
        memberType: member.type,
      });
    }
  });
}

function seedRoleAssignments(ctx: SeedContext, seed: DirectorySeed): void {
  for (const assignment of seed.roleAssignments ?? []) {
    const template = findRoleTemplate(assignment.role);
    if (!template) throw new Error(`seed: unknown directory role '${assignment.role}'`);
    const principal = resolvePrincipal(ctx, assignment.principal, `role assignment '${assignment.role}'`);
    const roleDefinitionId = builtInRoleDefinitionId(template.id);
    ctx.store.put(ctx.tenant.id, COLLECTIONS.roleAssignments, {
      id: stableGuid(`${ctx.tenant.id}:roleAssignment:${roleDefinitionId}:${principal.id}`),
      principalId: principal.id,
      roleDefinitionId,
      directoryScopeId: '/',
    });
  }
}

function servicePrincipalDoc(ctx: SeedContext, app: SeedApplication): Doc {
  const appId = app.appId ?? stableGuid(`${ctx.tenant.id}:app:${app.displayName}`);
  const firstParty = WELL_KNOWN_APP_IDS.has(appId);
  return {
    id: stableGuid(`${ctx.tenant.id}:sp:${appId}`),
    appId,
    displayName: app.displayName,
    servicePrincipalType: app.servicePrincipalType ?? 'Application',
    accountEnabled: true,
    appOwnerOrganizationId: firstParty ? MICROSOFT_TENANT_ID : ctx.tenant.id,
    tags: [...(app.tags ?? [])],
    servicePrincipalNames: [appId],
    _customSecurityAttributes: app.customSecurityAttributes ?? {},
    ...(app.redirectUris
      ? { _redirectUris: app.redirectUris.map((uri) => uri.replaceAll('{tenantId}', ctx.tenant.id)) }
      : {}),
    ...(app.publicClient ? { _publicClient: true } : {}),
  };
}

function seedApplications(ctx: SeedContext, seed: DirectorySeed): Map<string, string> {
  const appIds = new Map<string, string>();
  const applications = seed.applications ?? [];
  // Every tenant has the sample client app, so sign-in can be tried against any seed.
  const withDemoApp = applications.some((a) => a.appId?.toLowerCase() === DEMO_APP_ID)
    ? applications
    : [...applications, demoAppApplication()];
  for (const app of withDemoApp) {
    const doc = servicePrincipalDoc(ctx, app);
    ctx.store.put(ctx.tenant.id, COLLECTIONS.servicePrincipals, doc);
    appIds.set(String(doc.appId).toLowerCase(), String(doc.appId));
    appIds.set(app.displayName.toLowerCase(), String(doc.appId));
  }
  for (const reg of seed.appRegistrations ?? []) {
    const appId = reg.clientId ?? stableGuid(`${ctx.tenant.id}:app:${reg.displayName}`);
    appIds.set(appId.toLowerCase(), appId);
    appIds.set(reg.displayName.toLowerCase(), appId);
  }
  return appIds;
}

function seedExternalTenants(ctx: SeedContext, seed: DirectorySeed): void {
  for (const external of seed.externalTenants ?? []) {
    ctx.store.put(ctx.tenant.id, EXTERNAL_TENANTS, {
      id: external.tenantId,
      tenantId: external.tenantId,
      displayName: external.displayName,
      domain: external.domain.toLowerCase(),
      isServiceProvider: external.isServiceProvider ?? false,
      ...(external.requiresMfa ? { _requiresMfa: true } : {}),
    });
  }
}

export function userFlowDoc(tenantId: string, flow: SeedUserFlow, appIds: string[]): Doc {
  const providerId = flow.localAccountMethod === 'emailOtp' ? 'EmailOtpSignup-OAUTH' : 'EmailPassword-OAUTH';
  const provider = BUILT_IN_IDENTITY_PROVIDERS.find((p) => p.id === providerId)!;
  return {
    '@odata.type': '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow',
    id: stableGuid(`${tenantId}:userFlow:${flow.displayName}`),
    displayName: flow.displayName,
    description: null,
    priority: 500,
    conditions: {
      applications: { includeApplications: appIds.map((appId) => ({ appId })) },
    },
    onAuthenticationMethodLoadStart: {
      '@odata.type': '#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp',
      identityProviders: [
        {
          id: provider.id,
          displayName: provider.displayName,
          identityProviderType: provider.identityProviderType,
        },
      ],
    },
    onInteractiveAuthFlowStart: {
      '@odata.type': '#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp',
      isSignUpAllowed: true,
    },
  };
}

function seedUserFlows(ctx: SeedContext, seed: DirectorySeed, appIds: Map<string, string>): void {
  for (const flow of seed.userFlows ?? []) {
    const resolved = (flow.applications ?? []).map((name) => {
      const appId = appIds.get(name.toLowerCase());
      if (!appId)
        throw new Error(`seed: user flow '${flow.displayName}' refers to unknown application '${name}'`);
      return appId;
    });
    ctx.store.put(ctx.tenant.id, COLLECTIONS.userFlows, userFlowDoc(ctx.tenant.id, flow, resolved));
  }
}

/**
 * Brings a tenant stored by an earlier accord up to what sign-in needs: the sample app, and passwords as scrypt
 * hashes instead of the plain `_password` older versions kept.
 */
export function upgradeForSignIn(store: Store, tenant: TenantInfo): void {
  const hasDemoApp = store
    .all(tenant.id, COLLECTIONS.servicePrincipals)
    .some((sp) => String(sp.appId).toLowerCase() === DEMO_APP_ID);
  const plain = store.all(tenant.id, COLLECTIONS.users).filter((u) => typeof u._password === 'string');
  if (hasDemoApp && plain.length === 0) return;
  const ctx: SeedContext = {
    store,
    tenant,
    createdDateTime: new Date().toISOString(),
    principals: new Map(),
  };
  store.transaction(() => {
    if (!hasDemoApp)
      store.put(tenant.id, COLLECTIONS.servicePrincipals, servicePrincipalDoc(ctx, demoAppApplication()));
    for (const user of plain) {
      const { _password: password, ...rest } = user;
      store.put(tenant.id, COLLECTIONS.users, { ...rest, _passwordHash: hashSeedPassword(String(password)) });
    }
  });
}

/** Writes the seed's users, groups, memberships, role assignments, service principals and user flows. */
export function seedDirectory(store: Store, tenant: TenantInfo, seed: DirectorySeed): void {
  const ctx: SeedContext = {
    store,
    tenant,
    createdDateTime: new Date().toISOString(),
    principals: new Map(),
  };
  store.transaction(() => {
    const groups = seedUsersAndGroups(ctx, seed);
    seedMemberships(ctx, seed, groups);
    seedRoleAssignments(ctx, seed);
    const appIds = seedApplications(ctx, seed);
    seedExternalTenants(ctx, seed);
    seedUserFlows(ctx, seed, appIds);
    saveSignInSettings(store, tenant.id, seed.signIn);
  });
}
