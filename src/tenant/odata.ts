/**
 * Collection responses as Graph shapes them (graph-contract §7.1): `@odata.context`, `value`, `@odata.nextLink`
 * with an opaque `$skiptoken`, `$top`, `$select`, `$filter`, `$orderby`, `$count`.
 */
import { badRequest } from './errors.ts';
import type { GraphContext, GraphResult } from './graph-types.ts';
import { evaluateFilter, parseFilter } from './odata-filter.ts';

export interface CollectionOptions {
  /** Context path after `$metadata#`, e.g. `identity/conditionalAccess/policies`. */
  contextPath: string;
  /** Page size when `$top` is absent. Infinity lists everything in one page. */
  defaultPageSize?: number;
  maxPageSize?: number;
  /** Directory collections need `ConsistencyLevel: eventual` for `$count` and advanced queries. */
  directory?: boolean;
  /** Turns a stored document into its wire form. */
  present?: (doc: Record<string, unknown>) => Record<string, unknown>;
}

export function contextUrl(ctx: GraphContext, contextPath: string): string {
  return `${ctx.origin}/${ctx.version}/$metadata#${contextPath}`;
}

/** Removes internal bookkeeping (keys starting with `_`) before a document goes on the wire. */
export function presentDoc(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) if (!key.startsWith('_')) out[key] = value;
  return out;
}

export function selectProperties(
  doc: Record<string, unknown>,
  select: string[] | undefined,
): Record<string, unknown> {
  if (!select) return doc;
  const out: Record<string, unknown> = {};
  if (typeof doc['@odata.type'] === 'string') out['@odata.type'] = doc['@odata.type'];
  for (const name of select) {
    const key = Object.keys(doc).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key !== undefined) out[key] = doc[key];
  }
  return out;
}

export function parseSelect(ctx: GraphContext): string[] | undefined {
  const raw = ctx.request.query.get('$select');
  if (raw === null || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseTop(ctx: GraphContext, options: CollectionOptions): number {
  const raw = ctx.request.query.get('$top');
  const max = options.maxPageSize ?? 999;
  if (raw === null) return options.defaultPageSize ?? 100;
  if (!/^\d+$/.test(raw)) throw badRequest(`Invalid value '${raw}' for $top query option.`);
  const top = Number(raw);
  if (top < 1 || top > max) {
    throw badRequest(
      `Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`,
      'Request_UnsupportedQuery',
    );
  }
  return top;
}

interface SkipToken {
  offset: number;
}

function decodeSkipToken(raw: string): SkipToken {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && Number.isInteger((parsed as SkipToken).offset)) {
      return parsed as SkipToken;
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('The $skiptoken is invalid or has expired.', 'Request_BadRequest');
}

function sortDocs(docs: Record<string, unknown>[], orderBy: string): Record<string, unknown>[] {
  const [prop, dir] = orderBy.trim().split(/\s+/);
  if (!prop) return docs;
  const sign = dir?.toLowerCase() === 'desc' ? -1 : 1;
  return [...docs].sort((a, b) => {
    const x = String(a[prop] ?? '').toLowerCase();
    const y = String(b[prop] ?? '').toLowerCase();
    return x < y ? -sign : x > y ? sign : 0;
  });
}

function hasEventualConsistency(ctx: GraphContext): boolean {
  const header = ctx.request.headers['consistencylevel'];
  return typeof header === 'string' && header.toLowerCase() === 'eventual';
}

/** Applies $filter and $orderby; shared by collections and `/$count`. */
export function queryDocs(ctx: GraphContext, docs: Record<string, unknown>[]): Record<string, unknown>[] {
  const filter = ctx.request.query.get('$filter');
  let result = docs;
  if (filter !== null && filter.trim() !== '') {
    const node = parseFilter(filter);
    result = result.filter((doc) => evaluateFilter(node, doc));
  }
  const orderBy = ctx.request.query.get('$orderby');
  if (orderBy) result = sortDocs(result, orderBy);
  return result;
}

export function respondCollection(
  ctx: GraphContext,
  docs: Record<string, unknown>[],
  options: CollectionOptions,
): GraphResult {
  const present = options.present ?? presentDoc;
  const all = queryDocs(ctx, docs.map(present));
  const count = ctx.request.query.get('$count');
  const wantsCount = count?.toLowerCase() === 'true';
  if (wantsCount && options.directory && !hasEventualConsistency(ctx)) {
    throw badRequest(
      "$count is not currently supported without the 'ConsistencyLevel: eventual' request header.",
      'Request_UnsupportedQuery',
    );
  }
  const top = parseTop(ctx, options);
  const skipRaw = ctx.request.query.get('$skiptoken');
  const offset = skipRaw ? decodeSkipToken(skipRaw).offset : 0;
  const select = parseSelect(ctx);
  const page = all.slice(offset, offset + top).map((doc) => selectProperties(doc, select));
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx, options.contextPath) };
  if (wantsCount && offset === 0) body['@odata.count'] = all.length;
  if (offset + top < all.length) {
    const next = new URLSearchParams(ctx.request.query);
    next.set('$skiptoken', Buffer.from(JSON.stringify({ offset: offset + top })).toString('base64url'));
    if (!next.has('$top') && Number.isFinite(top)) next.set('$top', String(top));
    next.delete('$count');
    body['@odata.nextLink'] = `${ctx.origin}/${ctx.version}${ctx.request.path}?${next.toString()}`;
  }
  body.value = page;
  return { status: 200, body };
}

/** `GET /collection/$count`: a text/plain number; directory collections need ConsistencyLevel: eventual. */
export function respondCount(
  ctx: GraphContext,
  docs: Record<string, unknown>[],
  directory: boolean,
): GraphResult {
  if (directory && !hasEventualConsistency(ctx)) {
    throw badRequest(
      "$count is not currently supported without the 'ConsistencyLevel: eventual' request header.",
      'Request_UnsupportedQuery',
    );
  }
  return { status: 200, text: String(queryDocs(ctx, docs.map(presentDoc)).length) };
}

export function respondEntity(
  ctx: GraphContext,
  doc: Record<string, unknown>,
  contextPath: string,
  status = 200,
): GraphResult {
  const select = parseSelect(ctx);
  return {
    status,
    body: { '@odata.context': contextUrl(ctx, contextPath), ...selectProperties(presentDoc(doc), select) },
  };
}
