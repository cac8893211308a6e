/** Reads every kind's objects from the tenant: one paged list per collection, never one request per object. */
import type { GraphPort } from '../core/graph-port.ts';
import type { LiveObject } from '../core/kind.ts';
import type { KindRegistry } from '../kinds/registry.ts';

export async function readTenant(
  port: GraphPort,
  registry: KindRegistry,
): Promise<Map<string, LiveObject[]>> {
  const live = new Map<string, LiveObject[]>();
  for (const kind of registry.ordered()) live.set(kind.kind, await kind.read(port));
  return live;
}
