/** What the sign-in endpoints work with. */
import type { IdentityPlatform } from '../auth.ts';
import type { TenantInfo } from '../graph-types.ts';
import type { Store } from '../store.ts';
import type { TenantRegistry } from '../tenants.ts';
import type { SignInState } from './flow-state.ts';

export interface SignInDeps {
  store: Store;
  tenants: TenantRegistry;
  identity: IdentityPlatform;
  state: SignInState;
  /** Receives a line for each one-time passcode sent (the server's log, like a mail relay's); none by default. */
  log?: (line: string) => void;
}

export interface TenantRequest {
  deps: SignInDeps;
  tenant: TenantInfo;
  /** `http://127.0.0.1:4040`, no trailing slash. */
  origin: string;
}

export function issuerOf(origin: string, tenantId: string): string {
  return `${origin}/${tenantId}/v2.0`;
}

export function signInPath(tenantId: string): string {
  return `/${tenantId}/_accord/signin`;
}

export function outboxPath(tenantId: string): string {
  return `/${tenantId}/_accord/outbox`;
}
