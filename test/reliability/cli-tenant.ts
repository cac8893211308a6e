/**
 * Runs the real `accord tenant serve` CLI as a child process (for the durability test and the benchmarks): spawn,
 * wait for the JSON ready line, fetch tokens, stop with SIGTERM or SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ACCORD_BIN = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));

export interface ReadyApp {
  clientId: string;
  clientSecret: string;
  displayName: string;
  permissions: string[];
}

/** The JSON line `accord tenant serve --output json` prints when it is ready. */
export interface ReadyLine {
  url: string;
  graphUrl: string;
  tenantId: string;
  tokenEndpoint: string;
  adminKey: string;
  apps: ReadyApp[];
  tenants: { id: string; displayName: string; domain: string }[];
}

export interface CliTenant {
  child: ChildProcess;
  ready: ReadyLine;
  /** Milliseconds from spawn until the ready line was read. */
  startMs: number;
  /** Everything the server wrote to stderr so far (diagnostics). */
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  dataDir?: string;
  extraArgs?: string[];
  timeoutMs?: number;
}

export function spawnCliTenant(options: SpawnOptions = {}): Promise<CliTenant> {
  const args = [ACCORD_BIN, 'tenant', 'serve', '--output', 'json', '--port', '0'];
  if (options.dataDir) args.push('--data', options.dataDir);
  args.push(...(options.extraArgs ?? []));
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return new Promise<CliTenant>((resolve, reject) => {
    let buffer = '';
    let settled = false;
    const timer = setTimeout(() => {
      fail(new Error(`no ready line within ${options.timeoutMs ?? 20_000} ms; stderr: ${stderr}`));
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    };
    child.stdout!.setEncoding('utf8');
    const onData = (chunk: string): void => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0 || settled) return;
      const line = buffer.slice(0, newline);
      let ready: ReadyLine;
      try {
        ready = JSON.parse(line) as ReadyLine;
      } catch {
        fail(new Error(`the ready line is not JSON: ${line}`));
        return;
      }
      settled = true;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      const startMs = performance.now() - started;
      resolve({
        child,
        ready,
        startMs,
        stderr: () => stderr,
        exited,
        kill: async (signal: NodeJS.Signals = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.once('error', (err) => fail(err));
    void exited.then(({ code, signal }) =>
      fail(new Error(`the server exited (${code ?? signal}) before it was ready: ${stderr}`)),
    );
  });
}

/** A client-credentials token for the seeded `accord-writer` (or `accord-reader`) app. */
export async function fetchToken(ready: ReadyLine, app: 'writer' | 'reader' = 'writer'): Promise<string> {
  const registration = ready.apps.find((a) => a.displayName === `accord-${app}`);
  if (!registration) throw new Error(`the ready line lists no accord-${app} app`);
  const response = await fetch(ready.tokenEndpoint, {
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
  if (!json.access_token) throw new Error(`no token (${response.status}): ${JSON.stringify(json)}`);
  return json.access_token;
}

/** A valid minimal Conditional Access policy (graph-contract §2.10). */
export function minimalCaPolicy(displayName: string): Record<string, unknown> {
  return {
    displayName,
    state: 'disabled',
    conditions: {
      applications: { includeApplications: ['None'] },
      users: { includeUsers: ['None'] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  };
}

/** True when the local tenant answered that it has no route for the path (the resource is not implemented). */
export function isMissingRoute(status: number, body: unknown): boolean {
  if (status !== 400 && status !== 404) return false;
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' && /Resource not found for the segment/i.test(message);
}
