/**
 * When and how long to wait before retrying a Graph request (graph-contract §7.4): 429, 503 and 504 and dropped
 * or timed-out connections are transient; `Retry-After` (seconds or an HTTP date) wins where Graph sends it;
 * otherwise exponential back-off with jitter. Whether a retry is *safe* depends on the method: a POST that may
 * have reached the server (timeout, connection dropped after sending, 504) is ambiguous and must not be retried
 * blindly. Pure functions.
 */

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/** How a request failed before any HTTP status arrived. */
export type NetworkFailure =
  /** The connection was never made: the server cannot have seen the request. */
  | 'refused'
  /** The connection broke after the request may have been sent. */
  | 'dropped'
  /** No answer within the timeout; the server may still be processing it. */
  | 'timeout'
  /** Not transient (TLS trust, DNS name not found, a bug). */
  | 'fatal';

const REFUSED_CODES = new Set([
  'ECONNREFUSED',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const DROPPED_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/** Classifies an error thrown by `fetch` (or by reading its body). */
export function classifyNetworkError(err: unknown): NetworkFailure {
  if (!(err instanceof Error)) return 'fatal';
  if (err.name === 'TimeoutError') return 'timeout';
  if (err.name === 'AbortError') {
    const reason = (err as Error & { cause?: unknown }).cause;
    return reason instanceof Error && reason.name === 'TimeoutError' ? 'timeout' : 'fatal';
  }
  const code = findErrorCode(err);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT')
    return 'timeout';
  if (code && REFUSED_CODES.has(code)) return 'refused';
  if (code && DROPPED_CODES.has(code)) return 'dropped';
  if (/socket hang up|other side closed|terminated/i.test(describeErrorChain(err))) return 'dropped';
  return 'fatal';
}

function findErrorCode(err: Error): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as Error & { cause?: unknown }).cause;
  }
  return undefined;
}

/** `fetch failed: other side closed (UND_ERR_SOCKET)` — the causes joined, for messages. */
export function describeErrorChain(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = (current as Error & { cause?: unknown }).cause;
  }
  return parts.join(': ');
}

/** Milliseconds to wait from a `Retry-After` header (delta-seconds or an HTTP date); undefined when absent. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export interface BackoffOptions {
  /** First back-off for 5xx and network failures (ms). */
  baseDelayMs: number;
  /** First back-off for a 429 that names no Retry-After (Conditional Access): 2 s, then 4 s, 8 s… */
  throttleBaseDelayMs: number;
  /** Cap for any computed or announced wait (ms). */
  maxDelayMs: number;
}

/**
 * Exponential back-off with "equal jitter": half the exponential step fixed, half random, so retries of many
 * clients spread out but never collapse to zero.
 */
export function computeBackoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * Conditional Access 429s carry no Retry-After: wait 2 s, 4 s, 8 s… (at most 10% jitter on top, never below the
 * step, since arriving early just earns another 429).
 */
export function computeThrottleBackoffMs(
  consecutive429s: number,
  options: BackoffOptions,
  random: () => number,
): number {
  const step = Math.min(
    options.maxDelayMs,
    options.throttleBaseDelayMs * 2 ** Math.max(0, consecutive429s - 1),
  );
  return Math.round(step + random() * step * 0.1);
}

/**
 * Whether a failed attempt may simply be sent again. `idempotent` is false for a POST (or a `$batch` holding one):
 * those are retried only when the server cannot have processed them (a clean 429/503, a refused connection).
 */
export function isSafeToRetry(
  failure: { status: number } | { network: NetworkFailure },
  idempotent: boolean,
): boolean {
  if ('status' in failure) {
    if (!RETRYABLE_STATUSES.has(failure.status)) return false;
    return idempotent || failure.status !== 504;
  }
  if (failure.network === 'fatal') return false;
  return idempotent || failure.network === 'refused';
}
