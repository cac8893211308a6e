/**
 * The real `accord` command line as a child process: `tenant serve` (ready line, flavors, seed files, several
 * tenants, HTTPS, ports, persistence, rate limits, faults, signals), `start`, help and unknown commands.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { GraphReply } from '../helpers/local-tenant.ts';
import { copyExampleRepository } from '../helpers/cli.ts';
import { ACCORD_BIN, fetchToken, minimalCaPolicy, type ReadyLine } from '../reliability/cli-tenant.ts';

const POLICIES = '/identity/conditionalAccess/policies';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STACK_FRAME = /^\s+at .+\(?.*:\d+:\d+\)?$/m;
const TEST_TIMEOUT = 30_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `accord …` child: everything it printed so far, and ways to wait for output or the exit. */
interface Cli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** Resolves with stdout once it matches, rejects if the process exits first or after the timeout. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

const running = new Set<ChildProcess>();
const scratch = mkdtempSync(join(tmpdir(), 'accord-cli-test-'));

function tempDir(label: string): string {
  return mkdtempSync(join(scratch, `${label}-`));
}

function runCli(args: string[]): Cli {
  const child = spawn(process.execPath, [ACCORD_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    out += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
      for (const listener of listeners) listener();
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStdout(pattern, timeoutMs = 20_000) {
      return new Promise<string>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out)) {
            done();
            resolve(out);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(
              new Error(`exited (${child.exitCode ?? child.signalCode}) before ${pattern}: ${out}${err}`),
            );
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; stdout: ${out}; stderr: ${err}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a command that is expected to end by itself. */
async function runToExit(
  args: string[],
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = runCli(args);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), timeoutMs);
  const { code } = await cli.exited;
  clearTimeout(timer);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** `accord tenant serve --output json …` until its ready line. */
async function serveJson(extra: string[]): Promise<{ cli: Cli; ready: ReadyLine & Record<string, unknown> }> {
  const cli = runCli(['tenant', 'serve', '--output', 'json', '--port', '0', ...extra]);
  const out = await cli.waitForStdout(/\n/);
  return { cli, ready: JSON.parse(out.slice(0, out.indexOf('\n'))) as ReadyLine & Record<string, unknown> };
}

async function graph(
  ready: ReadyLine,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<GraphReply> {
  const token = options.token ?? (await fetchToken(ready, 'writer'));
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${ready.graphUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

async function assertStopsCleanly(cli: Cli, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const exit = await cli.stop(signal);
  assert.deepEqual(exit, { code: 0, signal: null }, `stderr: ${cli.stderr()}`);
}

function assertOneLineError(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.doesNotMatch(stderr, STACK_FRAME, 'no stack trace');
  assert.equal(stderr.trimEnd().split('\n').length, 1, `one line: ${stderr}`);
}

const SEED_TENANT_ID = '0f3c8a52-1d2e-4b7a-9c1d-2e3f4a5b6c7d';
const SEED_SECRETS = { reader: 'reader-secret-0123456789~seed', writer: 'writer-secret-9876543210~seed' };
const VALID_SEED = `tenant:
  id: ${SEED_TENANT_ID}
  displayName: Tailwind Traders
  domain: tailwind.onmicrosoft.com

users:
  - userPrincipalName: ana.lopez@tailwind.onmicrosoft.com
    displayName: Ana Lopez
    department: IT
  - userPrincipalName: bo.berg@tailwind.onmicrosoft.com
    displayName: Bo Berg

groups:
  - displayName: IT
    members: [ana.lopez@tailwind.onmicrosoft.com]

appRegistrations:
  - displayName: accord-reader
    clientSecret: ${SEED_SECRETS.reader}
    permissions: [Policy.Read.All, Directory.Read.All]
  - displayName: accord-writer
    clientSecret: ${SEED_SECRETS.writer}
    permissions: [Policy.Read.All, Policy.ReadWrite.ConditionalAccess, Directory.Read.All]
`;

after(async () => {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGKILL');
        }),
    ),
  );
  rmSync(scratch, { recursive: true, force: true });
});

describe('accord tenant serve', { concurrency: 3, timeout: 120_000 }, () => {
  it(
    '--output json prints exactly one JSON ready line with url, tenant, token endpoint, admin key and apps',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { cli, ready } = await serveJson([]);
      assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(ready.graphUrl, `${ready.url}/v1.0`);
      assert.match(ready.tenantId, GUID);
      assert.equal(ready.tokenEndpoint, `${ready.url}/${ready.tenantId}/oauth2/v2.0/token`);
      assert.equal(ready.caCertificatePath, null);
      assert.equal(typeof ready.adminKey, 'string');
      assert.ok(ready.adminKey.length >= 16);
      assert.deepEqual(ready.apps.map((a) => a.displayName).sort(), ['accord-reader', 'accord-writer']);
      for (const app of ready.apps) {
        assert.match(app.clientId, GUID);
        assert.ok(app.clientSecret.length >= 16);
        assert.ok(app.permissions.length > 0);
      }
      const writer = ready.apps.find((a) => a.displayName === 'accord-writer')!;
      const reader = ready.apps.find((a) => a.displayName === 'accord-reader')!;
      assert.ok(writer.permissions.includes('Policy.ReadWrite.ConditionalAccess'));
      assert.ok(!reader.permissions.includes('Policy.ReadWrite.ConditionalAccess'));
      assert.equal(ready.tenants.length, 1);

      // Everything it printed works: tokens, Graph, the control API with the admin key.
      assert.equal(
        (await graph(ready, 'GET', POLICIES, { token: await fetchToken(ready, 'reader') })).status,
        200,
      );
      const health = await fetch(`${ready.url}/_accord/health`, {
        headers: { 'x-accord-admin-key': ready.adminKey },
      });
      assert.equal(health.status, 200);

      await assertStopsCleanly(cli);
      const lines = cli.stdout().split('\n');
      assert.equal(lines.length, 2, `exactly one line: ${cli.stdout()}`);
      assert.equal(lines[1], '');
    },
  );

  it(
    'text output names the tenant and its apps but no client secret',
    { timeout: TEST_TIMEOUT },
    async () => {
      const cli = runCli(['tenant', 'serve', '--port', '0']);
      const out = await cli.waitForStdout(/Client secrets are printed only with --output json\.\n/);
      assert.match(out, /^accord local tenant ready at http:\/\/127\.0\.0\.1:\d+\n/);
      assert.match(out, /accord-reader/);
      assert.match(out, /accord-writer/);
      assert.match(out, /token endpoint: http:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]{36}\/oauth2\/v2\.0\/token/);
      // Generated secrets end in `~acc`.
      assert.doesNotMatch(out, /~acc/);
      assert.doesNotMatch(out, /adminKey|secret:/i);
      await assertStopsCleanly(cli, 'SIGINT');
    },
  );

  it(
    'text output with a seed file does not print the seeded secrets',
    { timeout: TEST_TIMEOUT },
    async () => {
      const dir = tempDir('seed-text');
      const seedPath = join(dir, 'tenant.yaml');
      writeFileSync(seedPath, VALID_SEED);
      const cli = runCli(['tenant', 'serve', '--port', '0', '--seed', seedPath]);
      const out = await cli.waitForStdout(/Client secrets are printed only/);
      assert.match(out, new RegExp(`Tailwind Traders \\(tailwind\\.onmicrosoft\\.com\\) ${SEED_TENANT_ID}`));
      assert.ok(!out.includes(SEED_SECRETS.reader) && !out.includes(SEED_SECRETS.writer), out);
      await assertStopsCleanly(cli);
    },
  );

  it('--flavor external serves the External ID demo tenant', { timeout: TEST_TIMEOUT }, async () => {
    const { cli, ready } = await serveJson(['--flavor', 'external']);
    const tenant = (ready.tenants as { flavor?: string; domain: string }[])[0]!;
    assert.equal(tenant.flavor, 'external');
    assert.equal(tenant.domain, 'woodgrovecustomers.onmicrosoft.com');
    const flows = await graph(ready, 'GET', '/identity/authenticationEventsFlows');
    assert.equal(flows.status, 200, JSON.stringify(flows.body));
    assert.ok(flows.body.value.length > 0);
    const email = await graph(
      ready,
      'GET',
      '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email',
    );
    assert.equal(email.body.allowExternalIdToUseEmailOtp, 'enabled');
    await assertStopsCleanly(cli);
  });

  it('--seed FILE serves that directory', { timeout: TEST_TIMEOUT }, async () => {
    const dir = tempDir('seed');
    const seedPath = join(dir, 'tenant.yaml');
    writeFileSync(seedPath, VALID_SEED);
    const { cli, ready } = await serveJson(['--seed', seedPath]);
    assert.equal(ready.tenantId, SEED_TENANT_ID);
    const writer = ready.apps.find((a) => a.displayName === 'accord-writer')!;
    assert.equal(writer.clientSecret, SEED_SECRETS.writer);
    const users = await graph(ready, 'GET', '/users');
    assert.equal(users.status, 200, JSON.stringify(users.body));
    assert.deepEqual(
      (users.body.value as { userPrincipalName: string }[]).map((u) => u.userPrincipalName).sort(),
      ['ana.lopez@tailwind.onmicrosoft.com', 'bo.berg@tailwind.onmicrosoft.com'],
    );
    const groups = await graph(ready, 'GET', '/groups');
    assert.deepEqual(
      (groups.body.value as { displayName: string }[]).map((g) => g.displayName),
      ['IT'],
    );
    await assertStopsCleanly(cli);
  });

  it(
    'an invalid seed file exits 1 with file:line:column and no stack trace',
    { timeout: TEST_TIMEOUT },
    async () => {
      const dir = tempDir('bad-seed');
      const seedPath = join(dir, 'broken.yaml');
      writeFileSync(seedPath, 'tenant:\n  flavor: retail\nusers:\n  - displayName: No UPN\n');
      const result = await runToExit(['tenant', 'serve', '--port', '0', '--seed', seedPath]);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^accord: invalid seed file/);
      assert.match(result.stderr, /broken\.yaml:2:\d+: tenant\.flavor/);
      assert.match(result.stderr, /broken\.yaml:4:\d+: users\[0\]\.userPrincipalName/);
      assert.doesNotMatch(result.stderr, STACK_FRAME);

      writeFileSync(seedPath, 'users: [\n');
      const yaml = await runToExit(['tenant', 'serve', '--port', '0', '--seed', seedPath]);
      assert.equal(yaml.code, 1);
      assert.match(yaml.stderr, /broken\.yaml:\d+:\d+: \(yaml\)/);
      assert.doesNotMatch(yaml.stderr, STACK_FRAME);
    },
  );

  it(
    '--tenants 3 hosts three tenants with distinct ids, domains and apps',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { cli, ready } = await serveJson(['--tenants', '3']);
      const tenants = ready.tenants as (ReadyLine['tenants'][number] & {
        tokenEndpoint: string;
        apps: ReadyLine['apps'];
      })[];
      assert.equal(tenants.length, 3);
      assert.equal(new Set(tenants.map((x) => x.id)).size, 3);
      assert.equal(new Set(tenants.map((x) => x.domain)).size, 3);
      assert.equal(tenants[0]!.id, ready.tenantId);
      const clientIds = tenants.flatMap((x) => x.apps.map((a) => a.clientId));
      assert.equal(new Set(clientIds).size, 6, 'app registrations belong to one tenant');
      // Each tenant's token reads its own directory.
      for (const tenant of tenants) {
        const token = await fetchToken(
          { ...ready, tokenEndpoint: tenant.tokenEndpoint, apps: tenant.apps },
          'reader',
        );
        const users = await graph(ready, 'GET', '/users?$top=999', { token });
        assert.equal(users.status, 200);
        assert.ok(
          (users.body.value as { userPrincipalName: string }[]).every((u) =>
            u.userPrincipalName.endsWith(`@${tenant.domain}`),
          ),
        );
      }
      await assertStopsCleanly(cli);
    },
  );

  it(
    '--https serves HTTPS with the certificate at caCertificatePath',
    { timeout: TEST_TIMEOUT },
    async () => {
      const dir = tempDir('https');
      const { cli, ready } = await serveJson(['--https', '--data', dir]);
      assert.match(ready.url, /^https:\/\/localhost:\d+$/);
      const certPath = ready.caCertificatePath as string;
      assert.equal(typeof certPath, 'string');
      assert.ok(existsSync(certPath), certPath);
      const pem = readFileSync(certPath, 'utf8');
      assert.match(pem, /^-----BEGIN CERTIFICATE-----/);

      const get = (ca: string | undefined): Promise<number> =>
        new Promise((resolve, reject) => {
          const req = httpsRequest(`${ready.url}/`, { ca, agent: false }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.once('error', reject);
          req.end();
        });
      assert.equal(await get(pem), 200, 'the certificate at caCertificatePath is trusted');
      await assert.rejects(get(undefined), /self[- ]signed|unable to verify|certificate/i);
      await assertStopsCleanly(cli);
    },
  );

  it(
    '--port with a port already in use exits 1 with a one-line message',
    { timeout: TEST_TIMEOUT },
    async () => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const { port } = blocker.address() as AddressInfo;
      try {
        const result = await runToExit(['tenant', 'serve', '--port', String(port)]);
        assert.equal(result.code, 1);
        assert.equal(result.stdout, '');
        assertOneLineError(result.stderr, new RegExp(`^accord: .*${port}.*EADDRINUSE.*--port`));
      } finally {
        blocker.close();
      }
    },
  );

  it(
    'rejects a bad --port, --tenants or --flavor with exit 1 and no stack trace',
    { timeout: TEST_TIMEOUT },
    async () => {
      const port = await runToExit(['tenant', 'serve', '--port', 'http']);
      assert.equal(port.code, 1);
      assertOneLineError(port.stderr, /--port/);
      const tenants = await runToExit(['tenant', 'serve', '--tenants', '0']);
      assert.equal(tenants.code, 1);
      assertOneLineError(tenants.stderr, /--tenants/);
      const flavor = await runToExit(['tenant', 'serve', '--flavor', 'retail']);
      assert.equal(flavor.code, 1);
      assertOneLineError(flavor.stderr, /--flavor/);
    },
  );

  it('--data DIR keeps state across a restart', { timeout: TEST_TIMEOUT }, async () => {
    const dir = tempDir('data');
    const name = `persisted ${randomUUID()}`;
    const first = await serveJson(['--data', dir]);
    const created = await graph(first.ready, 'POST', POLICIES, { body: minimalCaPolicy(name) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const oldToken = await fetchToken(first.ready, 'reader');
    await assertStopsCleanly(first.cli);
    assert.ok(existsSync(join(dir, 'tenant.db')));

    const second = await serveJson(['--data', dir]);
    assert.equal(second.ready.tenantId, first.ready.tenantId);
    // The app secrets are kept as well.
    assert.deepEqual(second.ready.apps, first.ready.apps);
    const read = await graph(second.ready, 'GET', `${POLICIES}/${created.body.id as string}`);
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.equal(read.body.displayName, name);
    // A token issued by the first run is still valid: the signing key is kept too.
    assert.equal((await graph(second.ready, 'GET', POLICIES, { token: oldToken })).status, 200);
    await assertStopsCleanly(second.cli);
  });

  it(
    '--rate-limits throttles Conditional Access (third request within a second: 429 without Retry-After)',
    { timeout: TEST_TIMEOUT },
    async () => {
      const { cli, ready } = await serveJson(['--rate-limits']);
      const token = await fetchToken(ready, 'reader');
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof graph>> | undefined;
      for (let i = 0; i < 3; i++) {
        last = await graph(ready, 'GET', POLICIES, { token });
        statuses.push(last.status);
      }
      assert.deepEqual(statuses, [200, 200, 429]);
      assert.equal(last!.headers.get('retry-after'), null);
      await assertStopsCleanly(cli);
    },
  );

  it('without --rate-limits there is no throttling', { timeout: TEST_TIMEOUT }, async () => {
    const { cli, ready } = await serveJson([]);
    const token = await fetchToken(ready, 'reader');
    for (let i = 0; i < 5; i++) assert.equal((await graph(ready, 'GET', POLICIES, { token })).status, 200);
    await assertStopsCleanly(cli);
  });

  it('--faults FILE applies a fault configuration from the start', { timeout: TEST_TIMEOUT }, async () => {
    const dir = tempDir('faults');
    const faultsPath = join(dir, 'faults.json');
    writeFileSync(
      faultsPath,
      JSON.stringify({ rules: [{ path: 'conditionalAccess/policies', sequence: ['503', 'ok', '429'] }] }),
    );
    const { cli, ready } = await serveJson(['--faults', faultsPath]);
    const token = await fetchToken(ready, 'reader');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await graph(ready, 'GET', POLICIES, { token })).status);
    assert.deepEqual(statuses, [503, 200, 429, 200]);
    const counts = await fetch(`${ready.url}/_accord/faults`, {
      headers: { 'x-accord-admin-key': ready.adminKey },
    });
    assert.deepEqual(await counts.json(), { injected: { '503': 1, '429': 1 } });
    await assertStopsCleanly(cli);
  });

  it(
    'an unreadable or invalid --faults file exits 1 with a one-line message',
    { timeout: TEST_TIMEOUT },
    async () => {
      const dir = tempDir('bad-faults');
      const cases: [string, string | undefined][] = [
        ['invalid-kind.json', JSON.stringify({ rules: [{ kind: 'teapot', rate: 1 }] })],
        ['not-json.json', 'not json\n'],
        ['missing.json', undefined],
      ];
      for (const [file, content] of cases) {
        const path = join(dir, file);
        if (content !== undefined) writeFileSync(path, content);
        const result = await runToExit(['tenant', 'serve', '--port', '0', '--faults', path]);
        assert.equal(result.code, 1, `${file}: ${result.stderr}`);
        assert.equal(result.stdout, '');
        assertOneLineError(
          result.stderr,
          new RegExp(`^accord: cannot read the fault configuration .*${file}`),
        );
      }
    },
  );
});

describe('accord tenant serve: signals', { timeout: 60_000 }, () => {
  it(
    'exits 0 on SIGTERM or SIGINT sent the moment the ready line arrives',
    { timeout: TEST_TIMEOUT },
    async () => {
      const exits: Exit[] = [];
      for (const signal of ['SIGTERM', 'SIGTERM', 'SIGTERM', 'SIGINT'] as const) {
        const cli = runCli(['tenant', 'serve', '--output', 'json', '--port', '0']);
        await cli.waitForStdout(/\n/);
        exits.push(await cli.stop(signal));
      }
      assert.deepEqual(exits, Array(4).fill({ code: 0, signal: null }));
    },
  );
});

describe('accord start, help and unknown commands', { concurrency: 3, timeout: 60_000 }, () => {
  it(
    'accord start serves the local tenant, reconciles the example repository and stops on SIGTERM',
    { timeout: TEST_TIMEOUT },
    async () => {
      const dir = tempDir('start');
      copyExampleRepository({ into: dir });
      const cli = runCli(['start', '--port', '0', '--dir', dir]);
      const out = await cli.waitForStdout(/Press Ctrl\+C to stop\.\n/);
      const url = /^accord local tenant ready at (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out)?.[1];
      assert.ok(url, out);
      assert.match(out, /Contoso \(contoso\.onmicrosoft\.com\)/);
      assert.doesNotMatch(out, /~acc/);
      const root = await fetch(`${url}/`);
      assert.equal(root.status, 200);
      assert.equal(((await root.json()) as { graph: string }).graph, `${url}/v1.0`);
      // The main job: the plan is printed and applied.
      const applied = await cli.waitForStdout(/applied 4 changes\./);
      assert.match(applied, /\+ ConditionalAccessPolicy require-mfa-all-users/);
      assert.ok(existsSync(join(dir, '.accord', 'local-tenant', 'tenant.db')));
      await assertStopsCleanly(cli);
    },
  );

  it('accord --help exits 0 and lists the commands', async () => {
    const result = await runToExit(['--help']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: accord/);
    assert.match(result.stdout, /\bstart\b/);
    assert.match(result.stdout, /\btenant\b/);
  });

  it('accord tenant serve --help exits 0 and lists its options', async () => {
    const result = await runToExit(['tenant', 'serve', '--help']);
    assert.equal(result.code, 0, result.stderr);
    for (const option of [
      '--port',
      '--data',
      '--seed',
      '--flavor',
      '--tenants',
      '--https',
      '--rate-limits',
      '--faults',
      '--output',
    ]) {
      assert.ok(result.stdout.includes(option), `${option} in help`);
    }
  });

  it('an unknown command exits 1', async () => {
    const result = await runToExit(['frobnicate']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /unknown command 'frobnicate'/);
    assert.doesNotMatch(result.stderr, STACK_FRAME);
    const sub = await runToExit(['tenant', 'frobnicate']);
    assert.equal(sub.code, 1);
  });
});

before(() => {
  assert.ok(existsSync(ACCORD_BIN), ACCORD_BIN);
});
