/**
 * Directory collections on top of odata.ts: paging (default 100, max 999), `$count` with ConsistencyLevel,
 * advanced-query operators gated as Graph gates them, and Graph's default user property set when no `$select`.
 */
import { badRequest } from '../errors.ts';
import type { GraphContext, GraphResult } from '../graph-types.ts';
import { parseSelect, respondCollection, respondCount } from '../odata.ts';
import { parseFilter, type FilterNode } from '../odata-filter.ts';
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

function isAdvancedQuery(ctx: GraphContext, countSegment: boolean): boolean {
  const level = ctx.request.headers['consistencylevel'];
  const eventual = typeof level === 'string' && level.toLowerCase() === 'eventual';
  return eventual && (countSegment || ctx.request.query.get('$count')?.toLowerCase() === 'true');
}

/** `ne`, `not`, `endsWith` and `contains` need `ConsistencyLevel: eventual` and `$count=true` (aad-advanced-queries). */
export function checkAdvancedQuery(ctx: GraphContext, countSegment = false): void {
  const filter = ctx.request.query.get('$filter');
  if (filter === null || filter.trim() === '') return;
  const operator = advancedOperator(parseFilter(filter));
  if (operator === undefined || isAdvancedQuery(ctx, countSegment)) return;
  throw badRequest(
    `Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count with a value of true and ConsistencyLevel header with a value of eventual.`,
    'Request_UnsupportedQuery',
  );
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
  const result = respondCollection(ctx, docs, {
    contextPath: options.contextPath,
    directory: true,
    ...(options.present ? { present: options.present } : {}),
    ...(options.unpaged ? { defaultPageSize: Infinity } : { defaultPageSize: 100, maxPageSize: 999 }),
  });
  const mode = options.users ?? 'none';
  if (mode === 'none' || parseSelect(ctx) !== undefined) return result;
  return narrowUsers(result, mode);
}

export function respondDirectoryCount(ctx: GraphContext, docs: Record<string, unknown>[]): GraphResult {
  checkAdvancedQuery(ctx, true);
  return respondCount(ctx, docs, true);
}

/** A single object, narrowed to the default user property set when it is a user and there is no `$select`. */
export function userEntityView(ctx: GraphContext, user: Record<string, unknown>): Record<string, unknown> {
  return parseSelect(ctx) === undefined ? defaultUserView(user) : user;
}
