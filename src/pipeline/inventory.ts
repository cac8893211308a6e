/**
 * Ownership: the inventory of tenant objects accord created, per tenant and kind. Prune may delete only what is
 * listed here (docs/adr/0004-ownership-inventory.md). Written after every single create, so an apply that dies
 * half-way still knows what it made.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-file.ts';
import type { Inventory } from './build-plan.ts';

/**
 * What apply needs of an inventory: the file store below, or the controller's record in its Tenant's status (whose
 * writes are asynchronous, hence the promises: apply waits for each record before the next write to Graph).
 */
export interface InventoryRecorder {
  snapshot(): Inventory;
  record(kind: string, id: string, name: string): void | Promise<void>;
  forget(kind: string, id: string): void | Promise<void>;
}

/** One file may hold several tenants: tenant id → kind → object id → the manifest name it was created for. */
interface InventoryFile {
  formatVersion: 1;
  tenants: Record<string, Record<string, Record<string, string>>>;
}

export class InventoryStore implements InventoryRecorder {
  private readonly path: string;
  private readonly tenantId: string;
  private data: InventoryFile;

  constructor(path: string, tenantId: string) {
    this.path = path;
    this.tenantId = tenantId.toLowerCase();
    this.data = InventoryStore.read(path);
  }

  private static read(path: string): InventoryFile {
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as InventoryFile;
      if (parsed.formatVersion === 1 && typeof parsed.tenants === 'object' && parsed.tenants !== null)
        return parsed;
    } catch {
      // No inventory yet: accord owns nothing.
    }
    return { formatVersion: 1, tenants: {} };
  }

  private objects(): Record<string, Record<string, string>> {
    return (this.data.tenants[this.tenantId] ??= {});
  }

  snapshot(): Inventory {
    const out = new Map<string, Set<string>>();
    for (const [kind, ids] of Object.entries(this.objects())) out.set(kind, new Set(Object.keys(ids)));
    return out;
  }

  record(kind: string, id: string, name: string): void {
    // Re-read first: an apply to another tenant may have written the same file meanwhile.
    this.data = InventoryStore.read(this.path);
    (this.objects()[kind] ??= {})[id.toLowerCase()] = name;
    this.save();
  }

  forget(kind: string, id: string): void {
    this.data = InventoryStore.read(this.path);
    delete this.objects()[kind]?.[id.toLowerCase()];
    this.save();
  }

  private save(): void {
    writeFileAtomic(this.path, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}
