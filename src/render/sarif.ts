/**
 * Lint findings as SARIF 2.1.0 for GitHub code scanning: one rule per diagnostic code, one result per diagnostic,
 * located in the manifest file (relative to the repository root, so code scanning can annotate the pull request).
 * Pure.
 */
import { isAbsolute, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sortDiagnostics, type Diagnostic, type Severity } from '../core/diagnostics.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';

export interface SarifOptions {
  toolVersion: string;
  /** The repository root; file locations are written relative to it. */
  repoRoot: string;
  informationUri?: string;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  helpUri: string;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations?: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: string };
      region: { startLine: number; startColumn: number };
    };
    logicalLocations?: { fullyQualifiedName: string; kind: string }[];
  }[];
}

export interface SarifLog {
  $schema: string;
  version: typeof SARIF_VERSION;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: SarifResult[];
  }[];
}

const LEVEL: Record<Severity, SarifResult['level']> = { error: 'error', warning: 'warning', info: 'note' };
/** The lint and guard rules; it points on to docs/cli.md for the validation codes (`schema`, `unresolved-name`…). */
const DOCS = 'https://github.com/accord-dev/accord/blob/main/docs/lint-rules.md';

/** `%SRCROOT%`: the repository root as an absolute file URI ending in `/` (SARIF §3.14.14). */
function sourceRoot(repoRoot: string): string {
  const href = pathToFileURL(repoRoot).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** A repository-relative URI with forward slashes (percent-encoded as SARIF requires). */
export function sarifUri(file: string, repoRoot: string): string {
  const rel = isAbsolute(file) ? relative(repoRoot, file) : file;
  return rel
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function toResult(d: Diagnostic, ruleIndex: number, repoRoot: string): SarifResult {
  const text = d.detail ? `${d.summary}\n${d.detail}` : d.summary;
  const result: SarifResult = { ruleId: d.code, ruleIndex, level: LEVEL[d.severity], message: { text } };
  if (d.location) {
    result.locations = [
      {
        physicalLocation: {
          artifactLocation: { uri: sarifUri(d.location.file, repoRoot), uriBaseId: '%SRCROOT%' },
          region: { startLine: Math.max(1, d.location.line), startColumn: Math.max(1, d.location.column) },
        },
        ...(d.location.pointer
          ? { logicalLocations: [{ fullyQualifiedName: d.location.pointer, kind: 'member' }] }
          : {}),
      },
    ];
  }
  return result;
}

export function renderSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): SarifLog {
  const sorted = sortDiagnostics(diagnostics);
  const rules: SarifRule[] = [];
  const index = new Map<string, number>();
  for (const d of sorted) {
    if (index.has(d.code)) continue;
    index.set(d.code, rules.length);
    rules.push({ id: d.code, name: d.code, shortDescription: { text: d.code }, helpUri: DOCS });
  }
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'accord',
            version: options.toolVersion,
            informationUri: options.informationUri ?? DOCS,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: sourceRoot(options.repoRoot) } },
        results: sorted.map((d) => toResult(d, index.get(d.code)!, options.repoRoot)),
      },
    ],
  };
}
