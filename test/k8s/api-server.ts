/**
 * Test harness: a real Kubernetes API server (kube-apiserver built from k8s.io/kubernetes) backed by a real etcd
 * (built from go.etcd.io/etcd/server/v3), both on loopback with random ports and a temporary folder, torn down by
 * `stop()`. The binaries live in `~/.cache/accord/k8s/bin/` (outside the work tree); when they are missing or stale the harness runs
 * `scripts/k8s/build.sh`, which builds them from Go modules (minutes on a fresh machine: see
 * docs/adr/0007-kubernetes-test-server.md).
 *
 * Security set-up, as a cluster would have it: TLS with a throwaway CA (serving cert for 127.0.0.1/localhost),
 * `--authorization-mode=RBAC`, an admin identity in `system:masters` by client certificate (in the kubeconfig)
 * and by a static bearer token (for `request()`), and a service-account signing key. No kubelet, no controller
 * manager: the API server alone, with its built-in admission, validation, Leases and Events.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const K8S_CACHE =
  process.env['ACCORD_K8S_CACHE'] ??
  join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'accord/k8s');
export const K8S_BIN = join(K8S_CACHE, 'bin');
const BUILD_SCRIPT = join(REPO_ROOT, 'scripts/k8s/build.sh');

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

export interface RequestOptions {
  /** Defaults to application/json when a body is given. */
  contentType?: string;
  /** Bearer token; defaults to the admin token. */
  token?: string;
}

export interface ApiServer {
  /** https://127.0.0.1:PORT */
  url: string;
  /** kubeconfig for the admin user (client certificate, CA data inline), context `accord-test`. */
  kubeconfigPath: string;
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
  /** Static bearer token of the admin user (group system:masters). */
  token: string;
  /** etcd client URL (http on loopback). */
  etcdUrl: string;
  /** Temporary folder with certificates, logs (etcd.log, kube-apiserver.log) and etcd's data. */
  dir: string;
  /** A request to the API server as the admin (or with `options.token`); the body is JSON-encoded unless a string. */
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  /** Stops kube-apiserver then etcd and removes the temporary folder. Idempotent. */
  stop(): Promise<void>;
  /**
   * Stops kube-apiserver (SIGTERM, or SIGKILL with `kill`), keeps it down for `downMs`, then starts a new one on the
   * same port, certificates and etcd data, and waits for /readyz: an API server restart as clients see it.
   */
  restartApiServer(options?: { downMs?: number; kill?: boolean }): Promise<void>;
}

export interface StartOptions {
  /** Extra kube-apiserver flags, e.g. `--feature-gates=...`. */
  apiServerArgs?: string[];
  /** Milliseconds to wait for /readyz. Default 120 s (the first start after a build is slower). */
  readyTimeoutMs?: number;
  /** Keep the temporary folder after stop (for debugging). Also ACCORD_K8S_KEEP=1. */
  keep?: boolean;
}

/** True when the cached binaries are present and match the versions pinned in scripts/k8s/build.sh. */
export async function binariesCurrent(): Promise<boolean> {
  try {
    await execFileAsync('bash', [BUILD_SCRIPT, '--check'], { env: buildEnv() });
    return true;
  } catch {
    return false;
  }
}

/** Runs one of the repository's build scripts (output to stderr); rejects with its exit code when it fails. */
export function runBuildScript(script: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise<void>((resolvePromise, reject) => {
    const child = spawn('bash', [script], { env, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`${script.slice(REPO_ROOT.length + 1)} exited with ${code}`)),
    );
  });
}

/** Builds kube-apiserver and etcd into the cache when missing or stale (idempotent; can take many minutes). */
export async function ensureBinaries(): Promise<void> {
  if (await binariesCurrent()) return;
  await runBuildScript(BUILD_SCRIPT, buildEnv());
}

function buildEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ACCORD_K8S_CACHE: K8S_CACHE };
}

export async function startApiServer(options: StartOptions = {}): Promise<ApiServer> {
  await ensureBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'accord-k8s-'));
  const keep = options.keep ?? process.env['ACCORD_K8S_KEEP'] === '1';
  const children: ChildProcess[] = [];
  const killAll = (): void => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // API server first (it writes to etcd on shutdown), then etcd.
    for (const child of [...children].reverse()) await terminate(child, 15_000);
    process.removeListener('exit', killAll);
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };

  try {
    const certs = await makeCertificates(dir);
    const token = randomBytes(24).toString('hex');
    const tokenFile = join(dir, 'tokens.csv');
    writeFileSync(tokenFile, `${token},accord-admin,accord-admin,"system:masters"\n`, { mode: 0o600 });

    // etcd
    const [etcdClientPort, etcdPeerPort, apiPort] = await freePorts(3);
    const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
    const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    const etcd = spawnLogged(
      join(K8S_BIN, 'etcd'),
      [
        '--name=accord-test',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=accord-test=${peerUrl}`,
        '--initial-cluster-state=new',
        '--unsafe-no-fsync', // throwaway data: don't pay for fsync on a shared CI disk
        '--log-level=warn',
      ],
      join(dir, 'etcd.log'),
    );
    children.push(etcd);
    await waitFor('etcd', etcd, join(dir, 'etcd.log'), 30_000, async () => {
      const res = await plainGet(`${etcdUrl}/health`);
      return res.status === 200 && res.text.includes('"health":"true"');
    });

    // kube-apiserver
    const url = `https://127.0.0.1:${apiPort}`;
    const apiLog = join(dir, 'kube-apiserver.log');
    const apiArgs = [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'certs')}`,
      `--tls-cert-file=${certs.serverCert}`,
      `--tls-private-key-file=${certs.serverKey}`,
      `--client-ca-file=${certs.caCert}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${certs.saPublic}`,
      `--service-account-signing-key-file=${certs.saPrivate}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      // The "kubernetes" Service's endpoints would point at 127.0.0.1, which Endpoints validation refuses.
      '--endpoint-reconciler-type=none',
      '--profiling=false',
      '--v=1',
      ...(options.apiServerArgs ?? []),
    ];
    let api = spawnLogged(join(K8S_BIN, 'kube-apiserver'), apiArgs, apiLog);
    children.push(api);

    const caPem = readFileSync(certs.caCert, 'utf8');
    const request = makeRequester(url, caPem, token);
    await waitFor('kube-apiserver', api, apiLog, options.readyTimeoutMs ?? 120_000, async () => {
      const res = await request('GET', '/readyz');
      return res.status === 200;
    });

    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfigPath,
      kubeconfig(url, caPem, readFileSync(certs.adminCert, 'utf8'), readFileSync(certs.adminKey, 'utf8')),
      { mode: 0o600 },
    );
    const restartApiServer = async (restart: { downMs?: number; kill?: boolean } = {}): Promise<void> => {
      if (restart.kill) api.kill('SIGKILL');
      await terminate(api, 15_000);
      children.splice(children.indexOf(api), 1);
      await sleep(restart.downMs ?? 0);
      api = spawnLogged(join(K8S_BIN, 'kube-apiserver'), apiArgs, apiLog);
      children.push(api);
      await waitFor('kube-apiserver', api, apiLog, options.readyTimeoutMs ?? 120_000, async () => {
        const res = await request('GET', '/readyz');
        return res.status === 200;
      });
    };
    return { url, kubeconfigPath, caPem, token, etcdUrl, dir, request, stop, restartApiServer };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

function makeRequester(baseUrl: string, caPem: string, adminToken: string): ApiServer['request'] {
  return <T>(method: string, path: string, body?: unknown, options: RequestOptions = {}) =>
    new Promise<ApiResponse<T>>((resolvePromise, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: `Bearer ${options.token ?? adminToken}`,
      };
      if (payload !== undefined) {
        headers['content-type'] = options.contentType ?? 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const req = httpsRequest(
        new URL(path, baseUrl),
        { method, headers, ca: caPem, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON (e.g. /readyz answers "ok")
            }
            resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: parsed as T, text });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
}

function plainGet(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(url, { timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolvePromise({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function spawnLogged(command: string, args: string[], logPath: string): ChildProcess {
  if (!existsSync(command)) throw new Error(`${command} is missing; run scripts/k8s/build.sh`);
  const fd = openSync(logPath, 'a');
  try {
    return spawn(command, args, { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
}

async function waitFor(
  name: string,
  child: ChildProcess,
  logPath: string,
  timeoutMs: number,
  ready: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${name} exited (${child.exitCode ?? child.signalCode}) before ready:\n${tail(logPath)}`,
      );
    }
    try {
      if (await ready()) return;
    } catch (error) {
      lastError = String(error);
    }
    await sleep(250);
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms (${lastError}):\n${tail(logPath)}`);
}

function tail(path: string, lines = 40): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

/** Distinct free TCP ports on 127.0.0.1 (held open together so they differ; a small race remains). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import('node:net').Server>((resolvePromise, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolvePromise(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((r) => server.close(r))));
  return ports;
}

interface Certificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  saPublic: string;
  saPrivate: string;
}

/** A throwaway CA (openssl), the serving and admin client certificates it signs, and a service-account key pair. */
async function makeCertificates(dir: string): Promise<Certificates> {
  const p = (name: string): string => join(dir, name);
  const openssl = (args: string[]): Promise<unknown> => execFileAsync('openssl', args, { cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=accord-test-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const sign = async (name: string, subject: string, extensions: string): Promise<void> => {
    writeFileSync(p(`${name}.ext`), extensions);
    await openssl(['req', ...ec, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', subject]);
    await openssl([
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p('ca.crt'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p(`${name}.crt`),
      '-days',
      '2',
      '-extfile',
      p(`${name}.ext`),
    ]);
  };
  await sign(
    'server',
    '/CN=kube-apiserver',
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n' +
      'extendedKeyUsage=serverAuth\n' +
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n',
  );
  await sign(
    'admin',
    '/O=system:masters/CN=accord-admin',
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  writeFileSync(p('sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(p('sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return {
    caCert: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    saPublic: p('sa.pub'),
    saPrivate: p('sa.key'),
  };
}

function kubeconfig(url: string, caPem: string, certPem: string, keyPem: string): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  // JSON is valid YAML; kubectl and @kubernetes/client-node read it as a kubeconfig.
  return `${JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'accord-test', cluster: { server: url, 'certificate-authority-data': b64(caPem) } }],
      users: [
        {
          name: 'accord-admin',
          user: { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) },
        },
      ],
      contexts: [
        {
          name: 'accord-test',
          context: { cluster: 'accord-test', user: 'accord-admin', namespace: 'default' },
        },
      ],
      'current-context': 'accord-test',
    },
    null,
    2,
  )}\n`;
}
