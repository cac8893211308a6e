/** Directory-style Graph errors (`Request_*` codes), as Entra's directory endpoints report them. */
import { GraphError } from '../errors.ts';

export function resourceNotFound(id: string): GraphError {
  return new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function requestBadRequest(message: string): GraphError {
  return new GraphError(400, 'Request_BadRequest', message);
}

export function invalidPropertyValue(property: string, resource: string): GraphError {
  return requestBadRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`);
}

export function duplicateValue(property: string): GraphError {
  return requestBadRequest(`Another object with the same value for property ${property} already exists.`);
}

/** A JSON object body, or a 400 for anything else (never a 500 on malformed input). */
export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GraphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  return body as Record<string, unknown>;
}
