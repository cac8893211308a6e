/**
 * The local tenant's control API under `/_accord/`, for tests, benchmarks and scripts: fault injection, rate
 * limits, adding tenants, and a state hash to prove that a failed run wrote nothing. Every call needs the admin
 * key printed in the ready line (`x-accord-admin-key`).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COLLECTIONS, SERVER_TENANT_KEY } from './collections.ts';
import { GraphError } from './errors.ts';
import type { FaultConfig, FaultInjector } from './faults.ts';
import { parseJsonBody, readBody, sendJson } from './http-io.ts';
import { secretsMatch } from './auth.ts';
import type { Store } from './store.ts';
import type { Throttle, ThrottleOptions } from './throttle.ts';

export interface ControlDeps {
  adminKey: string;
  store: Store;
  faults: FaultInjector;
  throttle: Throttle;
  addTenant: (body: unknown) => Promise<unknown>;
  describeTenants: () => unknown;
}

export function stateHash(store: Store, tenantId: string): string {
  const hash = createHash('sha256');
  for (const row of store.dump(tenantId)) {
    if (row.coll === 'signIns') continue;
    hash.update(`${row.coll}\u0000${row.id}\u0000${row.body}\n`);
  }
  return hash.digest('hex');
}

export function createControl(deps: ControlDeps) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (!url.pathname.startsWith('/_accord/')) return false;
    const key = req.headers['x-accord-admin-key'];
    if (typeof key !== 'string' || !secretsMatch(deps.adminKey, key)) {
      throw new GraphError(401, 'Unauthorized', 'The control API needs the x-accord-admin-key header.');
    }
    const path = url.pathname.replace(/\/$/, '');
    const method = req.method ?? 'GET';
    const body = method === 'GET' || method === 'DELETE' ? undefined : parseJsonBody(await readBody(req));
    if (path === '/_accord/health') {
      sendJson(res, 200, { ok: true });
    } else if (path === '/_accord/faults' && method === 'PUT') {
      try {
        deps.faults.configure(body as FaultConfig);
      } catch (err) {
        throw new GraphError(400, 'BadRequest', `Invalid fault configuration: ${(err as Error).message}`);
      }
      sendJson(res, 204, undefined);
    } else if (path === '/_accord/faults' && method === 'DELETE') {
      deps.faults.clear();
      sendJson(res, 204, undefined);
    } else if (path === '/_accord/faults' && method === 'GET') {
      sendJson(res, 200, { injected: Object.fromEntries(deps.faults.injected) });
    } else if (path === '/_accord/throttle' && method === 'PUT') {
      deps.throttle.configure(validThrottleOptions(body));
      sendJson(res, 204, undefined);
    } else if (path === '/_accord/throttle' && method === 'GET') {
      sendJson(res, 200, {
        enabled: deps.throttle.enabled,
        throttled: Object.fromEntries(deps.throttle.throttled),
      });
    } else if (path === '/_accord/tenants' && method === 'POST') {
      sendJson(res, 201, await deps.addTenant(body));
    } else if (path === '/_accord/tenants' && method === 'GET') {
      sendJson(res, 200, deps.describeTenants());
    } else {
      const hash = /^\/_accord\/tenants\/([^/]+)\/state-hash$/.exec(path);
      if (!hash || method !== 'GET')
        throw new GraphError(404, 'NotFound', `No control endpoint ${method} ${path}.`);
      sendJson(res, 200, { tenantId: hash[1], hash: hostedStateHash(deps.store, hash[1]!) });
    }
    return true;
  };
}

/** The state hash of a hosted tenant; an unknown id would hash to the empty state and prove nothing. */
function hostedStateHash(store: Store, tenantId: string): string {
  if (!store.get(SERVER_TENANT_KEY, COLLECTIONS.tenants, tenantId))
    throw new GraphError(404, 'NotFound', `Tenant ${tenantId} is not hosted here.`);
  return stateHash(store, tenantId);
}

/** A bad body must be refused: storing it would make every later Graph request fail with a 500. */
function validThrottleOptions(body: unknown): ThrottleOptions {
  const options = body as Partial<ThrottleOptions> | null | undefined;
  const positive = (v: unknown): boolean =>
    v === undefined || (typeof v === 'number' && v > 0 && Number.isFinite(v));
  if (
    typeof options !== 'object' ||
    options === null ||
    typeof options.enabled !== 'boolean' ||
    !positive(options.conditionalAccessPerSecond) ||
    !positive(options.conditionalAccessBurst) ||
    !positive(options.directoryUnitsPerSecond)
  ) {
    throw new GraphError(
      400,
      'BadRequest',
      'Expected { "enabled": true | false, "conditionalAccessPerSecond"?: n > 0, "conditionalAccessBurst"?: n > 0, "directoryUnitsPerSecond"?: n > 0 }.',
    );
  }
  return options as ThrottleOptions;
}
