/**
 * Turns the body of `POST /_accord/tenants` into a seed: `{ "demo": "workforce" | "external", "tenantId"?, "domain"? }`
 * or `{ "seed": { … } }`. A demo tenant without an id gets a fresh one (and its own domain), so a test or benchmark
 * can add as many tenants as it needs.
 */
import { randomUUID } from 'node:crypto';
import { GraphError } from '../errors.ts';
import { demoDirectory } from './demo.ts';
import type { DirectorySeed } from './seed-types.ts';

export function resolveSeedRequest(body: unknown): DirectorySeed {
  if (typeof body !== 'object' || body === null)
    throw new GraphError(400, 'BadRequest', 'Expected a seed object.');
  const request = body as { demo?: unknown; seed?: unknown; tenantId?: unknown; domain?: unknown };
  if (request.demo === 'workforce' || request.demo === 'external') {
    const tenantId = typeof request.tenantId === 'string' ? request.tenantId : randomUUID();
    const domain =
      typeof request.domain === 'string'
        ? request.domain
        : `t${tenantId.replace(/-/g, '').slice(0, 12)}.onmicrosoft.com`;
    const seed = demoDirectory({ flavor: request.demo, domain });
    // App registrations belong to one tenant: another demo tenant gets client ids derived from its own id.
    if (tenantId !== seed.tenant.id) for (const reg of seed.appRegistrations) delete reg.clientId;
    seed.tenant.id = tenantId;
    return seed;
  }
  if (request.seed && typeof request.seed === 'object') {
    const seed = request.seed as Partial<DirectorySeed>;
    if (typeof seed.tenant !== 'object' || seed.tenant === null)
      throw new GraphError(400, 'BadRequest', 'The seed needs a "tenant" object.');
    return seed as DirectorySeed;
  }
  throw new GraphError(400, 'BadRequest', 'Give "demo": "workforce" | "external", or "seed": { … }.');
}
