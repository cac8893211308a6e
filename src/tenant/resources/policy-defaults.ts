/**
 * The policy objects every new tenant has: the authentication methods policy and its method configurations
 * (graph-contract §4), the three built-in authentication strengths (§5), and the cross-tenant access policy with
 * its service-default configuration. External ID tenants have email one-time passcodes enabled for customers.
 */
import { COLLECTIONS } from '../collections.ts';
import type { TenantInfo } from '../graph-types.ts';
import { defaultAuthenticationMethodsPolicy } from '../policies/auth-methods/policy.ts';
import { serviceDefaultConfiguration } from '../policies/cross-tenant/settings.ts';
import {
  BUILT_IN_AUTHENTICATION_STRENGTHS,
  defaultAuthenticationMethodConfigurations,
} from '../seed/well-known.ts';
import type { Doc, Store } from '../store.ts';

export const CROSS_TENANT_POLICY_ID = 'crossTenantAccessPolicy';
export const CROSS_TENANT_DEFAULT_ID = 'default';

export function defaultCrossTenantPolicy(): Doc {
  return { id: CROSS_TENANT_POLICY_ID, displayName: 'CrossTenantAccessPolicy', allowedCloudEndpoints: [] };
}

function methodConfigurations(tenant: TenantInfo): Doc[] {
  return defaultAuthenticationMethodConfigurations().map((config) => {
    const doc = config as Doc;
    if (tenant.flavor === 'external' && doc.id === 'Email')
      return { ...doc, allowExternalIdToUseEmailOtp: 'enabled' };
    return doc;
  });
}

export function initializePolicyDefaults(store: Store, tenant: TenantInfo): void {
  const now = new Date().toISOString();
  store.transaction(() => {
    store.put(tenant.id, COLLECTIONS.authMethodsPolicy, defaultAuthenticationMethodsPolicy(now) as Doc);
    for (const config of methodConfigurations(tenant))
      store.put(tenant.id, COLLECTIONS.authMethodConfigs, config);
    for (const strength of BUILT_IN_AUTHENTICATION_STRENGTHS) {
      store.put(tenant.id, COLLECTIONS.authStrengths, {
        ...strength,
        allowedCombinations: [...strength.allowedCombinations],
      });
    }
    store.put(tenant.id, COLLECTIONS.crossTenantPolicy, defaultCrossTenantPolicy());
    store.put(tenant.id, COLLECTIONS.crossTenantPolicy, serviceDefaultConfiguration() as Doc);
  });
}
