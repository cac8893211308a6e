/** The vocabulary shared by the local tenant's server, router and resource modules. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Store } from './store.ts';

export type Flavor = 'workforce' | 'external';

/** A tenant hosted by the local tenant server. */
export interface TenantInfo {
  id: string;
  displayName: string;
  domain: string;
  flavor: Flavor;
}

/** The calling application, from its access token. */
export interface CallerApp {
  clientId: string;
  servicePrincipalId: string | undefined;
  permissions: readonly string[];
}

export interface GraphRequest {
  method: string;
  /** The path below the version segment, e.g. `/identity/conditionalAccess/policies`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface GraphContext {
  request: GraphRequest;
  params: Record<string, string>;
  tenant: TenantInfo;
  store: Store;
  caller: CallerApp;
  version: 'v1.0' | 'beta';
  /** e.g. `https://127.0.0.1:8443` — no trailing slash. */
  origin: string;
  requestId: string;
  /** Runs another Graph request in the same tenant and identity (used by $batch). */
  dispatch: (request: GraphRequest) => Promise<GraphResult>;
}

export interface GraphResult {
  status: number;
  body?: unknown;
  /** Pre-serialized JSON body (cached responses), with its bytes and, made on first use, their gzip. */
  rawJson?: string;
  encoded?: { bytes: Buffer; gzip?: Buffer };
  /** A text/plain body ($count). */
  text?: string;
  headers?: Record<string, string>;
}

/**
 * Which application permissions allow a route: any one of the alternatives, each a set of permissions that must
 * all be held. Broader permissions are expanded by `permissions.ts`.
 */
export type PermissionRule = readonly (readonly string[])[];

/** The Graph throttling family a route counts against (graph-contract §7.4). */
export type ThrottleFamily = 'conditionalAccess' | 'directory' | 'invitations' | 'userFlows' | 'none';

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path template below the version, `{name}` for a segment parameter; matched case-insensitively. */
  path: string;
  permissions: PermissionRule;
  throttle: ThrottleFamily;
  /** Beta only (graph-contract §9.3 shapes, preview endpoints). */
  betaOnly?: boolean;
  handler: (ctx: GraphContext) => GraphResult | Promise<GraphResult>;
}
