/** The drift history: every drift check, newest first, with what drifted and whether it was corrected. */
import type { DriftCheck, TenantView } from '../console-state.ts';
import { html, time, type Html } from '../html.ts';
import { badge, noTenants, tenantAnchor, tenantHeading, type Tone } from './common.ts';

const RESOLUTION: Record<DriftCheck['resolution'], { label: string; tone: Tone }> = {
  none: { label: 'No drift', tone: 'ok' },
  corrected: { label: 'Corrected', tone: 'ok' },
  reported: { label: 'Reported only', tone: 'warn' },
  failed: { label: 'Check failed', tone: 'bad' },
};

function when(check: DriftCheck): Html {
  if (check.count === 1) return time(check.at);
  return html`${time(check.at)} to ${time(check.lastAt, check.at)}<br /><span class="small"
      >${check.count} checks</span
    >`;
}

function drifted(check: DriftCheck): Html {
  if (check.drifted.length === 0) return html`<span class="muted">nothing</span>`;
  return html`<ul class="plain">
    ${check.drifted.map(
      (d) =>
        html`<li>
          <strong>${d.displayName}</strong>
          <span class="small"
            >(${d.kind} <code>${d.name}</code>,
            ${d.action === 'create' ? 'missing from the tenant' : d.action === 'delete' ? 'to delete' : `changed: ${d.fields.join(', ')}`})</span
          >
        </li>`,
    )}
  </ul>`;
}

function row(check: DriftCheck): Html {
  const { label, tone } = RESOLUTION[check.resolution];
  return html`<tr>
    <td>${when(check)}</td>
    <td>${check.trigger}</td>
    <td>${drifted(check)}</td>
    <td>
      ${badge(label, tone)}${check.resolution === 'none' ? '' : html`<br /><span class="small">${check.message}</span>`}
    </td>
  </tr>`;
}

function tenantSection(view: TenantView): Html {
  const mode =
    view.driftMode === 'correct'
      ? 'Drift is corrected when a check finds it.'
      : 'Drift is only reported: the tenant is not changed.';
  const body =
    view.driftHistory.length === 0
      ? html`<p class="empty">No drift check has run yet.</p>`
      : html`<div class="table-wrap">
          <table>
            <caption>
              Drift checks of tenant ${view.name}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Checked</th>
                <th scope="col">Trigger</th>
                <th scope="col">What drifted</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              ${view.driftHistory.map(row)}
            </tbody>
          </table>
        </div>`;
  return html`<section aria-labelledby="${tenantAnchor(view, 'drift')}">
    ${tenantHeading(view, 'drift')}
    <p>${mode}</p>
    ${body}
  </section>`;
}

export function renderDriftBody(tenants: readonly TenantView[]): Html {
  if (tenants.length === 0) return noTenants();
  return html`<p>
      A drift check compares the tenant with the desired state; a difference means someone changed the tenant
      by hand.
    </p>
    ${tenants.map(tenantSection)}`;
}
