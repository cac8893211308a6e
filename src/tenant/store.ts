/**
 * The local tenant's persistence: a document store on SQLite (node:sqlite, WAL, synchronous=FULL) with an
 * in-memory copy for reads. Every write runs in a transaction that commits before the HTTP response is sent, so
 * anything acknowledged to a client survives `kill -9` (and power loss, with synchronous=FULL).
 *
 * Objects are JSON documents keyed by (tenant, collection, id). Ids compare case-insensitively, as Graph's GUIDs
 * do. Collections keep insertion order, which is the order Graph lists them in.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';

export type Doc = Record<string, unknown> & { id: string };

interface UndoEntry {
  key: string;
  id: string;
  previous: Doc | undefined;
}

export interface StoreOptions {
  /** A file path, or ':memory:' for a throwaway tenant (tests of pure routing). */
  path: string;
}

export class Store {
  private readonly db: DatabaseSync;
  private readonly cache = new Map<string, Map<string, Doc>>();
  private readonly versions = new Map<string, number>();
  private undo: UndoEntry[] | undefined;
  private readonly upsertStmt: StatementSync;
  private readonly deleteStmt: StatementSync;
  private readonly metaGetStmt: StatementSync;
  private readonly metaSetStmt: StatementSync;
  private globalVersion = 0;

  constructor(options: StoreOptions) {
    this.db = new DatabaseSync(options.path);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS objects (
        tenant TEXT NOT NULL, coll TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant, coll, id)
      );
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.upsertStmt = this.db.prepare(
      'INSERT INTO objects (tenant, coll, id, body) VALUES (?, ?, ?, ?) ON CONFLICT (tenant, coll, id) DO UPDATE SET body = excluded.body',
    );
    this.deleteStmt = this.db.prepare('DELETE FROM objects WHERE tenant = ? AND coll = ? AND id = ?');
    this.metaGetStmt = this.db.prepare('SELECT value FROM meta WHERE key = ?');
    this.metaSetStmt = this.db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.load();
  }

  private load(): void {
    const rows = this.db.prepare('SELECT tenant, coll, id, body FROM objects ORDER BY rowid').all() as {
      tenant: string;
      coll: string;
      id: string;
      body: string;
    }[];
    for (const row of rows) {
      this.bucket(row.tenant, row.coll).set(row.id, JSON.parse(row.body) as Doc);
    }
  }

  private bucket(tenant: string, coll: string): Map<string, Doc> {
    const key = `${tenant}\u0000${coll}`;
    let bucket = this.cache.get(key);
    if (!bucket) {
      bucket = new Map();
      this.cache.set(key, bucket);
    }
    return bucket;
  }

  private bump(tenant: string, coll: string): void {
    const key = `${tenant}\u0000${coll}`;
    this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
    this.globalVersion++;
  }

  /** A number that changes whenever the collection changes; used to cache serialized responses. */
  version(tenant: string, coll: string): number {
    return this.versions.get(`${tenant}\u0000${coll}`) ?? 0;
  }

  /** Changes whenever anything in any tenant changes. */
  get changeCounter(): number {
    return this.globalVersion;
  }

  all(tenant: string, coll: string): Doc[] {
    return [...this.bucket(tenant, coll).values()];
  }

  count(tenant: string, coll: string): number {
    return this.bucket(tenant, coll).size;
  }

  get(tenant: string, coll: string, id: string): Doc | undefined {
    return this.bucket(tenant, coll).get(id.toLowerCase());
  }

  put(tenant: string, coll: string, doc: Doc): void {
    const id = doc.id.toLowerCase();
    const bucket = this.bucket(tenant, coll);
    this.undo?.push({ key: `${tenant}\u0000${coll}`, id, previous: bucket.get(id) });
    this.upsertStmt.run(tenant, coll, id, JSON.stringify(doc));
    bucket.set(id, doc);
    this.bump(tenant, coll);
  }

  remove(tenant: string, coll: string, id: string): boolean {
    const key = id.toLowerCase();
    const bucket = this.bucket(tenant, coll);
    const previous = bucket.get(key);
    if (!previous) return false;
    this.undo?.push({ key: `${tenant}\u0000${coll}`, id: key, previous });
    this.deleteStmt.run(tenant, coll, key);
    bucket.delete(key);
    this.bump(tenant, coll);
    return true;
  }

  /**
   * Runs `fn` in one SQLite transaction. On a throw the database rolls back and the in-memory copy is restored,
   * so a failed request leaves no trace. Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => T): T {
    if (this.undo) return fn();
    this.undo = [];
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      this.db.exec('ROLLBACK');
      for (const entry of this.undo.reverse()) {
        const bucket = this.cache.get(entry.key);
        if (!bucket) continue;
        if (entry.previous) bucket.set(entry.id, entry.previous);
        else bucket.delete(entry.id);
      }
      this.globalVersion++;
      throw err;
    } finally {
      this.undo = undefined;
    }
  }

  getMeta(key: string): string | undefined {
    const row = this.metaGetStmt.get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.metaSetStmt.run(key, value);
  }

  /** Every (collection, id, body) of a tenant in a stable order; the basis of state hashes in tests. */
  dump(tenant: string): { coll: string; id: string; body: string }[] {
    return this.db
      .prepare('SELECT coll, id, body FROM objects WHERE tenant = ? ORDER BY coll, id')
      .all(tenant) as { coll: string; id: string; body: string }[];
  }

  integrityCheck(): string {
    const row = this.db.prepare('PRAGMA integrity_check').get() as Record<string, string>;
    return Object.values(row)[0] ?? 'unknown';
  }

  close(): void {
    this.db.close();
  }
}
