/**
 * Small checks for request bodies, each throwing Graph's 400 `BadRequest` with a message naming the property, so
 * a malformed body never reaches code that would fail with a 500.
 */
import { badRequest } from '../../errors.ts';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body as an object, or a 400. */
export function requireBody(body: unknown): Json {
  if (!isRecord(body)) throw badRequest('The request body must be a JSON object.');
  return body;
}

export function requireObject(value: unknown, name: string): Json {
  if (!isRecord(value)) throw badRequest(`Invalid value for property '${name}': expected an object.`);
  return value;
}

export function requireArray(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw badRequest(`Invalid value for property '${name}': expected an array.`);
  return value;
}

export function requireBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean')
    throw badRequest(`Invalid value for property '${name}': expected true or false.`);
  return value;
}

export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw badRequest(`Invalid value for property '${name}': expected a non-empty string.`);
  }
  return value;
}

export function requireStringArray(value: unknown, name: string): string[] {
  const items = requireArray(value, name);
  return items.map((item, i) => requireString(item, `${name}[${i}]`));
}

export function requireInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`Invalid value for property '${name}': expected an integer between ${min} and ${max}.`);
  }
  return value;
}

/** Enum members are accepted in any case and echoed in their canonical case (graph-contract §10.3). */
export function requireEnum<T extends string>(value: unknown, name: string, members: readonly T[]): T {
  const found =
    typeof value === 'string' ? members.find((m) => m.toLowerCase() === value.toLowerCase()) : undefined;
  if (found === undefined) {
    throw badRequest(
      `Invalid value '${String(value)}' for property '${name}'. Allowed values: ${members.join(', ')}.`,
    );
  }
  return found;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/** Instance annotations other than `@odata.type` (e.g. `includeTargets@odata.context` echoed from a GET). */
export function isAnnotation(key: string): boolean {
  return key.includes('@') && key !== '@odata.type';
}

/** Refuses any property not in `allowed` (annotations are ignored), naming the first unknown one. */
export function rejectUnknown(body: Json, allowed: readonly string[], typeName: string): void {
  for (const key of Object.keys(body)) {
    if (isAnnotation(key) || allowed.includes(key)) continue;
    throw badRequest(
      `Invalid property '${key}': it does not exist on type '${typeName}' or is not writable.`,
    );
  }
}

export function hasOwn(body: Json, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(body, key);
}
