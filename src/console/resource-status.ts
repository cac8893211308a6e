/**
 * What one reconcile pass means for each resource, the pass and the drift history: pure functions from the
 * previous statuses and a `PassReport`.
 */
import { hasErrors } from '../core/diagnostics.ts';
import type { ResourceChange } from '../core/plan.ts';
import type {
  DriftCheck,
  DriftedResource,
  PassReport,
  PassResult,
  ResourceState,
  ResourceStatus,
} from './console-state.ts';

const PENDING: Record<'create' | 'update' | 'delete', ResourceState> = {
  create: 'willCreate',
  update: 'willUpdate',
  delete: 'willDelete',
};

function keyOf(item: { kind: string; name: string }): string {
  return `${item.kind}\u0000${item.name}`;
}

function isWrite(change: ResourceChange): boolean {
  return change.action === 'create' || change.action === 'update' || change.action === 'delete';
}

function stateOf(
  change: ResourceChange,
  report: PassReport,
  previous: ResourceStatus | undefined,
): Pick<ResourceStatus, 'state' | 'detail'> {
  if (change.action === 'no-op') return { state: 'inSync' };
  if (change.action === 'unmanaged') return { state: 'unmanaged', detail: change.reason };
  if (report.failed && keyOf(report.failed.change) === keyOf(change))
    return { state: 'error', detail: report.failed.message };
  const drifted = report.driftCheck || previous?.state === 'drifted';
  return {
    state: drifted ? 'drifted' : PENDING[change.action as keyof typeof PENDING],
    detail: change.reason,
  };
}

/** The statuses after a pass. A pass without a usable plan keeps the previous statuses (the tenant shows why). */
export function deriveResources(previous: readonly ResourceStatus[], report: PassReport): ResourceStatus[] {
  const plan = report.plan;
  if (!plan || hasErrors(plan.diagnostics)) return [...previous];
  const before = new Map(previous.map((r) => [keyOf(r), r]));
  const applied = new Map((report.applied ?? []).map((c) => [keyOf(c), c]));
  const out: ResourceStatus[] = [];
  for (const change of plan.changes) {
    const key = keyOf(change);
    const prior = before.get(key);
    const wrote = applied.get(key);
    if (wrote?.action === 'delete') continue;
    const status: ResourceStatus = {
      kind: change.kind,
      name: change.name,
      displayName: change.displayName,
      ...((change.id ?? prior?.id) ? { id: change.id ?? prior?.id } : {}),
      ...(wrote ? { state: 'inSync' as const } : stateOf(change, report, prior)),
      fields: wrote || change.action === 'no-op' ? [] : change.fields.map((f) => f.path),
      ...(!wrote && isWrite(change) ? { change: change.action as 'create' | 'update' | 'delete' } : {}),
      ...(wrote
        ? { lastApplied: report.finishedAt }
        : prior?.lastApplied
          ? { lastApplied: prior.lastApplied }
          : {}),
      ...(change.file ? { file: change.file } : {}),
    };
    out.push(status);
  }
  return out.sort((a, b) =>
    a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind.localeCompare(b.kind),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function passResultOf(report: PassReport): PassResult {
  const base = { at: report.finishedAt, trigger: report.trigger };
  if (report.error) return { ...base, outcome: 'failed', message: `The pass failed: ${report.error}` };
  if (report.suspended) return { ...base, outcome: 'suspended', message: report.suspended };
  const plan = report.plan;
  if (!plan) {
    return { ...base, outcome: 'refused', message: 'The repository has errors; nothing was applied.' };
  }
  if (hasErrors(plan.diagnostics))
    return {
      ...base,
      outcome: 'refused',
      message: 'The plan has errors (see Findings); nothing was applied.',
    };
  const changes = plan.changes.filter(isWrite).length;
  if (report.failed) {
    const f = report.failed;
    return {
      ...base,
      outcome: 'failed',
      message: `Apply stopped at ${f.change.kind} ${f.change.name}: ${f.message}`,
    };
  }
  if (changes === 0)
    return { ...base, outcome: 'inSync', message: 'The tenant is in accord with the desired state.' };
  const applied = report.applied?.length ?? 0;
  if (applied === 0)
    return {
      ...base,
      outcome: 'reported',
      message: `${plural(changes, 'drifted resource')} reported; the tenant was not changed.`,
    };
  return { ...base, outcome: 'applied', message: `Applied ${plural(applied, 'change')}.` };
}

export function driftCheckOf(report: PassReport): DriftCheck {
  const drifted: DriftedResource[] = (report.drift ?? report.plan?.changes ?? [])
    .filter(isWrite)
    .map((c) => ({
      kind: c.kind,
      name: c.name,
      displayName: c.displayName,
      action: c.action,
      fields: c.fields.map((f) => f.path),
    }));
  const result = passResultOf(report);
  const base = {
    at: report.finishedAt,
    lastAt: report.finishedAt,
    count: 1,
    trigger: report.trigger,
    drifted,
  };
  if (result.outcome === 'failed' || result.outcome === 'refused')
    return { ...base, resolution: 'failed', message: result.message };
  if (drifted.length === 0) return { ...base, resolution: 'none', message: 'No drift.' };
  if (result.outcome === 'applied')
    return { ...base, resolution: 'corrected', message: `Corrected: ${result.message}` };
  return {
    ...base,
    resolution: 'reported',
    message: 'Only reported; the tenant was not changed.',
  };
}
