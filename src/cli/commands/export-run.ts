/**
 * `accord export`: the imperative shell around pipeline/export-manifests.ts. Reads the tenant, looks up every id the
 * policies name in one batched round, checks that each readable name resolves back to exactly one object (the same
 * batched resolution `plan` does), and writes one file per object — refusing to overwrite without `--force`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasErrors } from '../../core/diagnostics.ts';
import type { GraphPort } from '../../core/graph-port.ts';
import type { LiveObject, ReferenceType } from '../../core/kind.ts';
import type { Manifest } from '../../core/manifest.ts';
import { CONFIG_FILE, loadConfig, type AccordConfig } from '../../config/accord-config.ts';
import { registry } from '../../kinds/registry.ts';
import type { Logger } from '../../log/log-port.ts';
import { lookupDirectory, type LookupStats } from '../../pipeline/directory-lookup.ts';
import {
  assignManifestNames,
  buildExportLookup,
  collectDirectoryIds,
  exportManifests,
  findDuplicateDisplayNames,
  namingKey,
  schemaFileOf,
  type ExportedFile,
} from '../../pipeline/export-manifests.ts';
import { parseManifestText } from '../../pipeline/load-manifests.ts';
import { readTenant } from '../../pipeline/read-tenant.ts';
import { resolveReferences } from '../../pipeline/resolve-references.ts';
import { renderDiagnosticsText } from '../../render/diagnostics-text.ts';
import { styleFor } from '../../render/style.ts';
import { UserError } from '../errors.ts';
import { connect, type CommonOptions } from '../workspace.ts';
import { rebaseConfigText } from './export-config.ts';

export interface ExportOptions extends CommonOptions {
  /** Where to write; default the policy repository itself. */
  out?: string;
  force: boolean;
}

/** accord's own folder: schema hints are written only for files inside it (the relative path is then stable). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function schemaHintFor(outDir: string): (path: string, kind: string) => string | undefined {
  return (path, kind) => {
    const file = join(outDir, path);
    const schema = join(PACKAGE_ROOT, 'schemas', schemaFileOf(kind));
    if (!isInside(PACKAGE_ROOT, file) || !existsSync(schema)) return undefined;
    return relative(dirname(file), schema).split('\\').join('/');
  };
}

interface Rendered {
  files: ExportedFile[];
  /** `type '<value>'` references that still name nothing or several objects (an id of a deleted user, say). */
  unresolved: string[];
  requests: number;
  /** Objects sharing a display name with another of their kind (lint refuses such manifests). */
  duplicates: string[];
}

function parseFiles(files: readonly ExportedFile[]): Manifest[] {
  return files.flatMap((f) => parseManifestText(f.path, f.text).manifests);
}

/** The references of the exported manifests that do not resolve to exactly one object. */
async function findUnresolved(
  port: GraphPort,
  live: ReadonlyMap<string, readonly LiveObject[]>,
  manifests: readonly Manifest[],
  stats: LookupStats,
): Promise<{ type: ReferenceType; value: string }[]> {
  const resolution = await resolveReferences({ manifests, registry, port, live });
  stats.requests += resolution.stats.requests;
  const failed: { type: ReferenceType; value: string }[] = [];
  for (const manifest of manifests) {
    for (const reference of registry.get(manifest.kind)?.references(manifest.spec) ?? []) {
      try {
        resolution.lookup.idOf(reference);
      } catch {
        failed.push({ type: reference.type, value: reference.value });
      }
    }
  }
  return failed;
}

async function renderExport(port: GraphPort, outDir: string): Promise<Rendered> {
  const live = await readTenant(port, registry);
  const manifestNames = assignManifestNames(live);
  const stats: LookupStats = { requests: 0 };
  const directory = await lookupDirectory(port, collectDirectoryIds(live, registry), stats);
  const render = (keepIds?: ReadonlySet<string>): ExportedFile[] =>
    exportManifests({
      live,
      registry,
      manifestNames,
      lookup: buildExportLookup({ live, directory, manifestNames, ...(keepIds ? { keepIds } : {}) }),
      schemaHintFor: schemaHintFor(outDir),
    });
  let files = render();
  // A display name two groups (or apps) share cannot be a reference: keep the id there instead.
  const failed = await findUnresolved(port, live, parseFiles(files), stats);
  if (failed.length > 0) {
    files = render(new Set(failed.map((f) => namingKey(f.type, f.value))));
    const remaining = await findUnresolved(port, live, parseFiles(files), stats);
    const unresolved = [...new Set(remaining.map((r) => `${r.type} '${r.value}'`))];
    return {
      files,
      unresolved,
      requests: stats.requests,
      duplicates: findDuplicateDisplayNames(files, live),
    };
  }
  return {
    files,
    unresolved: [],
    requests: stats.requests,
    duplicates: findDuplicateDisplayNames(files, live),
  };
}

interface PlannedWrite {
  path: string;
  text: string;
}

/** An exported copy elsewhere gets an accord.yaml that still points at the same tenant, inventory and local state. */
function configWrite(config: AccordConfig, dir: string, outDir: string): PlannedWrite[] {
  if (outDir === dir || existsSync(join(outDir, CONFIG_FILE))) return [];
  const source = join(dir, CONFIG_FILE);
  const text = existsSync(source) ? readFileSync(source, 'utf8') : undefined;
  return [{ path: join(outDir, CONFIG_FILE), text: rebaseConfigText(text, config, outDir) }];
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export async function runExport(options: ExportOptions, logger: Logger): Promise<number> {
  const dir = resolve(options.dir);
  const outDir = resolve(options.out ?? options.dir);
  const { config, diagnostics } = loadConfig(dir);
  if (hasErrors(diagnostics)) {
    process.stderr.write(`${renderDiagnosticsText(diagnostics, styleFor(process.stderr))}\n`);
    return 1;
  }
  const connection = await connect({ dir, config, manifests: [], diagnostics: [] }, options.tenant, logger);
  let rendered: Rendered;
  try {
    rendered = await renderExport(connection.port, outDir);
  } finally {
    await connection.close();
  }
  const writes: PlannedWrite[] = [
    ...rendered.files.map((f) => ({ path: join(outDir, f.path), text: f.text })),
    ...configWrite(config, dir, outDir),
  ];
  const existing = writes.filter((w) => existsSync(w.path));
  if (existing.length > 0 && !options.force) {
    const list = existing.map((w) => `  ${relative(process.cwd(), w.path) || w.path}`).join('\n');
    throw new UserError(
      `export would overwrite ${existing.length} existing file${existing.length === 1 ? '' : 's'}; nothing was written:\n${list}\nRun again with --force to overwrite them.`,
    );
  }
  for (const w of writes) {
    mkdirSync(dirname(w.path), { recursive: true });
    writeFileSync(w.path, w.text);
  }
  const objects = rendered.files.reduce((n, f) => n + f.objects, 0);
  write(
    `Exported ${objects} object${objects === 1 ? '' : 's'} from tenant ${connection.name} (${connection.tenantId}) into ${rendered.files.length} file${rendered.files.length === 1 ? '' : 's'} under ${outDir}` +
      ` (${rendered.requests} directory request${rendered.requests === 1 ? '' : 's'}, the check that every name resolves included).`,
  );
  for (const f of rendered.files) write(`  ${f.path}`);
  for (const u of rendered.unresolved)
    process.stderr.write(`warning: ${u} names no single object in the tenant; plan will report it\n`);
  for (const d of rendered.duplicates)
    process.stderr.write(
      `warning: ${d} shares its display name with another object; rename one before 'accord plan'\n`,
    );
  return 0;
}
