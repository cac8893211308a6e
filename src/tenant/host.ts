/**
 * The local tenant's request pipeline: identity endpoints, the control API, and Graph (`/v1.0`, `/beta`):
 * faults → bearer token → tenant → route → permission → throttle → handler → Graph-shaped response.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { IdentityPlatform, type VerifiedToken } from './auth.ts';
import { COLLECTIONS } from './collections.ts';
import { ShapeError } from '../model/json-shape.ts';
import {
  buildErrorBody,
  forbidden,
  GraphError,
  methodNotAllowed,
  unauthorized,
  validationError,
} from './errors.ts';
import type { FaultDecision, FaultInjector } from './faults.ts';
import type { GraphContext, GraphRequest, GraphResult, Route } from './graph-types.ts';
import { parseJsonBody, readBody, sendEncoded, sendJson, sendRaw } from './http-io.ts';
import { describeRule, expandPermissions, isAllowed } from './permissions.ts';
import { Router } from './router.ts';
import type { Store } from './store.ts';
import type { TenantRegistry } from './tenants.ts';
import { directoryCost, type Throttle, type ThrottleDecision } from './throttle.ts';

export interface HostDeps {
  store: Store;
  tenants: TenantRegistry;
  identity: IdentityPlatform;
  routes: readonly Route[];
  faults: FaultInjector;
  throttle: Throttle;
  /** Handles `/{tenant}/oauth2/...`, OIDC metadata and discovery; returns false if the path is not its own. */
  identityEndpoints: (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    origin: string,
  ) => Promise<boolean>;
  /** Handles `/_accord/...`; returns false if the path is not its own. */
  control: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  /** Called for each Graph request served (for logs and metrics). */
  onRequest?: (entry: {
    method: string;
    path: string;
    status: number;
    ms: number;
    requestId: string;
  }) => void;
}

const GRAPH_PREFIX = /^\/(v1\.0|beta)(\/.*)?$/i;

export class TenantHost {
  private readonly deps: HostDeps;
  private readonly router: Router;
  private readonly responseCache = new Map<string, { counter: number; result: GraphResult }>();

  constructor(deps: HostDeps) {
    this.deps = deps;
    this.router = new Router(deps.routes);
  }

  async handle(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
    const requestId = randomUUID();
    res.setHeader('request-id', requestId);
    const clientRequestId = header(req, 'client-request-id');
    if (clientRequestId) res.setHeader('client-request-id', clientRequestId);
    try {
      const url = parseRequestUrl(req.url ?? '/', origin);
      const graph = GRAPH_PREFIX.exec(url.pathname);
      if (graph) {
        const version = graph[1]!.toLowerCase() === 'beta' ? 'beta' : 'v1.0';
        await this.serveGraph(req, res, { url, origin, requestId, version, path: graph[2] ?? '/' });
        return;
      }
      if (await this.deps.control(req, res, url)) return;
      if (await this.deps.identityEndpoints(req, res, url, origin)) return;
      if (url.pathname === '/' && req.method === 'GET') {
        sendJson(res, 200, {
          service: 'accord local tenant',
          graph: `${origin}/v1.0`,
          tenants: this.deps.tenants.list(),
        });
        return;
      }
      throw new GraphError(404, 'NotFound', `No endpoint at ${url.pathname}.`);
    } catch (err) {
      this.sendError(res, err, requestId, clientRequestId);
    }
  }

  private sendError(res: ServerResponse, err: unknown, requestId: string, clientRequestId?: string): void {
    const graphError =
      err instanceof GraphError
        ? err
        : new GraphError(500, 'InternalServerError', 'An internal server error occurred.');
    if (!(err instanceof GraphError)) {
      process.stderr.write(
        `local tenant: unhandled error for request ${requestId}: ${String((err as Error)?.stack ?? err)}\n`,
      );
    }
    sendJson(
      res,
      graphError.status,
      buildErrorBody(graphError, requestId, clientRequestId),
      graphError.headers,
    );
  }

  private async serveGraph(
    req: IncomingMessage,
    res: ServerResponse,
    at: { url: URL; origin: string; requestId: string; version: 'v1.0' | 'beta'; path: string },
  ): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const fault = this.deps.faults.active ? this.deps.faults.decide(method, at.url.pathname) : undefined;
    if (fault && (await this.injectBefore(fault, req, res, at.requestId))) return;
    const verified = await this.authenticate(req);
    const raw = await readBody(req);
    const request: GraphRequest = {
      method,
      path: at.path,
      query: at.url.searchParams,
      headers: req.headers,
      body: parseJsonBody(raw),
    };
    const result = await this.dispatch(request, verified, at.version, at.origin, at.requestId);
    if (fault && (await this.injectAfter(fault, res))) return;
    this.sendResult(req, res, result);
    this.deps.onRequest?.({
      method,
      path: at.url.pathname,
      status: result.status,
      ms: performance.now() - started,
      requestId: at.requestId,
    });
  }

  private sendResult(req: IncomingMessage, res: ServerResponse, result: GraphResult): void {
    if (result.encoded) {
      sendEncoded(req, res, result.status, result.encoded, result.headers ?? {});
    } else if (result.text !== undefined) {
      sendRaw(res, result.status, result.text, {
        'content-type': 'text/plain;charset=utf-8',
        ...result.headers,
      });
    } else {
      sendJson(res, result.status, result.rawJson ?? result.body, result.headers);
    }
  }

  /** Faults that answer instead of the handler. Returns true when the response is taken care of. */
  private async injectBefore(
    fault: FaultDecision,
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
  ): Promise<boolean> {
    switch (fault.kind) {
      case '429':
        // Conditional Access answers 429 without Retry-After (graph-contract §7.4).
        sendJson(
          res,
          429,
          buildErrorBody(new GraphError(429, 'TooManyRequests', 'Too many requests.'), requestId),
        );
        return true;
      case '500':
      case '503':
      case '504': {
        const status = Number(fault.kind);
        const code =
          status === 500 ? 'InternalServerError' : status === 503 ? 'ServiceUnavailable' : 'GatewayTimeout';
        sendJson(
          res,
          status,
          buildErrorBody(new GraphError(status, code, 'The service is temporarily unavailable.'), requestId),
        );
        return true;
      }
      case 'drop':
        req.socket.destroy();
        return true;
      case 'timeout':
        await sleep(fault.delayMs);
        req.socket.destroy();
        return true;
      case 'slow':
        await sleep(fault.delayMs);
        return false;
      default:
        return false;
    }
  }

  private async injectAfter(fault: FaultDecision, res: ServerResponse): Promise<boolean> {
    if (fault.kind === 'drop-after-commit') {
      res.socket?.destroy();
      return true;
    }
    if (fault.kind === 'timeout-after-commit') {
      await sleep(fault.delayMs);
      res.socket?.destroy();
      return true;
    }
    return false;
  }

  private async authenticate(req: IncomingMessage): Promise<VerifiedToken> {
    const auth = header(req, 'authorization');
    if (!auth) throw unauthorized('Access token is empty.');
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!match) throw unauthorized('Access token validation failure. Invalid audience.');
    try {
      return await this.deps.identity.verify(match[1]!);
    } catch (err) {
      const expired = err instanceof Error && /expired|exp/i.test(err.message);
      throw unauthorized(
        expired ? 'Lifetime validation failed, the token is expired.' : 'Access token validation failure.',
        'InvalidAuthenticationToken',
      );
    }
  }

  /** Runs one Graph request for an authenticated caller; also the entry point for `$batch` items. */
  async dispatch(
    request: GraphRequest,
    verified: VerifiedToken,
    version: 'v1.0' | 'beta',
    origin: string,
    requestId: string,
  ): Promise<GraphResult> {
    try {
      const tenant = this.deps.tenants.find(verified.tenantId);
      if (!tenant) throw unauthorized('The tenant of this token is not hosted here.');
      const matched = this.router.match(request.method, request.path, version);
      if (matched.kind === 'notFound') {
        throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${matched.segment}'.`);
      }
      if (matched.kind === 'methodNotAllowed') throw methodNotAllowed();
      const { route, params } = matched.match;
      const held = expandPermissions(verified.caller.permissions);
      if (!isAllowed(route.permissions, held)) {
        throw forbidden(
          `Insufficient privileges to complete the operation. This call needs ${describeRule(route.permissions)}.`,
        );
      }
      const decision = this.checkThrottle(route, request, tenant.id, verified.caller.clientId);
      if (!decision.allowed) {
        const headers: Record<string, string> = { ...decision.headers };
        if (decision.retryAfterSeconds !== undefined)
          headers['retry-after'] = String(decision.retryAfterSeconds);
        throw new GraphError(429, 'TooManyRequests', 'Too many requests.', { headers });
      }
      const ctx: GraphContext = {
        request,
        params,
        tenant,
        store: this.deps.store,
        caller: verified.caller,
        version,
        origin,
        requestId,
        dispatch: (inner) => this.dispatch(inner, verified, version, origin, randomUUID()),
      };
      const result = request.method === 'GET' ? await this.cachedGet(ctx, route) : await route.handler(ctx);
      return withHeaders(result, decision.headers);
    } catch (err) {
      const graphError = err instanceof ShapeError ? validationError(err.code, err.detail) : err;
      if (graphError instanceof GraphError) {
        const clientRequestId = request.headers['client-request-id'];
        return {
          status: graphError.status,
          body: buildErrorBody(
            graphError,
            requestId,
            typeof clientRequestId === 'string' ? clientRequestId : undefined,
          ),
          headers: graphError.headers,
        };
      }
      throw err;
    }
  }

  private checkThrottle(
    route: Route,
    request: GraphRequest,
    tenantId: string,
    clientId: string,
  ): ThrottleDecision {
    const directory = route.throttle === 'directory' && this.deps.throttle.enabled;
    return this.deps.throttle.check(route.throttle, {
      tenantId,
      clientId,
      cost: directoryCost(request.method, request.path, request.query),
      write: request.method !== 'GET',
      directorySize: directory ? this.deps.store.count(tenantId, COLLECTIONS.users) : undefined,
    });
  }

  /**
   * GET responses are cached until anything in the store changes: reads dominate (plans, drift checks, the
   * controller's resyncs) and serializing a 195-policy list on every request would make the local tenant the
   * slow part of every test.
   */
  private async cachedGet(ctx: GraphContext, route: Route): Promise<GraphResult> {
    const key = `${ctx.tenant.id}|${ctx.version}|${ctx.request.path}|${ctx.request.query.toString()}|${String(ctx.request.headers['consistencylevel'] ?? '')}`;
    const counter = ctx.store.changeCounter;
    const hit = this.responseCache.get(key);
    if (hit && hit.counter === counter) return hit.result;
    const result = await route.handler(ctx);
    if (result.status === 200 && result.body !== undefined && result.text === undefined) {
      const rawJson = JSON.stringify(result.body);
      const cached: GraphResult = {
        status: 200,
        rawJson,
        encoded: { bytes: Buffer.from(rawJson, 'utf8') },
        headers: result.headers ?? {},
      };
      if (this.responseCache.size > 2_000) this.responseCache.clear();
      this.responseCache.set(key, { counter, result: cached });
      return cached;
    }
    return result;
  }
}

/** The result with extra response headers, without touching a cached result. */
function withHeaders(result: GraphResult, headers: Record<string, string>): GraphResult {
  if (Object.keys(headers).length === 0) return result;
  return { ...result, headers: { ...result.headers, ...headers } };
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseRequestUrl(raw: string, origin: string): URL {
  try {
    // Always relative to our own origin: a path such as `//evil.example/x` must not become another host.
    return new URL(`${origin}${raw.startsWith('/') ? raw : `/${raw}`}`);
  } catch {
    throw new GraphError(400, 'BadRequest', 'The request URL is malformed.');
  }
}
