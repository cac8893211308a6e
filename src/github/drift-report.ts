/**
 * Drift as an issue body: which resources differ from git, a fingerprint of that drift, and what changed since the
 * last report. Pure.
 */
import type { Plan, ResourceChange } from '../core/plan.ts';
import { codeSpan, markdownText, plural } from '../render/markdown-text.ts';
import { contentHash, dataMarker, driftMarker, hashMarker, readDataMarker } from './markers.ts';
import { renderPlanComment, type PlanCommentOptions } from './plan-comment-markdown.ts';

/** One drifted resource and a hash of how it differs. */
export interface DriftEntry {
  key: string;
  action: ResourceChange['action'];
  hash: string;
}

export function isDrift(change: ResourceChange): boolean {
  return change.action === 'create' || change.action === 'update' || change.action === 'delete';
}

export function driftEntries(plan: Plan): DriftEntry[] {
  return plan.changes
    .filter(isDrift)
    .map((c) => ({
      key: `${c.kind}/${c.name}`,
      action: c.action,
      hash: contentHash(JSON.stringify({ action: c.action, fields: c.fields })),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Changes exactly when the set of drifted resources, or how one of them differs, changes. */
export function driftFingerprint(entries: readonly DriftEntry[]): string {
  return contentHash(JSON.stringify(entries));
}

export function driftIssueTitle(tenantName: string): string {
  return `accord: drift in tenant ${tenantName}`;
}

export interface DriftIssueBody {
  body: string;
  fingerprint: string;
  entries: DriftEntry[];
}

export function renderDriftIssueBody(plan: Plan, options: PlanCommentOptions = {}): DriftIssueBody {
  const entries = driftEntries(plan);
  const fingerprint = driftFingerprint(entries);
  const intro = [
    `The tenant **${markdownText(plan.tenant.name)}** no longer matches git: ${plural(entries.length, 'resource differs', 'resources differ')}.`,
    'Apply the repository (`accord apply`) to restore what git declares, or change the manifests to accept what the tenant has.',
    'accord updates this issue while the drift lasts and closes it when the tenant matches git again.',
  ].join(' ');
  const rendered = renderPlanComment(plan, {
    ...options,
    title: 'accord drift',
    intro,
    markers: () => [driftMarker(plan.tenant.name), hashMarker(fingerprint), dataMarker(entries)].join('\n'),
  });
  return { body: rendered.body, fingerprint, entries };
}

function isDriftEntry(value: unknown): value is DriftEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.key === 'string' && typeof v.action === 'string' && typeof v.hash === 'string';
}

/** The entries a previous body recorded (empty for a body accord did not write). */
export function readDriftEntries(body: string | null | undefined): DriftEntry[] {
  const data = readDataMarker(body);
  return Array.isArray(data) ? data.filter(isDriftEntry) : [];
}

const WHAT_APPLY_DOES: Partial<Record<DriftEntry['action'], string>> = {
  create: 'apply would create it',
  update: 'apply would update it',
  delete: 'apply would delete it',
};

/**
 * `- ConditionalAccessPolicy `name` (apply would update it)`: the key is `<kind>/<name>`, and kinds have no `/`.
 * Resources back in accord with git need nothing from apply, so they get no parenthesis.
 */
function describeEntry(entry: DriftEntry, drifted: boolean): string {
  const slash = entry.key.indexOf('/');
  const kind = slash < 0 ? '' : `${markdownText(entry.key.slice(0, slash))} `;
  const what = drifted ? ` (${WHAT_APPLY_DOES[entry.action] ?? entry.action})` : '';
  return `- ${kind}${codeSpan(entry.key.slice(slash + 1))}${what}`;
}

/** A comment saying how the drift changed between two reports. */
export function describeDriftChange(before: readonly DriftEntry[], after: readonly DriftEntry[]): string {
  const old = new Map(before.map((e) => [e.key, e]));
  const now = new Map(after.map((e) => [e.key, e]));
  const added = after.filter((e) => !old.has(e.key));
  const resolved = before.filter((e) => !now.has(e.key));
  const changed = after.filter((e) => old.has(e.key) && old.get(e.key)!.hash !== e.hash);
  const list = (title: string, items: readonly DriftEntry[], drifted = true): string[] =>
    items.length === 0 ? [] : [`**${title}**`, '', ...items.map((e) => describeEntry(e, drifted)), ''];
  return [
    'The drift changed since the last report:',
    '',
    ...list('Newly drifted', added),
    ...list('Drifted differently', changed),
    ...list('Back in accord with git', resolved, false),
    'The issue description shows the drift as it is now.',
  ].join('\n');
}
