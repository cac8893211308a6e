/**
 * Test harness for the controller: a real kube-apiserver + etcd (api-server.ts) with accord's CRDs applied, a real
 * local tenant over HTTPS (its CA trusted by this process; the controller trusts it through the Tenant's caBundle),
 * a namespace with a Secret and a Tenant pointing at it, and the controller either in this process or as
 * `accord controller` child processes. Every Graph write the local tenant receives is counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { Controller } from '../../src/controller/controller.ts';
import { ControllerMetrics } from '../../src/controller/metrics.ts';
import { DEFAULT_LEASE_TIMING, type LeaseTiming } from '../../src/controller/shard-leases.ts';
import { silentLogger, type Logger } from '../../src/log/log-port.ts';
import { createLogger } from '../../src/log/logger.ts';
import { demoDirectory } from '../../src/tenant/seed/demo.ts';
import { startLocalTenant, type LocalTenant, type TenantSummary } from '../../src/tenant/server.ts';
import { requestToken } from '../helpers/local-tenant.ts';
import { REPO_ROOT, startApiServer, type ApiServer, type StartOptions } from './api-server.ts';

export interface GraphWrite {
  method: string;
  path: string;
  status: number;
}

export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
    resourceVersion?: string;
  };
  spec: Record<string, unknown>;
  status?: {
    conditions?: {
      type: string;
      status: string;
      reason: string;
      message: string;
      observedGeneration?: number;
    }[];
    id?: string;
    observedGeneration?: number;
    inventory?: Record<string, Record<string, string>>;
  };
}

export interface ControllerEnv {
  server: ApiServer;
  tenant: LocalTenant;
  summary: TenantSummary;
  writes: GraphWrite[];
  /** Graph as the writer app (this process trusts the tenant's CA). */
  graph(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  kube<T = Resource>(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<{ status: number; body: T; text: string }>;
  /** A namespace with the writer's Secret and a Tenant `name` (spec merged with `spec`). */
  createTenantNamespace(namespace: string, spec?: Record<string, unknown>, name?: string): Promise<void>;
  tenantSpec(extra?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

export const API = '/apis/accord.dev/v1alpha1';

export function resourcePath(plural: string, namespace: string, name?: string): string {
  return `${API}/namespaces/${namespace}/${plural}${name ? `/${name}` : ''}`;
}

export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`);
}

export function condition(
  resource: Resource | undefined,
  type: string,
): { status: string; reason: string; message: string } | undefined {
  return resource?.status?.conditions?.find((c) => c.type === type);
}

export async function applyCrds(server: ApiServer): Promise<void> {
  const dir = join(REPO_ROOT, 'crds');
  const names: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const name = (parse(text) as { metadata: { name: string } }).metadata.name;
    names.push(name);
    const res = await server.request(
      'PATCH',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}?fieldManager=accord-test&force=true`,
      text,
      {
        contentType: 'application/apply-patch+yaml',
      },
    );
    if (res.status >= 300) throw new Error(`${file}: ${res.status} ${res.text}`);
  }
  for (const name of names) {
    await eventually(async () => {
      const res = await server.request<{ status?: { conditions?: { type: string; status: string }[] } }>(
        'GET',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
      );
      return res.body.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    }, `${name} Established`);
  }
  await eventually(async () => (await server.request('GET', API)).status === 200, 'discovery of accord.dev');
}

export interface EnvOptions {
  apiServer?: StartOptions;
  /** Local tenants beyond the first (for the benchmark). */
  extraTenants?: number;
}

export async function startControllerEnv(options: EnvOptions = {}): Promise<ControllerEnv> {
  const writes: GraphWrite[] = [];
  const tenant = await startLocalTenant({
    seeds: [demoDirectory({ flavor: 'workforce' })],
    https: true,
    // Writes to the tenant: not token requests, not the control API, and not `$batch`, which accord uses for reads
    // only (its writes go one request at a time, paced as Graph's Conditional Access limits demand).
    onRequest: (entry) => {
      if (
        entry.method !== 'GET' &&
        !entry.path.includes('/oauth2/') &&
        !entry.path.startsWith('/_accord') &&
        !entry.path.endsWith('/$batch')
      )
        writes.push({ method: entry.method, path: entry.path, status: entry.status });
    },
  });
  const previousCas = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...previousCas, tenant.caCertificate!]);
  const summary = tenant.tenants()[0]!;
  const server = await startApiServer(options.apiServer);
  await applyCrds(server);
  const writer = summary.apps.find((a) => a.displayName === 'accord-writer')!;
  let token: string | undefined;
  const kube: ControllerEnv['kube'] = async (method, path, body, contentType) => {
    const res = await server.request(method, path, body, contentType ? { contentType } : {});
    return { status: res.status, body: res.body as never, text: res.text };
  };
  const tenantSpec = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    tenantId: summary.id,
    graphEndpoint: tenant.origin,
    authorityHost: tenant.origin,
    credentials: { secretRef: { name: 'accord-writer' } },
    caBundle: tenant.caCertificate,
    breakGlass: { groups: ['Emergency access accounts'] },
    rateLimit: { conditionalAccessPerSecond: 50 },
    ...extra,
  });
  return {
    server,
    tenant,
    summary,
    writes,
    kube,
    tenantSpec,
    async graph(method, path, body) {
      token ??= await requestToken(summary, 'writer');
      const response = await fetch(`${tenant.graphUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async createTenantNamespace(namespace, spec = {}, name = 'contoso') {
      await kube('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
      await kube('POST', `/api/v1/namespaces/${namespace}/secrets`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'accord-writer' },
        stringData: { clientId: writer.clientId, clientSecret: writer.clientSecret },
      });
      const created = await kube('POST', resourcePath('tenants', namespace), {
        apiVersion: 'accord.dev/v1alpha1',
        kind: 'Tenant',
        metadata: { name },
        spec: tenantSpec(spec),
      });
      if (created.status !== 201) throw new Error(`Tenant: ${created.status} ${created.text}`);
    },
    async close() {
      await server.stop();
      await tenant.close();
      tls.setDefaultCACertificates(previousCas);
    },
  };
}

export interface InProcessController {
  controller: Controller;
  metrics: ControllerMetrics;
  stop(): Promise<void>;
}

export async function startInProcessController(
  env: Pick<ControllerEnv, 'server'>,
  options: {
    identity?: string;
    shards?: number;
    workers?: number;
    resyncPeriodMs?: number;
    timing?: LeaseTiming;
    verbose?: boolean;
    /** Receives the controller's log (instead of dropping it). */
    logger?: Logger;
  } = {},
): Promise<InProcessController> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(env.server.kubeconfigPath);
  const metrics = new ControllerMetrics();
  const controller = new Controller({
    kubeConfig,
    identity: options.identity ?? 'in-process',
    leaderElect: true,
    leaseNamespace: 'default',
    timing: options.timing ?? DEFAULT_LEASE_TIMING,
    shards: options.shards ?? 1,
    workers: options.workers ?? 4,
    resyncPeriodMs: options.resyncPeriodMs ?? 5 * 60_000,
    logger:
      options.logger ??
      (options.verbose || process.env.ACCORD_TEST_VERBOSE ? createLogger({ level: 'debug' }) : silentLogger),
    metrics,
    relistMs: 60_000,
    watchdogMs: 45_000,
    shutdownGraceMs: 10_000,
  });
  await controller.start();
  return { controller, metrics, stop: () => controller.stop() };
}

export interface ChildController {
  child: ChildProcess;
  identity: string;
  logPath: string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `accord controller` as a child process (its own trust store: the Tenant's caBundle is all it has). */
export function spawnController(
  kubeconfigPath: string,
  identity: string,
  logDir: string,
  args: string[] = [],
): ChildController {
  const logPath = join(logDir, `controller-${identity}.log`);
  const fd = openSync(logPath, 'a');
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      join(REPO_ROOT, 'bin/accord.js'),
      'controller',
      '--kubeconfig',
      kubeconfigPath,
      '--identity',
      identity,
      '--leader-election-namespace',
      'default',
      '--metrics-bind-address',
      '0',
      '--health-probe-bind-address',
      '0',
      '--log-level',
      'debug',
      ...args,
    ],
    { stdio: ['ignore', fd, fd], env: { ...process.env, NODE_EXTRA_CA_CERTS: '' } },
  );
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    identity,
    logPath,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A ConditionalAccessPolicy resource. */
export function caPolicy(
  name: string,
  displayName: string,
  extra: Record<string, unknown> = {},
  metadata: Partial<Resource['metadata']> = {},
): Resource {
  return {
    apiVersion: 'accord.dev/v1alpha1',
    kind: 'ConditionalAccessPolicy',
    metadata: { name, ...metadata },
    spec: {
      displayName,
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        users: { includeUsers: ['All'], excludeGroups: ['Emergency access accounts'] },
        applications: { includeApplications: ['All'] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      ...extra,
    },
  };
}
