/**
 * The local tenant's state as the What-If engine's input: policies, named locations, authentication strengths and
 * a directory view answered from the store (transitive groups, active built-in roles, guest classification,
 * service principals and their custom security attributes).
 */
import { COLLECTIONS } from '../collections.ts';
import { EXTERNAL_TENANTS, findUser, membershipIndex } from '../directory/directory-store.ts';
import { classifyUser, type ExternalTenantInfo, homeTenantOf } from '../directory/guest-classification.ts';
import { transitiveGroupsOf } from '../directory/membership.ts';
import { rolesOfPrincipal } from '../directory/roles-data.ts';
import type { TenantInfo } from '../graph-types.ts';
import { listStrengths } from '../policies/auth-strengths.ts';
import type { Doc, Store } from '../store.ts';
import { defaultApplicationCatalogue } from '../../whatif/well-known-apps.ts';
import type {
  CustomSecurityAttributes,
  DirectoryView,
  ServicePrincipalView,
  UserView,
  WhatIfTenant,
} from '../../whatif/types.ts';

function externalTenantsOf(store: Store, tenantId: string): ExternalTenantInfo[] {
  return store.all(tenantId, EXTERNAL_TENANTS).map((doc) => ({
    tenantId: String(doc.tenantId ?? doc.id),
    domain: String(doc.domain ?? ''),
    isServiceProvider: doc.isServiceProvider === true,
  }));
}

function toUserView(store: Store, tenant: TenantInfo, user: Doc): UserView {
  const classification = classifyUser(user, tenant.domain, externalTenantsOf(store, tenant.id));
  return {
    id: user.id,
    userType: String(user.userType).toLowerCase() === 'guest' ? 'Guest' : 'Member',
    transitiveGroupIds: transitiveGroupsOf(membershipIndex(store, tenant.id), user.id),
    activeRoleTemplateIds: rolesOfPrincipal(store, tenant.id, user.id),
    externalUserType: classification === 'member' ? undefined : classification,
    homeTenantId: homeTenantOf(user),
  };
}

function isRecordOfRecords(value: unknown): value is CustomSecurityAttributes {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toServicePrincipalView(tenant: TenantInfo, sp: Doc): ServicePrincipalView {
  const attributes = sp._customSecurityAttributes;
  return {
    id: sp.id,
    appId: String(sp.appId),
    // A managed identity or someone else's multi-tenant app is never a workload identity of this tenant (§2.4).
    isSingleTenant:
      String(sp.appOwnerOrganizationId).toLowerCase() === tenant.id.toLowerCase() &&
      sp.servicePrincipalType === 'Application',
    customSecurityAttributes: isRecordOfRecords(attributes) ? attributes : {},
  };
}

function findServicePrincipalDoc(store: Store, tenantId: string, idOrAppId: string): Doc | undefined {
  const byId = store.get(tenantId, COLLECTIONS.servicePrincipals, idOrAppId);
  if (byId) return byId;
  const key = idOrAppId.toLowerCase();
  return store
    .all(tenantId, COLLECTIONS.servicePrincipals)
    .find((sp) => String(sp.appId).toLowerCase() === key);
}

export function createStoreDirectoryView(store: Store, tenant: TenantInfo): DirectoryView {
  return {
    findUser: (id) => {
      const user = findUser(store, tenant.id, id);
      return user ? toUserView(store, tenant, user) : undefined;
    },
    findServicePrincipal: (idOrAppId) => {
      const sp = findServicePrincipalDoc(store, tenant.id, idOrAppId);
      return sp ? toServicePrincipalView(tenant, sp) : undefined;
    },
  };
}

export function buildWhatIfTenant(store: Store, tenant: TenantInfo): WhatIfTenant {
  return {
    tenantId: tenant.id,
    policies: store.all(tenant.id, COLLECTIONS.caPolicies),
    namedLocations: store.all(tenant.id, COLLECTIONS.namedLocations),
    authenticationStrengths: listStrengths(store, tenant).map((s) => ({
      id: s.id,
      displayName: String(s.displayName),
      allowedCombinations: Array.isArray(s.allowedCombinations) ? s.allowedCombinations.map(String) : [],
    })),
    directory: createStoreDirectoryView(store, tenant),
    applications: defaultApplicationCatalogue(),
  };
}
