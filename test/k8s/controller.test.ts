/**
 * The controller end to end, against a real kube-apiserver + etcd and a real local tenant over HTTPS: custom
 * resources become tenant objects with Ready=True; edits update them; deletion deletes or orphans per policy; changes
 * made in the tenant by hand raise Drifted and are corrected or only reported; bad resources are refused by the API
 * server (the CRD's schema) or reported Ready=False with nothing written. One API server and one in-process
 * controller for the whole file; each case has its own namespace and Tenant.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LogFields, Logger } from '../../src/log/log-port.ts';
import { createLogger } from '../../src/log/logger.ts';
import {
  caPolicy,
  condition,
  eventually,
  resourcePath,
  startControllerEnv,
  startInProcessController,
  type ControllerEnv,
  type InProcessController,
  type Resource,
} from './controller-harness.ts';

const CAP = 'conditionalaccesspolicies';

/** Every line the controller logs, as text (message and fields), to look for what must never be there. */
function recordingLogger(lines: string[]): Logger {
  const verbose = process.env.ACCORD_TEST_VERBOSE ? createLogger({ level: 'debug' }) : undefined;
  const record =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (message: string, fields?: LogFields): void => {
      lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
      verbose?.[level](message, fields);
    };
  return { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') };
}

describe('accord controller against a real API server', { timeout: 10 * 60_000 }, () => {
  let env: ControllerEnv;
  let controller: InProcessController;
  const logLines: string[] = [];

  before(async () => {
    env = await startControllerEnv();
    controller = await startInProcessController(env, { logger: recordingLogger(logLines) });
  });

  after(async () => {
    await controller?.stop();
    await env?.close();
  });

  const get = async (ns: string, name: string, plural = CAP): Promise<Resource | undefined> => {
    const res = await env.kube('GET', resourcePath(plural, ns, name));
    return res.status === 200 ? res.body : undefined;
  };

  const waitReady = (
    ns: string,
    name: string,
    status: 'True' | 'False',
    generation?: number,
  ): Promise<Resource> =>
    eventually(async () => {
      const resource = await get(ns, name);
      const ready = condition(resource, 'Ready');
      if (ready?.status !== status) return undefined;
      if (generation !== undefined && resource?.status?.observedGeneration !== generation) return undefined;
      return resource;
    }, `${ns}/${name} Ready=${status}`);

  const policiesNamed = async (
    displayName: string,
  ): Promise<{ id: string; state: string; displayName: string }[]> => {
    const res = await env.graph('GET', '/identity/conditionalAccess/policies');
    return (res.body.value as { id: string; state: string; displayName: string }[]).filter(
      (p) => p.displayName === displayName,
    );
  };

  const create = async (ns: string, resource: Resource): Promise<void> => {
    const res = await env.kube('POST', resourcePath(CAP, ns), resource);
    assert.equal(res.status, 201, res.text);
  };

  it('a resource becomes a tenant object, Ready=True with its id; an edit updates it', async () => {
    await env.createTenantNamespace('basic');
    await create('basic', caPolicy('mfa-all', 'K8s basic MFA'));
    const ready = await waitReady('basic', 'mfa-all', 'True', 1);
    const [policy] = await policiesNamed('K8s basic MFA');
    assert.ok(policy, 'the policy exists in the tenant');
    assert.equal(ready.status?.id, policy.id);
    assert.ok(ready.metadata.finalizers?.includes('accord.dev/finalizer'));
    assert.equal(condition(ready, 'Stalled')?.status, 'False');
    assert.equal(condition(ready, 'Drifted')?.status, 'False');

    const patched = await env.kube(
      'PATCH',
      resourcePath(CAP, 'basic', 'mfa-all'),
      { spec: { state: 'disabled' } },
      'application/merge-patch+json',
    );
    assert.equal(patched.status, 200, patched.text);
    await waitReady('basic', 'mfa-all', 'True', 2);
    const [after] = await policiesNamed('K8s basic MFA');
    assert.equal(after?.state, 'disabled');
    assert.equal(after?.id, policy.id, 'updated in place');

    const tenant = await get('basic', 'contoso', 'tenants');
    assert.equal(condition(tenant, 'Ready')?.status, 'True');
    assert.ok(
      tenant?.status?.inventory?.ConditionalAccessPolicy?.[policy.id.toLowerCase()],
      'the inventory records the created object',
    );
  });

  it('deletion deletes (policy Delete) or leaves the object (annotation Orphan)', async () => {
    await env.createTenantNamespace('deletion');
    await create('deletion', caPolicy('to-delete', 'K8s deleted'));
    await create(
      'deletion',
      caPolicy('to-orphan', 'K8s orphaned', {}, { annotations: { 'accord.dev/deletion-policy': 'Orphan' } }),
    );
    await waitReady('deletion', 'to-delete', 'True');
    await waitReady('deletion', 'to-orphan', 'True');
    assert.equal((await policiesNamed('K8s deleted')).length, 1);

    await env.kube('DELETE', resourcePath(CAP, 'deletion', 'to-delete'));
    await env.kube('DELETE', resourcePath(CAP, 'deletion', 'to-orphan'));
    await eventually(
      async () =>
        (await get('deletion', 'to-delete')) === undefined &&
        (await get('deletion', 'to-orphan')) === undefined,
      'both resources gone',
    );
    assert.equal((await policiesNamed('K8s deleted')).length, 0, 'Delete: the tenant object is gone');
    assert.equal((await policiesNamed('K8s orphaned')).length, 1, 'Orphan: the tenant object stays');
    const tenant = await get('deletion', 'contoso', 'tenants');
    const owned = Object.values(tenant?.status?.inventory?.ConditionalAccessPolicy ?? {});
    assert.deepEqual(owned, [], 'neither object is owned any more');
  });

  it('drift is corrected (mode Correct) with Drifted and an event', async () => {
    await env.createTenantNamespace('drift-correct', { drift: { mode: 'Correct', interval: '3s' } });
    await create('drift-correct', caPolicy('watched', 'K8s drift corrected'));
    const ready = await waitReady('drift-correct', 'watched', 'True');
    const id = ready.status!.id!;
    const patched = await env.graph('PATCH', `/identity/conditionalAccess/policies/${id}`, {
      state: 'disabled',
    });
    assert.equal(patched.status, 204);
    const corrected = await eventually(async () => {
      const resource = await get('drift-correct', 'watched');
      return condition(resource, 'Drifted')?.reason === 'DriftCorrected' ? resource : undefined;
    }, 'DriftCorrected');
    assert.match(condition(corrected, 'Drifted')!.message, /state/);
    const [policy] = await policiesNamed('K8s drift corrected');
    assert.equal(policy?.state, 'enabledForReportingButNotEnforced', 'put back');
    // Events are posted after the status write, best-effort and without waiting: wait for this one to appear.
    const event = await eventually(async () => {
      const events = await env.kube<{
        items: { reason: string; note: string; regarding: { name: string } }[];
      }>('GET', '/apis/events.k8s.io/v1/namespaces/drift-correct/events');
      return events.body.items.find((e) => e.reason === 'DriftCorrected' && e.regarding.name === 'watched');
    }, 'a DriftCorrected event about the resource');
    assert.match(event.note, /state/);
  });

  it('drift is only reported (mode Report): Drifted=True, the tenant keeps the change', async () => {
    await env.createTenantNamespace('drift-report', { drift: { mode: 'Report', interval: '3s' } });
    await create('drift-report', caPolicy('watched', 'K8s drift reported'));
    const ready = await waitReady('drift-report', 'watched', 'True');
    const patched = await env.graph('PATCH', `/identity/conditionalAccess/policies/${ready.status!.id}`, {
      state: 'disabled',
    });
    assert.equal(patched.status, 204);
    const drifted = await eventually(async () => {
      const resource = await get('drift-report', 'watched');
      return condition(resource, 'Drifted')?.status === 'True' ? resource : undefined;
    }, 'Drifted=True');
    assert.equal(condition(drifted, 'Drifted')?.reason, 'DriftDetected');
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const [policy] = await policiesNamed('K8s drift reported');
    assert.equal(policy?.state, 'disabled', 'not corrected');
  });

  it('an invalid resource is refused by the API server (the CRD schema)', async () => {
    await env.createTenantNamespace('invalid');
    const bad = caPolicy('bad-state', 'K8s invalid', { state: 'sometimes' });
    const res = await env.kube<{ reason: string; message: string }>(
      'POST',
      resourcePath(CAP, 'invalid'),
      bad,
    );
    assert.equal(res.status, 422, res.text);
    assert.match(res.body.message, /spec\.state: Unsupported value: "sometimes"/);
    const tenant = await env.kube<{ reason: string; message: string }>(
      'POST',
      resourcePath('tenants', 'invalid'),
      {
        apiVersion: 'accord.dev/v1alpha1',
        kind: 'Tenant',
        metadata: { name: 'two-credentials' },
        spec: env.tenantSpec({
          credentials: {
            secretRef: { name: 'x' },
            workloadIdentity: { clientId: '00000000-0000-0000-0000-000000000001' },
          },
        }),
      },
    );
    assert.equal(tenant.status, 422, tenant.text);
    assert.match(
      tenant.body.message,
      /exactly one of credentials\.workloadIdentity or credentials\.secretRef/,
    );
    const cleartext = await env.kube<{ reason: string; message: string }>(
      'POST',
      resourcePath('tenants', 'invalid'),
      {
        apiVersion: 'accord.dev/v1alpha1',
        kind: 'Tenant',
        metadata: { name: 'plain-http' },
        spec: env.tenantSpec({ graphEndpoint: 'http://graph.example.com' }),
      },
    );
    assert.equal(cleartext.status, 422, cleartext.text);
    assert.match(
      cleartext.body.message,
      /graphEndpoint must use https \(plain http only to a loopback address/,
    );
  });

  it('an unresolvable name or a lockout is Ready=False with a clear message, and nothing is written', async () => {
    await env.createTenantNamespace('semantic');
    const writesBefore = env.writes.length;
    await create(
      'semantic',
      caPolicy('unresolved', 'K8s unresolved', {
        conditions: {
          users: { includeUsers: ['All'], excludeGroups: ['No such group'] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
        },
      }),
    );
    await create(
      'semantic',
      caPolicy('lockout', 'K8s lockout', {
        state: 'enabled',
        conditions: {
          users: { includeUsers: ['All'] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
        },
        grantControls: { operator: 'OR', builtInControls: ['block'] },
      }),
    );
    const unresolved = await waitReady('semantic', 'unresolved', 'False');
    assert.deepEqual(
      unresolved.status?.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}@${c.observedGeneration}`),
      [
        'Ready=False/UnresolvedReference@1',
        'Reconciling=False/UnresolvedReference@1',
        'Stalled=True/UnresolvedReference@1',
        'Drifted=Unknown/NotCompared@1',
      ],
      'all four conditions, each with the generation it describes',
    );
    assert.equal(unresolved.status?.observedGeneration, 1);
    assert.equal(condition(unresolved, 'Ready')?.reason, 'UnresolvedReference');
    assert.match(condition(unresolved, 'Ready')!.message, /'No such group' matches no group/);
    assert.equal(condition(unresolved, 'Stalled')?.status, 'True');
    const lockout = await waitReady('semantic', 'lockout', 'False');
    assert.equal(condition(lockout, 'Ready')?.reason, 'LockoutRefused');
    assert.match(condition(lockout, 'Ready')!.message, /break-glass/);
    assert.equal((await policiesNamed('K8s unresolved')).length, 0);
    assert.equal((await policiesNamed('K8s lockout')).length, 0);
    const ours = env.writes.slice(writesBefore).filter((w) => w.path.includes('conditionalAccess'));
    assert.deepEqual(ours, [], 'no write reached the tenant');
  });

  it('prune deletes only what the controller created and no resource claims any more', async () => {
    await env.createTenantNamespace('prune', { prune: true });
    const unmanaged = await env.graph('POST', '/identity/conditionalAccess/policies', {
      displayName: 'K8s made by hand',
      state: 'disabled',
      conditions: {
        users: { includeUsers: ['None'] },
        applications: { includeApplications: ['None'] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    assert.equal(unmanaged.status, 201);
    await create('prune', caPolicy('kept', 'K8s prune kept'));
    await create('prune', caPolicy('gone', 'K8s prune gone'));
    await waitReady('prune', 'kept', 'True');
    await waitReady('prune', 'gone', 'True');
    // The resource disappears without the controller's finalizer (removed by hand): only prune can clean up.
    await env.kube(
      'PATCH',
      resourcePath(CAP, 'prune', 'gone'),
      { metadata: { finalizers: null } },
      'application/merge-patch+json',
    );
    await env.kube('DELETE', resourcePath(CAP, 'prune', 'gone'));
    await eventually(
      async () => (await policiesNamed('K8s prune gone')).length === 0,
      'the orphaned object pruned',
    );
    assert.equal((await policiesNamed('K8s prune kept')).length, 1);
    assert.equal(
      (await policiesNamed('K8s made by hand')).length,
      1,
      'an object accord did not create is never pruned',
    );
  });

  it('suspend holds changes back; reconcile-requested-at reconciles at once', async () => {
    await env.createTenantNamespace('suspend', { drift: { interval: '1h' } });
    await create('suspend', caPolicy('held', 'K8s suspended'));
    await waitReady('suspend', 'held', 'True', 1);
    const suspend = {
      metadata: { annotations: { 'accord.dev/suspend': 'true' } },
      spec: { state: 'disabled' },
    };
    await env.kube('PATCH', resourcePath(CAP, 'suspend', 'held'), suspend, 'application/merge-patch+json');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(
      (await policiesNamed('K8s suspended'))[0]?.state,
      'enabledForReportingButNotEnforced',
      'held back',
    );
    await env.kube(
      'PATCH',
      resourcePath(CAP, 'suspend', 'held'),
      { metadata: { annotations: { 'accord.dev/suspend': null } } },
      'application/merge-patch+json',
    );
    await waitReady('suspend', 'held', 'True', 2);
    assert.equal((await policiesNamed('K8s suspended'))[0]?.state, 'disabled', 'applied once resumed');

    // Drift is checked hourly here; asking for a reconcile finds it now.
    const id = (await get('suspend', 'held'))!.status!.id!;
    await env.graph('PATCH', `/identity/conditionalAccess/policies/${id}`, { state: 'enabled' });
    await env.kube(
      'PATCH',
      resourcePath('tenants', 'suspend', 'contoso'),
      { metadata: { annotations: { 'accord.dev/reconcile-requested-at': new Date().toISOString() } } },
      'application/merge-patch+json',
    );
    await eventually(
      async () => (await policiesNamed('K8s suspended'))[0]?.state === 'disabled',
      'drift corrected on request',
    );
  });

  it('a resource without a Tenant is Ready=False (TenantNotFound)', async () => {
    await env.kube('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'no-tenant' },
    });
    await create('no-tenant', caPolicy('orphan', 'K8s no tenant'));
    const resource = await waitReady('no-tenant', 'orphan', 'False');
    assert.equal(condition(resource, 'Ready')?.reason, 'TenantNotFound');
  });

  it('refused credentials: CredentialsInvalid on the Tenant, TenantNotReady on its resources, the secret nowhere', async () => {
    const secret = `wrong-${randomBytes(12).toString('hex')}`;
    const writer = env.summary.apps.find((a) => a.displayName === 'accord-writer')!;
    await env.kube('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'bad-credentials' },
    });
    await env.kube('POST', '/api/v1/namespaces/bad-credentials/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'accord-writer' },
      stringData: { clientId: writer.clientId, clientSecret: secret },
    });
    const created = await env.kube('POST', resourcePath('tenants', 'bad-credentials'), {
      apiVersion: 'accord.dev/v1alpha1',
      kind: 'Tenant',
      metadata: { name: 'contoso' },
      spec: env.tenantSpec(),
    });
    assert.equal(created.status, 201, created.text);
    const writesBefore = env.writes.length;
    await create('bad-credentials', caPolicy('never-written', 'K8s bad credentials'));
    const tenant = await eventually(async () => {
      const res = await get('bad-credentials', 'contoso', 'tenants');
      return condition(res, 'Ready')?.reason === 'CredentialsInvalid' ? res : undefined;
    }, 'the Tenant Ready=False (CredentialsInvalid)');
    assert.equal(condition(tenant, 'Ready')?.status, 'False');
    assert.equal(
      condition(tenant, 'Stalled')?.status,
      'True',
      'retrying cannot help until the Secret changes',
    );
    assert.match(condition(tenant, 'Ready')!.message, /access token/);
    const resource = await waitReady('bad-credentials', 'never-written', 'False');
    assert.equal(condition(resource, 'Ready')?.reason, 'TenantNotReady');
    assert.deepEqual(env.writes.slice(writesBefore), [], 'nothing was written to the tenant');
    const events = await eventually(async () => {
      const res = await env.kube<{ items: { reason: string }[] }>(
        'GET',
        '/apis/events.k8s.io/v1/namespaces/bad-credentials/events',
      );
      return res.body.items.some((e) => e.reason === 'CredentialsInvalid') ? res : undefined;
    }, 'a CredentialsInvalid event');
    for (const [what, text] of [
      ['Tenant status', JSON.stringify(tenant.status)],
      ['resource status', JSON.stringify(resource.status)],
      ['events', events.text],
      ['log', logLines.join('\n')],
    ] as const)
      assert.ok(!text.includes(secret), `the client secret appears in the ${what}`);
    assert.ok(
      logLines.some((line) => line.includes('bad-credentials/contoso')),
      'the log does cover this Tenant (the check above can fail)',
    );
  });

  it('a Tenant suspended by annotation: nothing written, Reconciling=False (Suspended); resumed when removed', async () => {
    await env.createTenantNamespace('tenant-suspend', { drift: { interval: '1h' } });
    await create('tenant-suspend', caPolicy('held', 'K8s tenant suspended'));
    await waitReady('tenant-suspend', 'held', 'True', 1);
    const annotate = (value: string | null): Promise<unknown> =>
      env.kube(
        'PATCH',
        resourcePath('tenants', 'tenant-suspend', 'contoso'),
        { metadata: { annotations: { 'accord.dev/suspend': value } } },
        'application/merge-patch+json',
      );
    await annotate('true');
    await eventually(async () => {
      const tenant = await get('tenant-suspend', 'contoso', 'tenants');
      return condition(tenant, 'Reconciling')?.reason === 'Suspended';
    }, 'the Tenant Reconciling=False (Suspended)');
    await env.kube(
      'PATCH',
      resourcePath(CAP, 'tenant-suspend', 'held'),
      { spec: { state: 'disabled' } },
      'application/merge-patch+json',
    );
    const held = await eventually(async () => {
      const resource = await get('tenant-suspend', 'held');
      return condition(resource, 'Reconciling')?.reason === 'Suspended' ? resource : undefined;
    }, 'the resource Reconciling=False (Suspended)');
    assert.equal(held.status?.observedGeneration, 1, 'generation 2 is not claimed as observed');
    assert.equal(condition(held, 'Ready')?.status, 'True', 'Ready keeps what the last reconcile found');
    assert.equal(
      (await policiesNamed('K8s tenant suspended'))[0]?.state,
      'enabledForReportingButNotEnforced',
      'held back',
    );
    await annotate(null);
    await waitReady('tenant-suspend', 'held', 'True', 2);
    assert.equal((await policiesNamed('K8s tenant suspended'))[0]?.state, 'disabled', 'applied once resumed');
  });

  it("serves controller-runtime's metrics and accord's own, counting this run", async () => {
    const text = await controller.metrics.registry.metrics();
    const value = (series: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      assert.ok(line, `${series} is exposed`);
      return Number(line.slice(series.length + 1));
    };
    assert.ok(value('controller_runtime_reconcile_total{controller="tenant",result="requeue_after"}') > 0);
    assert.ok(
      value('controller_runtime_reconcile_errors_total{controller="tenant"}') > 0,
      'the bad credentials',
    );
    assert.equal(value('controller_runtime_max_concurrent_reconciles{controller="tenant"}'), 4);
    assert.equal(value('leader_election_master_status{name="accord-shard-0"}'), 1);
    assert.ok(value('accord_apply_outcomes_total{outcome="created"}') > 0);
    assert.ok(value('accord_apply_outcomes_total{outcome="deleted"}') > 0);
    assert.ok(value('accord_apply_outcomes_total{outcome="orphaned"}') > 0);
    assert.ok(value('accord_drift_detected_total{tenant="drift-correct/contoso",mode="Correct"}') > 0);
    assert.ok(value('accord_drift_detected_total{tenant="drift-report/contoso",mode="Report"}') > 0);
    assert.ok(value('accord_graph_requests_total{tenant="basic/contoso",status="200"}') > 0);
    assert.ok(value('workqueue_adds_total{name="tenant"}') > 0);
    assert.match(
      text,
      /^rest_client_requests_total\{code="200",method="PATCH",host="127\.0\.0\.1:\d+"\} \d+$/m,
    );
    for (const name of ['workqueue_unfinished_work_seconds', 'workqueue_longest_running_processor_seconds'])
      assert.ok(value(`${name}{name="tenant"}`) >= 0);
    assert.ok(value('controller_runtime_active_workers{controller="tenant"}') >= 0);
  });
});
