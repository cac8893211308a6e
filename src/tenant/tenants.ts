/** The tenants one local tenant server hosts, and their app registrations. */
import { COLLECTIONS, SERVER_TENANT_KEY } from './collections.ts';
import type { AppRegistration } from './auth.ts';
import type { TenantInfo } from './graph-types.ts';
import type { Doc, Store } from './store.ts';

export class TenantRegistry {
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  list(): TenantInfo[] {
    return this.store.all(SERVER_TENANT_KEY, COLLECTIONS.tenants) as unknown as TenantInfo[];
  }

  /** By tenant id or by domain (`contoso.onmicrosoft.com`), as the token endpoint accepts either. */
  find(idOrDomain: string): TenantInfo | undefined {
    const byId = this.store.get(SERVER_TENANT_KEY, COLLECTIONS.tenants, idOrDomain) as unknown as
      TenantInfo | undefined;
    if (byId) return byId;
    const lower = idOrDomain.toLowerCase();
    return this.list().find((t) => t.domain.toLowerCase() === lower);
  }

  save(info: TenantInfo): void {
    this.store.put(SERVER_TENANT_KEY, COLLECTIONS.tenants, { ...info } as unknown as Doc);
  }

  apps(tenantId: string): AppRegistration[] {
    return this.store.all(tenantId, COLLECTIONS.appRegistrations) as unknown as AppRegistration[];
  }

  findApp(tenantId: string, clientId: string): AppRegistration | undefined {
    const lower = clientId.toLowerCase();
    return this.apps(tenantId).find((a) => a.appId.toLowerCase() === lower);
  }

  saveApp(tenantId: string, app: AppRegistration): void {
    this.store.put(tenantId, COLLECTIONS.appRegistrations, app as unknown as Doc);
  }
}
