/**
 * Connects a command to its tenant: a tenant of accord.yaml through Microsoft Graph, or — with none configured —
 * the embedded local tenant whose state lives under `.accord/local-tenant` in the policy repository (reusing a
 * local tenant already serving that directory, e.g. `npm start`).
 */
import { resolve as resolvePath } from 'node:path';
import type { GraphPort } from '../core/graph-port.ts';
import { GraphClient, type AccessTokenProvider } from '../graph/graph-client.ts';
import type { Logger } from '../log/log-port.ts';
import { demoDirectory } from '../tenant/seed/demo.ts';
import { readServerRecord } from '../tenant/server-record.ts';
import { startLocalTenant, type TenantSummary } from '../tenant/server.ts';
import { localClientCredential } from './local-credential.ts';

export interface TenantConnection {
  /** The tenant's name in accord.yaml, or `local`. */
  name: string;
  tenantId: string;
  port: GraphPort;
  client: GraphClient;
  /** Where accord records what it owns in this tenant. */
  inventoryPath: string;
  close(): Promise<void>;
}

export interface RemoteTenantSettings {
  name: string;
  tenantId: string;
  graphUrl: string;
  credential: AccessTokenProvider;
  conditionalAccessPerSecond?: number;
}

export const LOCAL_TENANT_NAME = 'local';

/**
 * The local tenant's app accord signs in as: `accord-writer`, or with `ACCORD_LOCAL_IDENTITY=reader` the read-only
 * `accord-reader` (to see what a least-privilege identity can do: plan and drift work, apply is refused up front).
 */
function writerOf(summary: TenantSummary): { clientId: string; clientSecret: string } {
  const app = process.env.ACCORD_LOCAL_IDENTITY === 'reader' ? 'accord-reader' : 'accord-writer';
  const writer = summary.apps.find((a) => a.displayName === app) ?? summary.apps[0];
  if (!writer) throw new Error('the local tenant has no app registration to sign in with');
  return writer;
}

export interface ConnectionPaths {
  /** The embedded local tenant's state. */
  dataDir: string;
  /** The ownership inventory file. */
  inventoryPath: string;
}

/** Local tenants this process serves itself (`accord start`), by data directory: never open a database twice. */
const inProcess = new Map<string, { graphUrl: string; summary: () => TenantSummary }>();

export function registerInProcessTenant(
  dataDir: string,
  tenant: { graphUrl: string; tenants(): TenantSummary[] },
): void {
  inProcess.set(resolvePath(dataDir), { graphUrl: tenant.graphUrl, summary: () => tenant.tenants()[0]! });
}

function findRunning(
  dataDir: string,
): { graphUrl: string; tenants: TenantSummary[]; origin: string; pid: number } | undefined {
  const own = inProcess.get(resolvePath(dataDir));
  if (own)
    return { graphUrl: own.graphUrl, tenants: [own.summary()], origin: own.graphUrl, pid: process.pid };
  return readServerRecord(dataDir);
}

export async function connectLocalTenant(paths: ConnectionPaths, logger: Logger): Promise<TenantConnection> {
  const { dataDir } = paths;
  const running = findRunning(dataDir);
  let close = async (): Promise<void> => undefined;
  let graphUrl: string;
  let summary: TenantSummary;
  if (running) {
    logger.debug('using the local tenant already serving this repository', {
      origin: running.origin,
      pid: running.pid,
    });
    graphUrl = running.graphUrl;
    summary = running.tenants[0]!;
  } else {
    const tenant = await startLocalTenant({ dataDir, seeds: [demoDirectory({ flavor: 'workforce' })] });
    graphUrl = tenant.graphUrl;
    summary = tenant.tenants()[0]!;
    close = () => tenant.close();
  }
  const writer = writerOf(summary);
  const client = new GraphClient({
    baseUrl: graphUrl,
    credential: localClientCredential(summary.tokenEndpoint, writer.clientId, writer.clientSecret),
    logger,
    // The embedded tenant enforces no rate limits; pacing to Graph's 1 request/s would only slow it down.
    conditionalAccessPerSecond: 1000,
    conditionalAccessBurst: 1000,
  });
  return {
    name: LOCAL_TENANT_NAME,
    tenantId: summary.id,
    port: client,
    client,
    inventoryPath: paths.inventoryPath,
    close,
  };
}

export function connectRemoteTenant(
  paths: ConnectionPaths,
  settings: RemoteTenantSettings,
  logger: Logger,
): TenantConnection {
  const client = new GraphClient({
    baseUrl: settings.graphUrl,
    credential: settings.credential,
    logger,
    ...(settings.conditionalAccessPerSecond
      ? { conditionalAccessPerSecond: settings.conditionalAccessPerSecond }
      : {}),
  });
  return {
    name: settings.name,
    tenantId: settings.tenantId,
    port: client,
    client,
    inventoryPath: paths.inventoryPath,
    close: async () => undefined,
  };
}
