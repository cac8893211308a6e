/**
 * Collection responses as Graph shapes them (graph-contract §7.1): `@odata.context`, `value`, `@odata.nextLink`
 * with an opaque `$skiptoken` (or `$skip`), `$top`, `$skip`, `$select`, `$filter`, `$orderby`, `$count`.
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
  /** Never paged: `$top` and `$skip` are ignored and there is no `@odata.nextLink` (e.g. directoryRoles). */
  unpaged?: boolean;
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

/** `$skip`: policy collections accept it (graph-contract §3.2); directory collections answer as Graph does. */
function parseSkip(ctx: GraphContext, options: CollectionOptions): number | undefined {
  const raw = ctx.request.query.get('$skip');
  if (raw === null) return undefined;
  if (options.directory) throw badRequest("'$skip' is not supported by the service.", 'Request_BadRequest');
  if (!/^\d+$/.test(raw)) throw badRequest(`Invalid value '${raw.slice(0, 100)}' for $skip query option.`);
  return Number(raw);
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

interface SortKey {
  property: string;
  sign: 1 | -1;
}

function parseOrderBy(raw: string): SortKey[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [property, direction, extra] = part.split(/\s+/);
      const dir = direction?.toLowerCase();
      if (!property || extra !== undefined || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) {
        throw badRequest(`Invalid $orderby expression: '${part.slice(0, 100)}'.`);
      }
      return { property, sign: dir === 'desc' ? -1 : 1 };
    });
}

function readPath(doc: Record<string, unknown>, path: string): unknown {
  let current: unknown = doc;
  for (const segment of path.split('/')) {
    if (current === null || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === segment.toLowerCase());
    current = key === undefined ? undefined : record[key];
  }
  return current;
}

/** Nulls sort first ascending (as OData orders them); strings case-insensitively; numbers as numbers. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function sortDocs(docs: Record<string, unknown>[], orderBy: string): Record<string, unknown>[] {
  const keys = parseOrderBy(orderBy);
  return [...docs].sort((a, b) => {
    for (const key of keys) {
      const order = compareValues(readPath(a, key.property), readPath(b, key.property));
      if (order !== 0) return order * key.sign;
    }
    return 0;
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
  const top = options.unpaged ? Infinity : parseTop(ctx, options);
  const skipRaw = options.unpaged ? null : ctx.request.query.get('$skiptoken');
  const skip = options.unpaged ? undefined : parseSkip(ctx, options);
  const offset = skipRaw ? decodeSkipToken(skipRaw).offset : (skip ?? 0);
  const select = parseSelect(ctx);
  const page = all.slice(offset, offset + top).map((doc) => selectProperties(doc, select));
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx, options.contextPath) };
  // Next pages never carry $count, so only the first page has @odata.count (graph-contract §7.1).
  if (wantsCount && !skipRaw) body['@odata.count'] = all.length;
  if (offset + top < all.length) {
    const next = new URLSearchParams(ctx.request.query);
    // A client that pages with $skip gets a $skip link; otherwise the link carries an opaque $skiptoken.
    if (skip !== undefined && !skipRaw) next.set('$skip', String(offset + top));
    else next.set('$skiptoken', Buffer.from(JSON.stringify({ offset: offset + top })).toString('base64url'));
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
