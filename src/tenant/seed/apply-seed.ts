/**
 * Turns a declarative seed into a hosted tenant: the tenant record, its app registrations (with generated
 * secrets and their service principals), the directory, the policy defaults every tenant has, and any policies the
 * seed declares. Runs in one transaction: a seed that fails validation leaves nothing behind.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppRegistration } from '../auth.ts';
import { COLLECTIONS } from '../collections.ts';
import type { TenantInfo } from '../graph-types.ts';
import { initializePolicyDefaults } from '../resources/policy-defaults.ts';
import { seedPolicies } from '../resources/seed-policies.ts';
import type { Doc, Store } from '../store.ts';
import type { TenantRegistry } from '../tenants.ts';
import { seedDirectory } from './directory-seed.ts';
import { stableGuid } from './guid.ts';
import type { DirectorySeed } from './seed-types.ts';

export function generateClientSecret(): string {
  // Entra secrets are 40 characters with a `~` and a few symbols; the shape does not matter to clients.
  return `${randomBytes(30).toString('base64url').slice(0, 36)}~acc`;
}

export function applySeed(store: Store, registry: TenantRegistry, seed: DirectorySeed): TenantInfo {
  const tenant: TenantInfo = {
    id: seed.tenant.id ?? randomUUID(),
    displayName: seed.tenant.displayName,
    domain: seed.tenant.domain,
    flavor: seed.tenant.flavor,
  };
  if (registry.find(tenant.id)) throw new Error(`tenant ${tenant.id} already exists`);
  store.transaction(() => {
    registry.save(tenant);
    for (const reg of seed.appRegistrations) {
      const appId = reg.clientId ?? stableGuid(`${tenant.id}:app:${reg.displayName}`);
      const servicePrincipalId = stableGuid(`${tenant.id}:sp:${appId}`);
      const app: AppRegistration = {
        id: stableGuid(`${tenant.id}:application:${appId}`),
        appId,
        displayName: reg.displayName,
        permissions: [...reg.permissions],
        _secrets: [reg.clientSecret ?? generateClientSecret()],
        _certificates: [],
        _federatedCredentials: [],
        servicePrincipalId,
      };
      registry.saveApp(tenant.id, app);
      const sp: Doc = {
        id: servicePrincipalId,
        appId,
        displayName: reg.displayName,
        servicePrincipalType: 'Application',
        accountEnabled: true,
        appOwnerOrganizationId: tenant.id,
        tags: [],
        servicePrincipalNames: [appId],
      };
      store.put(tenant.id, COLLECTIONS.servicePrincipals, sp);
    }
    seedDirectory(store, tenant, seed);
    initializePolicyDefaults(store, tenant);
    seedPolicies(store, tenant, seed);
  });
  return tenant;
}
