/**
 * Reading manifests: every `*.yaml`/`*.yml` under a policy repository, multi-document, with every YAML error
 * reported at once with file:line:column. The only I/O is reading the directory tree and the files; parsing is pure
 * (`parseManifestText`). Manifests come back in a deterministic order: sorted paths, then document order.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { error, warning, type Diagnostic, type SourceLocation } from '../core/diagnostics.ts';
import type { Manifest, ManifestMetadata } from '../core/manifest.ts';
import { createLocator, escapePointerSegment } from './yaml-locations.ts';

export const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Directories never read: tooling, accord's own state, and scenario tests (a separate feature). */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.accord']);
const ROOT_SKIPPED = new Set(['tests', 'accord.yaml', 'accord.yml']);
const ENVELOPE_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];

export interface LoadOptions {
  /** Paths relative to the directory (files or folders, `/`-separated) that are not read. */
  exclude?: string[];
}

export interface LoadResult {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
}

function isExcluded(relative: string, exclude: readonly string[]): boolean {
  return exclude.some((entry) => {
    const normalized = entry.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    return relative === normalized || relative.startsWith(`${normalized}/`);
  });
}

function isSkippedEntry(name: string, relative: string, isDirectory: boolean): boolean {
  if (name.startsWith('.')) return true;
  if (isDirectory && SKIPPED_DIRECTORIES.has(name)) return true;
  return relative === name && ROOT_SKIPPED.has(name);
}

/** Relative, `/`-separated paths of the manifest files under `dir`, sorted. Symbolic links are not followed. */
export function listManifestFiles(dir: string, exclude: readonly string[] = []): string[] {
  const found: string[] = [];
  const walk = (relativeDir: string): void => {
    const entries = readdirSync(path.join(dir, relativeDir), { withFileTypes: true });
    for (const entry of entries) {
      const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      if (isSkippedEntry(entry.name, relative, entry.isDirectory()) || isExcluded(relative, exclude))
        continue;
      if (entry.isDirectory()) walk(relative);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) found.push(relative);
    }
  };
  walk('');
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function startLocation(file: string): SourceLocation {
  return { file, line: 1, column: 1 };
}

/** The text of a file, or a diagnostic when it is not UTF-8 (the first bad byte's line and column). */
export function decodeManifestBytes(
  file: string,
  bytes: Uint8Array,
): { text: string } | { diagnostic: Diagnostic } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const before = lossy.slice(0, Math.max(0, lossy.indexOf('\uFFFD')));
    const lines = before.split('\n');
    const location = { file, line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
    return {
      diagnostic: error('encoding', 'the file is not valid UTF-8', {
        detail: 'Save the file as UTF-8 (without a byte order mark other than UTF-8’s).',
        location,
      }),
    };
  }
}

function reportYamlProblems(file: string, doc: Document, lineCounter: LineCounter): Diagnostic[] {
  const toDiagnostic = (
    problem: { message: string; pos: [number, number] },
    severity: 'error' | 'warning',
  ) => {
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    const build = severity === 'error' ? error : warning;
    return build('yaml', `YAML: ${problem.message}`, { location: { file, line, column: col } });
  };
  return [
    ...doc.errors.map((problem) => toDiagnostic(problem, 'error')),
    ...doc.warnings.map((problem) => toDiagnostic(problem, 'warning')),
  ];
}

function isEmptyDocument(doc: Document): boolean {
  const contents = doc.contents as { value?: unknown; items?: unknown } | null;
  return contents === null || (contents.items === undefined && contents.value === null);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reportUnknownTopLevelKeys(
  raw: Record<string, unknown>,
  locate: Manifest['source']['locate'],
): Diagnostic[] {
  return Object.keys(raw)
    .filter((key) => !ENVELOPE_KEYS.includes(key))
    .map((key) =>
      error('schema', `${key}: unknown top-level property (a manifest has ${ENVELOPE_KEYS.join(', ')})`, {
        location: locate(`/${escapePointerSegment(key)}`),
      }),
    );
}

/**
 * Builds the manifest of one document. Values are as written: `validateManifests` is the stage that proves the
 * envelope has the declared types, so nothing downstream of it may rely on them before validation.
 */
function buildManifest(raw: Record<string, unknown>, source: Manifest['source']): Manifest {
  return {
    apiVersion: raw.apiVersion as string,
    kind: raw.kind as string,
    metadata: raw.metadata as ManifestMetadata,
    spec: raw.spec as Record<string, unknown>,
    source,
  };
}

function readDocument(file: string, doc: Document, index: number, lineCounter: LineCounter): LoadResult {
  const locate = createLocator(file, doc, lineCounter);
  const location = locate('');
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (cause) {
    return { manifests: [], diagnostics: [error('yaml', `YAML: ${describeError(cause)}`, { location })] };
  }
  if (!isRecord(raw)) {
    const got = Array.isArray(raw) ? 'a list' : `a ${typeof raw}`;
    const summary = `document ${index + 1} is ${got}, not a mapping with apiVersion, kind, metadata and spec`;
    return { manifests: [], diagnostics: [error('not-a-mapping', summary, { location })] };
  }
  const source = { file, document: index, location, locate };
  return { manifests: [buildManifest(raw, source)], diagnostics: reportUnknownTopLevelKeys(raw, locate) };
}

/** Parses the text of one file (pure): its manifests and every YAML problem in it. */
export function parseManifestText(file: string, text: string): LoadResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true });
  const result: LoadResult = { manifests: [], diagnostics: [] };
  docs.forEach((doc, index) => {
    const problems = reportYamlProblems(file, doc, lineCounter);
    result.diagnostics.push(...problems);
    if (problems.some((d) => d.severity === 'error') || isEmptyDocument(doc)) return;
    const { manifests, diagnostics } = readDocument(file, doc, index, lineCounter);
    result.manifests.push(...manifests);
    result.diagnostics.push(...diagnostics);
  });
  return result;
}

function describeError(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function readFailure(file: string, cause: unknown): LoadResult {
  const diagnostic = error('read', `cannot read: ${describeError(cause)}`, { location: startLocation(file) });
  return { manifests: [], diagnostics: [diagnostic] };
}

function readManifestFile(dir: string, relative: string): LoadResult {
  const file = path.join(dir, relative);
  try {
    return readCheckedFile(file);
  } catch (cause) {
    return readFailure(file, cause);
  }
}

function readCheckedFile(file: string): LoadResult {
  const size = lstatSync(file).size;
  if (size > MAX_MANIFEST_BYTES) {
    const summary = `the file is ${size} bytes; manifests larger than ${MAX_MANIFEST_BYTES} bytes (1 MiB) are refused`;
    const detail = 'Split it into several files.';
    return {
      manifests: [],
      diagnostics: [error('oversize', summary, { detail, location: startLocation(file) })],
    };
  }
  const decoded = decodeManifestBytes(file, readFileSync(file));
  if ('diagnostic' in decoded) return { manifests: [], diagnostics: [decoded.diagnostic] };
  return parseManifestText(file, decoded.text);
}

/** Every manifest under `dir` and every problem found reading them. File names are `dir` joined with the path. */
export function loadManifests(dir: string, options: LoadOptions = {}): LoadResult {
  const result: LoadResult = { manifests: [], diagnostics: [] };
  let files: string[];
  try {
    files = listManifestFiles(dir, options.exclude ?? []);
  } catch (cause) {
    return readFailure(dir, cause);
  }
  for (const relative of files) {
    const { manifests, diagnostics } = readManifestFile(dir, relative);
    result.manifests.push(...manifests);
    result.diagnostics.push(...diagnostics);
  }
  return result;
}
