/**
 * While a local tenant serves a data directory it leaves `server.json` there (mode 0600: it holds the demo app's
 * secrets), so accord commands pointed at the same directory talk to the running server instead of opening the
 * database a second time.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalTenant, TenantSummary } from './server.ts';

export interface ServerRecord {
  pid: number;
  origin: string;
  graphUrl: string;
  tenants: TenantSummary[];
}

const FILE = 'server.json';

export function writeServerRecord(dataDir: string, tenant: LocalTenant): void {
  const record: ServerRecord = {
    pid: process.pid,
    origin: tenant.origin,
    graphUrl: tenant.graphUrl,
    tenants: tenant.tenants(),
  };
  writeFileSync(join(dataDir, FILE), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

export function removeServerRecord(dataDir: string): void {
  rmSync(join(dataDir, FILE), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The record of a server that is still running, or undefined. */
export function readServerRecord(dataDir: string): ServerRecord | undefined {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as ServerRecord;
    return record.pid !== process.pid && isAlive(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}
