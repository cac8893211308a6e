/**
 * The chart's rendered manifests against a real Kubernetes API server (kube-apiserver + etcd, test/k8s/api-server.ts):
 * the CRDs install and become Established; every rendered object passes a server-side dry run with strict field
 * validation (the default values, one watched namespace, three shards with workload identity, and the ServiceMonitor
 * against a minimal monitoring.coreos.com CRD of our own); the pod is admitted by Pod Security "restricted"; and
 * the RBAC, applied for real, allows exactly what the controller needs, as the API server's authorizer decides.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT, startApiServer, type ApiServer } from './api-server.ts';
import {
  applyObject,
  ensureNamespace,
  serviceAccountCan,
  waitDiscovered,
  waitEstablished,
  type Access,
} from './apply.ts';
import { podSpecOf } from './chart-objects.ts';
import { ensureHelm, ofKind, single, templateChart, type K8sObject } from './helm.ts';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

async function render(
  values: Record<string, unknown>,
  namespace: string,
  release = 'accord',
): Promise<K8sObject[]> {
  const result = await templateChart({ values, namespace, release });
  assert.equal(result.code, 0, result.stderr);
  return result.objects;
}

describe('Helm chart against a real API server', { timeout: 60 * 60_000 }, () => {
  let server: ApiServer;

  before(async () => {
    await ensureHelm();
    server = await startApiServer();
    for (const namespace of ['accord-system', 'policies', 'accord-wide'])
      await ensureNamespace(server, namespace);
  });

  after(async () => {
    await server?.stop();
  });

  /** Dry-runs every object; returns the warnings the API server sent back (e.g. Pod Security's). */
  async function dryRunAll(objects: K8sObject[]): Promise<string[]> {
    const warnings: string[] = [];
    for (const object of objects) {
      const res = await applyObject(server, object, { dryRun: true });
      assert.ok(
        res.status === 200 || res.status === 201,
        `${object.kind} ${object.metadata.name}: ${res.status} ${res.body.message ?? res.text}`,
      );
      const warning = res.headers['warning'];
      if (warning !== undefined) warnings.push(`${object.kind}: ${String(warning)}`);
    }
    return warnings;
  }

  it('installs the chart CRDs (helm template --include-crds), all Established', async () => {
    const result = await templateChart({ includeCrds: true, namespace: 'accord-system' });
    assert.equal(result.code, 0, result.stderr);
    const crds = ofKind(result.objects, 'CustomResourceDefinition');
    assert.equal(crds.length, 6);
    for (const crd of crds) {
      const res = await applyObject(server, crd);
      assert.ok(res.status === 200 || res.status === 201, `${crd.metadata.name}: ${res.status} ${res.text}`);
    }
    for (const crd of crds) await waitEstablished(server, crd.metadata.name);
    // Discovery catches up with the new CRDs a moment after they are Established.
    for (const crd of crds)
      await waitDiscovered(
        server,
        'accord.dev/v1alpha1',
        (crd.spec as { names: { plural: string } }).names.plural,
      );
  });

  it('accepts the Tenant and ConditionalAccessPolicy examples of docs/kubernetes.md (dry run)', async () => {
    const docs = readFileSync(join(REPO_ROOT, 'docs/kubernetes.md'), 'utf8');
    const examples = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((match) => parse(match[1] ?? '') as K8sObject)
      .filter((object) => object.apiVersion === 'accord.dev/v1alpha1');
    assert.deepEqual(examples.map((object) => object.kind).sort(), ['ConditionalAccessPolicy', 'Tenant']);
    for (const example of examples) {
      // A just-established CRD can answer 404 for a moment while its storage starts: retry that, nothing else.
      let res = await applyObject(server, example, { dryRun: true });
      for (let tries = 0; res.status === 404 && tries < 60; tries++) {
        await new Promise((resolvePromise) => setTimeout(resolvePromise, 500));
        res = await applyObject(server, example, { dryRun: true });
      }
      assert.ok(res.status === 200 || res.status === 201, `${example.kind}: ${res.status} ${res.text}`);
    }
  });

  it('accepts the default render, the one-namespace render and shards 3 with workload identity (dry run)', async () => {
    const renders = [
      await render({}, 'accord-system'),
      await render({ controller: { watchNamespace: 'policies' } }, 'accord-system'),
      await render(
        {
          controller: { shards: 3 },
          replicaCount: 3,
          workloadIdentity: { enabled: true, clientId: CLIENT_ID },
        },
        'accord-system',
      ),
    ];
    for (const objects of renders) {
      assert.ok(objects.length >= 7);
      const warnings = await dryRunAll(objects);
      assert.deepEqual(warnings, [], 'no warnings');
    }
  });

  it('refuses a template typo in a dry run (the check above can fail)', async () => {
    const deployment = structuredClone(single(await render({}, 'accord-system'), 'Deployment'));
    const container = podSpecOf(deployment).containers[0] as unknown as Record<
      string,
      Record<string, unknown>
    >;
    container['securityContext'] = { ...container['securityContext'], readOnlyRootFileSystem: true };
    const res = await applyObject(server, deployment, { dryRun: true });
    // Server-side apply refuses a field the type does not declare while building the typed patch (HTTP 500 from
    // kube-apiserver, not 422), naming the field.
    assert.ok(res.status >= 400, `refused: ${res.status}`);
    assert.match(
      res.body.message ?? '',
      /securityContext\.readOnlyRootFileSystem: field not declared in schema/,
    );
  });

  it('ServiceMonitor: accepted once a monitoring.coreos.com/v1 CRD is installed (minimal schema, strict)', async () => {
    const objects = await render({ metrics: { serviceMonitor: { enabled: true } } }, 'accord-system');
    const monitor = single(objects, 'ServiceMonitor');
    const before = await applyObject(server, monitor, { dryRun: true }).catch((error: Error) => error);
    assert.ok(
      before instanceof Error && /not served/.test(before.message),
      'no ServiceMonitor API without its CRD',
    );

    const crd = parse(
      readFileSync(join(import.meta.dirname, 'fixtures/servicemonitor-crd.yaml'), 'utf8'),
    ) as K8sObject;
    const installed = await applyObject(server, crd);
    assert.ok(installed.status === 200 || installed.status === 201, installed.text);
    await waitEstablished(server, crd.metadata.name);
    assert.deepEqual(await dryRunAll(objects), []);

    const badInterval = structuredClone(monitor);
    (badInterval['spec'] as { endpoints: { interval: string }[] }).endpoints[0]!.interval = 'often';
    const refused = await applyObject(server, badInterval, { dryRun: true });
    assert.equal(refused.status, 422, 'the stand-in CRD validates the interval as the real one does');
  });

  it('the pod passes Pod Security "restricted"; a weakened one does not', async () => {
    const namespace = 'accord-restricted';
    await ensureNamespace(server, namespace, {
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
    });
    const objects = await render({}, namespace);
    // The ServiceAccount admission plugin needs the account to exist before a pod that names it.
    const account = await applyObject(server, single(objects, 'ServiceAccount'));
    assert.ok(account.status === 200 || account.status === 201, account.text);
    assert.deepEqual(await dryRunAll(objects), [], 'the Deployment raises no Pod Security warning');

    const deployment = single(objects, 'Deployment');
    const template = (deployment['spec'] as { template: { metadata: K8sObject['metadata']; spec: unknown } })
      .template;
    const pod = (spec: unknown): K8sObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'accord-pod-security', namespace, labels: template.metadata.labels ?? {} },
      spec,
    });
    const admitted = await applyObject(server, pod(template.spec), { dryRun: true });
    assert.equal(admitted.status, 201, admitted.text);

    const weakened = structuredClone(template.spec) as ReturnType<typeof podSpecOf>;
    delete weakened.containers[0]!.securityContext!.allowPrivilegeEscalation;
    const refused = await applyObject(server, pod(weakened), { dryRun: true });
    assert.equal(refused.status, 403, refused.text);
    assert.match(
      refused.body.message ?? '',
      /violates PodSecurity "restricted:latest".*allowPrivilegeEscalation/,
    );
  });

  it('one watched namespace: the service account can do what the controller needs there, nothing elsewhere', async () => {
    const objects = await render({ controller: { watchNamespace: 'policies', shards: 2 } }, 'accord-system');
    for (const object of objects.filter((o) => /^(ServiceAccount|Role|RoleBinding)$/.test(o.kind))) {
      const res = await applyObject(server, object);
      assert.ok(res.status === 200 || res.status === 201, `${object.kind}: ${res.text}`);
    }
    const account = { namespace: 'accord-system', name: 'accord' };
    const can = (access: Access): Promise<boolean> => serviceAccountCan(server, account, access);
    const cap = { group: 'accord.dev', resource: 'conditionalaccesspolicies' };
    const lease = { group: 'coordination.k8s.io', resource: 'leases', namespace: 'accord-system' };

    const allowed: Access[] = [
      { ...cap, verb: 'watch', namespace: 'policies' },
      { ...cap, verb: 'patch', namespace: 'policies', name: 'x' },
      { ...cap, verb: 'patch', namespace: 'policies', subresource: 'status', name: 'x' },
      { group: 'accord.dev', resource: 'tenants', verb: 'list', namespace: 'policies' },
      { resource: 'secrets', verb: 'get', namespace: 'policies', name: 'tenant-credentials' },
      { group: 'events.k8s.io', resource: 'events', verb: 'create', namespace: 'policies' },
      { ...lease, verb: 'create' },
      { ...lease, verb: 'update', name: 'accord-shard-1' },
      { ...lease, verb: 'get', name: 'accord-shard-0' },
    ];
    const denied: Access[] = [
      { ...cap, verb: 'list', namespace: 'default' },
      { ...cap, verb: 'list' }, // all namespaces
      { ...cap, verb: 'create', namespace: 'policies' },
      { ...cap, verb: 'delete', namespace: 'policies', name: 'x' },
      { resource: 'secrets', verb: 'get', namespace: 'accord-system', name: 'x' },
      { resource: 'secrets', verb: 'list', namespace: 'kube-system' },
      { resource: 'secrets', verb: 'create', namespace: 'policies' },
      { resource: 'secrets', verb: 'list', namespace: 'policies' },
      { ...cap, verb: 'update', namespace: 'policies', name: 'x' },
      { ...cap, verb: 'update', namespace: 'policies', subresource: 'status', name: 'x' },
      { ...lease, verb: 'update', name: 'accord-shard-2' },
      { ...lease, verb: 'update', name: 'kube-controller-manager' },
      { ...lease, verb: 'list' },
      { ...lease, verb: 'delete', name: 'accord-shard-0' },
      { ...lease, verb: 'get', namespace: 'kube-system', name: 'accord-shard-0' },
      { resource: 'pods', verb: 'list', namespace: 'policies' },
    ];
    for (const access of allowed) assert.equal(await can(access), true, `allowed: ${JSON.stringify(access)}`);
    for (const access of denied) assert.equal(await can(access), false, `denied: ${JSON.stringify(access)}`);
  });

  it('every namespace: the ClusterRole reaches the custom resources and Secrets everywhere, Leases only by name', async () => {
    const objects = await render({}, 'accord-wide', 'wide');
    for (const object of objects.filter((o) => /^(ServiceAccount|(Cluster)?Role(Binding)?)$/.test(o.kind))) {
      const res = await applyObject(server, object);
      assert.ok(res.status === 200 || res.status === 201, `${object.kind}: ${res.text}`);
    }
    const account = { namespace: 'accord-wide', name: 'wide-accord' };
    const can = (access: Access): Promise<boolean> => serviceAccountCan(server, account, access);
    assert.equal(await can({ group: 'accord.dev', resource: 'namedlocations', verb: 'list' }), true);
    assert.equal(await can({ resource: 'secrets', verb: 'get', namespace: 'anywhere', name: 'x' }), true);
    assert.equal(await can({ resource: 'secrets', verb: 'watch' }), false);
    assert.equal(
      await can({ group: 'accord.dev', resource: 'namedlocations', verb: 'delete', namespace: 'x' }),
      false,
    );
    const lease = { group: 'coordination.k8s.io', resource: 'leases' };
    assert.equal(
      await can({ ...lease, verb: 'update', namespace: 'accord-wide', name: 'accord-shard-0' }),
      true,
    );
    assert.equal(
      await can({ ...lease, verb: 'update', namespace: 'default', name: 'accord-shard-0' }),
      false,
    );
    assert.equal(
      await can({ resource: 'configmaps', verb: 'get', namespace: 'accord-wide', name: 'x' }),
      false,
    );
  });
});
