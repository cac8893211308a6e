/**
 * Graph's error body (graph-contract §7.3) and the exception the local tenant's handlers throw to produce it.
 * Handlers throw `GraphError` for anything a client did wrong; anything else that escapes is a defect and is
 * answered with a 500 by the server.
 */

export interface GraphErrorOptions {
  /** The CA-validation style inner message, e.g. "1064: ..." (graph-contract §2.10). */
  innerMessage?: string;
  headers?: Record<string, string>;
}

export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly innerMessage: string | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, options: GraphErrorOptions = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.innerMessage = options.innerMessage;
    this.headers = options.headers ?? {};
  }
}

const MALFORMED = 'The server could not process the request because it is malformed or incorrect.';

/** A CA / named-location validation failure as Graph reports it: BadRequest with "NNNN: detail" inside. */
export function validationError(code: number, detail: string): GraphError {
  return new GraphError(400, 'BadRequest', MALFORMED, { innerMessage: `${code}: ${detail}` });
}

export function badRequest(message: string, code = 'BadRequest'): GraphError {
  return new GraphError(400, code, message);
}

export function notFound(message: string, code = 'ResourceNotFound'): GraphError {
  return new GraphError(404, code, message);
}

export function conflict(message: string, code = 'Conflict'): GraphError {
  return new GraphError(409, code, message);
}

export function forbidden(message: string): GraphError {
  return new GraphError(403, 'Authorization_RequestDenied', message);
}

export function unauthorized(message: string, code = 'InvalidAuthenticationToken'): GraphError {
  return new GraphError(401, code, message);
}

export function methodNotAllowed(): GraphError {
  return new GraphError(
    405,
    'Request_BadRequest',
    'The requested HTTP method is not supported for this resource.',
  );
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { message?: string; date: string; 'request-id': string; 'client-request-id'?: string };
  };
}

export function buildErrorBody(err: GraphError, requestId: string, clientRequestId?: string): ErrorBody {
  const innerError: ErrorBody['error']['innerError'] = {
    date: new Date().toISOString().slice(0, 19),
    'request-id': requestId,
  };
  if (err.innerMessage !== undefined) innerError.message = err.innerMessage;
  if (clientRequestId !== undefined) innerError['client-request-id'] = clientRequestId;
  return { error: { code: err.code, message: err.message, innerError } };
}
