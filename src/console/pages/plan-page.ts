/** The plan page: the latest check, and the last plan that had something to do with its field changes and impact. */
import type { Plan, ResourceChange } from '../../core/plan.ts';
import { formatValue } from '../../render/plan-text.ts';
import type { PassOutcome, PlanRecord, TenantView } from '../console-state.ts';
import { html, time, type Html } from '../html.ts';
import { badge, noTenants, tenantAnchor, tenantHeading, type Tone } from './common.ts';
import { renderImpact } from './impact-html.ts';

const ACTION: Record<ResourceChange['action'], { label: string; tone: Tone }> = {
  create: { label: 'Create', tone: 'info' },
  update: { label: 'Update', tone: 'info' },
  delete: { label: 'Delete', tone: 'warn' },
  'no-op': { label: 'No change', tone: 'ok' },
  unmanaged: { label: 'Not managed', tone: 'neutral' },
};

const OUTCOME: Record<PassOutcome, string> = {
  inSync: 'nothing to do',
  applied: 'applied',
  reported: 'reported only, not applied',
  refused: 'refused: the plan has errors',
  failed: 'apply failed',
  suspended: 'suspended: nothing reconciled',
};

function fieldTable(change: ResourceChange): Html {
  if (change.fields.length === 0) return html``;
  const create = change.action === 'create';
  const rows = change.fields.map(
    (f) =>
      html`<tr>
        <th scope="row"><code>${f.path}</code></th>
        ${create ? '' : html`<td><code>${formatValue(f.before)}</code></td>`}
        <td><code>${formatValue(f.after)}</code></td>
      </tr>`,
  );
  return html`<div class="table-wrap">
    <table class="fields">
      <caption>
        Fields of ${change.kind} ${change.name}
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          ${create ? '' : html`<th scope="col">In the tenant</th>`}
          <th scope="col">Desired</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

/** Each change folds open to its fields; updates (usually a few fields) start open, creates (every field) closed. */
function changeItem(change: ResourceChange): Html {
  const { label, tone } = ACTION[change.action];
  const count = change.fields.length;
  const open = change.action === 'update' ? html` open` : '';
  return html`<li>
    <details class="change" ${open}>
      <summary>
        ${badge(label, tone)} <strong>${change.displayName}</strong>
        <span class="small"
          >(${change.kind} <code>${change.name}</code>) — ${change.reason}; ${count}
          field${count === 1 ? '' : 's'}</span
        >
      </summary>
      ${fieldTable(change)}
    </details>
  </li>`;
}

function findingsList(plan: Plan): Html | string {
  if (plan.diagnostics.length === 0) return '';
  const items = plan.diagnostics.map(
    (d) =>
      html`<li>
        ${badge(d.severity === 'error' ? 'Error' : d.severity === 'warning' ? 'Warning' : 'Info', d.severity === 'error' ? 'bad' : d.severity === 'warning' ? 'warn' : 'neutral')}
        <code>${d.code}</code> ${d.summary}
      </li>`,
  );
  return html`<h4>Findings of this plan</h4>
    <ul class="plain findings-list">
      ${items}
    </ul>`;
}

function planSection(record: PlanRecord, title: string): Html {
  const plan = record.plan;
  const shown = plan.changes.filter((c) => c.action !== 'no-op' && c.action !== 'unmanaged');
  return html`<h3>${title}</h3>
    <p>
      Planned ${time(record.at)} (${record.trigger}): <strong>${OUTCOME[record.outcome]}</strong>.
      ${countsOf(plan)}
    </p>
    ${plan.impact ? renderImpact(plan.impact, 'h4') : html`<p>No sign-in related change, so no sign-in impact.</p>`}
    ${findingsList(plan)}
    ${
      shown.length > 0
        ? html`<h4>Changes</h4>
            <ul class="changes">
              ${shown.map(changeItem)}
            </ul>`
        : ''
    }`;
}

function countsOf(plan: Plan): string {
  const s = plan.summary;
  return `${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.noOp} unchanged, ${s.unmanaged} not managed.`;
}

function tenantSection(view: TenantView): Html {
  const latest = view.latestPlan;
  const last = view.lastChangePlan;
  const latestLine = latest
    ? html`<p>Latest check ${time(latest.at)} (${latest.trigger}): ${countsOf(latest.plan)}</p>`
    : html`<p class="empty">No plan computed yet.</p>`;
  return html`<section aria-labelledby="${tenantAnchor(view, 'plan')}">
    ${tenantHeading(view, 'plan')} ${latestLine}
    ${last ? planSection(last, last === latest ? 'The plan' : 'Last plan with changes') : html`<p>No plan has had changes since this run started: the tenant was already in accord.</p>`}
  </section>`;
}

export function renderPlanBody(tenants: readonly TenantView[]): Html {
  if (tenants.length === 0) return noTenants();
  return html`${tenants.map(tenantSection)}`;
}
