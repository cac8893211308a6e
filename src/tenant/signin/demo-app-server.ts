/**
 * The sample client app on its own origin (`accord tenant serve --demo-app`): the same app as the tenant's
 * `/{tenant}/_accord/demo-app/`, but on another port, so the browser really goes from an application to the
 * identity provider and back, as with any app registered in Entra.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TenantInfo } from '../graph-types.ts';
import { serveDemoApp } from './demo-app.ts';
import type { SignInDeps } from './deps.ts';

export interface DemoAppServer {
  url: string;
  close(): Promise<void>;
}

export async function startDemoAppServer(options: {
  deps: SignInDeps;
  tenant: TenantInfo;
  /** The local tenant's origin (the authority). */
  authority: string;
  port?: number;
  host?: string;
}): Promise<DemoAppServer> {
  let appOrigin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', appOrigin);
    serveDemoApp(req, res, url, {
      deps: options.deps,
      tenant: options.tenant,
      origin: options.authority,
      subPath: url.pathname,
      appBase: appOrigin,
      cookiePath: '/',
    }).catch((err: unknown) => {
      process.stderr.write(`demo app: ${String((err as Error)?.stack ?? err)}\n`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  appOrigin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${appOrigin}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
