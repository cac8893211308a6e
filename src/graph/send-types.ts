/** The Graph client's request and response shapes for `send()`, and its counters. */

/** Counters for benchmarks and summaries. `total` counts HTTP requests sent, retries included. */
export interface GraphClientStats {
  total: number;
  byMethod: Record<string, number>;
  retries: number;
  throttled: number;
  batchRequests: number;
  batchItems: number;
  pacedMs: number;
}

export interface SendRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root (`/users?$top=5`) or a full `@odata.nextLink`. */
  path: string;
  body?: unknown;
  /** False for POST and for a `$batch` holding a POST: never retried after an ambiguous failure. */
  idempotent?: boolean;
  headers?: Record<string, string>;
}

export interface SendResponse {
  status: number;
  headers: Headers;
  body: unknown;
  requestId: string | undefined;
  /** An earlier attempt failed ambiguously (e.g. a DELETE whose first try may have worked). */
  afterAmbiguousAttempt: boolean;
}
