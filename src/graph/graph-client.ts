/**
 * The Graph adapter: implements the core's `GraphPort` over HTTP with built-in `fetch` (graph-contract §7).
 * Authentication through any `@azure/identity`-style credential; paging by following `@odata.nextLink` verbatim;
 * `$batch` in groups of 20 (graph-batch.ts); per-request timeouts; retries of 429/503/504 and broken connections
 * with back-off that honours Retry-After; client-side pacing of Conditional Access (pacer.ts). A POST whose fate is
 * unknown is never retried blindly: it surfaces as `AmbiguousWriteError` so the caller re-reads first.
 * Every request is logged at debug level (method, path, status, ms, request id, attempt) — never a header.
 */
import type { BatchItem, BatchResult, GraphBody, GraphPort } from '../core/graph-port.ts';
import { silentLogger, type Logger } from '../log/log-port.ts';
import {
  AccessTokenCache,
  defaultGraphScope,
  permissionsInToken,
  type AccessTokenProvider,
} from './access-token.ts';
import { runBatch } from './graph-batch.ts';
import {
  AmbiguousWriteError,
  buildGraphRequestError,
  GraphRequestError,
  networkError,
} from './graph-errors.ts';
import { classifyPath, Pacer, realClock, type Clock, type PathFamily } from './pacer.ts';
import { describeRequestPath } from './request-log.ts';
import {
  classifyNetworkError,
  computeBackoffMs,
  computeThrottleBackoffMs,
  describeErrorChain,
  isSafeToRetry,
  parseRetryAfter,
  type BackoffOptions,
} from './retry-policy.ts';
import type { GraphClientStats, SendRequest, SendResponse } from './send-types.ts';

export type { AccessToken, AccessTokenProvider } from './access-token.ts';
export type { GraphClientStats, SendRequest, SendResponse } from './send-types.ts';

export interface GraphClientOptions {
  /** The version root, e.g. `https://graph.microsoft.com/v1.0` or the local tenant's `graphUrl`. */
  baseUrl: string;
  credential: AccessTokenProvider;
  /** Default: `<graph origin>/.default` for Microsoft clouds, `https://graph.microsoft.com/.default` otherwise. */
  scopes?: string[];
  logger?: Logger;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Timeout for the authentication-methods policy, which Graph documents as slow (default 60 s). */
  longTimeoutMs?: number;
  /** Retries after the first attempt (default 6). */
  maxRetries?: number;
  /** First back-off for 5xx / network failures (default 1 s). */
  baseDelayMs?: number;
  /** First back-off for a 429 without Retry-After (default 2 s; then 4 s, 8 s…). */
  throttleBaseDelayMs?: number;
  /** Cap on any wait (default 120 s). */
  maxDelayMs?: number;
  /** Conditional Access pacing (default 1 request/s, burst 1). */
  conditionalAccessPerSecond?: number;
  conditionalAccessBurst?: number;
  /** `$batch` requests in flight at once (default 2). */
  batchConcurrency?: number;
  fetch?: typeof fetch;
  clock?: Clock;
  random?: () => number;
}

export class GraphClient implements GraphPort {
  readonly stats: GraphClientStats = {
    total: 0,
    byMethod: {},
    retries: 0,
    throttled: 0,
    batchRequests: 0,
    batchItems: 0,
    pacedMs: 0,
  };
  readonly maxRetries: number;
  readonly pacer: Pacer;
  readonly logger: Logger;
  private readonly baseUrl: URL;
  private readonly options: GraphClientOptions;
  private readonly backoff: BackoffOptions;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly fetchImpl: typeof fetch;
  private readonly tokens: AccessTokenCache;

  constructor(options: GraphClientOptions) {
    this.options = options;
    this.baseUrl = new URL(options.baseUrl.replace(/\/+$/, ''));
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.fetchImpl = options.fetch ?? fetch;
    this.maxRetries = options.maxRetries ?? 6;
    this.backoff = {
      baseDelayMs: options.baseDelayMs ?? 1_000,
      throttleBaseDelayMs: options.throttleBaseDelayMs ?? 2_000,
      maxDelayMs: options.maxDelayMs ?? 120_000,
    };
    this.pacer = new Pacer({
      conditionalAccessPerSecond: options.conditionalAccessPerSecond,
      conditionalAccessBurst: options.conditionalAccessBurst,
      clock: this.clock,
    });
    this.tokens = new AccessTokenCache(
      options.credential,
      options.scopes ?? [defaultGraphScope(this.baseUrl)],
    );
  }

  async get(path: string): Promise<GraphBody | undefined> {
    const response = await this.send({ method: 'GET', path });
    if (response.status === 404) return undefined;
    return this.expectObject('GET', path, response);
  }

  async list(path: string): Promise<GraphBody[]> {
    const items: GraphBody[] = [];
    // Graph does not carry ConsistencyLevel to the next pages by itself (graph-contract §7.1).
    const headers = needsEventualConsistency(path) ? { consistencylevel: 'eventual' } : undefined;
    let next: string | undefined = path;
    while (next !== undefined) {
      const response = await this.send({ method: 'GET', path: next, headers });
      const page = this.expectObject('GET', next, response);
      const value = page.value;
      if (!Array.isArray(value)) {
        throw new GraphRequestError(
          response.status,
          'InvalidResponse',
          `GET ${path}: the answer has no value array`,
        );
      }
      items.push(...(value as GraphBody[]));
      next = typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'] : undefined;
    }
    return items;
  }

  async post(path: string, body: GraphBody): Promise<GraphBody> {
    const response = await this.send({ method: 'POST', path, body, idempotent: false });
    if (response.status === 204 || response.body === undefined) {
      this.throwUnlessOk('POST', path, response);
      return {};
    }
    return this.expectObject('POST', path, response);
  }

  async patch(path: string, body: GraphBody): Promise<GraphBody | undefined> {
    const response = await this.send({ method: 'PATCH', path, body });
    this.throwUnlessOk('PATCH', path, response);
    return isObject(response.body) ? response.body : undefined;
  }

  async delete(path: string): Promise<void> {
    const response = await this.send({ method: 'DELETE', path });
    // The first attempt may have deleted it before the connection broke: gone is what was asked for.
    if (response.status === 404 && response.afterAmbiguousAttempt) return;
    this.throwUnlessOk('DELETE', path, response);
  }

  /**
   * The application permissions (`roles`, or delegated `scp`) in the access token this client sends, decoded without
   * verifying it (the server does that): lets a caller refuse up front what the identity may not do. Undefined when
   * the token is not a JWT (opaque tokens say nothing about what they allow).
   */
  async grantedPermissions(): Promise<string[] | undefined> {
    return permissionsInToken(await this.tokens.getToken());
  }

  /** Any number of requests: `$batch`es of 20, Conditional Access items paced one by one; results in order. */
  batch(items: readonly BatchItem[]): Promise<BatchResult[]> {
    return runBatch(this, items, {
      concurrency: this.options.batchConcurrency ?? 2,
      backoff: this.backoff,
      random: this.random,
      clock: this.clock,
    });
  }

  /**
   * One request with retries. Returns the final answer whatever its status (callers decide what is an error);
   * throws `AmbiguousWriteError` for a non-idempotent request that may have been processed, and
   * `GraphRequestError` (status 0) when the network failed for good.
   */
  async send(request: SendRequest): Promise<SendResponse> {
    const url = this.resolveUrl(request.path);
    const logPath = describeRequestPath(url, this.baseUrl);
    const family = classifyPath(url.href.slice(this.baseUrl.href.length) || '/');
    const idempotent = request.idempotent ?? request.method !== 'POST';
    let afterAmbiguousAttempt = false;
    let consecutive429s = 0;
    let refreshedToken = false;
    for (let attempt = 0; ; attempt++) {
      this.stats.pacedMs += await this.pacer.waitTurn(family);
      const outcome = await this.sendOnce(request, url, logPath, attempt);
      if ('network' in outcome) {
        const { network, error } = outcome;
        const reason = `${network}: ${describeErrorChain(error)}`;
        if (!isSafeToRetry({ network }, idempotent)) {
          if (network === 'fatal') throw networkError(request.method, logPath, reason, error);
          throw new AmbiguousWriteError(request.method, logPath, reason, { cause: error });
        }
        if (network !== 'refused') afterAmbiguousAttempt = true;
        if (attempt >= this.maxRetries) throw networkError(request.method, logPath, reason, error);
        this.stats.retries += 1;
        await this.waitBeforeRetry(attempt);
        continue;
      }
      const response = { ...outcome, afterAmbiguousAttempt };
      if (response.status === 401 && !refreshedToken) {
        // A token revoked or expired early: fetch a fresh one once.
        refreshedToken = true;
        this.tokens.invalidate();
        this.stats.retries += 1;
        continue;
      }
      if (!isSafeToRetry({ status: response.status }, idempotent)) {
        if (response.status === 504 && !idempotent) {
          throw new AmbiguousWriteError(request.method, logPath, 'the gateway timed out (504)', {
            requestId: response.requestId,
          });
        }
        return response;
      }
      if (attempt >= this.maxRetries) return response;
      // A 504 may hide a DELETE that went through: a 404 on the retry then means "done".
      if (response.status === 504) afterAmbiguousAttempt = true;
      if (response.status === 429) consecutive429s += 1;
      this.planRetry(family, response, consecutive429s, attempt);
      if (response.status !== 429) await this.waitBeforeRetry(attempt, response.headers);
    }
  }

  /** A 429 pauses the whole family (Retry-After, or 2 s, 4 s… where Graph names none). */
  private planRetry(
    family: PathFamily,
    response: SendResponse,
    consecutive429s: number,
    attempt: number,
  ): void {
    this.stats.retries += 1;
    if (response.status !== 429) return;
    this.stats.throttled += 1;
    const announced = parseRetryAfter(response.headers.get('retry-after'));
    const wait =
      announced !== undefined
        ? Math.min(announced, this.backoff.maxDelayMs)
        : family === 'conditionalAccess'
          ? computeThrottleBackoffMs(consecutive429s, this.backoff, this.random)
          : computeBackoffMs(attempt, this.backoff.throttleBaseDelayMs, this.backoff.maxDelayMs, this.random);
    this.pacer.pause(family, wait);
  }

  private async waitBeforeRetry(attempt: number, headers?: Headers): Promise<void> {
    const announced = parseRetryAfter(headers?.get('retry-after'));
    const wait =
      announced !== undefined
        ? Math.min(announced, this.backoff.maxDelayMs)
        : computeBackoffMs(attempt, this.backoff.baseDelayMs, this.backoff.maxDelayMs, this.random);
    await this.clock.sleep(wait);
  }

  private async sendOnce(
    request: SendRequest,
    url: URL,
    logPath: string,
    attempt: number,
  ): Promise<
    | Omit<SendResponse, 'afterAmbiguousAttempt'>
    | { network: ReturnType<typeof classifyNetworkError>; error: unknown }
  > {
    const started = this.clock.now();
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    if (attempt > 0) headers['retry-attempt'] = String(attempt);
    this.stats.total += 1;
    this.stats.byMethod[request.method] = (this.stats.byMethod[request.method] ?? 0) + 1;
    try {
      headers.authorization = `Bearer ${await this.tokens.getToken()}`;
      const response = await this.fetchImpl(url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutFor(url)),
      });
      const text = await response.text();
      const requestId =
        response.headers.get('request-id') ?? response.headers.get('client-request-id') ?? undefined;
      this.logger.debug('graph request', {
        method: request.method,
        path: logPath,
        status: response.status,
        ms: Math.round(this.clock.now() - started),
        requestId,
        attempt,
      });
      return { status: response.status, headers: response.headers, body: parseBody(text), requestId };
    } catch (error) {
      if (error instanceof GraphRequestError) throw error;
      const network = classifyNetworkError(error);
      this.logger.debug('graph request failed', {
        method: request.method,
        path: logPath,
        failure: network,
        ms: Math.round(this.clock.now() - started),
        attempt,
      });
      return { network, error };
    }
  }

  private timeoutFor(url: URL): number {
    return /\/policies\/authenticationMethodsPolicy(\/|$)/i.test(url.pathname)
      ? (this.options.longTimeoutMs ?? 60_000)
      : (this.options.timeoutMs ?? 30_000);
  }

  private resolveUrl(path: string): URL {
    if (/^https?:\/\//i.test(path)) {
      const url = new URL(path);
      // A nextLink is followed verbatim, but a token is only ever sent to the configured Graph.
      if (url.origin !== this.baseUrl.origin) {
        throw new GraphRequestError(
          0,
          'ForeignLink',
          `Refusing to follow a link to another host: ${url.origin}`,
        );
      }
      return url;
    }
    return new URL(this.baseUrl.href + (path.startsWith('/') ? path : `/${path}`));
  }

  private throwUnlessOk(method: string, path: string, response: SendResponse): void {
    if (response.status < 200 || response.status >= 300) {
      throw buildGraphRequestError({ method, path }, response);
    }
  }

  private expectObject(method: string, path: string, response: SendResponse): GraphBody {
    this.throwUnlessOk(method, path, response);
    if (!isObject(response.body)) {
      throw new GraphRequestError(
        response.status,
        'InvalidResponse',
        `${method} ${path}: the answer is not a JSON object`,
      );
    }
    return response.body;
  }
}

function parseBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isObject(value: unknown): value is GraphBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `$count` and `$search` on directory objects need `ConsistencyLevel: eventual` (graph-contract §6); the `$` may
 * come percent-encoded (`%24count`) from a URL built with URLSearchParams.
 */
export function needsEventualConsistency(path: string): boolean {
  return /[?&](\$|%24)(count=true|search=)/i.test(path);
}
