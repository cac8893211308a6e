/**
 * The chart's RBAC is enough for the real controller, and its command line is one the controller runs: the
 * ServiceAccount, Roles and RoleBindings rendered for one watched namespace are applied to a real API server, the
 * controller is started with the Deployment's arguments (bind addresses moved to free loopback ports), the
 * environment the pod gets (POD_NAME, POD_NAMESPACE) and a token of the chart's service account — so every request
 * it makes is authorized by the chart's roles and nothing else. It must take its shard Lease, become ready, reconcile
 * a ConditionalAccessPolicy into the local tenant (Secret, status, finalizer, events) and delete it again, without a
 * single "forbidden".
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from './api-server.ts';
import { applyObject } from './apply.ts';
import { podSpecOf } from './chart-objects.ts';
import {
  caPolicy,
  condition,
  eventually,
  resourcePath,
  startControllerEnv,
  type ControllerEnv,
  type Resource,
} from './controller-harness.ts';
import { ensureHelm, single, templateChart, type K8sObject } from './helm.ts';

const RELEASE_NAMESPACE = 'accord-system';
const WATCHED = 'policies';
const POD_NAME = 'accord-7c9f8d-x2x4q';
const SERVICE_ACCOUNT_USER = `system:serviceaccount:${RELEASE_NAMESPACE}:accord`;
const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    users: ["${SERVICE_ACCOUNT_USER}"]
  - level: None
`;

interface AuditEvent {
  verb: string;
  requestURI: string;
  user: { username: string };
  objectRef?: { resource?: string };
  responseStatus?: { code?: number };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolvePromise) => server.close(resolvePromise));
  return port;
}

async function httpGet(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, text: await response.text() };
}

describe('the controller under the chart RBAC and command line', { timeout: 10 * 60_000 }, () => {
  let env: ControllerEnv;
  let child: ChildProcess | undefined;
  let logPath: string;
  let metricsUrl: string;
  let healthUrl: string;
  let auditDir: string | undefined;

  before(async () => {
    await ensureHelm();
    // Audit every request of the chart's service account: the proof that none was refused.
    auditDir = mkdtempSync(join(tmpdir(), 'accord-audit-'));
    const policyPath = join(auditDir, 'policy.yaml');
    writeFileSync(policyPath, AUDIT_POLICY);
    env = await startControllerEnv({
      apiServer: {
        apiServerArgs: [
          `--audit-policy-file=${policyPath}`,
          `--audit-log-path=${join(auditDir, 'audit.log')}`,
          '--audit-log-mode=blocking',
        ],
      },
    });
    const { server } = env;
    await env.createTenantNamespace(WATCHED); // the namespace, the writer's Secret and a Tenant
    const made = await env.kube('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: RELEASE_NAMESPACE },
    });
    assert.equal(made.status, 201, made.text);

    const rendered = await templateChart({
      values: { controller: { watchNamespace: WATCHED } },
      namespace: RELEASE_NAMESPACE,
    });
    assert.equal(rendered.code, 0, rendered.stderr);
    const rbac = rendered.objects.filter((object) => /^(ServiceAccount|Role|RoleBinding)$/.test(object.kind));
    assert.equal(rbac.length, 5, 'the service account, two Roles and their bindings');
    for (const object of rbac) {
      const res = await applyObject(server, object);
      assert.ok(
        res.status === 200 || res.status === 201,
        `${object.kind} ${object.metadata.name}: ${res.text}`,
      );
    }

    // A token of the chart's service account (TokenRequest: what the kubelet would mount into the pod).
    const account = single(rendered.objects, 'ServiceAccount').metadata.name;
    const issued = await server.request<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${RELEASE_NAMESPACE}/serviceaccounts/${account}/token`,
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
    );
    assert.equal(issued.status, 201, issued.text);
    const kubeconfigPath = join(server.dir, 'chart-service-account.kubeconfig');
    writeFileSync(
      kubeconfigPath,
      serviceAccountKubeconfig(server.url, server.caPem, issued.body.status.token),
      {
        mode: 0o600,
      },
    );

    const metricsPort = await freePort();
    const healthPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    healthUrl = `http://127.0.0.1:${healthPort}`;
    const args = chartArgs(single(rendered.objects, 'Deployment')).map((arg) =>
      arg.startsWith('--metrics-bind-address=')
        ? `--metrics-bind-address=127.0.0.1:${metricsPort}`
        : arg.startsWith('--health-probe-bind-address=')
          ? `--health-probe-bind-address=127.0.0.1:${healthPort}`
          : arg,
    );
    assert.equal(args[0], 'controller');
    logPath = join(server.dir, 'chart-controller.log');
    const fd = openSync(logPath, 'a');
    child = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        join(REPO_ROOT, 'bin/accord.js'),
        ...args,
        '--kubeconfig',
        kubeconfigPath,
      ],
      {
        stdio: ['ignore', fd, fd],
        // What the pod's environment holds (downward API); nothing of this process's KUBECONFIG or CA settings.
        env: {
          PATH: process.env['PATH'] ?? '',
          POD_NAME,
          POD_NAMESPACE: RELEASE_NAMESPACE,
          NODE_EXTRA_CA_CERTS: '',
        },
      },
    );
    closeSync(fd);
  });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolvePromise) => child?.once('exit', resolvePromise));
      child.kill('SIGTERM');
      await exited;
    }
    await env?.close();
    if (auditDir) rmSync(auditDir, { recursive: true, force: true });
  });

  const log = (): string => readFileSync(logPath, 'utf8');

  it('becomes ready and holds the shard Lease as POD_NAME', async () => {
    await eventually(
      async () => (await httpGet(`${healthUrl}/readyz`)).status === 200,
      `/readyz (log:\n${log().slice(-2000)})`,
      120_000,
    );
    assert.equal((await httpGet(`${healthUrl}/healthz`)).status, 200);
    const lease = await eventually(async () => {
      const res = await env.kube<{ spec?: { holderIdentity?: string } }>(
        'GET',
        `/apis/coordination.k8s.io/v1/namespaces/${RELEASE_NAMESPACE}/leases/accord-shard-0`,
      );
      return res.body.spec?.holderIdentity === POD_NAME ? res.body : undefined;
    }, 'Lease accord-shard-0 held by POD_NAME');
    assert.ok(lease);
  });

  it('reconciles a ConditionalAccessPolicy to Ready=True, with an event', async () => {
    const policy = caPolicy('require-mfa-chart', 'Require MFA (chart RBAC)');
    const created = await env.kube('POST', resourcePath('conditionalaccesspolicies', WATCHED), policy);
    assert.equal(created.status, 201, created.text);
    const ready = await eventually(
      async () => {
        const res = await env.kube<Resource>(
          'GET',
          resourcePath('conditionalaccesspolicies', WATCHED, 'require-mfa-chart'),
        );
        return condition(res.body, 'Ready')?.status === 'True' ? res.body : undefined;
      },
      `Ready=True (log:\n${log().slice(-2000)})`,
      120_000,
    );
    assert.ok(ready.metadata.finalizers?.includes('accord.dev/finalizer'), 'the finalizer was added');
    const inTenant = await env.graph('GET', `/identity/conditionalAccess/policies/${ready.status?.id}`);
    assert.equal(inTenant.status, 200);
    assert.equal(inTenant.body.displayName, 'Require MFA (chart RBAC)');
    const events = await eventually(async () => {
      const res = await env.kube<{ items: { regarding?: { name: string } }[] }>(
        'GET',
        `/apis/events.k8s.io/v1/namespaces/${WATCHED}/events`,
      );
      return res.body.items.some((event) => event.regarding?.name === 'require-mfa-chart')
        ? res.body.items
        : undefined;
    }, 'an event about the policy');
    assert.ok(events.length > 0);
  });

  it('serves the metrics the chart exposes', async () => {
    const metrics = await httpGet(metricsUrl);
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /^controller_runtime_reconcile_total\{/m);
    assert.match(metrics.text, /^accord_graph_requests_total\{/m);
    assert.match(metrics.text, /^leader_election_master_status\{name="accord-shard-0"\} 1$/m);
  });

  it('deletes the policy through its finalizer', async () => {
    const path = resourcePath('conditionalaccesspolicies', WATCHED, 'require-mfa-chart');
    const before = await env.kube<Resource>('GET', path);
    const deleted = await env.kube('DELETE', path);
    assert.ok(deleted.status === 200 || deleted.status === 202, deleted.text);
    await eventually(async () => (await env.kube('GET', path)).status === 404, 'the resource gone', 120_000);
    const inTenant = await env.graph('GET', `/identity/conditionalAccess/policies/${before.body.status?.id}`);
    assert.equal(inTenant.status, 404, 'deletionPolicy Delete removed the tenant object');
  });

  it('was never refused by the API server (its audit log of the service account)', () => {
    const events = readFileSync(join(auditDir ?? '', 'audit.log'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as AuditEvent)
      .filter((event) => event.user.username === SERVICE_ACCOUNT_USER);
    const used = new Set(
      events.map((event) => `${event.verb} ${event.objectRef?.resource ?? event.requestURI}`),
    );
    for (const expected of ['get leases', 'create leases', 'watch conditionalaccesspolicies', 'get secrets'])
      assert.ok(used.has(expected), `the controller made "${expected}" requests as the service account`);
    const refused = events.filter((event) => event.responseStatus?.code === 403);
    assert.deepEqual(
      refused.map((event) => `${event.verb} ${event.requestURI}`),
      [],
      'requests the chart RBAC does not allow',
    );
  });
});

function chartArgs(deployment: K8sObject): string[] {
  return podSpecOf(deployment).containers[0]?.args ?? [];
}

function serviceAccountKubeconfig(url: string, caPem: string, token: string): string {
  return `${JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'test',
          cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
        },
      ],
      users: [{ name: 'accord', user: { token } }],
      contexts: [{ name: 'accord', context: { cluster: 'test', user: 'accord' } }],
      'current-context': 'accord',
    },
    null,
    2,
  )}\n`;
}
