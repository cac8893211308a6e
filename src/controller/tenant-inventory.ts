/**
 * The ownership inventory of one tenant (docs/adr/0004-ownership-inventory.md), kept in its Tenant's
 * `status.inventory`: kind → object id → the resource it was created for. Every record is written through to the
 * API server (a JSON merge patch of the status) before apply moves on, so a controller killed between Graph's answer
 * and the next write still leaves the write-ahead marker behind for its successor.
 */
import type { Inventory } from '../pipeline/build-plan.ts';
import type { InventoryRecorder } from '../pipeline/inventory.ts';
import type { InventoryRecord } from './resources.ts';

export type StatusPatcher = (patch: Record<string, unknown>) => Promise<void>;

export class TenantInventory implements InventoryRecorder {
  private readonly data: InventoryRecord;
  private readonly patchStatus: StatusPatcher;
  /** Checked before every write: a replica that lost the tenant's shard must not write its record any more. */
  private readonly mayWrite: () => boolean;

  constructor(initial: InventoryRecord | undefined, patchStatus: StatusPatcher, mayWrite: () => boolean) {
    this.data = structuredClone(initial ?? {});
    this.patchStatus = patchStatus;
    this.mayWrite = mayWrite;
  }

  snapshot(): Inventory {
    const out = new Map<string, Set<string>>();
    for (const [kind, ids] of Object.entries(this.data)) out.set(kind, new Set(Object.keys(ids)));
    return out;
  }

  /** The ids of objects created for a resource. */
  idsOf(kind: string, name: string): string[] {
    return Object.entries(this.data[kind] ?? {})
      .filter(([id, owner]) => owner === name && !id.startsWith('pending-create:'))
      .map(([id]) => id);
  }

  ownerOf(kind: string, id: string): string | undefined {
    return this.data[kind]?.[id.toLowerCase()];
  }

  async record(kind: string, id: string, name: string): Promise<void> {
    const key = id.toLowerCase();
    if (this.data[kind]?.[key] === name) return;
    this.guard();
    (this.data[kind] ??= {})[key] = name;
    await this.patchStatus({ inventory: { [kind]: { [key]: name } } });
  }

  async forget(kind: string, id: string): Promise<void> {
    const key = id.toLowerCase();
    if (this.data[kind]?.[key] === undefined) return;
    this.guard();
    const { [key]: _forgotten, ...rest } = this.data[kind]!;
    this.data[kind] = rest;
    await this.patchStatus({ inventory: { [kind]: { [key]: null } } });
  }

  private guard(): void {
    if (!this.mayWrite())
      throw new Error('this replica no longer holds the tenant (its shard lease was lost)');
  }
}
