/**
 * The tenant's Graph port as a reconcile uses it: every write first checks that this replica still holds the
 * tenant's shard lease, so a replica that lost its lease mid-apply stops before its next write instead of racing
 * the new holder. Reads pass through.
 */
import type { BatchItem, BatchResult, GraphBody, GraphPort } from '../core/graph-port.ts';
import type { GraphClient } from '../graph/graph-client.ts';

export class LeaseLostError extends Error {
  constructor() {
    super('this replica no longer holds the tenant (its shard lease was lost); the write was not sent');
    this.name = 'LeaseLostError';
  }
}

export function guardedPort(
  client: GraphClient,
  mayWrite: () => boolean,
): GraphPort & Pick<GraphClient, 'grantedPermissions'> {
  const guard = (): void => {
    if (!mayWrite()) throw new LeaseLostError();
  };
  return {
    get: (path) => client.get(path),
    list: (path) => client.list(path),
    post: (path: string, body: GraphBody) => {
      guard();
      return client.post(path, body);
    },
    patch: (path: string, body: GraphBody) => {
      guard();
      return client.patch(path, body);
    },
    delete: (path: string) => {
      guard();
      return client.delete(path);
    },
    batch: (items: readonly BatchItem[]): Promise<BatchResult[]> => {
      if (items.some((item) => item.method !== 'GET')) guard();
      return client.batch(items);
    },
    grantedPermissions: () => client.grantedPermissions(),
  };
}
