/**
 * The plan is data: a closed set of actions, each with a reason and field-level changes. Text, JSON, Markdown and
 * SARIF are renderings of it. The JSON rendering is a documented, versioned format (docs/cli.md).
 */
import type { ImpactReport } from '../impact/impact-types.ts';
import type { Diagnostic } from './diagnostics.ts';

export const PLAN_FORMAT_VERSION = 1;

export type Action = 'create' | 'update' | 'delete' | 'no-op' | 'unmanaged';

export interface FieldChange {
  /** Dotted path inside `spec`, e.g. `conditions.users.excludeGroups`. */
  path: string;
  /** Values as a reader knows them (ids shown as the names they resolve to where known). */
  before: unknown;
  after: unknown;
}

export interface ResourceChange {
  kind: string;
  /** `metadata.name` of the manifest, or the tenant object's display name for deletes and unmanaged objects. */
  name: string;
  displayName: string;
  action: Action;
  /** Why this action, in a sentence. */
  reason: string;
  /** The tenant object's id, when there is one. */
  id?: string;
  fields: FieldChange[];
  /** The Graph body to send (create/update), ids resolved; absent for no-op, delete and unmanaged. */
  payload?: Record<string, unknown>;
  /** Where the manifest is, for diagnostics and PR annotations. */
  file?: string;
  line?: number;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  noOp: number;
  unmanaged: number;
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /** The tenant as named in accord.yaml (`local` for the embedded local tenant) and its id. */
  tenant: { name: string; id: string };
  /** A hash of the tenant state the plan was computed against; `apply PLANFILE` refuses if it changed. */
  fingerprint: string;
  createdAt: string;
  changes: ResourceChange[];
  diagnostics: Diagnostic[];
  summary: PlanSummary;
  /** Sign-in outcomes that change between the tenant and the desired state (absent when nothing sign-in related changes). */
  impact?: ImpactReport;
}

export function summarize(changes: readonly ResourceChange[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, noOp: 0, unmanaged: 0 };
  for (const change of changes) {
    if (change.action === 'no-op') summary.noOp++;
    else summary[change.action]++;
  }
  return summary;
}

export function hasChanges(plan: Pick<Plan, 'summary'>): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.delete > 0;
}
