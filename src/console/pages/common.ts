/** Pieces several console pages use: status badges, tenant headings, empty states. */
import {
  statusWordOf,
  type ResourceState,
  type TenantStatusWord,
  type TenantView,
} from '../console-state.ts';
import { html, type Html } from '../html.ts';

export type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'neutral';

export const RESOURCE_STATE: Record<ResourceState, { label: string; tone: Tone }> = {
  inSync: { label: 'In sync', tone: 'ok' },
  willCreate: { label: 'Will create', tone: 'info' },
  willUpdate: { label: 'Will update', tone: 'info' },
  willDelete: { label: 'Will delete', tone: 'warn' },
  drifted: { label: 'Drifted', tone: 'warn' },
  error: { label: 'Error', tone: 'bad' },
  unmanaged: { label: 'Not managed', tone: 'neutral' },
};

const STATUS_TONE: Record<TenantStatusWord, Tone> = {
  Ready: 'ok',
  Reconciling: 'info',
  Pending: 'info',
  Drifted: 'warn',
  Stalled: 'bad',
  Failed: 'bad',
  Suspended: 'neutral',
};

export function badge(label: string, tone: Tone): Html {
  return html`<span class="badge badge-${tone}">${label}</span>`;
}

export function tenantBadge(view: TenantView): Html {
  const word = statusWordOf(view);
  return badge(word, STATUS_TONE[word]);
}

/** Stable, safe fragment id for a tenant section. */
export function tenantAnchor(view: TenantView, suffix: string): string {
  return `tenant-${view.name.replace(/[^a-z0-9_-]+/gi, '-')}-${suffix}`;
}

export function tenantHeading(view: TenantView, suffix: string, extra?: Html): Html {
  const id = view.id ? html` <span class="muted">(${view.id})</span>` : '';
  return html`<h2 id="${tenantAnchor(view, suffix)}">Tenant ${view.name}${id}${extra ?? ''}</h2>`;
}

export function noTenants(): Html {
  return html`<p class="empty">
    No tenant has been reconciled yet. The first pass is starting; this page refreshes when it finishes.
  </p>`;
}
