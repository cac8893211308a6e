/** The plan as Markdown for a pull-request comment: a summary table, then each change in a collapsible section. */
import { formatLocation, sortDiagnostics } from '../core/diagnostics.ts';
import type { Plan, ResourceChange } from '../core/plan.ts';
import { renderImpactMarkdown } from '../impact/render-impact.ts';
import { formatValue, summaryLine } from './plan-text.ts';

const ICON: Record<ResourceChange['action'], string> = {
  create: '🟢 create',
  update: '🟡 update',
  delete: '🔴 delete',
  'no-op': '⚪ no change',
  unmanaged: '⚫ unmanaged',
};

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function renderChange(change: ResourceChange): string {
  const rows = change.fields.map(
    (f) => `| \`${f.path}\` | ${escapeCell(formatValue(f.before))} | ${escapeCell(formatValue(f.after))} |`,
  );
  const table =
    rows.length > 0 ? ['', '| Field | Before | After |', '|---|---|---|', ...rows, ''].join('\n') : '';
  return [
    `<details><summary>${ICON[change.action]} <b>${change.kind}</b> <code>${change.name}</code> — ${escapeCell(change.reason)}</summary>`,
    table,
    '</details>',
  ].join('\n');
}

export function renderPlanMarkdown(plan: Plan): string {
  const s = plan.summary;
  const out = [
    `### accord plan — ${plan.tenant.name}`,
    '',
    summaryLine(plan),
    '',
    '| Create | Update | Delete | Unchanged | Unmanaged |',
    '|---:|---:|---:|---:|---:|',
    `| ${s.create} | ${s.update} | ${s.delete} | ${s.noOp} | ${s.unmanaged} |`,
    '',
  ];
  const errors = sortDiagnostics(plan.diagnostics);
  if (errors.length > 0) {
    out.push('#### Findings', '');
    for (const d of errors)
      out.push(`- **${d.severity}** \`${d.code}\` ${formatLocation(d.location)} ${d.summary}`);
    out.push('');
  }
  if (plan.impact) out.push(renderImpactMarkdown(plan.impact), '');
  const shown = plan.changes.filter((c) => c.action !== 'no-op');
  if (shown.length > 0) out.push('#### Changes', '', ...shown.map(renderChange), '');
  return out.join('\n');
}
