/** Turns the body of `POST /_accord/tenants` into a seed: `{ "demo": "workforce" | "external" }` or a full seed. */
import { GraphError } from '../errors.ts';
import { demoDirectory } from './demo.ts';
import type { DirectorySeed } from './seed-types.ts';

export function resolveSeedRequest(body: unknown): DirectorySeed {
  if (typeof body !== 'object' || body === null)
    throw new GraphError(400, 'BadRequest', 'Expected a seed object.');
  const request = body as { demo?: string; seed?: DirectorySeed; tenantId?: string; domain?: string };
  if (request.demo === 'workforce' || request.demo === 'external') {
    const seed = demoDirectory({
      flavor: request.demo,
      ...(request.domain ? { domain: request.domain } : {}),
    });
    if (request.tenantId) seed.tenant.id = request.tenantId;
    return seed;
  }
  if (request.seed && typeof request.seed === 'object') return request.seed;
  throw new GraphError(400, 'BadRequest', 'Give "demo": "workforce" | "external", or "seed": { … }.');
}
