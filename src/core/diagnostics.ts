/**
 * Diagnostics: what a stage found wrong with the user's input, with a code, a message that says what to do, and a
 * location (file, line, column, JSON pointer). Stages return every diagnostic they find instead of throwing at the
 * first; a `throw` means a defect in accord.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** JSON pointer of the offending value inside the document, e.g. `/spec/conditions/users/includeGroups/0`. */
  pointer?: string;
}

export interface Diagnostic {
  severity: Severity;
  /** A stable code such as `schema`, `unresolved-name`, `duplicate-name` (documented in docs/cli.md). */
  code: string;
  /** One line: what is wrong. */
  summary: string;
  /** What to do about it. */
  detail?: string;
  location?: SourceLocation;
}

export function error(
  code: string,
  summary: string,
  extra: Omit<Diagnostic, 'severity' | 'code' | 'summary'> = {},
): Diagnostic {
  return { severity: 'error', code, summary, ...extra };
}

export function warning(
  code: string,
  summary: string,
  extra: Omit<Diagnostic, 'severity' | 'code' | 'summary'> = {},
): Diagnostic {
  return { severity: 'warning', code, summary, ...extra };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:column` or an empty string. */
export function formatLocation(location: SourceLocation | undefined): string {
  return location ? `${location.file}:${location.line}:${location.column}` : '';
}

/** Stable order for output: by file, line, column, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.location?.file ?? '';
    const fb = b.location?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.location?.line ?? 0;
    const lb = b.location?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.location?.column ?? 0;
    const cb = b.location?.column ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
