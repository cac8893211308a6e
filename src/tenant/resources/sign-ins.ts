/**
 * `GET /auditLogs/signIns[/{id}]` (v1.0 `signIn`, `AuditLog.Read.All`): the local tenant's interactive sign-ins,
 * newest first, with paging and `$filter` (e.g. `userPrincipalName eq '…'`, `appId eq '…'`,
 * `createdDateTime ge 2026-01-01T00:00:00Z`, `status/errorCode eq 53003`).
 */
import { notFound } from '../errors.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { respondCollection, respondEntity } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import { routeFactory } from '../router.ts';
import { listSignIns } from '../signin/sign-in-log.ts';
import { COLLECTIONS } from '../collections.ts';

const route = routeFactory('directory');
const ISO_DATE_LITERAL = /(\b(?:ge|gt|le|lt|eq|ne)\s+)(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))/gi;

/** Graph writes DateTimeOffset literals unquoted; compare them as the ISO strings the log stores. */
function withQuotedDates(ctx: GraphContext): GraphContext {
  const filter = ctx.request.query.get('$filter');
  if (!filter || !/\d{4}-\d{2}-\d{2}T/.test(filter)) return ctx;
  const query = new URLSearchParams(ctx.request.query);
  query.set(
    '$filter',
    filter.replace(ISO_DATE_LITERAL, (_, op: string, date: string) => {
      const parsed = new Date(date);
      return `${op}'${Number.isNaN(parsed.getTime()) ? date : parsed.toISOString()}'`;
    }),
  );
  return { ...ctx, request: { ...ctx.request, query } };
}

function list(ctx: GraphContext): GraphResult {
  return respondCollection(withQuotedDates(ctx), listSignIns(ctx.store, ctx.tenant.id), {
    contextPath: 'auditLogs/signIns',
    defaultPageSize: 50,
    maxPageSize: 1000,
  });
}

function get(ctx: GraphContext): GraphResult {
  const doc = ctx.store.get(ctx.tenant.id, COLLECTIONS.signIns, ctx.params.id!);
  if (!doc) throw notFound(`Sign-in with id ${ctx.params.id} was not found.`, 'Request_ResourceNotFound');
  return respondEntity(ctx, doc, 'auditLogs/signIns/$entity');
}

export const signInsRoutes: readonly Route[] = [
  route('GET', '/auditLogs/signIns', PERMISSIONS.auditRead, list),
  route('GET', '/auditLogs/signIns/{id}', PERMISSIONS.auditRead, get),
];
