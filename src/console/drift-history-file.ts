/**
 * The reconcile loop's drift history kept across restarts: `.accord/drift-history.json` in the policy repository
 * (beside the inventory; `.accord/` is not committed). One file holds every tenant the repository reconciles, newest
 * check first, as bounded as the console's ring buffer. It is a record for people, never an input to a decision:
 * a file that cannot be read is reported and replaced by the next check, and a file that cannot be written costs the
 * history, never the reconcile.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from '../log/log-port.ts';
import { writeFileAtomic } from '../util/atomic-file.ts';
import type { DriftCheck } from './console-state.ts';

interface DriftHistoryFile {
  formatVersion: 1;
  tenants: Record<string, DriftCheck[]>;
}

const RESOLUTIONS = new Set(['none', 'corrected', 'reported', 'failed']);

function isDriftCheck(value: unknown): value is DriftCheck {
  if (typeof value !== 'object' || value === null) return false;
  const check = value as Record<string, unknown>;
  return (
    ['at', 'lastAt', 'trigger', 'message'].every((key) => typeof check[key] === 'string') &&
    Number.isInteger(check.count) &&
    RESOLUTIONS.has(check.resolution as string) &&
    Array.isArray(check.drifted) &&
    check.drifted.every(
      (d: unknown) =>
        typeof d === 'object' &&
        d !== null &&
        ['kind', 'name', 'displayName', 'action'].every(
          (key) => typeof (d as Record<string, unknown>)[key] === 'string',
        ) &&
        Array.isArray((d as Record<string, unknown>).fields),
    )
  );
}

/** What is wrong with the parsed file, or undefined when it is a drift history. */
function problemOf(parsed: unknown): string | undefined {
  if (typeof parsed !== 'object' || parsed === null) return 'not a JSON object';
  const file = parsed as Partial<DriftHistoryFile>;
  if (file.formatVersion !== 1) return `formatVersion ${JSON.stringify(file.formatVersion)} is not 1`;
  if (typeof file.tenants !== 'object' || file.tenants === null) return '"tenants" is not an object';
  for (const [tenant, checks] of Object.entries(file.tenants)) {
    if (!Array.isArray(checks)) return `tenants.${tenant} is not a list`;
    const bad = checks.findIndex((check) => !isDriftCheck(check));
    if (bad >= 0) return `tenants.${tenant}[${bad}] is not a drift check`;
  }
  return undefined;
}

export class DriftHistoryFileStore {
  readonly #path: string;
  readonly #logger: Logger;
  #data: DriftHistoryFile = { formatVersion: 1, tenants: {} };

  constructor(path: string, logger: Logger) {
    this.#path = path;
    this.#logger = logger;
    this.#data = this.#read();
  }

  #read(): DriftHistoryFile {
    let text: string;
    try {
      text = readFileSync(this.#path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.#logger.warn('the drift history could not be read; it starts empty', {
          file: this.#path,
          error: (err as Error).message,
        });
      return { formatVersion: 1, tenants: {} };
    }
    let problem: string | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      problem = problemOf(parsed);
      if (!problem) return parsed as DriftHistoryFile;
    } catch (err) {
      problem = `not JSON (${(err as Error).message})`;
    }
    this.#logger.warn('the drift history file is not one accord wrote; it starts empty and is replaced', {
      file: this.#path,
      problem,
    });
    return { formatVersion: 1, tenants: {} };
  }

  /** The tenant's checks from earlier runs, newest first. */
  load(tenant: string): DriftCheck[] {
    return this.#data.tenants[tenant] ?? [];
  }

  save(tenant: string, history: readonly DriftCheck[]): void {
    this.#data.tenants[tenant] = [...history];
    try {
      writeFileAtomic(this.#path, `${JSON.stringify(this.#data, null, 2)}\n`);
    } catch (err) {
      this.#logger.warn('the drift history could not be saved; the console still shows it', {
        file: this.#path,
        error: (err as Error).message,
      });
    }
  }
}
