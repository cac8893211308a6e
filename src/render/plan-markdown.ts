/**
 * The plan as GitHub-flavoured Markdown (pull-request comment, drift issue, job summary, `--output markdown`): the
 * summary line, the sign-in impact, lint findings in a table, each change in a collapsible section with its fields as
 * a YAML `diff` block, and the tenant objects accord leaves alone. Pure and deterministic (no timestamps), so a hash
 * of it tells whether a posted copy is current.
 *
 * The plan comes as sections of items so that a caller with a size limit (GitHub's comment limit) can cut between
 * items and never inside a table or a `<details>` block. GitHub renders Markdown inside `<details>` only after a
 * blank line, and ends a table only at a blank line: every block here is surrounded by blank lines.
 */
import { isAbsolute, relative } from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';
import type { Plan, ResourceChange } from '../core/plan.ts';
import { renderImpactMarkdown } from '../impact/render-impact.ts';
import { codeSpan, htmlCode, htmlText, markdownText, plural } from './markdown-text.ts';
import { renderFieldsDiff } from './plan-markdown-diff.ts';
import { summaryLine } from './plan-text.ts';

export interface PlanMarkdownOptions {
  /** Paths are shown relative to this directory (the repository root). */
  repoRoot?: string;
  /** The heading's first words (default `accord plan`). */
  title?: string;
  /** Markdown shown under the heading, above the summary line (the drift issue's explanation). */
  intro?: string;
}

/** A run of items between an opening and a closing part; a size limit may keep only the first items. */
export interface MarkdownSection {
  /** What the items are, singular, for "3 changes not shown". */
  noun: string;
  open: string;
  items: string[];
  close: string;
  /** Shown instead when the section has no items at all (omitted when undefined). */
  empty?: string;
}

export interface PlanMarkdown {
  /** The heading and the summary line. */
  head: string;
  /** The sign-in impact, always shown whole. */
  impact: string;
  sections: MarkdownSection[];
}

const ICON: Record<ResourceChange['action'], string> = {
  create: '🟢 <b>create</b>',
  update: '🟡 <b>update</b>',
  delete: '🔴 <b>delete</b>',
  'no-op': '⚪ <b>no change</b>',
  unmanaged: '⚫ <b>unmanaged</b>',
};

const SEVERITY: Record<Diagnostic['severity'], string> = {
  error: '❌&nbsp;error',
  warning: '⚠️&nbsp;warning',
  info: 'ℹ️&nbsp;info',
};

const SIGN_IN_KINDS = new Set(['ConditionalAccessPolicy', 'NamedLocation', 'AuthenticationStrengthPolicy']);

function displayPath(file: string, repoRoot: string | undefined): string {
  if (!repoRoot || !isAbsolute(file)) return file;
  const rel = relative(repoRoot, file);
  return rel.startsWith('..') ? file : rel.split('\\').join('/');
}

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

function countBySeverity(diagnostics: readonly Diagnostic[]): string {
  const count = (s: Diagnostic['severity']): number => diagnostics.filter((d) => d.severity === s).length;
  const parts = [
    plural(count('error'), 'error'),
    plural(count('warning'), 'warning'),
    `${count('info')} info`,
  ].filter((p) => !p.startsWith('0 '));
  return parts.join(', ');
}

/** What is wrong, then what to do (in italics), then where and which rule: a reader's order of questions. */
function renderFindingRow(d: Diagnostic, repoRoot: string | undefined): string {
  const lines = [markdownText(d.summary)];
  if (d.detail) lines.push(`<i>${markdownText(d.detail)}</i>`);
  const where = d.location
    ? `${codeSpan(`${displayPath(d.location.file, repoRoot)}:${d.location.line}`, { inTable: true })} · `
    : '';
  lines.push(`${where}${codeSpan(d.code, { inTable: true })}`);
  return `| ${SEVERITY[d.severity]} | ${lines.join('<br>')} |`;
}

function findingsSection(plan: Plan, repoRoot: string | undefined): MarkdownSection {
  const rank: Record<Diagnostic['severity'], number> = { error: 0, warning: 1, info: 2 };
  // Errors first: they are what blocks the merge. Within a severity, by location.
  const diagnostics = sortDiagnostics(plan.diagnostics).sort((a, b) => rank[a.severity] - rank[b.severity]);
  return {
    noun: 'lint finding',
    open: [
      '#### Lint findings',
      '',
      `<details open><summary>${countBySeverity(diagnostics)}</summary>`,
      '',
      '| Severity | Finding |',
      '|---|---|',
    ].join('\n'),
    items: diagnostics.map((d) => renderFindingRow(d, repoRoot)),
    close: '\n\n</details>\n',
    empty: '#### Lint findings\n\nNo lint findings.\n',
  };
}

/** `<code>name</code> “Display name”`, the display name only where it says more than the name. */
function title(change: ResourceChange): string {
  const named = htmlCode(change.name);
  return change.displayName && change.displayName !== change.name
    ? `${named} “${htmlText(change.displayName)}”`
    : named;
}

function renderChange(change: ResourceChange, repoRoot: string | undefined): string {
  const summary = `${ICON[change.action]} ${htmlText(change.kind)} ${title(change)} — ${htmlText(change.reason)}`;
  const where = [
    change.file ? `Manifest ${codeSpan(displayPath(change.file, repoRoot))}` : '',
    change.id ? `tenant object ${codeSpan(change.id)}` : '',
  ].filter((w) => w !== '');
  const lines = [`<details><summary>${summary}</summary>`, ''];
  if (where.length > 0) lines.push(capitalize(where.join(' · ')), '');
  const diff = renderFieldsDiff(change.fields);
  if (diff) lines.push(diff);
  lines.push('</details>', '');
  return lines.join('\n');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function changesSection(plan: Plan, repoRoot: string | undefined): MarkdownSection {
  const shown = plan.changes.filter(
    (c) => c.action === 'create' || c.action === 'update' || c.action === 'delete',
  );
  return {
    noun: 'change',
    open: '#### Changes\n',
    items: shown.map((c) => renderChange(c, repoRoot)),
    close: '',
    empty: '#### Changes\n\nNo changes: the tenant matches git.\n',
  };
}

function unmanagedSection(plan: Plan): MarkdownSection {
  const unmanaged = plan.changes.filter((c) => c.action === 'unmanaged');
  return {
    noun: 'unmanaged object',
    open: [
      '#### Not managed by accord',
      '',
      `<details><summary>${plural(unmanaged.length, 'tenant object')} not in git: accord leaves ${unmanaged.length === 1 ? 'it' : 'them'} alone</summary>`,
      '',
    ].join('\n'),
    items: unmanaged.map(
      (c) =>
        `- ${markdownText(c.kind)} ${codeSpan(c.name)}${c.displayName && c.displayName !== c.name ? ` “${markdownText(c.displayName)}”` : ''} — ${markdownText(c.reason)}`,
    ),
    close: '\n\n</details>\n',
  };
}

export function buildPlanMarkdown(plan: Plan, options: PlanMarkdownOptions = {}): PlanMarkdown {
  const head = [
    `### ${options.title ?? 'accord plan'} — ${markdownText(plan.tenant.name)}`,
    '',
    ...(options.intro ? [options.intro, ''] : []),
    markdownText(summaryLine(plan)),
    '',
  ].join('\n');
  return {
    head,
    impact: renderImpact(plan).join('\n'),
    sections: [
      findingsSection(plan, options.repoRoot),
      changesSection(plan, options.repoRoot),
      unmanagedSection(plan),
    ],
  };
}

export interface JoinOptions {
  /** How many items of each section to show (default: all); a section cut to none is left out. */
  kept?: readonly number[];
  /** Markdown shown right after the summary line (a notice that the plan was cut). */
  notice?: string;
}

/** The Markdown text of the plan. A section with no items at all shows its `empty` text. */
export function joinPlanMarkdown(markdown: PlanMarkdown, options: JoinOptions = {}): string {
  const parts = [markdown.head];
  if (options.notice) parts.push(options.notice);
  parts.push(markdown.impact);
  markdown.sections.forEach((section, i) => {
    if (section.items.length === 0) {
      if (section.empty !== undefined) parts.push(section.empty);
      return;
    }
    const items = section.items.slice(0, options.kept?.[i] ?? section.items.length);
    if (items.length > 0) parts.push(`${section.open}\n${items.join('\n')}${section.close}`);
  });
  return parts.join('\n');
}

export function renderPlanMarkdown(plan: Plan, options: PlanMarkdownOptions = {}): string {
  return joinPlanMarkdown(buildPlanMarkdown(plan, options));
}
