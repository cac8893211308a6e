/** Diagnostics as lines a person reads: `file:line:column: error[code]: summary` then the advice. */
import { formatLocation, sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';
import { PLAIN, type Style } from './style.ts';

export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], style: Style = PLAIN): string {
  const lines: string[] = [];
  for (const d of sortDiagnostics(diagnostics)) {
    const where = formatLocation(d.location);
    const label =
      d.severity === 'error'
        ? style.red(`error[${d.code}]`)
        : d.severity === 'warning'
          ? style.yellow(`warning[${d.code}]`)
          : `info[${d.code}]`;
    lines.push(`${where ? `${where}: ` : ''}${label}: ${d.summary}`);
    if (d.detail) lines.push(`  ${style.dim(d.detail)}`);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  if (diagnostics.length > 0)
    lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return lines.join('\n');
}
