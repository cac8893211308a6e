/**
 * Shared set-up of the controller benchmarks: a real kube-apiserver + etcd with the CRDs, a local tenant over HTTPS
 * hosting many tenants in one process, a namespace per group of Tenants (each with the Secret of the writer app),
 * `accord controller` replicas as child processes with their metrics scraped, and their RSS read from /proc.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import tls from 'node:tls';
import { demoDirectory } from '../../src/tenant/seed/demo.ts';
import type { DirectorySeed } from '../../src/tenant/seed/seed-types.ts';
import { startLocalTenant, type LocalTenant, type TenantSummary } from '../../src/tenant/server.ts';
import { startApiServer, type ApiServer } from '../../test/k8s/api-server.ts';
import { applyCrds, spawnController, type ChildController } from '../../test/k8s/controller-harness.ts';

export const API = '/apis/accord.dev/v1alpha1';

export interface BenchEnv {
  server: ApiServer;
  local: LocalTenant;
  close(): Promise<void>;
}

export async function startBenchEnv(seeds: DirectorySeed[]): Promise<BenchEnv> {
  const local = await startLocalTenant({ seeds: seeds.slice(0, 1), https: true });
  for (const seed of seeds.slice(1)) local.addTenant(seed);
  const previous = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...previous, local.caCertificate!]);
  const server = await startApiServer();
  await applyCrds(server);
  return {
    server,
    local,
    async close() {
      await server.stop();
      await local.close();
      tls.setDefaultCACertificates(previous);
    },
  };
}

/** The demo organisation under its own id and domain. */
export function demoTenant(index: number): DirectorySeed {
  const seed = demoDirectory({ flavor: 'workforce', domain: `bench${index}.example` });
  const id = index === 0 ? seed.tenant.id : randomUUID();
  return { ...seed, tenant: { ...seed.tenant, id, displayName: `Bench ${index}` } };
}

/** A small directory: the writer app, a break-glass account and its group, an administrator. */
export function smallTenant(
  index: number,
  writer: { clientId: string; clientSecret: string },
  permissions: string[],
): DirectorySeed {
  const domain = `small${index}.example`;
  return {
    tenant: { id: randomUUID(), displayName: `Small ${index}`, domain, flavor: 'workforce' },
    users: [
      {
        userPrincipalName: `breakglass1@${domain}`,
        displayName: 'Emergency access account 1',
        authenticationMethods: ['password', 'fido2'],
      },
      {
        userPrincipalName: `admin@${domain}`,
        displayName: 'Admin',
        authenticationMethods: ['password', 'microsoftAuthenticatorPush'],
      },
    ],
    groups: [{ displayName: 'Emergency access accounts', members: [`breakglass1@${domain}`] }],
    roleAssignments: [
      { role: 'Global Administrator', principal: `breakglass1@${domain}` },
      { role: 'Global Administrator', principal: `admin@${domain}` },
    ],
    applications: [],
    appRegistrations: [
      {
        displayName: 'accord-writer',
        clientId: writer.clientId,
        clientSecret: writer.clientSecret,
        permissions,
      },
    ],
    externalTenants: [],
    userFlows: [],
  };
}

export async function kube(
  server: ApiServer,
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<unknown> {
  const res = await server.request(method, path, body, contentType ? { contentType } : {});
  if (res.status >= 300 && res.status !== 409)
    throw new Error(`${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.body;
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

export function writerOf(summary: TenantSummary): {
  clientId: string;
  clientSecret: string;
  permissions: string[];
} {
  return summary.apps.find((a) => a.displayName === 'accord-writer')!;
}

export async function createNamespace(
  server: ApiServer,
  namespace: string,
  writer: { clientId: string; clientSecret: string },
): Promise<void> {
  await kube(server, 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  await kube(server, 'POST', `/api/v1/namespaces/${namespace}/secrets`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'accord-writer' },
    stringData: { clientId: writer.clientId, clientSecret: writer.clientSecret },
  });
}

export function tenantResource(
  local: LocalTenant,
  name: string,
  tenantId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'accord.dev/v1alpha1',
    kind: 'Tenant',
    metadata: { name },
    spec: {
      tenantId,
      graphEndpoint: local.origin,
      authorityHost: local.origin,
      credentials: { secretRef: { name: 'accord-writer' } },
      caBundle: local.caCertificate,
      breakGlass: { groups: ['Emergency access accounts'] },
      drift: { interval: '1h' },
      ...extra,
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Replica extends ChildController {
  metricsPort: number;
}

export async function startReplica(
  server: ApiServer,
  identity: string,
  logDir: string,
  args: string[],
): Promise<Replica> {
  const metricsPort = await freePort();
  const child = spawnController(server.kubeconfigPath, identity, logDir, [
    '--metrics-bind-address',
    `127.0.0.1:${metricsPort}`,
    ...args,
  ]);
  return { ...child, metricsPort };
}

/** Sum of a metric's samples (optionally only those whose labels contain `filter`). */
export async function scrape(replica: Replica, metric: string, filter = ''): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${replica.metricsPort}/metrics`)).text();
    return text
      .split('\n')
      .filter(
        (line) => (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)) && line.includes(filter),
      )
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the whole line (11 and 12 after the command), in clock ticks (100/s).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident set size and its peak, in MB, from /proc. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs: number,
  everyMs = 1_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
