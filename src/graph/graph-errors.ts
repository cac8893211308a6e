/**
 * Errors of the Graph adapter. Both extend the core's `GraphRequestError`, so the core reports them without
 * importing the adapter; an ambiguous write is recognised by its code `AmbiguousWrite` (or `instanceof` here).
 */
import { GraphRequestError } from '../core/graph-port.ts';

export {
  AMBIGUOUS_WRITE,
  AmbiguousWriteError,
  GraphRequestError,
  isAmbiguousWriteError,
} from '../core/graph-port.ts';

interface GraphErrorBody {
  error?: {
    code?: unknown;
    message?: unknown;
    innerError?: { message?: unknown; 'request-id'?: unknown };
    innererror?: { message?: unknown; 'request-id'?: unknown };
  };
}

/**
 * The `GraphRequestError` for a non-2xx answer: Graph's `error.code`, its message with `innerError.message`
 * (where Conditional Access puts the real reason, e.g. `1064: …`), and the request id for support cases.
 */
export function buildGraphRequestError(
  request: { method: string; path: string },
  response: { status: number; body: unknown; requestId: string | undefined },
): GraphRequestError {
  const error = (
    typeof response.body === 'object' && response.body !== null ? response.body : {}
  ) as GraphErrorBody;
  const inner = error.error?.innerError ?? error.error?.innererror;
  const code = typeof error.error?.code === 'string' ? error.error.code : `Http${response.status}`;
  const parts = [typeof error.error?.message === 'string' ? error.error.message : undefined];
  if (typeof inner?.message === 'string' && inner.message !== parts[0]) parts.push(inner.message);
  if (typeof response.body === 'string' && response.body.length > 0) parts.push(response.body.slice(0, 300));
  const detail = parts.filter((p) => p !== undefined && p !== '').join(' — ');
  const requestId =
    response.requestId ?? (typeof inner?.['request-id'] === 'string' ? inner['request-id'] : undefined);
  const message = `${request.method} ${request.path}: ${response.status} ${code}${detail ? `: ${detail}` : ''}`;
  return new GraphRequestError(response.status, code, message, requestId);
}

/** A request that failed on the network for good (status 0): `Timeout` or `NetworkError`, with the cause chained. */
export function networkError(
  method: string,
  path: string,
  reason: string,
  cause: unknown,
): GraphRequestError {
  const code = reason.startsWith('timeout') ? 'Timeout' : 'NetworkError';
  const err = new GraphRequestError(0, code, `${method} ${path}: ${reason}`);
  err.cause = cause;
  return err;
}
