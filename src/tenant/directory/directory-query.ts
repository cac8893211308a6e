/**
 * Directory collections on top of odata.ts: paging (default 100, max 999), `$count` with ConsistencyLevel,
 * advanced-query operators and `$search` gated as Graph gates them, and Graph's default user property set when no `$select`.
 */
import { badRequest } from '../errors.ts';
import type { GraphContext, GraphResult } from '../graph-types.ts';
import { parseSelect, respondCollection, respondCount } from '../odata.ts';
import { parseFilter, type FilterNode } from '../odata-filter.ts';
import { matchesSearch, parseSearch } from './directory-search.ts';
import { defaultUserView, isUserType } from './presenters.ts';

export interface DirectoryCollectionOptions {
  contextPath: string;
  /** `all`: every item is a user; `typed`: items carry `@odata.type` and users among them are narrowed. */
  users?: 'all' | 'typed' | 'none';
  present?: (doc: Record<string, unknown>) => Record<string, unknown>;
  /** Not paged (e.g. directoryRoles). */
  unpaged?: boolean;
}

function advancedOperator(node: FilterNode): string | undefined {
  switch (node.kind) {
    case 'and':
    case 'or':
      return advancedOperator(node.left) ?? advancedOperator(node.right);
    case 'not':
      return 'not';
    case 'compare':
      return node.op === 'ne' ? 'ne' : undefined;
    case 'call':
      return node.fn === 'startswith' ? undefined : node.fn;
    case 'any':
      return node.body ? advancedOperator(node.body) : undefined;
    default:
      return undefined;
  }
}

/**
 * An advanced query: `ConsistencyLevel: eventual` and `$count=true`. Next pages drop `$count` (only the first page
 * counts), so a `$skiptoken` stands for it there; the header, though, must come with every page (graph-contract
 * §7.1: headers are not carried to next pages).
 */
function isAdvancedQuery(ctx: GraphContext, countSegment: boolean): boolean {
  const level = ctx.request.headers['consistencylevel'];
  const eventual = typeof level === 'string' && level.toLowerCase() === 'eventual';
  const query = ctx.request.query;
  return (
    eventual && (countSegment || query.get('$count')?.toLowerCase() === 'true' || query.has('$skiptoken'))
  );
}

/**
 * `ne`, `not`, `endsWith`, `contains` and `$search` need `ConsistencyLevel: eventual` and `$count=true`
 * (graph-contract §6, aad-advanced-queries).
 */
export function checkAdvancedQuery(ctx: GraphContext, countSegment = false): void {
  const filter = ctx.request.query.get('$filter');
  const operator =
    filter === null || filter.trim() === '' ? undefined : advancedOperator(parseFilter(filter));
  if (operator !== undefined && !isAdvancedQuery(ctx, countSegment)) {
    throw badRequest(
      `Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count with a value of true and ConsistencyLevel header with a value of eventual.`,
      'Request_UnsupportedQuery',
    );
  }
  if (ctx.request.query.has('$search') && !isAdvancedQuery(ctx, countSegment)) {
    throw badRequest(
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'. Add $count=true as well.",
      'Request_UnsupportedQuery',
    );
  }
}

/** Applies `$search` (after `checkAdvancedQuery` has let it through). */
function searchDocs(ctx: GraphContext, docs: Record<string, unknown>[]): Record<string, unknown>[] {
  const raw = ctx.request.query.get('$search');
  if (raw === null) return docs;
  const node = parseSearch(raw);
  return docs.filter((doc) => matchesSearch(node, doc));
}

function narrowUsers(result: GraphResult, mode: 'all' | 'typed'): GraphResult {
  const body = result.body as { value?: Record<string, unknown>[] } | undefined;
  if (!body || !Array.isArray(body.value)) return result;
  body.value = body.value.map((item) => (mode === 'all' || isUserType(item) ? defaultUserView(item) : item));
  return result;
}

export function respondDirectoryCollection(
  ctx: GraphContext,
  docs: Record<string, unknown>[],
  options: DirectoryCollectionOptions,
): GraphResult {
  checkAdvancedQuery(ctx);
  const result = respondCollection(ctx, searchDocs(ctx, docs), {
    contextPath: options.contextPath,
    directory: true,
    ...(options.present ? { present: options.present } : {}),
    ...(options.unpaged ? { unpaged: true } : { defaultPageSize: 100, maxPageSize: 999 }),
  });
  const mode = options.users ?? 'none';
  if (mode === 'none' || parseSelect(ctx) !== undefined) return result;
  return narrowUsers(result, mode);
}

export function respondDirectoryCount(ctx: GraphContext, docs: Record<string, unknown>[]): GraphResult {
  checkAdvancedQuery(ctx, true);
  return respondCount(ctx, searchDocs(ctx, docs), true);
}

/** A single object, narrowed to the default user property set when it is a user and there is no `$select`. */
export function userEntityView(ctx: GraphContext, user: Record<string, unknown>): Record<string, unknown> {
  return parseSelect(ctx) === undefined ? defaultUserView(user) : user;
}
