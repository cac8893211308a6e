/**
 * The tenant as the core sees it: Graph's paths and JSON bodies, nothing about HTTP, tokens, retries or pacing
 * (those belong to the Graph adapter in src/graph/). Unit tests use a small in-memory fake; integration tests use
 * the real adapter against the local tenant.
 */

export type GraphBody = Record<string, unknown>;

export interface BatchItem {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root, e.g. `/users?$filter=…`. */
  path: string;
  body?: GraphBody;
}

export interface BatchResult {
  status: number;
  body: unknown;
}

export interface GraphPort {
  /** A single object; undefined on 404. */
  get(path: string): Promise<GraphBody | undefined>;
  /** Every item of a collection, following `@odata.nextLink`. */
  list(path: string): Promise<GraphBody[]>;
  post(path: string, body: GraphBody): Promise<GraphBody>;
  /** PATCH; returns the body when Graph sends one (the methods policy), else undefined. */
  patch(path: string, body: GraphBody): Promise<GraphBody | undefined>;
  delete(path: string): Promise<void>;
  /** Up to 20 requests in one `$batch`; results in request order. */
  batch(items: readonly BatchItem[]): Promise<BatchResult[]>;
}

/** A Graph request that failed; adapters throw it, the core reports it. */
export class GraphRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  constructor(status: number, code: string, message: string, requestId?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

export const AMBIGUOUS_WRITE = 'AmbiguousWrite';

/**
 * A non-idempotent request (a POST, or a `$batch` holding one) whose fate is unknown: it timed out, or the
 * connection broke after it was sent, or a gateway answered 504. The server may or may not have created the
 * object. The caller must re-read (find the object by its key) before trying again — adapters never retry these
 * blindly, because that is how duplicates are made.
 */
export class AmbiguousWriteError extends GraphRequestError {
  readonly method: string;
  readonly path: string;
  constructor(
    method: string,
    path: string,
    reason: string,
    options: { cause?: unknown; requestId?: string } = {},
  ) {
    super(
      0,
      AMBIGUOUS_WRITE,
      `${method} ${path}: the request may or may not have been processed (${reason}); re-read before retrying`,
      options.requestId,
    );
    this.name = 'AmbiguousWriteError';
    this.method = method;
    this.path = path;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

export function isAmbiguousWriteError(err: unknown): err is AmbiguousWriteError {
  return err instanceof GraphRequestError && err.code === AMBIGUOUS_WRITE;
}
