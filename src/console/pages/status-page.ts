/** The status page: per tenant, its condition, the last pass and every resource with its sync and drift status. */
import type { HostInfo, ResourceStatus, TenantView } from '../console-state.ts';
import { html, time, type Html } from '../html.ts';
import { badge, noTenants, RESOURCE_STATE, tenantAnchor, tenantBadge, tenantHeading } from './common.ts';

export interface ActionsInput {
  csrfToken: string;
  /** Offer "Apply now" (the host can apply on request). */
  apply: boolean;
  /** The check button's words. */
  checkLabel: string;
}

function counts(resources: readonly ResourceStatus[]): string {
  const tally = new Map<string, number>();
  for (const r of resources) {
    const label = RESOURCE_STATE[r.state].label.toLowerCase();
    tally.set(label, (tally.get(label) ?? 0) + 1);
  }
  const parts = [...tally].map(([label, n]) => `${n} ${label}`);
  return `${resources.length} resource${resources.length === 1 ? '' : 's'}: ${parts.join(', ') || 'none'}`;
}

/** One line under the badge: what differs, in the words of the situation. */
function explanation(r: ResourceStatus): string | undefined {
  const fields = r.fields.join(', ');
  if (r.state === 'drifted') {
    if (r.change === 'create') return 'Missing from the tenant (deleted by hand?)';
    if (r.change === 'delete') return 'To delete';
    return `Changed in the tenant: ${fields}`;
  }
  if (r.state === 'willCreate') return 'Not in the tenant yet';
  if (r.state === 'willUpdate') return `Differs from git: ${fields}`;
  if (r.state === 'inSync') return undefined;
  return r.detail;
}

function statusCell(r: ResourceStatus): Html {
  const { label, tone } = RESOURCE_STATE[r.state];
  const line = explanation(r);
  return html`${badge(label, tone)}${line ? html`<br /><span class="small">${line}</span>` : ''}`;
}

function resourceRow(r: ResourceStatus): Html {
  return html`<tr>
    <td>${r.kind}</td>
    <td><code>${r.name}</code></td>
    <td>${r.displayName}</td>
    <td>
      ${r.id ? html`<code class="id">${r.id}</code>` : html`<span class="muted">not created yet</span>`}
    </td>
    <td>${statusCell(r)}</td>
    <td>
      ${r.lastApplied ? time(r.lastApplied) : html`<span class="muted">not since accord started</span>`}
    </td>
  </tr>`;
}

function resourceTable(view: TenantView, rows: readonly ResourceStatus[], caption: string): Html {
  return html`<div class="table-wrap">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Name</th>
          <th scope="col">Display name</th>
          <th scope="col">Graph id</th>
          <th scope="col">Status</th>
          <th scope="col">Last applied</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(resourceRow)}
      </tbody>
    </table>
  </div>`;
}

function actionsForm(view: TenantView, actions: ActionsInput): Html {
  const hidden = html`<input type="hidden" name="csrf" value="${actions.csrfToken}" /><input
      type="hidden"
      name="tenant"
      value="${view.name}"
    />`;
  return html`<div class="actions">
    <form method="post" action="/actions/check">
      ${hidden}<button type="submit">${actions.checkLabel}</button>
    </form>
    ${
      actions.apply
        ? html`<form method="post" action="/actions/apply">
            ${hidden}<button type="submit" class="secondary">Apply now</button>
          </form>`
        : ''
    }
  </div>`;
}

function driftHint(
  view: TenantView,
  actions: ActionsInput | undefined,
  host: HostInfo | undefined,
): Html | string {
  if (!view.resources.some((r) => r.state === 'drifted')) return '';
  const how = actions?.apply
    ? '“Apply now” puts the desired state back.'
    : (host?.driftAdvice ?? 'Fix it in git or in the tenant, or run accord apply.');
  return html`<p class="warning-note">Someone changed the tenant by hand; accord only reports it. ${how}</p>`;
}

function tenantSection(
  view: TenantView,
  actions: ActionsInput | undefined,
  host: HostInfo | undefined,
): Html {
  const managed = view.resources.filter((r) => r.state !== 'unmanaged');
  const unmanaged = view.resources.filter((r) => r.state === 'unmanaged');
  const last = view.lastPass;
  const running = view.running ? html`<p class="running">A pass is running now (${view.running}).</p>` : '';
  const drift =
    view.driftMode === 'correct'
      ? 'corrected at the next check'
      : 'only reported (the tenant is not changed)';
  return html`<section aria-labelledby="${tenantAnchor(view, 'status')}">
    ${tenantHeading(view, 'status', html` ${tenantBadge(view)}`)} ${running}
    <dl class="facts">
      <dt>Desired state</dt>
      <dd><code>${view.source}</code></dd>
      <dt>Drift</dt>
      <dd>${drift}</dd>
      <dt>Last pass</dt>
      <dd>${last ? html`${time(last.at)} (${last.trigger}): ${last.message}` : 'none yet'}</dd>
      <dt>Resources</dt>
      <dd>${counts(managed)}</dd>
    </dl>
    ${view.driftMode === 'warn' ? driftHint(view, actions, host) : ''}
    ${actions ? actionsForm(view, actions) : ''}
    ${managed.length > 0 ? resourceTable(view, managed, `Resources of tenant ${view.name}`) : html`<p class="empty">No resources yet.</p>`}
    ${
      unmanaged.length > 0
        ? html`<h3>In the tenant but not in the desired state</h3>
            <p>accord leaves these alone.</p>
            ${resourceTable(view, unmanaged, `Objects of tenant ${view.name} that accord does not manage`)}`
        : ''
    }
  </section>`;
}

/** Who serves this console, and the tenants served elsewhere (a controller replica serves its shards only). */
function hostSection(host: HostInfo | undefined): Html | string {
  if (!host) return '';
  const elsewhere = host.elsewhere ?? [];
  const table =
    elsewhere.length === 0
      ? ''
      : html`<div class="table-wrap">
          <table>
            <caption>
              Tenants served by other replicas
            </caption>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Where to look</th>
              </tr>
            </thead>
            <tbody>
              ${elsewhere.map(
                (t) =>
                  html`<tr>
                    <td><code>${t.name}</code></td>
                    <td>
                      ${badge('Held by another replica', 'neutral')}<br /><span class="small"
                        >${t.detail}</span
                      >
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
  return html`<section class="host" aria-labelledby="host-heading">
    <h2 id="host-heading">This console</h2>
    <p>${host.description}</p>
    ${table}
  </section>`;
}

export function renderStatusBody(
  tenants: readonly TenantView[],
  actions: ActionsInput | undefined,
  notice?: string,
  host?: HostInfo,
): Html {
  const note = notice ? html`<p class="notice" role="status">${notice}</p>` : '';
  const hostPart = hostSection(host);
  if (tenants.length === 0) return html`${note}${hostPart}${host ? noTenantsHere() : noTenants()}`;
  return html`${note}${hostPart}${tenants.map((t) => tenantSection(t, actions, host))}`;
}

function noTenantsHere(): Html {
  return html`<p class="empty">
    No tenant is reconciled by this host yet; this page refreshes when one is.
  </p>`;
}
