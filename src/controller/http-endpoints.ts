/**
 * The controller's HTTP endpoints, as controller-runtime serves them: Prometheus metrics on
 * `--metrics-bind-address` (`/metrics`) and the probes on `--health-probe-bind-address` (`/healthz`: the process
 * runs; `/readyz`: every informer has listed once and the controller is not shutting down).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface BindAddress {
  host: string | undefined;
  port: number;
}

/** `:8080`, `127.0.0.1:8080`, `[::1]:8080`; `0` disables. */
export function parseBindAddress(text: string): BindAddress | undefined {
  const value = text.trim();
  if (value === '0' || value === '') return undefined;
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value);
  if (!match)
    throw new Error(`'${text}' is not a bind address (examples: :8080, 127.0.0.1:8080, 0 to disable)`);
  const host = match[1] ?? match[2];
  const port = Number(match[3]);
  if (port > 65535) throw new Error(`'${text}': port out of range`);
  return { host: host === '' ? undefined : host, port };
}

export interface Endpoint {
  server: Server;
  port: number;
  close(): Promise<void>;
}

async function listen(server: Server, address: BindAddress): Promise<Endpoint> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function serveMetrics(address: BindAddress, registry: Registry): Promise<Endpoint> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
      .catch((err: unknown) => res.writeHead(500).end(String((err as Error).message)));
  });
  return listen(server, address);
}

export interface Probes {
  healthy(): boolean;
  ready(): { ok: boolean; detail: string };
}

export function serveProbes(address: BindAddress, probes: Probes): Promise<Endpoint> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz' || path === '/livez') {
      const ok = probes.healthy();
      res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'unhealthy');
      return;
    }
    if (path === '/readyz') {
      const { ok, detail } = probes.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : detail);
      return;
    }
    res.writeHead(404).end();
  });
  return listen(server, address);
}
