/**
 * Smoke test of the Kubernetes test harness: a real kube-apiserver with etcd on loopback
 * accepts accord's generated CRDs (server-side apply), stores and returns a ConditionalAccessPolicy custom resource
 * made from a shipped manifest, and refuses an invalid one (bad enum) with 422 from the CRD's structural schema.
 * RBAC is on: an unknown token is refused, the admin's client certificate from the kubeconfig is accepted.
 *
 * The binaries are built by `npm test`'s set-up step (scripts/test-setup.sh) when missing; started alone, the
 * harness builds them itself (many minutes on a fresh machine).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT, startApiServer, type ApiServer } from './api-server.ts';

interface Status {
  kind: 'Status';
  status: string;
  reason?: string;
  message?: string;
  code?: number;
}

interface Crd {
  metadata: { name: string };
  status?: { conditions?: { type: string; status: string }[] };
}

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; generation?: number };
  spec: Record<string, unknown>;
}

const CAP_PATH = '/apis/accord.dev/v1alpha1/namespaces/default/conditionalaccesspolicies';

describe('Kubernetes API server harness (kube-apiserver + etcd)', { timeout: 60 * 60_000 }, () => {
  let server: ApiServer;

  before(async () => {
    const started = Date.now();
    server = await startApiServer();
    console.log(`# kube-apiserver ready at ${server.url} in ${Date.now() - started} ms`);
  });

  after(async () => {
    await server?.stop();
  });

  it('serves /version and /readyz, with RBAC on', async () => {
    const version = await server.request<{ gitVersion: string }>('GET', '/version');
    assert.equal(version.status, 200);
    assert.match(version.body.gitVersion, /^v1\.\d+\.\d+/);
    console.log(`# kube-apiserver ${version.body.gitVersion}`);

    const refused = await server.request('GET', '/api/v1/namespaces', undefined, { token: 'not-a-token' });
    assert.equal(refused.status, 401);

    // An authenticated identity without bindings: RBAC says no.
    const review = await server.request<{ status: { allowed: boolean } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: 'nobody', resourceAttributes: { verb: 'list', resource: 'namespaces' } },
      },
    );
    assert.equal(review.status, 201);
    assert.equal(review.body.status.allowed, false);

    // Leases (leader election) are served by the full API server.
    const leases = await server.request('GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases');
    assert.equal(leases.status, 200);
  });

  it('the kubeconfig authenticates the admin by client certificate', async () => {
    const config = parse(readFileSync(server.kubeconfigPath, 'utf8')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
    };
    const cluster = config.clusters[0]!.cluster;
    const user = config.users[0]!.user;
    const decode = (s: string): string => Buffer.from(s, 'base64').toString('utf8');
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        new URL('/api/v1/namespaces/default', cluster.server),
        {
          ca: decode(cluster['certificate-authority-data']),
          cert: decode(user['client-certificate-data']),
          key: decode(user['client-key-data']),
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 200);
  });

  it('applies the CRDs in crds/*.yaml and they become Established', async () => {
    const files = readdirSync(join(REPO_ROOT, 'crds')).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 5);
    for (const file of files) {
      const text = readFileSync(join(REPO_ROOT, 'crds', file), 'utf8');
      const name = (parse(text) as Crd).metadata.name;
      const res = await server.request<Crd | Status>(
        'PATCH',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}?fieldManager=accord-test&force=true`,
        text,
        { contentType: 'application/apply-patch+yaml' },
      );
      assert.ok(res.status === 200 || res.status === 201, `${file}: ${res.status} ${res.text}`);
    }
    for (const file of files) {
      const name = (parse(readFileSync(join(REPO_ROOT, 'crds', file), 'utf8')) as Crd).metadata.name;
      await eventually(async () => {
        const res = await server.request<Crd>(
          'GET',
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
        );
        const established = res.body.status?.conditions?.find((c) => c.type === 'Established');
        return established?.status === 'True';
      }, `${name} Established`);
    }
    // Discovery serves the new group once the CRDs are established.
    await eventually(
      async () => (await server.request('GET', '/apis/accord.dev/v1alpha1')).status === 200,
      'discovery',
    );
  });

  it('creates a ConditionalAccessPolicy from policies/ and reads it back', async () => {
    const manifest = parse(
      readFileSync(join(REPO_ROOT, 'policies/conditional-access/require-mfa-all-users.yaml'), 'utf8'),
    ) as Resource;
    const body: Resource = { ...manifest, metadata: { ...manifest.metadata, namespace: 'default' } };
    const created = await server.request<Resource>('POST', CAP_PATH, body);
    assert.equal(created.status, 201, created.text);
    assert.ok(created.body.metadata.uid);
    assert.equal(created.body.metadata.generation, 1);

    const read = await server.request<Resource>('GET', `${CAP_PATH}/${manifest.metadata.name}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.kind, 'ConditionalAccessPolicy');
    assert.deepEqual(read.body.spec, manifest.spec);
  });

  it('refuses an invalid ConditionalAccessPolicy (bad enum) with 422', async () => {
    // The shipped manifest with only `state` wrong, so the enum is the one reason for refusal.
    const manifest = parse(
      readFileSync(join(REPO_ROOT, 'policies/conditional-access/require-mfa-all-users.yaml'), 'utf8'),
    ) as Resource;
    const res = await server.request<Status & { details?: { causes?: { field: string; reason: string }[] } }>(
      'POST',
      CAP_PATH,
      {
        ...manifest,
        metadata: { name: 'bad-state', namespace: 'default' },
        spec: { ...manifest.spec, state: 'sometimes' },
      },
    );
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.reason, 'Invalid');
    assert.match(res.body.message ?? '', /spec\.state: Unsupported value: "sometimes"/);
    assert.deepEqual(
      res.body.details?.causes?.map((c) => [c.field, c.reason]),
      [['spec.state', 'FieldValueNotSupported']],
    );
    const missing = await server.request('GET', `${CAP_PATH}/bad-state`);
    assert.equal(missing.status, 404);
  });
});

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`timed out waiting for ${what}`);
}
