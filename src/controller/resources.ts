/**
 * The controller's vocabulary for custom resources: the shapes it reads from the API server, the labels,
 * annotations and finalizer it honours, and the keys it queues. Pure.
 */
import { deriveKindNames } from '../gen/crd.ts';
import { listKinds } from '../kinds/schemas.ts';
import { TENANT_KIND } from './tenant-schema.ts';

export const GROUP = 'accord.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export const FINALIZER = 'accord.dev/finalizer';
export const TENANT_LABEL = 'accord.dev/tenant';
export const SUSPEND_ANNOTATION = 'accord.dev/suspend';
export const RECONCILE_REQUESTED_ANNOTATION = 'accord.dev/reconcile-requested-at';
export const DELETION_POLICY_ANNOTATION = 'accord.dev/deletion-policy';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

export interface ResourceStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  id?: string;
  tenant?: string;
  lastSyncTime?: string;
  lastAppliedAt?: string;
}

/** A policy custom resource (every kind but Tenant): `spec` is the Graph shape. */
export interface PolicyResource {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: Record<string, unknown>;
  status?: ResourceStatus;
}

export type DeletionPolicy = 'Delete' | 'Orphan';

export interface TenantSpec {
  tenantId: string;
  graphEndpoint?: string;
  authorityHost?: string;
  credentials: {
    workloadIdentity?: { clientId: string };
    secretRef?: { name: string; clientIdKey?: string; clientSecretKey?: string; certificateKey?: string };
  };
  caBundle?: string;
  breakGlass?: { users?: string[]; groups?: string[] };
  prune?: boolean;
  drift?: { mode?: 'Correct' | 'Report'; interval?: string };
  deletionPolicy?: DeletionPolicy;
  rateLimit?: { conditionalAccessPerSecond?: number };
  suspend?: boolean;
}

/** Ownership record: kind → object id (lower case) → the resource name it was created for. */
export type InventoryRecord = Record<string, Record<string, string>>;

export interface TenantStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  resources?: number;
  lastSyncTime?: string;
  shard?: number;
  inventory?: InventoryRecord;
}

export interface TenantResource {
  apiVersion: string;
  kind: typeof TENANT_KIND;
  metadata: ObjectMeta;
  spec: TenantSpec;
  status?: TenantStatus;
}

export interface KindInfo {
  kind: string;
  plural: string;
}

/** The policy kinds the controller watches (one informer each), from the same list the CRDs come from. */
export function policyKinds(): KindInfo[] {
  return listKinds().map((kind) => ({ kind, plural: deriveKindNames(kind).plural }));
}

export const TENANT_INFO: KindInfo = { kind: TENANT_KIND, plural: deriveKindNames(TENANT_KIND).plural };

/** `namespace/name`: the work-queue key of a Tenant. */
export function tenantKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function isSuspended(metadata: Pick<ObjectMeta, 'annotations'>): boolean {
  return metadata.annotations?.[SUSPEND_ANNOTATION]?.trim().toLowerCase() === 'true';
}

export function isDeleting(metadata: Pick<ObjectMeta, 'deletionTimestamp'>): boolean {
  return typeof metadata.deletionTimestamp === 'string' && metadata.deletionTimestamp !== '';
}

export function hasFinalizer(metadata: Pick<ObjectMeta, 'finalizers'>): boolean {
  return (metadata.finalizers ?? []).includes(FINALIZER);
}

/** `Kind namespace/name`: how a resource is named in messages, logs and as its manifest's "file". */
export function describeResource(resource: Pick<PolicyResource, 'kind' | 'metadata'>): string {
  return `${resource.kind} ${resource.metadata.namespace}/${resource.metadata.name}`;
}
