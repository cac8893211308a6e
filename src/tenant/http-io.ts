/** Reading request bodies and writing responses for the local tenant's HTTP server. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { GraphError } from './errors.ts';

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw new GraphError(413, 'RequestEntityTooLarge', 'The request body is too large.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new GraphError(413, 'RequestEntityTooLarge', 'The request body is too large.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
}

export const JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  sendRaw(res, status, text, { 'content-type': JSON_CONTENT_TYPE, ...headers }, body === undefined);
}

export function sendRaw(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
  empty = false,
): void {
  if (res.headersSent || res.destroyed) return;
  const out: Record<string, string | number> = { ...headers };
  if (empty) delete out['content-type'];
  out['content-length'] = Buffer.byteLength(text);
  res.writeHead(status, out);
  res.end(text);
}

/**
 * Sends a cached JSON body, gzip-compressed when the client accepts it (as Graph does): a 195-policy list is about
 * 200 KB of JSON and a tenth of that compressed. The compressed form is made once per cached body.
 */
export function sendEncoded(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  encoded: { bytes: Buffer; gzip?: Buffer },
  headers: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) return;
  const accepts = /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''));
  let body = encoded.bytes;
  const out: Record<string, string | number> = { 'content-type': JSON_CONTENT_TYPE, ...headers };
  if (accepts && body.length > 1024) {
    encoded.gzip ??= gzipSync(body, { level: 6 });
    body = encoded.gzip;
    out['content-encoding'] = 'gzip';
    out.vary = 'Accept-Encoding';
  }
  out['content-length'] = body.length;
  res.writeHead(status, out);
  res.end(body);
}
