/**
 * `accord controller`: runs the Kubernetes controller (src/controller/) until SIGTERM or SIGINT, then stops taking
 * work, lets in-flight reconciles finish, releases its leases and exits 0. The flags follow controller-runtime's
 * names so the Helm chart and operators' habits carry over.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Option } from 'commander';
import { KubeConfig } from '@kubernetes/client-node';
import { Controller } from '../../controller/controller.ts';
import { parseDuration } from '../../controller/duration.ts';
import {
  parseBindAddress,
  serveMetrics,
  serveProbes,
  type Endpoint,
} from '../../controller/http-endpoints.ts';
import { ControllerMetrics } from '../../controller/metrics.ts';
import { controllerConsole } from '../../controller/console-feed.ts';
import { UserError } from '../errors.ts';
import { makeLogger, type CommandRegistrar } from '../program.ts';
import { waitForSignal } from '../tenant-serve.ts';

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

interface ControllerCliOptions {
  kubeconfig?: string;
  namespace?: string;
  metricsBindAddress: string;
  healthProbeBindAddress: string;
  consoleBindAddress: string;
  consoleAllowActions: boolean;
  leaderElect: boolean;
  leaderElectionNamespace?: string;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  /** kube-controller-manager's names for the same three settings; they win when given. */
  leaderElectLeaseDuration?: string;
  leaderElectRenewDeadline?: string;
  leaderElectRetryPeriod?: string;
  shards: string;
  workers: string;
  resyncPeriod: string;
  identity?: string;
  logLevel: string;
  logFormat: string;
}

function loadKubeConfig(path: string | undefined, env: NodeJS.ProcessEnv): KubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    if (path) kubeConfig.loadFromFile(path);
    else if (env.KUBERNETES_SERVICE_HOST) kubeConfig.loadFromCluster();
    else kubeConfig.loadFromDefault();
  } catch (err) {
    throw new UserError(
      `cannot load the Kubernetes configuration${path ? ` from ${path}` : ''}: ${(err as Error).message}`,
    );
  }
  if (!kubeConfig.getCurrentCluster())
    throw new UserError(
      'no Kubernetes cluster configured: pass --kubeconfig, set KUBECONFIG, or run in a cluster',
    );
  return kubeConfig;
}

function leaseNamespace(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  if (existsSync(SERVICE_ACCOUNT_NAMESPACE)) return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim();
  return 'default';
}

function duration(flag: string, text: string): number {
  try {
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) throw new Error('must be positive');
    return ms;
  } catch (err) {
    throw new UserError(`${flag}: ${(err as Error).message}`);
  }
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new UserError(`${flag} must be a whole number of at least 1`);
  return value;
}

function bindAddress(flag: string, text: string): ReturnType<typeof parseBindAddress> {
  try {
    return parseBindAddress(text);
  } catch (err) {
    throw new UserError(`${flag}: ${(err as Error).message}`);
  }
}

export async function runController(
  opts: ControllerCliOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const logger = makeLogger(opts);
  const timing = {
    leaseDurationMs: opts.leaderElectLeaseDuration
      ? duration('--leader-elect-lease-duration', opts.leaderElectLeaseDuration)
      : duration('--lease-duration', opts.leaseDuration),
    renewDeadlineMs: opts.leaderElectRenewDeadline
      ? duration('--leader-elect-renew-deadline', opts.leaderElectRenewDeadline)
      : duration('--renew-deadline', opts.renewDeadline),
    retryPeriodMs: opts.leaderElectRetryPeriod
      ? duration('--leader-elect-retry-period', opts.leaderElectRetryPeriod)
      : duration('--retry-period', opts.retryPeriod),
  };
  if (timing.renewDeadlineMs >= timing.leaseDurationMs)
    throw new UserError('--renew-deadline must be shorter than --lease-duration');
  if (timing.retryPeriodMs >= timing.renewDeadlineMs)
    throw new UserError('--retry-period must be shorter than --renew-deadline');
  const metricsAddress = bindAddress('--metrics-bind-address', opts.metricsBindAddress);
  const probeAddress = bindAddress('--health-probe-bind-address', opts.healthProbeBindAddress);
  const consoleAddress = bindAddress('--console-bind-address', opts.consoleBindAddress);
  const web = consoleAddress
    ? controllerConsole({ ...consoleAddress, allowActions: opts.consoleAllowActions })
    : undefined;
  const metrics = new ControllerMetrics();
  const stop = waitForSignal();
  const controller = new Controller({
    kubeConfig: loadKubeConfig(opts.kubeconfig, env),
    namespace: opts.namespace || env.ACCORD_WATCH_NAMESPACE || undefined,
    identity: opts.identity || env.POD_NAME || hostname(),
    leaderElect: opts.leaderElect,
    leaseNamespace: leaseNamespace(opts.leaderElectionNamespace, env),
    timing,
    shards: positiveInteger('--shards', opts.shards),
    workers: positiveInteger('--workers', opts.workers),
    resyncPeriodMs: duration('--resync-period', opts.resyncPeriod),
    logger,
    metrics,
    ...(web ? { observer: web.feed } : {}),
  });
  const endpoints: Pick<Endpoint, 'close'>[] = [];
  if (metricsAddress) {
    const endpoint = await serveMetrics(metricsAddress, metrics.registry);
    endpoints.push(endpoint);
    logger.info('serving metrics', { address: `${metricsAddress.host ?? ''}:${endpoint.port}` });
  }
  if (probeAddress) {
    const endpoint = await serveProbes(probeAddress, {
      healthy: () => controller.healthy(),
      ready: () => controller.ready(),
    });
    endpoints.push(endpoint);
    logger.info('serving health probes', { address: `${probeAddress.host ?? ''}:${endpoint.port}` });
  }
  if (web) {
    const served = await web.serve(controller.observerView());
    endpoints.push({ close: served.close });
    const mode = opts.consoleAllowActions ? 'actions enabled' : 'read-only';
    logger.info(`console at ${served.url} (${mode})`);
    if (!['127.0.0.1', '::1', 'localhost'].includes(consoleAddress?.host ?? ''))
      logger.warn(
        'the console has no sign-in: keep it behind kubectl port-forward or an authenticating proxy',
      );
  }
  await controller.start();
  await stop;
  logger.info('shutting down: finishing in-flight reconciles, releasing leases');
  await controller.stop();
  await Promise.all(endpoints.map((e) => e.close()));
  return 0;
}

export const registerControllerCommand: CommandRegistrar = (program, setExitCode) => {
  program
    .command('controller')
    .description('Run the Kubernetes controller: reconcile accord custom resources into their Tenants.')
    .option(
      '--kubeconfig <path>',
      'kubeconfig file (default: in-cluster when KUBERNETES_SERVICE_HOST is set, else KUBECONFIG or ~/.kube/config)',
    )
    .option('--namespace <ns>', 'watch only this namespace (default: all; env ACCORD_WATCH_NAMESPACE)')
    .option('--metrics-bind-address <host:port>', 'where to serve /metrics (0 disables)', ':8080')
    .option(
      '--health-probe-bind-address <host:port>',
      'where to serve /healthz and /readyz (0 disables)',
      ':8081',
    )
    .option(
      '--console-bind-address <host:port>',
      'where to serve the web console: status, plan, drift history, What If (0 disables; :port listens on every interface)',
      '0',
    )
    .option(
      '--console-allow-actions',
      'offer "Reconcile now" in the console (without it the console is read-only)',
      false,
    )
    .option('--leader-elect', 'use Lease leader election (one writer per shard)', true)
    .option('--no-leader-elect', 'write without leader election (a single replica only)')
    .option(
      '--leader-election-namespace <ns>',
      'namespace of the Leases (default: POD_NAMESPACE, else the service account namespace, else default)',
    )
    .option('--lease-duration <duration>', 'how long a lease is held without renewal', '15s')
    .option('--renew-deadline <duration>', 'how long the holder retries renewing before giving up', '10s')
    .option('--retry-period <duration>', 'how often leases are renewed or tried', '2s')
    .addOption(new Option('--leader-elect-lease-duration <duration>', 'alias of --lease-duration').hideHelp())
    .addOption(new Option('--leader-elect-renew-deadline <duration>', 'alias of --renew-deadline').hideHelp())
    .addOption(new Option('--leader-elect-retry-period <duration>', 'alias of --retry-period').hideHelp())
    .option('--shards <n>', 'tenants are split into this many shards, one Lease each (accord-shard-<i>)', '1')
    .option('--workers <n>', 'tenants reconciled at once', '4')
    .option(
      '--resync-period <duration>',
      'how often every Tenant is compared with its tenant (unless it sets spec.drift.interval)',
      '5m',
    )
    .option('--identity <name>', 'this replica in the Leases (default: POD_NAME, else the host name)')
    .addOption(new Option('--log-level <level>', 'error, warn, info or debug').default('info'))
    .addOption(new Option('--log-format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .action(async (opts: ControllerCliOptions) => {
      setExitCode(await runController(opts));
    });
};
