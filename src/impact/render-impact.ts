/** The impact report as text (terminal) and as Markdown (plan comments): headline counts, then each change. */
import { markdownText } from '../render/markdown-text.ts';
import type { ImpactReport } from './impact-types.ts';

const SHOWN = 20;

function headline(report: ImpactReport): string[] {
  const t = report.totals;
  const bg = report.breakGlass;
  const breakGlass =
    bg.accounts === 0
      ? 'no break-glass accounts configured'
      : bg.affected === 0
        ? 'break-glass unaffected'
        : `break-glass AFFECTED: ${bg.changes.join('; ')}`;
  return [
    `${t.usersAffected} users see a different sign-in outcome; ${t.usersNewlyBlocked} users newly blocked; ${t.usersNoLongerBlocked} no longer blocked; ${breakGlass}.`,
    `Checked ${report.directory.users} users (${report.directory.equivalenceClasses} equivalence classes) × ${report.applications} applications × ${report.contexts} contexts: ${report.evaluations.performed} evaluations per side for ${report.evaluations.represented} sign-ins.`,
  ];
}

function contextsOf(contexts: readonly string[]): string {
  return contexts.length <= 2 ? contexts.join('; ') : `${contexts.length} contexts, e.g. ${contexts[0]}`;
}

export function renderImpactText(report: ImpactReport): string {
  const lines = ['Sign-in impact:', ...headline(report).map((l) => `  ${l}`)];
  for (const change of report.changes.slice(0, SHOWN)) {
    lines.push(`  - ${change.summary} (${contextsOf(change.contexts)}; e.g. ${change.examples.join(', ')})`);
  }
  if (report.changes.length > SHOWN)
    lines.push(`  … and ${report.changes.length - SHOWN} more changes (see --output json).`);
  return lines.join('\n');
}

export function renderImpactMarkdown(report: ImpactReport): string {
  // Names (applications, users) come from the tenant: they must read as text, not as Markdown or HTML.
  const lines = headline(report).map(markdownText);
  const out = ['#### Sign-in impact', '', ...lines.map((l, i) => (i === 0 ? `**${l}**` : l)), ''];
  if (report.changes.length === 0) {
    out.push('No sign-in outcome changes.');
    return out.join('\n');
  }
  out.push('| Change | Users | Contexts | Examples |', '|---|---:|---|---|');
  for (const change of report.changes.slice(0, SHOWN)) {
    out.push(
      `| ${markdownText(change.summary)} | ${change.users} | ${markdownText(contextsOf(change.contexts))} | ${markdownText(change.examples.join(', '))} |`,
    );
  }
  if (report.changes.length > SHOWN) out.push('', `…and ${report.changes.length - SHOWN} more changes.`);
  out.push('', ...report.notes.map((n) => `> ${markdownText(n)}`));
  return out.join('\n');
}
