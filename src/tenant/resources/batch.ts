/**
 * `POST /$batch` (graph-contract §7.2): up to 20 requests, unique ids, `dependsOn` sequencing with 424 Failed
 * Dependency when a dependency failed, each inner request authorised and throttled on its own.
 */
import { badRequest, buildErrorBody, GraphError } from '../errors.ts';
import type { GraphContext, GraphRequest, GraphResult, Route } from '../graph-types.ts';

const MAX_REQUESTS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function parseItems(body: unknown): BatchItem[] {
  if (
    typeof body !== 'object' ||
    body === null ||
    !Array.isArray((body as { requests?: unknown }).requests)
  ) {
    throw badRequest('Invalid batch payload format: the body must be an object with a "requests" array.');
  }
  const requests = (body as { requests: unknown[] }).requests;
  if (requests.length === 0) throw badRequest('The batch request contains no requests.');
  if (requests.length > MAX_REQUESTS) {
    throw badRequest(`The number of batch requests in the batch is exceeding the limit of ${MAX_REQUESTS}.`);
  }
  const seen = new Set<string>();
  const items = requests.map((raw, index) => {
    if (typeof raw !== 'object' || raw === null) throw badRequest(`Batch request ${index} is not an object.`);
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id === '') throw badRequest(`Batch request ${index} has no id.`);
    if (typeof r.method !== 'string' || typeof r.url !== 'string') {
      throw badRequest(`Batch request '${r.id}' needs a method and a url.`);
    }
    const key = r.id.toLowerCase();
    if (seen.has(key)) throw badRequest(`Batch request ids must be unique; '${r.id}' appears twice.`);
    seen.add(key);
    const headers: Record<string, string> = {};
    if (typeof r.headers === 'object' && r.headers !== null) {
      for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    }
    const dependsOn = Array.isArray(r.dependsOn)
      ? r.dependsOn.filter((d): d is string => typeof d === 'string')
      : [];
    return { id: r.id, method: r.method.toUpperCase(), url: r.url, headers, body: r.body, dependsOn };
  });
  for (const item of items) {
    for (const dep of item.dependsOn) {
      if (!seen.has(dep.toLowerCase()))
        throw badRequest(`Batch request '${item.id}' depends on unknown request '${dep}'.`);
    }
  }
  return items;
}

/** Dependencies first; a cycle is a malformed batch. */
function orderItems(items: BatchItem[]): BatchItem[] {
  const byId = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  const ordered: BatchItem[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: BatchItem): void => {
    const key = item.id.toLowerCase();
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') throw badRequest('The batch request dependencies form a cycle.');
    state.set(key, 'visiting');
    for (const dep of item.dependsOn) visit(byId.get(dep.toLowerCase())!);
    state.set(key, 'done');
    ordered.push(item);
  };
  items.forEach(visit);
  return ordered;
}

function toInnerRequest(ctx: GraphContext, item: BatchItem): GraphRequest {
  if (/^[a-z]+:\/\//i.test(item.url)) throw badRequest('Batch request urls must be relative, e.g. "/users".');
  let url: URL;
  try {
    url = new URL(item.url.startsWith('/') ? item.url : `/${item.url}`, 'http://batch.local');
  } catch {
    throw badRequest(`The batch request url '${item.url.slice(0, 200)}' is not a valid relative url.`);
  }
  if (/^\/\$batch\/?$/i.test(url.pathname)) throw badRequest('A batch request cannot contain another batch.');
  if (item.body !== undefined && !item.headers['content-type']) {
    throw badRequest('The Content-Type header is required for a batch request that has a body.');
  }
  return {
    method: item.method,
    path: url.pathname,
    query: url.searchParams,
    headers: { ...ctx.request.headers, ...item.headers },
    body: item.body,
  };
}

function toResponse(id: string, result: GraphResult): BatchResponse {
  const headers: Record<string, string> = { ...(result.headers ?? {}) };
  const response: BatchResponse = { id, status: result.status, headers };
  if (result.text !== undefined) {
    headers['Content-Type'] = 'text/plain';
    response.body = result.text;
  } else if (result.rawJson !== undefined || result.body !== undefined) {
    headers['Content-Type'] =
      'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
    response.body = result.rawJson !== undefined ? (JSON.parse(result.rawJson) as unknown) : result.body;
  }
  return response;
}

async function runBatch(ctx: GraphContext): Promise<GraphResult> {
  const items = orderItems(parseItems(ctx.request.body));
  const statuses = new Map<string, number>();
  const responses: BatchResponse[] = [];
  for (const item of items) {
    const failedDep = item.dependsOn.find((d) => (statuses.get(d.toLowerCase()) ?? 0) >= 400);
    let result: GraphResult;
    if (failedDep !== undefined) {
      const err = new GraphError(
        424,
        'FailedDependency',
        `The request depends on '${failedDep}', which failed.`,
      );
      result = { status: 424, body: buildErrorBody(err, ctx.requestId) };
    } else {
      try {
        result = await ctx.dispatch(toInnerRequest(ctx, item));
      } catch (err) {
        if (!(err instanceof GraphError)) throw err;
        result = { status: err.status, body: buildErrorBody(err, ctx.requestId) };
      }
    }
    statuses.set(item.id.toLowerCase(), result.status);
    responses.push(toResponse(item.id, result));
  }
  return { status: 200, body: { responses } };
}

export const batchRoutes: Route[] = [
  { method: 'POST', path: '/$batch', permissions: [], throttle: 'none', handler: runBatch },
];
