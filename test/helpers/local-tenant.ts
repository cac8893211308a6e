/**
 * Test harness: starts a real local tenant (HTTP on loopback, in-memory SQLite unless a data dir is given) with the
 * demo directory and talks to it over HTTP with real tokens from its token endpoint.
 */
import { demoDirectory } from '../../src/tenant/seed/demo.ts';
import {
  startLocalTenant,
  type LocalTenant,
  type LocalTenantOptions,
  type TenantSummary,
} from '../../src/tenant/server.ts';

export type AppName = 'reader' | 'writer';

export interface GraphReply {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or the text for non-JSON bodies, or undefined when empty. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests index freely into Graph bodies
}

export interface TestTenant {
  tenant: LocalTenant;
  summary: TenantSummary;
  tenantId: string;
  token(app?: AppName): Promise<string>;
  graph(method: string, path: string, body?: unknown, options?: GraphCallOptions): Promise<GraphReply>;
  control(method: string, path: string, body?: unknown): Promise<GraphReply>;
  close(): Promise<void>;
}

export interface GraphCallOptions {
  app?: AppName;
  headers?: Record<string, string>;
  version?: 'v1.0' | 'beta';
  /** Send this exact token (or none with ''). */
  token?: string;
}

export async function requestToken(summary: TenantSummary, app: AppName): Promise<string> {
  const registration = summary.apps.find((a) => a.displayName === `accord-${app}`);
  if (!registration) throw new Error(`the seed has no accord-${app} app`);
  const response = await fetch(summary.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: registration.clientId,
      client_secret: registration.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const json = (await response.json()) as { access_token?: string };
  if (!json.access_token) throw new Error(`no token: ${JSON.stringify(json)}`);
  return json.access_token;
}

async function toReply(response: Response): Promise<GraphReply> {
  const text = await response.text();
  let body: unknown = undefined;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, headers: response.headers, body };
}

export async function startTestTenant(options: Partial<LocalTenantOptions> = {}): Promise<TestTenant> {
  const tenant = await startLocalTenant({ seeds: [demoDirectory({ flavor: 'workforce' })], ...options });
  const summary = tenant.tenants()[0]!;
  const tokens = new Map<AppName, string>();
  const token = async (app: AppName = 'writer'): Promise<string> => {
    let t = tokens.get(app);
    if (!t) {
      t = await requestToken(summary, app);
      tokens.set(app, t);
    }
    return t;
  };
  return {
    tenant,
    summary,
    tenantId: summary.id,
    token,
    async graph(method, path, body, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const bearer = opts.token ?? (await token(opts.app ?? 'writer'));
      if (bearer !== '') headers.authorization = `Bearer ${bearer}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${tenant.origin}/${opts.version ?? 'v1.0'}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return toReply(response);
    },
    async control(method, path, body) {
      const response = await fetch(`${tenant.origin}/_accord${path}`, {
        method,
        headers: { 'x-accord-admin-key': tenant.adminKey, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return toReply(response);
    },
    close: () => tenant.close(),
  };
}
