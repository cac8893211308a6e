/**
 * The web console over `node:http`: server-rendered pages (status, plan, findings, drift history, What If), a JSON
 * twin of each (`?format=json` or `/api/…`), one stylesheet and one small script. Host-agnostic: it reads a
 * `ConsoleState` (see console-state.ts) that the reconcile loop — or any other host — feeds.
 *
 * Safe by default: binds to loopback, answers only requests whose Host names it there (no DNS rebinding), serves
 * read-only pages unless `allowActions`; actions are POSTs carrying a per-process CSRF token and a same-origin
 * check. Every response carries a strict Content-Security-Policy (`default-src 'self'`, `frame-ancestors 'none'`),
 * `nosniff` and `no-store`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { redactText } from '../log/redact.ts';
import type { ConsoleState } from './console-state.ts';
import { html, type Html } from './html.ts';
import { renderPage } from './layout.ts';
import { buildJson, renderHtmlPage, type ConsoleRoute, type RenderContext } from './routes.ts';

export interface ConsoleOptions {
  state: ConsoleState;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4041; 0 picks a free port. */
  port?: number;
  /** Serve the "Check for drift now" / "Apply now" buttons (POST with a CSRF token). Default false. */
  allowActions?: boolean;
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

const ASSETS: Record<string, { file: string; type: string }> = {
  '/assets/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
  '/assets/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
};

const PAGE_ROUTES: Record<string, ConsoleRoute> = {
  '/': 'status',
  '/plan': 'plan',
  '/findings': 'findings',
  '/drift': 'drift',
  '/whatif': 'whatif',
};

const API_ROUTES: Record<string, ConsoleRoute> = {
  '/api/status': 'status',
  '/api/plan': 'plan',
  '/api/findings': 'findings',
  '/api/drift': 'drift',
  '/api/whatif': 'whatif',
};

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Not no-referrer: with it, browsers send `Origin: null` on form posts, and the origin check needs the origin.
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

const NOTICES: Record<string, string> = {
  check: 'A drift check was requested; the page refreshes when it finishes.',
  apply: 'An apply was requested; the page refreshes when it finishes.',
};

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function loadAssets(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [path, asset] of Object.entries(ASSETS))
    out.set(path, readFileSync(new URL(`./assets/${asset.file}`, import.meta.url)));
  return out;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value, null, 2)}\n`);
}

function hostOf(header: string | undefined): string {
  if (!header) return '';
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracket) return bracket[1]!.toLowerCase();
  return header.replace(/:\d+$/, '').toLowerCase();
}

async function readForm(req: IncomingMessage, limit: number): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** A browser names the page's origin on a POST; it must be this console as the request addressed it. */
function isSameOrigin(req: IncomingMessage): boolean {
  const given = req.headers.origin;
  if (given === undefined) return true;
  try {
    return new URL(given).host === req.headers.host;
  } catch {
    return false;
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const host = options.host ?? '127.0.0.1';
  const allowActions = options.allowActions ?? false;
  const csrfToken = randomBytes(32).toString('base64url');
  const assets = loadAssets();
  const loopbackOnly = LOOPBACK.has(host);
  let origin = '';

  const context = (): RenderContext => ({
    state: options.state,
    allowActions: allowActions && options.state.actions !== undefined,
    csrfToken,
  });

  const errorPage = (res: ServerResponse, status: number, title: string, message: string): void => {
    const page = renderPage({
      path: '',
      title,
      body: renderMessage(message),
      allowActions: context().allowActions,
    });
    send(res, status, 'text/html; charset=utf-8', page);
  };

  const handleAction = async (
    req: IncomingMessage,
    res: ServerResponse,
    action: 'check' | 'apply',
  ): Promise<void> => {
    const ctx = context();
    if (!ctx.allowActions || !options.state.actions) {
      errorPage(
        res,
        403,
        'Read-only console',
        'This console is read-only. Start it with --console-allow-actions to enable actions.',
      );
      return;
    }
    if (!isSameOrigin(req)) {
      errorPage(res, 403, 'Refused', 'The request came from another site.');
      return;
    }
    const form = await readForm(req, 4096);
    if (!form || !sameToken(form.get('csrf') ?? '', csrfToken)) {
      errorPage(
        res,
        403,
        'Refused',
        'The form is out of date or did not come from this console. Reload the page and try again.',
      );
      return;
    }
    const tenant = form.get('tenant') ?? '';
    if (!options.state.tenants().some((t) => t.name === tenant)) {
      errorPage(res, 400, 'Unknown tenant', `No tenant named '${tenant}' is reconciled here.`);
      return;
    }
    const { actions } = options.state;
    if (action === 'apply' && !actions.applyNow) {
      errorPage(res, 403, 'Not offered', 'This host does not apply on request; use the other action.');
      return;
    }
    if (action === 'check') actions.checkNow(tenant);
    else actions.applyNow?.(tenant);
    res.writeHead(303, { ...SECURITY_HEADERS, location: `/?requested=${action}` });
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (loopbackOnly && !LOOPBACK.has(hostOf(req.headers.host))) {
      send(res, 421, 'text/plain; charset=utf-8', 'This console answers only on loopback addresses.\n');
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    if (req.method === 'POST' && (path === '/actions/check' || path === '/actions/apply')) {
      await handleAction(req, res, path === '/actions/check' ? 'check' : 'apply');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.\n', { allow: 'GET, HEAD' });
      return;
    }
    const asset = ASSETS[path];
    if (asset) {
      send(res, 200, asset.type, assets.get(path)!);
      return;
    }
    if (path === '/api/version') return sendJson(res, 200, { version: options.state.version });
    if (path === '/healthz') return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
    const api = API_ROUTES[path];
    const page = PAGE_ROUTES[path];
    if (api || (page && url.searchParams.get('format') === 'json')) {
      const built = await buildJson((api ?? page)!, url.searchParams, context());
      return sendJson(res, built.status, built.body);
    }
    if (page) {
      const requested = url.searchParams.get('requested') ?? '';
      const label = options.state.actions?.checkLabel;
      const notice =
        requested === 'check' && label
          ? `“${label}” was requested; the page refreshes when it finishes.`
          : NOTICES[requested];
      const html = await renderHtmlPage(page, path, url.searchParams, context(), notice);
      return send(res, 200, 'text/html; charset=utf-8', html);
    }
    errorPage(res, 404, 'Not found', 'There is no such page in the console.');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, {
          error: 'the console failed to answer',
          detail: redactText(String((err as Error).message)),
        });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4041, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${shownHost}:${address.port}`;
  return {
    url: `${origin}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function renderMessage(message: string): Html {
  return html`<p>${message}</p>
    <p><a href="/">Back to the status page</a></p>`;
}
