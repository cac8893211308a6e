/** The findings page: the lint findings, lockout-guard results and manifest errors of the latest pass. */
import { formatLocation, sortDiagnostics, type Diagnostic } from '../../core/diagnostics.ts';
import type { TenantView } from '../console-state.ts';
import { html, type Html } from '../html.ts';
import { badge, noTenants, tenantAnchor, tenantHeading, type Tone } from './common.ts';

const SEVERITY: Record<Diagnostic['severity'], { label: string; tone: Tone }> = {
  error: { label: 'Error', tone: 'bad' },
  warning: { label: 'Warning', tone: 'warn' },
  info: { label: 'Info', tone: 'neutral' },
};

const RANK: Record<Diagnostic['severity'], number> = { error: 0, warning: 1, info: 2 };

/** Paths relative to the repository, as a reader finds the file. */
function whereOf(d: Diagnostic, source: string): string {
  const where = formatLocation(d.location);
  const prefix = source.endsWith('/') ? source : `${source}/`;
  return where.startsWith(prefix) ? where.slice(prefix.length) : where;
}

function row(d: Diagnostic, source: string): Html {
  const { label, tone } = SEVERITY[d.severity];
  const where = whereOf(d, source);
  return html`<tr>
    <td>${badge(label, tone)}</td>
    <td><code>${d.code}</code></td>
    <td>${d.summary}${d.detail ? html`<br /><span class="small">${d.detail}</span>` : ''}</td>
    <td>${where ? html`<code>${where}</code>` : html`<span class="muted">—</span>`}</td>
  </tr>`;
}

function tenantSection(view: TenantView): Html {
  const findings = sortDiagnostics(view.findings).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const errors = findings.filter((d) => d.severity === 'error').length;
  const body =
    findings.length === 0
      ? html`<p>No findings: the lint rules and the lockout guard found nothing to report.</p>`
      : html`<p>
            ${findings.length}
            finding${findings.length === 1 ? '' : 's'}${errors > 0 ? html`, ${errors} of them errors: nothing is applied until they are fixed` : ''}.
            Rules: <code>docs/lint-rules.md</code>.
          </p>
          <div class="table-wrap">
            <table class="findings">
              <caption>
                Findings for tenant ${view.name}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Code</th>
                  <th scope="col">Finding</th>
                  <th scope="col">Where</th>
                </tr>
              </thead>
              <tbody>
                ${findings.map((d) => row(d, view.source))}
              </tbody>
            </table>
          </div>`;
  return html`<section aria-labelledby="${tenantAnchor(view, 'findings')}">
    ${tenantHeading(view, 'findings')}${body}
  </section>`;
}

export function renderFindingsBody(tenants: readonly TenantView[]): Html {
  if (tenants.length === 0) return noTenants();
  return html`<p>Semantic lint, the lockout guard and manifest errors from the latest pass.</p>
    ${tenants.map(tenantSection)}`;
}
