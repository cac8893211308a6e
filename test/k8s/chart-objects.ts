/** Typed views of the rendered chart objects the chart tests read: the pod template and RBAC rules. */
import type { K8sObject } from './helm.ts';

/** The flags of `accord controller` (its command-line contract); the chart may pass only these. */
export const CONTROLLER_FLAGS: ReadonlySet<string> = new Set([
  '--kubeconfig',
  '--namespace',
  '--metrics-bind-address',
  '--health-probe-bind-address',
  '--console-bind-address',
  '--console-allow-actions',
  '--leader-elect',
  '--no-leader-elect',
  '--leader-election-namespace',
  '--lease-duration',
  '--renew-deadline',
  '--retry-period',
  '--shards',
  '--workers',
  '--resync-period',
  '--identity',
  '--log-level',
  '--log-format',
]);

export interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface RuleAt {
  rule: Rule;
  /** Role or ClusterRole. */
  kind: string;
  /** The Role's namespace; undefined for a ClusterRole. */
  namespace: string | undefined;
  /** "Role accord-system/accord-leader-election rule 2", for messages. */
  where: string;
}

interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}

interface Probe {
  httpGet?: { path: string; port: string | number };
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string }[];
  ports?: { name: string; containerPort: number }[];
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface PodSpec {
  serviceAccountName?: string;
  terminationGracePeriodSeconds?: number;
  automountServiceAccountToken?: boolean;
  securityContext?: SecurityContext;
  containers: Container[];
  volumes?: unknown[];
  affinity?: {
    podAntiAffinity?: {
      preferredDuringSchedulingIgnoredDuringExecution?: unknown[];
      requiredDuringSchedulingIgnoredDuringExecution?: unknown[];
    };
  };
}

/** The pod spec of a Deployment's template. */
export function podSpecOf(deployment: K8sObject): PodSpec {
  return (deployment['spec'] as { template: { spec: PodSpec } }).template.spec;
}

/** Every rule of every Role and ClusterRole rendered. */
export function findRules(objects: K8sObject[]): RuleAt[] {
  return objects
    .filter((object) => object.kind === 'Role' || object.kind === 'ClusterRole')
    .flatMap((role) =>
      ((role['rules'] as Rule[] | undefined) ?? []).map((rule, index) => ({
        rule,
        kind: role.kind,
        namespace: role.metadata.namespace,
        where: `${role.kind} ${role.metadata.namespace ?? ''}/${role.metadata.name} rule ${index}`,
      })),
    );
}

/** The verbs the rules grant on one group/resource (sorted, unscoped rules only). */
export function ruleGrants(rules: Rule[], group: string, resource: string): string[] {
  const verbs = new Set<string>();
  for (const rule of rules)
    if (
      rule.apiGroups.includes(group) &&
      rule.resources.includes(resource) &&
      rule.resourceNames === undefined
    )
      for (const verb of rule.verbs) verbs.add(verb);
  return [...verbs].sort();
}
