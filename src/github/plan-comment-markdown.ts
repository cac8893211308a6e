/**
 * The plan as one pull-request comment: summary, sign-in impact, lint findings and the field-level diff in
 * collapsible sections. Pure: the same plan always renders the same body (no timestamps), so a content hash tells
 * whether the sticky comment needs updating. Bodies over GitHub's limit are cut at a section boundary with a pointer
 * to the full plan in the job summary.
 */
import { relative, isAbsolute } from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';
import type { Plan, ResourceChange } from '../core/plan.ts';
import { formatValue, summaryLine } from '../render/plan-text.ts';
import { contentHash, hashMarker, planMarker } from './markers.ts';
import { renderImpactMarkdown } from '../impact/render-impact.ts';

/** GitHub refuses issue and pull-request comments longer than this (characters). */
export const COMMENT_LIMIT = 65_536;
/** Longest value shown in one diff cell; the job summary and `accord plan` show all of it. */
const CELL_LIMIT = 1_000;

export interface PlanCommentOptions {
  /** Paths in the comment are shown relative to this directory (the repository root). */
  repoRoot?: string;
  /** The workflow run, where the job summary holds the full plan. */
  runUrl?: string;
  /** Characters; defaults to GitHub's comment limit. */
  limit?: number;
  /** Hidden lines that open the body (default: the sticky plan comment's marker and content hash). */
  markers?: (hash: string) => string;
  /** Markdown shown above the plan (the drift issue's explanation). */
  intro?: string;
}

export interface PlanComment {
  /** The comment body: marker, hash, content, maybe a truncation notice. */
  body: string;
  /** Hash of the plan content (not of the run link), recorded in the body. */
  hash: string;
  truncated: boolean;
  /** The whole plan as Markdown, for the job summary. */
  full: string;
}

const ICON: Record<ResourceChange['action'], string> = {
  create: '🟢 create',
  update: '🟡 update',
  delete: '🔴 delete',
  'no-op': '⚪ no change',
  unmanaged: '⚫ unmanaged',
};

const SEVERITY: Record<Diagnostic['severity'], string> = {
  error: '❌ error',
  warning: '⚠️ warning',
  info: 'ℹ️ info',
};

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A table cell: HTML-escaped, one line, no column separators. */
function cell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '&#124;').replace(/\r?\n/g, ' ');
}

function codeCell(value: unknown): string {
  const text = formatValue(value);
  const shown = text.length > CELL_LIMIT ? `${text.slice(0, CELL_LIMIT)}…` : text;
  return `<code>${cell(shown)}</code>`;
}

function displayPath(file: string, repoRoot: string | undefined): string {
  if (!repoRoot || !isAbsolute(file)) return file;
  const rel = relative(repoRoot, file);
  return rel.startsWith('..') ? file : rel.split('\\').join('/');
}

function renderSummary(plan: Plan): string[] {
  const s = plan.summary;
  return [
    summaryLine(plan),
    '',
    '| Create | Update | Delete | Unchanged | Unmanaged |',
    '|---:|---:|---:|---:|---:|',
    `| ${s.create} | ${s.update} | ${s.delete} | ${s.noOp} | ${s.unmanaged} |`,
    '',
  ];
}

const SIGN_IN_KINDS = new Set(['ConditionalAccessPolicy', 'NamedLocation', 'AuthenticationStrengthPolicy']);

function renderImpact(plan: Plan): string[] {
  if (plan.impact) return [renderImpactMarkdown(plan.impact), ''];
  const changesSignIns = plan.changes.some(
    (c) =>
      (c.action === 'create' || c.action === 'update' || c.action === 'delete') && SIGN_IN_KINDS.has(c.kind),
  );
  const text = changesSignIns
    ? '> The sign-in impact was not computed for this plan; see the job log.'
    : '> No change to who signs in how: this plan changes no policy, named location or strength.';
  return ['#### Sign-in impact', '', text, ''];
}

function renderFindingRow(d: Diagnostic, repoRoot: string | undefined): string {
  const where = d.location
    ? `<code>${cell(`${displayPath(d.location.file, repoRoot)}:${d.location.line}:${d.location.column}`)}</code>`
    : '';
  const what = d.detail ? `${cell(d.summary)}<br>${cell(d.detail)}` : cell(d.summary);
  return `| ${SEVERITY[d.severity]} | <code>${cell(d.code)}</code> | ${where} | ${what} |`;
}

function countBySeverity(diagnostics: readonly Diagnostic[]): string {
  const count = (s: Diagnostic['severity']): number => diagnostics.filter((d) => d.severity === s).length;
  return `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info`;
}

function renderChange(change: ResourceChange, repoRoot: string | undefined): string {
  const title = `${ICON[change.action]} <b>${cell(change.kind)}</b> <code>${cell(change.name)}</code> — ${cell(change.reason)}`;
  const lines = [`<details><summary>${title}</summary>`, ''];
  if (change.file) lines.push(`Manifest: <code>${cell(displayPath(change.file, repoRoot))}</code>`, '');
  if (change.id) lines.push(`Tenant object: <code>${cell(change.id)}</code>`, '');
  if (change.fields.length > 0) {
    lines.push('| Field | Before | After |', '|---|---|---|');
    for (const f of change.fields)
      lines.push(`| <code>${cell(f.path)}</code> | ${codeCell(f.before)} | ${codeCell(f.after)} |`);
    lines.push('');
  }
  lines.push('</details>', '');
  return lines.join('\n');
}

interface Sections {
  head: string;
  findings: { open: string; rows: string[]; close: string } | undefined;
  changes: string[];
}

function buildSections(plan: Plan, repoRoot: string | undefined): Sections {
  const head = [
    `### accord plan — ${cell(plan.tenant.name)}`,
    '',
    ...renderSummary(plan),
    ...renderImpact(plan),
  ];
  const rank: Record<Diagnostic['severity'], number> = { error: 0, warning: 1, info: 2 };
  // Errors first: they are what blocks the merge. Within a severity, by location.
  const diagnostics = sortDiagnostics(plan.diagnostics).sort((a, b) => rank[a.severity] - rank[b.severity]);
  const findings =
    diagnostics.length === 0
      ? undefined
      : {
          open: [
            '#### Lint findings',
            '',
            `<details open><summary>${countBySeverity(diagnostics)}</summary>`,
            '',
            '| Severity | Code | Location | Finding |',
            '|---|---|---|---|',
          ].join('\n'),
          rows: diagnostics.map((d) => renderFindingRow(d, repoRoot)),
          close: '\n</details>\n',
        };
  if (!findings) head.push('#### Lint findings', '', 'No lint findings.', '');
  const shown = plan.changes.filter((c) => c.action !== 'no-op');
  return { head: head.join('\n'), findings, changes: shown.map((c) => renderChange(c, repoRoot)) };
}

function joinSections(s: Sections, rows: string[], changes: string[], allChanges: number): string {
  const parts = [s.head];
  if (s.findings) parts.push(`${s.findings.open}\n${rows.join('\n')}${s.findings.close}`);
  parts.push('#### Changes\n');
  parts.push(allChanges === 0 ? 'No changes: the tenant matches git.\n' : changes.join('\n'));
  return parts.join('\n');
}

/** The longest prefix of `items` whose joined length stays within `budget`. */
function fitting(items: readonly string[], budget: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const item of items) {
    if (used + item.length + 1 > budget) break;
    kept.push(item);
    used += item.length + 1;
  }
  return kept;
}

function truncationNotice(
  omittedFindings: number,
  omittedChanges: number,
  runUrl: string | undefined,
): string {
  const where = runUrl ? `the [job summary of this run](${runUrl})` : 'the job summary of this run';
  const what = [
    omittedFindings > 0 ? `${omittedFindings} lint finding(s)` : '',
    omittedChanges > 0 ? `${omittedChanges} change(s)` : '',
  ]
    .filter((x) => x !== '')
    .join(' and ');
  return `\n> ✂️ **This plan is too long for a comment**: ${what} not shown here. The full plan is in ${where}, or run \`accord plan\` locally.\n`;
}

export function renderPlanComment(plan: Plan, options: PlanCommentOptions = {}): PlanComment {
  const limit = options.limit ?? COMMENT_LIMIT;
  const s = buildSections(plan, options.repoRoot);
  const rows = s.findings?.rows ?? [];
  const full = joinSections(s, rows, s.changes, s.changes.length);
  const hash = contentHash(full);
  const markers = options.markers ?? ((h: string) => `${planMarker(plan.tenant.name)}\n${hashMarker(h)}`);
  const prefix = `${markers(hash)}\n${options.intro ? `${options.intro}\n\n` : ''}`;
  if (prefix.length + full.length <= limit) return { body: prefix + full, hash, truncated: false, full };
  // Keep the head whole; share what is left between findings and changes, findings first.
  const notice = truncationNotice(rows.length, s.changes.length, options.runUrl);
  let budget = limit - prefix.length - notice.length - joinSections(s, [], [], s.changes.length).length;
  const keptRows = fitting(rows, budget);
  budget -= keptRows.join('\n').length;
  const keptChanges = fitting(s.changes, budget);
  const shortNotice = truncationNotice(
    rows.length - keptRows.length,
    s.changes.length - keptChanges.length,
    options.runUrl,
  );
  const body = prefix + joinSections(s, keptRows, keptChanges, s.changes.length) + shortNotice;
  return { body, hash, truncated: true, full };
}
