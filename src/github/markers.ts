/**
 * Hidden HTML-comment markers that let accord find its own comments and issues again, and a content hash so that
 * unchanged content is never re-posted. Markers are invisible in rendered Markdown.
 */
import { createHash } from 'node:crypto';

/** Tenant names go inside an HTML comment: keep them to characters that cannot end or confuse it. */
export function markerSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function planMarker(tenantName: string): string {
  return `<!-- accord:plan tenant=${markerSafe(tenantName)} -->`;
}

export function driftMarker(tenantName: string): string {
  return `<!-- accord:drift tenant=${markerSafe(tenantName)} -->`;
}

/** Short, stable sha256 of a text, hex. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function hashMarker(hash: string): string {
  return `<!-- accord:hash=${hash} -->`;
}

/** The hash recorded in a body by `hashMarker`, if any. */
export function readHashMarker(body: string | null | undefined): string | undefined {
  return /<!-- accord:hash=([0-9a-f]+) -->/.exec(body ?? '')?.[1];
}

/** Values recorded in a body as `<!-- accord:data <json> -->` (used for the drift fingerprint of each resource). */
export function dataMarker(data: unknown): string {
  // `--` cannot appear inside an HTML comment; JSON only has it inside strings, where \u002d is equivalent.
  return `<!-- accord:data ${JSON.stringify(data).replace(/-/g, '\\u002d')} -->`;
}

export function readDataMarker(body: string | null | undefined): unknown {
  const found = /<!-- accord:data (.*?) -->/s.exec(body ?? '')?.[1];
  if (found === undefined) return undefined;
  try {
    return JSON.parse(found) as unknown;
  } catch {
    return undefined;
  }
}
