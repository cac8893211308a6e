/**
 * Starts the local tenant: a Graph-compatible server (HTTP on loopback, or HTTPS with a generated certificate)
 * hosting one or more tenants, persisted in SQLite.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { IdentityPlatform } from './auth.ts';
import { createControl } from './control.ts';
import { GraphError } from './errors.ts';
import { FaultInjector, type FaultConfig } from './faults.ts';
import type { TenantInfo } from './graph-types.ts';
import { TenantHost } from './host.ts';
import { createIdentityEndpoints } from './identity-endpoints.ts';
import { startDemoAppServer, type DemoAppServer } from './signin/demo-app-server.ts';
import type { SignInDeps } from './signin/deps.ts';
import { createSignInEndpoints } from './signin/endpoints.ts';
import { SignInState } from './signin/flow-state.ts';
import { ALL_ROUTES } from './resources/index.ts';
import { applySeed } from './seed/apply-seed.ts';
import { upgradeForSignIn } from './seed/directory-seed.ts';
import { resolveSeedRequest } from './seed/seed-request.ts';
import type { DirectorySeed } from './seed/seed-types.ts';
import { Store } from './store.ts';
import { TenantRegistry } from './tenants.ts';
import { Throttle } from './throttle.ts';
import { loadOrCreateCertificate } from './tls.ts';

export interface LocalTenantOptions {
  port?: number;
  host?: string;
  /** Where the database (and the HTTPS certificate) live; undefined keeps everything in memory. */
  dataDir?: string;
  https?: boolean;
  /** Tenants to create when the store holds none. */
  seeds: DirectorySeed[];
  rateLimits?: boolean;
  faults?: FaultConfig;
  /** Fixed admin key for the control API (random by default). */
  adminKey?: string;
  /** Receives a line for each one-time passcode a sign-in sends (also shown in the outbox page). */
  onSignInMail?: (line: string) => void;
  onRequest?: (entry: {
    method: string;
    path: string;
    status: number;
    ms: number;
    requestId: string;
  }) => void;
}

export interface AppCredentials {
  displayName: string;
  clientId: string;
  clientSecret: string;
  permissions: string[];
}

export interface TenantSummary extends TenantInfo {
  tokenEndpoint: string;
  authorityHost: string;
  apps: AppCredentials[];
}

export interface LocalTenant {
  origin: string;
  graphUrl: string;
  adminKey: string;
  /** PEM of the HTTPS certificate (trust it to talk to the local tenant over HTTPS). */
  caCertificate: string | undefined;
  caCertificatePath: string | undefined;
  store: Store;
  faults: FaultInjector;
  throttle: Throttle;
  registry: TenantRegistry;
  tenants(): TenantSummary[];
  addTenant(seed: DirectorySeed): TenantSummary;
  /** Serves the sample client app of a tenant (the first by default) on its own port (docs/sign-in.md). */
  startDemoApp(options?: { tenantId?: string; port?: number; host?: string }): Promise<DemoAppServer>;
  close(): Promise<void>;
}

/** Set once every stored tenant has what interactive sign-in needs (state from an earlier accord is upgraded). */
const SIGN_IN_READY = 'signInReady';

export async function startLocalTenant(options: LocalTenantOptions): Promise<LocalTenant> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const store = new Store({ path: options.dataDir ? join(options.dataDir, 'tenant.db') : ':memory:' });
  const registry = new TenantRegistry(store);
  const identity = new IdentityPlatform(store);
  await identity.init();
  if (registry.list().length === 0) for (const seed of options.seeds) applySeed(store, registry, seed);
  if (store.getMeta(SIGN_IN_READY) !== '1') {
    for (const tenant of registry.list()) upgradeForSignIn(store, tenant);
    store.setMeta(SIGN_IN_READY, '1');
  }

  const faults = new FaultInjector();
  if (options.faults) faults.configure(options.faults);
  const throttle = new Throttle({ enabled: options.rateLimits ?? false });
  const adminKey = options.adminKey ?? randomBytes(24).toString('base64url');
  let origin = '';

  const summarize = (tenant: TenantInfo): TenantSummary => ({
    ...tenant,
    tokenEndpoint: `${origin}/${tenant.id}/oauth2/v2.0/token`,
    authorityHost: origin,
    apps: registry.apps(tenant.id).map((app) => ({
      displayName: app.displayName,
      clientId: app.appId,
      clientSecret: app._secrets[0] ?? '',
      permissions: [...app.permissions],
    })),
  });

  const signInDeps: SignInDeps = {
    store,
    tenants: registry,
    identity,
    state: new SignInState(),
    ...(options.onSignInMail ? { log: options.onSignInMail } : {}),
  };
  const demoApps: DemoAppServer[] = [];

  const host = new TenantHost({
    store,
    tenants: registry,
    identity,
    routes: ALL_ROUTES,
    faults,
    throttle,
    identityEndpoints: createIdentityEndpoints(registry, identity, createSignInEndpoints(signInDeps)),
    control: createControl({
      adminKey,
      store,
      faults,
      throttle,
      addTenant: async (body) => {
        const seed = resolveSeedRequest(body);
        if (seed.tenant.id && registry.find(seed.tenant.id)) {
          throw new GraphError(409, 'Conflict', `Tenant ${seed.tenant.id} is already hosted here.`);
        }
        // The token endpoint accepts a domain instead of the id: two tenants must not share one.
        if (typeof seed.tenant.domain === 'string' && registry.find(seed.tenant.domain)) {
          throw new GraphError(
            409,
            'Conflict',
            `The domain ${seed.tenant.domain} belongs to a hosted tenant.`,
          );
        }
        try {
          return summarize(applySeed(store, registry, seed));
        } catch (err) {
          throw new GraphError(400, 'BadRequest', `The seed was not applied: ${(err as Error).message}`);
        }
      },
      describeTenants: () => registry.list().map(summarize),
    }),
    onRequest: options.onRequest,
  });

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void host.handle(req, res, origin);
  };
  let server: Server;
  let caCertificate: string | undefined;
  let caCertificatePath: string | undefined;
  if (options.https) {
    const tls = await loadOrCreateCertificate(options.dataDir);
    caCertificate = tls.cert;
    caCertificatePath = tls.certPath;
    server = createHttpsServer({ key: tls.key, cert: tls.cert }, listener);
  } else {
    server = createHttpServer(listener);
  }
  server.keepAliveTimeout = 30_000;
  const hostName = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, hostName, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const displayHost = hostName === '127.0.0.1' && options.https ? 'localhost' : hostName;
  origin = `${options.https ? 'https' : 'http'}://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${address.port}`;

  return {
    origin,
    graphUrl: `${origin}/v1.0`,
    adminKey,
    caCertificate,
    caCertificatePath,
    store,
    faults,
    throttle,
    registry,
    tenants: () => registry.list().map(summarize),
    addTenant: (seed) => summarize(applySeed(store, registry, seed)),
    startDemoApp: async (demo = {}) => {
      const tenant = demo.tenantId ? registry.find(demo.tenantId) : registry.list()[0];
      if (!tenant) throw new Error(`no hosted tenant ${demo.tenantId ?? ''} to serve the demo app for`);
      const app = await startDemoAppServer({
        deps: signInDeps,
        tenant,
        authority: origin,
        port: demo.port,
        host: demo.host,
      });
      demoApps.push(app);
      return app;
    },
    close: async () => {
      await Promise.all(demoApps.map((app) => app.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}
