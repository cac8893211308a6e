/**
 * The Helm chart (charts/accord) rendered by the real helm CLI (built from its Go module by scripts/helm/build.sh):
 * `helm lint`, `helm template` with the default values and the combinations operators use, values.schema.json
 * refusing bad values, and the rendered manifests checked for a hardened pod and least-privilege RBAC. The
 * manifests are also applied to a real API server (server-side dry run) in chart-api-server.test.ts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { CHART_DIR, ensureHelm, ofKind, runHelm, single, templateChart, type K8sObject } from './helm.ts';
import { CONTROLLER_FLAGS, findRules, podSpecOf, ruleGrants, type Rule } from './chart-objects.ts';

const ACCORD_RESOURCES = [
  'conditionalaccesspolicies',
  'namedlocations',
  'authenticationstrengthpolicies',
  'authenticationmethodspolicies',
  'crosstenantaccesspolicies',
  'tenants',
];

async function render(
  values: Record<string, unknown> = {},
  namespace = 'accord-system',
): Promise<K8sObject[]> {
  const result = await templateChart({ values, namespace });
  assert.equal(result.code, 0, `helm template failed:\n${result.stderr}`);
  return result.objects;
}

/** `accord controller --help` of this checkout. */
async function controllerHelp(): Promise<string> {
  const run = promisify(execFile);
  const bin = join(CHART_DIR, '..', '..', 'bin', 'accord.js');
  const { stdout } = await run(process.execPath, [
    '--disable-warning=ExperimentalWarning',
    bin,
    'controller',
    '--help',
  ]);
  return stdout;
}

function argsOf(objects: K8sObject[]): string[] {
  const container = podSpecOf(single(objects, 'Deployment')).containers[0];
  assert.ok(container, 'the Deployment has a container');
  return container.args ?? [];
}

describe('Helm chart charts/accord', { timeout: 30 * 60_000 }, () => {
  before(async () => {
    await ensureHelm();
  });

  it('passes helm lint --strict, with the default values and with every option switched on', async () => {
    const plain = await runHelm(['lint', '--strict', CHART_DIR]);
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    assert.match(plain.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    const full = await runHelm([
      'lint',
      '--strict',
      CHART_DIR,
      '--set',
      'controller.watchNamespace=policies,controller.shards=3,metrics.serviceMonitor.enabled=true',
      '--set',
      'workloadIdentity.enabled=true,workloadIdentity.clientId=11111111-2222-3333-4444-555555555555',
    ]);
    assert.equal(full.code, 0, full.stdout + full.stderr);
  });

  it('renders the default values: a hardened Deployment with two replicas under leader election', async () => {
    const objects = await render();
    const kinds = objects.map((object) => object.kind).sort();
    assert.deepEqual(kinds, [
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ]);
    const deployment = single(objects, 'Deployment');
    assert.equal((deployment['spec'] as { replicas: number }).replicas, 2);
    const pod = podSpecOf(deployment);

    // The pod: non-root, RuntimeDefault seccomp; the container: read-only root, no escalation, no capabilities.
    assert.equal(pod.securityContext?.runAsNonRoot, true);
    assert.ok((pod.securityContext?.runAsUser ?? 0) > 0, 'runAsUser is not root');
    assert.equal(pod.securityContext?.seccompProfile?.type, 'RuntimeDefault');
    const container = pod.containers[0];
    assert.ok(container);
    const security = container.securityContext ?? {};
    assert.equal(security.readOnlyRootFilesystem, true);
    assert.equal(security.allowPrivilegeEscalation, false);
    assert.equal(security.privileged, false);
    assert.equal(security.runAsNonRoot, true);
    assert.deepEqual(security.capabilities?.drop, ['ALL']);
    assert.equal(security.capabilities?.add, undefined);
    assert.equal(security.seccompProfile?.type, 'RuntimeDefault');

    // /tmp is the only writable path: an emptyDir with a size limit.
    assert.deepEqual(container.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
    assert.deepEqual(pod.volumes, [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);

    // Probes on the health port, resources with requests and limits.
    assert.equal(container.livenessProbe?.httpGet?.path, '/healthz');
    assert.equal(container.readinessProbe?.httpGet?.path, '/readyz');
    assert.equal(container.livenessProbe?.httpGet?.port, 'health');
    assert.deepEqual(
      container.ports?.map((port) => [port.name, port.containerPort]),
      [
        ['metrics', 8080],
        ['health', 8081],
      ],
    );
    assert.ok(container.resources?.requests?.['cpu'] && container.resources.requests['memory']);
    assert.ok(container.resources?.limits?.['memory'], 'a memory limit');
  });

  it('renders the command line: accord controller with known flags, leader election on, every namespace', async () => {
    const objects = await render();
    const container = podSpecOf(single(objects, 'Deployment')).containers[0];
    assert.ok(container);
    const args = container.args ?? [];
    assert.equal(args[0], 'controller');
    for (const arg of args.slice(1)) {
      const flag = arg.split('=')[0] ?? arg;
      assert.ok(CONTROLLER_FLAGS.has(flag), `${flag} is a flag of accord controller`);
    }
    assert.ok(args.includes('--leader-elect'));
    assert.ok(args.includes('--leader-election-namespace=accord-system'));
    const help = await controllerHelp();
    for (const timing of ['--lease-duration=15s', '--renew-deadline=10s', '--retry-period=2s']) {
      assert.ok(args.includes(timing), `${timing}: client-go's leader-election timing`);
      // The same defaults outside the chart.
      const [flag, value] = timing.split('=');
      assert.match(help, new RegExp(`${flag} <duration>[^\\n]*\\(default: "${value}"\\)`), `${flag} default`);
    }
    // After SIGTERM the controller gives reconciles in flight 30 s, then releases its Leases: that must fit.
    const grace = podSpecOf(single(objects, 'Deployment')).terminationGracePeriodSeconds ?? 30;
    assert.ok(grace > 30, `terminationGracePeriodSeconds ${grace} leaves time to release the Leases`);
    assert.ok(args.includes('--shards=1'));
    assert.ok(args.includes('--metrics-bind-address=:8080'));
    assert.ok(args.includes('--health-probe-bind-address=:8081'));
    assert.ok(!args.some((arg) => arg.startsWith('--namespace')), 'watches every namespace');
    assert.ok(!args.some((arg) => arg.startsWith('--kubeconfig')), 'in-cluster config');
    const env = container.env?.map((variable) => variable.name);
    assert.deepEqual(env, ['POD_NAME', 'POD_NAMESPACE']);
  });

  it('renders two replicas spread over nodes, a PodDisruptionBudget and a private service-account token', async () => {
    const objects = await render();
    const pod = podSpecOf(single(objects, 'Deployment'));
    assert.ok(pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    const pdb = single(objects, 'PodDisruptionBudget');
    assert.deepEqual(pdb['spec'], {
      minAvailable: 1,
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'accord', 'app.kubernetes.io/instance': 'accord' },
      },
    });

    // The service account's token reaches only this pod.
    const account = single(objects, 'ServiceAccount');
    assert.equal(account['automountServiceAccountToken'], false);
    assert.equal(pod.automountServiceAccountToken, true);
    assert.equal(pod.serviceAccountName, account.metadata.name);
    assert.equal(ofKind(objects, 'ServiceMonitor').length, 0, 'no ServiceMonitor unless asked');
  });

  it('grants least privilege: no wildcards, Leases by name, only the verbs the controller uses', async () => {
    const objects = await render();
    const rules = findRules(objects);
    for (const { rule, where } of rules) {
      for (const field of ['apiGroups', 'resources', 'verbs', 'resourceNames'] as const)
        assert.ok(!(rule[field] ?? []).includes('*'), `no wildcard in ${where}.${field}`);
      for (const verb of ['delete', 'deletecollection', 'escalate', 'bind', 'impersonate', 'approve'])
        assert.ok(!rule.verbs.includes(verb), `${where} does not grant ${verb}`);
      assert.equal(rule.nonResourceURLs, undefined, `${where} grants no non-resource URLs`);
    }

    // Leases: `create` alone unscoped (RBAC cannot scope it by name); get/update only on the shard Leases.
    const role = ofKind(objects, 'Role').find((object) => object.metadata.name.endsWith('-leader-election'));
    assert.ok(role, 'a leader-election Role');
    assert.equal(role.metadata.namespace, 'accord-system');
    const leaseRules = (role['rules'] as Rule[]).filter((rule) => rule.resources.includes('leases'));
    assert.deepEqual(leaseRules, [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: ['accord-shard-0'],
        verbs: ['get', 'update'],
      },
    ]);
    assert.ok(
      !rules.some(({ rule, kind }) => kind === 'ClusterRole' && rule.resources.includes('leases')),
      'Leases are never granted cluster-wide',
    );

    // The custom resources: watch and patch (no update, create or delete), status patch; Secrets by name; events.
    const clusterRole = single(objects, 'ClusterRole');
    const clusterRules = clusterRole['rules'] as Rule[];
    for (const resource of ACCORD_RESOURCES) {
      assert.deepEqual(ruleGrants(clusterRules, 'accord.dev', resource), ['get', 'list', 'patch', 'watch']);
      assert.deepEqual(ruleGrants(clusterRules, 'accord.dev', `${resource}/status`), ['patch']);
    }
    assert.deepEqual(ruleGrants(clusterRules, '', 'secrets'), ['get']);
    assert.deepEqual(ruleGrants(clusterRules, 'events.k8s.io', 'events'), ['create']);
    const granted = new Set(
      clusterRules.flatMap((rule) => rule.apiGroups.flatMap((g) => rule.resources.map((r) => `${g}/${r}`))),
    );
    assert.equal(
      granted.size,
      ACCORD_RESOURCES.length * 2 + 2,
      `nothing else granted: ${[...granted].join(', ')}`,
    );

    // Every binding names the chart's service account and its own role.
    for (const binding of [...ofKind(objects, 'RoleBinding'), ...ofKind(objects, 'ClusterRoleBinding')]) {
      assert.deepEqual(binding['subjects'], [
        { kind: 'ServiceAccount', name: 'accord', namespace: 'accord-system' },
      ]);
      const ref = binding['roleRef'] as { kind: string; name: string };
      assert.ok(objects.some((object) => object.kind === ref.kind && object.metadata.name === ref.name));
    }
  });

  it('watching one namespace: no cluster-wide role at all, Secrets only there', async () => {
    const objects = await render({ controller: { watchNamespace: 'policies' } });
    assert.deepEqual(ofKind(objects, 'ClusterRole'), []);
    assert.deepEqual(ofKind(objects, 'ClusterRoleBinding'), []);
    assert.ok(argsOf(objects).includes('--namespace=policies'));
    const roles = ofKind(objects, 'Role');
    assert.deepEqual(roles.map((role) => role.metadata.namespace).sort(), ['accord-system', 'policies']);
    const secretsAt = findRules(objects)
      .filter(({ rule }) => rule.resources.includes('secrets'))
      .map(({ namespace }) => namespace);
    assert.deepEqual(secretsAt, ['policies'], 'Secrets are readable only in the watched namespace');
    const binding = ofKind(objects, 'RoleBinding').find((object) => object.metadata.namespace === 'policies');
    assert.equal((binding?.['roleRef'] as { kind: string }).kind, 'Role');
  });

  it('shards 3: three Leases named in the Role and --shards=3', async () => {
    const objects = await render({ controller: { shards: 3 }, replicaCount: 3 });
    assert.ok(argsOf(objects).includes('--shards=3'));
    const scoped = findRules(objects).find(({ rule }) => rule.resourceNames !== undefined);
    assert.deepEqual(scoped?.rule.resourceNames, ['accord-shard-0', 'accord-shard-1', 'accord-shard-2']);
    assert.equal((single(objects, 'Deployment')['spec'] as { replicas: number }).replicas, 3);
  });

  it('ServiceMonitor: rendered only when enabled, selecting the metrics Service by its port name', async () => {
    const objects = await render({
      metrics: { serviceMonitor: { enabled: true, labels: { release: 'prom' } } },
    });
    const monitor = single(objects, 'ServiceMonitor');
    assert.equal(monitor.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(monitor.metadata.labels?.['release'], 'prom');
    const spec = monitor['spec'] as {
      selector: { matchLabels: Record<string, string> };
      endpoints: { port: string; path: string }[];
    };
    const service = single(objects, 'Service');
    for (const [key, value] of Object.entries(spec.selector.matchLabels))
      assert.equal(service.metadata.labels?.[key], value, `the Service carries ${key}`);
    assert.deepEqual(
      spec.endpoints.map((endpoint) => [endpoint.port, endpoint.path]),
      [['metrics', '/metrics']],
    );
    const ports = (service['spec'] as { ports: { name: string; targetPort: string }[] }).ports;
    assert.deepEqual(
      ports.map((port) => [port.name, port.targetPort]),
      [['metrics', 'metrics']],
    );
  });

  it('console: off by default; on, served on the pod loopback with a port and a ClusterIP Service', async () => {
    const plain = await render();
    assert.ok(!argsOf(plain).some((arg) => arg.startsWith('--console')), 'no console by default');
    assert.equal(ofKind(plain, 'Service').length, 1, 'only the metrics Service');
    const container = (objects: K8sObject[]) => podSpecOf(single(objects, 'Deployment')).containers[0]!;
    assert.ok(!(container(plain).ports ?? []).some((port) => port.name === 'console'));

    const objects = await render({ console: { enabled: true } });
    const args = argsOf(objects);
    assert.ok(args.includes('--console-bind-address=127.0.0.1:8082'), args.join(' '));
    assert.ok(!args.includes('--console-allow-actions'), 'read-only by default');
    // Every flag the chart passes is one `accord controller --help` lists.
    const help = await controllerHelp();
    for (const arg of args.slice(1)) assert.ok(help.includes(`${arg.split('=')[0]} `), `${arg} in --help`);
    const port = (container(objects).ports ?? []).find((p) => p.name === 'console');
    assert.equal(port?.containerPort, 8082);
    const service = ofKind(objects, 'Service').find((s) => s.metadata.name.endsWith('-console'));
    assert.ok(service, 'the console Service');
    const spec = service['spec'] as {
      type: string;
      selector: Record<string, string>;
      ports: { name: string; port: number; targetPort: string }[];
    };
    assert.equal(spec.type, 'ClusterIP');
    assert.deepEqual(
      spec.ports.map((p) => [p.name, p.port, p.targetPort]),
      [['console', 8082, 'console']],
    );
    const deployment = single(objects, 'Deployment')['spec'] as {
      selector: { matchLabels: Record<string, string> };
    };
    assert.deepEqual(
      spec.selector,
      deployment.selector.matchLabels,
      'the Service selects the controller pods',
    );

    const custom = await render({
      console: { enabled: true, port: 9000, allowActions: true, service: { enabled: false } },
    });
    const customArgs = argsOf(custom);
    assert.ok(customArgs.includes('--console-bind-address=127.0.0.1:9000'));
    assert.ok(customArgs.includes('--console-allow-actions'));
    assert.ok(
      !ofKind(custom, 'Service').some((s) => s.metadata.name.endsWith('-console')),
      'no console Service',
    );
  });

  it('workload identity: the service account annotation and the pod label for the AKS webhook', async () => {
    const clientId = '11111111-2222-3333-4444-555555555555';
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const objects = await render({ workloadIdentity: { enabled: true, clientId, tenantId } });
    const account = single(objects, 'ServiceAccount');
    assert.equal(account.metadata.annotations?.['azure.workload.identity/client-id'], clientId);
    assert.equal(account.metadata.annotations?.['azure.workload.identity/tenant-id'], tenantId);
    const deployment = single(objects, 'Deployment');
    const template = (deployment['spec'] as { template: { metadata: { labels: Record<string, string> } } })
      .template;
    assert.equal(template.metadata.labels['azure.workload.identity/use'], 'true');
    // Without workload identity there is neither.
    const plain = await render();
    assert.equal(single(plain, 'ServiceAccount').metadata.annotations, undefined);
    const plainLabels = (
      single(plain, 'Deployment')['spec'] as (typeof deployment)['spec'] & { template: typeof template }
    ).template.metadata.labels;
    assert.equal(plainLabels['azure.workload.identity/use'], undefined);
  });

  it('one replica without leader election: no Lease role, no PodDisruptionBudget', async () => {
    const objects = await render({ replicaCount: 1, controller: { leaderElection: { enabled: false } } });
    assert.ok(argsOf(objects).includes('--no-leader-elect'));
    assert.ok(!argsOf(objects).includes('--leader-elect'));
    assert.ok(!findRules(objects).some(({ rule }) => rule.resources.includes('leases')));
    assert.deepEqual(ofKind(objects, 'PodDisruptionBudget'), []);
  });

  it('refuses bad values with a message naming the value', async () => {
    const refused: [Record<string, unknown>, RegExp][] = [
      [{ replicaCount: 0 }, /replicaCount/],
      [{ controller: { logFormat: 'xml' } }, /logFormat/],
      [{ controller: { shards: 'three' } }, /shards/],
      [{ controller: { resyncPeriod: 'five minutes' } }, /resyncPeriod/],
      [{ controler: { shards: 2 } }, /controler/],
      [{ image: { pullPolicy: 'Sometimes' } }, /pullPolicy/],
      [{ controller: { watchNamespace: 'Not_A_Namespace' } }, /watchNamespace/],
      [{ workloadIdentity: { enabled: true, clientId: 'not-a-guid' } }, /clientId/],
      [{ console: { enabled: 'yes' } }, /console/],
      [{ console: { port: 70000 } }, /console/],
      [{ console: { allowAction: true } }, /allowAction/],
      // Checks the schema cannot express, made by the templates:
      [
        { controller: { leaderElection: { enabled: false } } },
        /leaderElection\.enabled=false needs replicaCount=1/,
      ],
      [{ workloadIdentity: { enabled: true } }, /workloadIdentity\.clientId is required/],
    ];
    for (const [values, message] of refused) {
      const result = await templateChart({ values });
      assert.notEqual(result.code, 0, `refused: ${JSON.stringify(values)}`);
      assert.match(result.stderr, message, `${JSON.stringify(values)}: ${result.stderr}`);
      assert.equal(result.stdout, '', 'nothing rendered');
    }
  });

  it('ships the CRDs of all six kinds in crds/, and helm renders them with --include-crds', async () => {
    const files = readdirSync(join(CHART_DIR, 'crds')).filter((file) => file.endsWith('.yaml'));
    const names = files.map((file) => file.replace(/\.yaml$/, '')).sort();
    assert.deepEqual(names, ACCORD_RESOURCES.map((resource) => `${resource}.accord.dev`).sort());
    const result = await templateChart({ includeCrds: true });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(ofKind(result.objects, 'CustomResourceDefinition').length, ACCORD_RESOURCES.length);
  });

  it('prints NOTES with the watched namespace, the shard Leases and the CRD upgrade step', async () => {
    const installed = await runHelm([
      'install',
      'accord',
      CHART_DIR,
      '--dry-run=client',
      '--namespace',
      'accord-system',
      '--set',
      'controller.watchNamespace=policies,controller.shards=3',
    ]);
    assert.equal(installed.code, 0, installed.stderr);
    const notes = installed.stdout.slice(installed.stdout.indexOf('NOTES:'));
    assert.match(notes, /Watching: namespace policies\./);
    assert.match(notes, /share 3 shard\(s\), one Lease each \(accord-shard-0 … accord-shard-2\)/);
    assert.match(notes, /kubectl apply --server-side -f charts\/accord\/crds\//);
    assert.doesNotMatch(notes, /port-forward/, 'no console by default');
    const withConsole = await runHelm([
      'install',
      'accord',
      CHART_DIR,
      '--dry-run=client',
      '--namespace',
      'accord-system',
      '--set',
      'console.enabled=true',
    ]);
    assert.equal(withConsole.code, 0, withConsole.stderr);
    assert.match(
      withConsole.stdout,
      /kubectl -n accord-system port-forward svc\/accord-console 8082:8082\n\s+# then open http:\/\/localhost:8082\//,
    );
    assert.match(withConsole.stdout, /web console \(read-only;/);
  });

  it('documents every value in README.md', () => {
    const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
    const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as SchemaNode;
    const missing = leafPaths(schema).filter((path) => path !== 'global' && !readme.includes(`\`${path}\``));
    assert.deepEqual(missing, [], 'values missing from the README values table');
  });
});

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
}

/**
 * Dotted paths of the values to document: the schema's described leaves, and objects whose properties carry no
 * description of their own (resources, probe timings) as one value.
 */
function leafPaths(node: SchemaNode, prefix = ''): string[] {
  const properties = node.properties ?? {};
  if (!Object.values(properties).some((child) => child.description)) return [prefix];
  return Object.entries(properties).flatMap(([key, child]) =>
    leafPaths(child, prefix ? `${prefix}.${key}` : key),
  );
}
