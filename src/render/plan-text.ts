/** The plan for a terminal: a summary line, then each change with its field-level differences. */
import type { Plan, ResourceChange } from '../core/plan.ts';
import { renderImpactText } from '../impact/render-impact.ts';
import { renderDiagnosticsText } from './diagnostics-text.ts';
import { PLAIN, type Style } from './style.ts';

const SYMBOL: Record<ResourceChange['action'], string> = {
  create: '+',
  update: '~',
  delete: '-',
  'no-op': '=',
  unmanaged: '?',
};

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value);
}

function colourFor(action: ResourceChange['action'], style: Style): (t: string) => string {
  if (action === 'create') return style.green;
  if (action === 'delete') return style.red;
  if (action === 'update') return style.yellow;
  return style.dim;
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  return `Plan for tenant ${plan.tenant.name} (${plan.tenant.id}): ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.noOp} unchanged, ${s.unmanaged} unmanaged.`;
}

export function renderPlanText(plan: Plan, options: { style?: Style; verbose?: boolean } = {}): string {
  const style = options.style ?? PLAIN;
  const lines: string[] = [];
  if (plan.diagnostics.length > 0) lines.push(renderDiagnosticsText(plan.diagnostics, style), '');
  for (const change of plan.changes) {
    if (change.action === 'no-op' && !options.verbose) continue;
    const colour = colourFor(change.action, style);
    lines.push(
      colour(`${SYMBOL[change.action]} ${change.kind} ${change.name}`) +
        style.dim(` — ${change.action}: ${change.reason}`),
    );
    for (const field of change.fields) {
      if (change.action === 'create') lines.push(`    ${field.path}: ${formatValue(field.after)}`);
      else
        lines.push(
          `    ${field.path}: ${style.red(formatValue(field.before))} → ${style.green(formatValue(field.after))}`,
        );
    }
  }
  if (lines.length > 0) lines.push('');
  if (plan.impact) lines.push(renderImpactText(plan.impact), '');
  lines.push(style.bold(summaryLine(plan)));
  return lines.join('\n');
}
