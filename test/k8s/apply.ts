/**
 * Test helper: server-side apply of arbitrary objects to the test API server (REST paths found by discovery, as
 * kubectl does), waiting for CRDs to be established, and SubjectAccessReviews ("can this identity do that?").
 */
import type { ApiResponse, ApiServer } from './api-server.ts';
import type { K8sObject } from './helm.ts';

const FIELD_MANAGER = 'accord-chart-test';

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

/** The REST path of an object (…/namespaces/NS/PLURAL/NAME or …/PLURAL/NAME), from the API server's discovery. */
export async function objectPath(server: ApiServer, object: K8sObject): Promise<string> {
  const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const discovery = await server.request<ApiResourceList>('GET', base);
  if (discovery.status !== 200) throw new Error(`${object.apiVersion} is not served (${discovery.status})`);
  const resource = discovery.body.resources.find(
    (entry) => entry.kind === object.kind && !entry.name.includes('/'),
  );
  if (!resource) throw new Error(`${object.apiVersion} serves no ${object.kind}`);
  const namespace = object.metadata.namespace;
  if (resource.namespaced && !namespace)
    throw new Error(`${object.kind} ${object.metadata.name} needs a namespace`);
  const scope = resource.namespaced ? `/namespaces/${namespace}` : '';
  return `${base}${scope}/${resource.name}/${object.metadata.name}`;
}

export interface ApplyOptions {
  /** Server-side dry run: validated and admitted, nothing stored. */
  dryRun?: boolean;
}

/**
 * Server-side apply with strict field validation: an unknown or duplicate field is an error rather than silently
 * dropped, so a typo in a template fails the test.
 */
export async function applyObject(
  server: ApiServer,
  object: K8sObject,
  options: ApplyOptions = {},
): Promise<ApiResponse<{ message?: string }>> {
  const query = new URLSearchParams({
    fieldManager: FIELD_MANAGER,
    fieldValidation: 'Strict',
    force: 'true',
  });
  if (options.dryRun) query.set('dryRun', 'All');
  const path = await objectPath(server, object);
  return server.request('PATCH', `${path}?${query}`, object, { contentType: 'application/apply-patch+yaml' });
}

/** Creates a namespace (with labels) if it does not exist yet. */
export async function ensureNamespace(
  server: ApiServer,
  name: string,
  labels: Record<string, string> = {},
): Promise<void> {
  const res = await applyObject(server, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  if (res.status !== 200 && res.status !== 201)
    throw new Error(`namespace ${name}: ${res.status} ${res.text}`);
}

/** Polls a CRD until its Established condition is True (generous timeout: the machine may be busy). */
export async function waitEstablished(server: ApiServer, crdName: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const res = await server.request<{ status?: { conditions?: { type: string; status: string }[] } }>(
      'GET',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`,
    );
    last = `${res.status}`;
    if (res.body.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 250));
  }
  throw new Error(`CRD ${crdName} not established after ${timeoutMs} ms (last ${last})`);
}

/** Waits until the API server's discovery lists `plural` under `groupVersion` (it lags behind Established). */
export async function waitDiscovered(
  server: ApiServer,
  groupVersion: string,
  plural: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const res = await server.request<{ resources?: { name: string }[] }>('GET', `/apis/${groupVersion}`);
    last = `${res.status}: ${(res.body.resources ?? []).map((r) => r.name).join(', ')}`;
    if (res.body.resources?.some((resource) => resource.name === plural)) return;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 250));
  }
  throw new Error(`${plural} not in the discovery of ${groupVersion} after ${timeoutMs} ms (last ${last})`);
}

export interface Access {
  verb: string;
  group?: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Whether a service account may do something, by SubjectAccessReview (the API server's RBAC authorizer decides). */
export async function serviceAccountCan(
  server: ApiServer,
  account: { namespace: string; name: string },
  access: Access,
): Promise<boolean> {
  const res = await server.request<{ status?: { allowed?: boolean } }>(
    'POST',
    '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: `system:serviceaccount:${account.namespace}:${account.name}`,
        groups: [
          'system:serviceaccounts',
          `system:serviceaccounts:${account.namespace}`,
          'system:authenticated',
        ],
        resourceAttributes: { ...access, group: access.group ?? '' },
      },
    },
  );
  if (res.status !== 201) throw new Error(`SubjectAccessReview: ${res.status} ${res.text}`);
  return res.body.status?.allowed === true;
}
