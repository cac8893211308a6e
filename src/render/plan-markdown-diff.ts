/**
 * A change's fields as a `diff` code block in YAML, the language the manifests are written in: each field is the
 * YAML of `{path: value}` before and after, compared line by line, so a list shows which entries were added or
 * removed instead of two long values to compare by eye. GitHub colours `+` and `-` lines; inside a code block
 * nothing is parsed as Markdown or HTML, so values show exactly as they are.
 */
import { stringify } from 'yaml';
import type { FieldChange } from '../core/plan.ts';
import { fencedBlock } from './markdown-text.ts';

/** Lines shown per field; `accord plan --output json` has the rest. */
export const FIELD_LINE_LIMIT = 60;
/** Characters shown per line; longer values end with `…`. */
export const LINE_CHAR_LIMIT = 500;
/** Above this many line pairs, skip the line matching and show all of before, then all of after. */
const MATCH_LIMIT = 250_000;

type DiffLine = { op: ' ' | '-' | '+'; text: string };

function yamlLines(path: string, value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const text = stringify({ [path]: value }, { lineWidth: 0, flowCollectionPadding: false });
  return text.replace(/\n$/, '').split('\n');
}

/** Longest-common-subsequence line diff; unchanged lines stay as context. */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  const n = before.length;
  const m = after.length;
  if (n * m > MATCH_LIMIT) {
    return [
      ...before.map((text) => ({ op: '-' as const, text })),
      ...after.map((text) => ({ op: '+' as const, text })),
    ];
  }
  // lcs[i][j]: length of the common subsequence of before[i..] and after[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] =
        before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ op: ' ', text: before[i]! });
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push({ op: '+', text: after[j]! });
      j++;
    } else {
      out.push({ op: '-', text: before[i]! });
      i++;
    }
  }
  // Removals before additions within a run of changes reads like `git diff`.
  return reorderRuns(out);
}

function reorderRuns(lines: DiffLine[]): DiffLine[] {
  const out: DiffLine[] = [];
  let run: DiffLine[] = [];
  const flush = (): void => {
    out.push(...run.filter((l) => l.op === '-'), ...run.filter((l) => l.op === '+'));
    run = [];
  };
  for (const line of lines) {
    if (line.op === ' ') {
      flush();
      out.push(line);
    } else run.push(line);
  }
  flush();
  return out;
}

function renderField(field: FieldChange): string[] {
  const lines = diffLines(yamlLines(field.path, field.before), yamlLines(field.path, field.after));
  const shown = lines
    .slice(0, FIELD_LINE_LIMIT)
    .map(
      (l) => `${l.op} ${l.text.length > LINE_CHAR_LIMIT ? `${l.text.slice(0, LINE_CHAR_LIMIT)}…` : l.text}`,
    );
  if (lines.length > FIELD_LINE_LIMIT)
    shown.push(`  … ${lines.length - FIELD_LINE_LIMIT} more lines (accord plan --output json shows all)`);
  return shown;
}

/** The fields of one change as a fenced `diff` block; empty when there are none. */
export function renderFieldsDiff(fields: readonly FieldChange[]): string {
  if (fields.length === 0) return '';
  return fencedBlock(fields.flatMap(renderField).join('\n'), 'diff');
}
