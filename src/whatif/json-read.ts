/** Defensive readers over Graph JSON: the engine accepts documents as they come and never trusts their shape. */

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readObject(value: unknown, key: string): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const field = value[key];
  return isObject(field) ? field : undefined;
}

export function readString(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' ? field : undefined;
}

export function readStrings(value: unknown, key: string): string[] {
  if (!isObject(value)) return [];
  const field = value[key];
  return Array.isArray(field) ? field.filter((v): v is string => typeof v === 'string') : [];
}

export function readBoolean(value: unknown, key: string): boolean {
  return isObject(value) && value[key] === true;
}

/** A flags enum as Graph serialises it (`"a,b"`), as a set of member names. */
export function splitFlags(value: string | undefined): Set<string> {
  if (value === undefined) return new Set();
  return new Set(
    value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '' && v !== 'none'),
  );
}

export function lowerSet(values: readonly string[]): Set<string> {
  return new Set(values.map((v) => v.toLowerCase()));
}
