/** `accord tenant serve`: runs the local tenant until interrupted. */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { FaultInjector, type FaultConfig } from '../tenant/faults.ts';
import { demoDirectory } from '../tenant/seed/demo.ts';
import type { DirectorySeed } from '../tenant/seed/seed-types.ts';
import { removeServerRecord, writeServerRecord } from '../tenant/server-record.ts';
import { startLocalTenant, type LocalTenant } from '../tenant/server.ts';
import { UserError } from './errors.ts';

export interface TenantServeOptions {
  port: string;
  host: string;
  data?: string;
  seed?: string;
  flavor: 'workforce' | 'external';
  tenants: string;
  https: boolean;
  rateLimits: boolean;
  faults?: string;
  output: 'text' | 'json';
  /** Also serve the sample client app on its own port (`true`: a free port). */
  demoApp?: boolean | string;
}

async function loadSeed(path: string): Promise<DirectorySeed> {
  // Loaded on demand: the YAML parser and the schema validator are not needed to serve the demo directory.
  const { loadSeedFile, SeedFileError } = await import('../tenant/seed/seed-file.ts');
  try {
    return loadSeedFile(path);
  } catch (err) {
    if (err instanceof SeedFileError) throw new UserError(err.message);
    throw err;
  }
}

async function buildSeeds(opts: TenantServeOptions): Promise<DirectorySeed[]> {
  const first = opts.seed ? await loadSeed(opts.seed) : demoDirectory({ flavor: opts.flavor });
  const count = Number(opts.tenants);
  if (!Number.isInteger(count) || count < 1 || count > 5000)
    throw new UserError('--tenants must be between 1 and 5000');
  const seeds = [first];
  for (let i = 2; i <= count; i++) {
    const extra = demoDirectory({ flavor: opts.flavor, domain: `tenant${i}.onmicrosoft.com` });
    extra.tenant.id = randomUUID();
    // App registrations belong to one tenant: derive this tenant's own client ids from its id.
    for (const reg of extra.appRegistrations) delete reg.clientId;
    extra.tenant.displayName = `${extra.tenant.displayName} ${i}`;
    seeds.push(extra);
  }
  return seeds;
}

function readFaults(path: string | undefined): FaultConfig | undefined {
  if (!path) return undefined;
  try {
    const config = JSON.parse(readFileSync(path, 'utf8')) as FaultConfig;
    new FaultInjector().configure(config); // validates: an invalid rule is the user's mistake, not a crash
    return config;
  } catch (err) {
    const reason = (err as Error).message.replace(/\s+/g, ' ');
    throw new UserError(`cannot read the fault configuration ${path}: ${reason}`);
  }
}

/** The sample app each tenant serves, where to follow the sign-in how-tos (docs/sign-in.md). */
export function demoAppUrl(origin: string, tenantId: string): string {
  return `${origin}/${tenantId}/_accord/demo-app/`;
}

export function announce(tenant: LocalTenant, output: 'text' | 'json', demoAppServerUrl?: string): void {
  const tenants = tenant.tenants();
  const first = tenants[0];
  if (output === 'json') {
    process.stdout.write(
      `${JSON.stringify({
        url: tenant.origin,
        graphUrl: tenant.graphUrl,
        tenantId: first?.id,
        tokenEndpoint: first?.tokenEndpoint,
        authorityHost: tenant.origin,
        caCertificatePath: tenant.caCertificatePath ?? null,
        adminKey: tenant.adminKey,
        apps: first?.apps ?? [],
        tenants,
        demoAppUrl: first ? demoAppUrl(tenant.origin, first.id) : null,
        ...(demoAppServerUrl ? { demoAppServerUrl } : {}),
      })}\n`,
    );
    return;
  }
  const lines = [`accord local tenant ready at ${tenant.origin}`, `  Graph:          ${tenant.graphUrl}`];
  for (const t of tenants.slice(0, 5)) {
    lines.push(`  tenant:         ${t.displayName} (${t.domain}) ${t.id}`);
    lines.push(`  token endpoint: ${t.tokenEndpoint}`);
    for (const app of t.apps)
      lines.push(
        `  app:            ${app.displayName} ${app.clientId} (${app.permissions.length} permissions)`,
      );
    lines.push(`  sign-in demo:   ${demoAppUrl(tenant.origin, t.id)}`);
  }
  if (demoAppServerUrl)
    lines.push(
      `  demo app:       ${demoAppServerUrl} (its own origin, signing in at ${first?.displayName ?? 'the tenant'})`,
    );
  if (tenants.length > 5) lines.push(`  … and ${tenants.length - 5} more tenants`);
  if (tenant.caCertificatePath)
    lines.push(`  certificate:    ${tenant.caCertificatePath} (trust it, e.g. NODE_EXTRA_CA_CERTS)`);
  lines.push('  Client secrets are printed only with --output json.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

export async function runTenantServe(opts: TenantServeOptions): Promise<number> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`--port must be a port number, not '${opts.port}'`);
  const tenant = await startLocalTenant({
    port,
    host: opts.host,
    dataDir: opts.data,
    https: opts.https,
    seeds: await buildSeeds(opts),
    rateLimits: opts.rateLimits,
    faults: readFaults(opts.faults),
    // Like a mail relay's log: the passcodes of sign-ins in progress (also in the tenant's outbox page).
    onSignInMail: (line) => process.stderr.write(`${line}\n`),
  });
  if (opts.data) writeServerRecord(opts.data, tenant);
  const demoApp = opts.demoApp
    ? await tenant.startDemoApp({ port: demoAppPort(opts.demoApp), host: opts.host })
    : undefined;
  // Listen for signals before announcing: whoever reads the ready line may stop us at once.
  const stopped = waitForSignal();
  announce(tenant, opts.output, demoApp?.url);
  await stopped;
  if (opts.data) removeServerRecord(opts.data);
  await tenant.close();
  return 0;
}

function demoAppPort(value: boolean | string): number {
  if (value === true) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`--demo-app must be a port number, not '${String(value)}'`);
  return port;
}

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
