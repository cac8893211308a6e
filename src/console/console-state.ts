/**
 * The web console's model, fed by whichever host runs reconciliation: `accord reconcile --watch` (and `npm start`)
 * and the Kubernetes controller (`accord controller --console-bind-address`, src/controller/console-feed.ts). The
 * console only reads it, so any host can feed it:
 *
 *   const state = new ConsoleState({ driftHistorySize: 100 });
 *   state.setWhatIf(evaluator);                 // optional: enables the What-If page
 *   state.setActions(actions);                  // optional: "Check now" / "Apply now" (only served when allowed)
 *   state.beginPass({ name: 'local' }, 'drift check');  // a pass started (shows "Reconciling")
 *   state.recordPass(report);                   // after every pass: plan, apply result, lint, drift check
 *   startConsole({ state, host: '127.0.0.1', port: 4041 });
 *
 * A `PassReport` describes one pass in the host's terms (its plan, what it applied, where it stopped); the state
 * derives each resource's status, keeps the last plan with its impact and findings, and appends drift checks to a
 * ring buffer (which a host may keep across restarts: `onDriftHistory` and `restoreDriftHistory`). Every string is
 * redacted on the way in, so no page can show a token or secret by mistake.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Plan, ResourceChange } from '../core/plan.ts';
import { redactValue } from '../log/redact.ts';
import type { Lookup } from '../whatif-app/directory-reader.ts';
import type { PolicySource } from '../whatif-app/policy-sets.ts';
import type { WhatIfReport } from '../whatif-app/run-sign-in.ts';
import type { SignInRequest } from '../whatif-app/sign-in-request.ts';
import { deriveResources, driftCheckOf, passResultOf } from './resource-status.ts';

export type ResourceState =
  'inSync' | 'willCreate' | 'willUpdate' | 'willDelete' | 'drifted' | 'error' | 'unmanaged';

export interface ResourceStatus {
  kind: string;
  name: string;
  displayName: string;
  /** The tenant object's Graph id, once it exists. */
  id?: string;
  state: ResourceState;
  /** Why: the plan's reason, or the error that stopped it. */
  detail?: string;
  /** The fields that differ (pending or drifted). */
  fields: string[];
  /** What the pending or drifted difference would take: create (missing from the tenant), update or delete. */
  change?: 'create' | 'update' | 'delete';
  /** When this host last wrote the object. */
  lastApplied?: string;
  file?: string;
}

export type DriftMode = 'correct' | 'warn';

export interface PassReport {
  tenant: { name: string; id?: string };
  /** Where the desired state comes from: a directory, a Kubernetes namespace. */
  source: string;
  /** What started the pass, in words: `start`, `manifests changed`, `drift check`… */
  trigger: string;
  /** A drift check: the changes it finds are drift (made in the tenant), not new manifests. */
  driftCheck: boolean;
  driftMode: DriftMode;
  startedAt: string;
  finishedAt: string;
  /** The plan, when one was computed (its diagnostics carry the lint findings and the lockout guard). */
  plan?: Plan;
  /** Diagnostics of a repository that could not be planned (invalid manifests). */
  diagnostics?: readonly Diagnostic[];
  /** Changes written in this pass. */
  applied?: readonly ResourceChange[];
  /** The change apply stopped at. */
  failed?: { change: ResourceChange; message: string };
  /** The pass failed outside apply (the tenant could not be read…). */
  error?: string;
  /**
   * The resources' statuses when the host knows them better than the plan does (the controller: from the conditions
   * it wrote); without it they are derived from the plan and what was applied.
   */
  resources?: readonly ResourceStatus[];
  /**
   * The changes that are drift, when the host knows exactly (the controller: changes to resources already applied at
   * their generation); without it every change a drift check finds is drift.
   */
  drift?: readonly ResourceChange[];
  /** Findings that did not stop the pass (the controller: resources left out for their own errors). */
  findings?: readonly Diagnostic[];
  /** Nothing was reconciled on purpose: why, in words. */
  suspended?: string;
}

export type PassOutcome = 'inSync' | 'applied' | 'reported' | 'refused' | 'failed' | 'suspended';

export interface PassResult {
  at: string;
  trigger: string;
  outcome: PassOutcome;
  /** One sentence for people. */
  message: string;
}

export interface DriftedResource {
  kind: string;
  name: string;
  displayName: string;
  action: ResourceChange['action'];
  fields: string[];
}

export interface DriftCheck {
  /** When the (first) check ran; `lastAt` and `count` merge consecutive clean checks into one entry. */
  at: string;
  lastAt: string;
  count: number;
  trigger: string;
  drifted: DriftedResource[];
  resolution: 'none' | 'corrected' | 'reported' | 'failed';
  message: string;
}

export interface PlanRecord {
  plan: Plan;
  at: string;
  trigger: string;
  outcome: PassOutcome;
}

export interface TenantView {
  name: string;
  id?: string;
  source: string;
  driftMode: DriftMode;
  /** A pass is running now (its trigger). */
  running?: string;
  lastPass?: PassResult;
  resources: ResourceStatus[];
  /** The plan of the latest pass. */
  latestPlan?: PlanRecord;
  /** The latest plan that had something to do (kept while later passes find nothing). */
  lastChangePlan?: PlanRecord;
  findings: Diagnostic[];
  driftHistory: DriftCheck[];
}

/** As the controller's conditions say it; `Stalled`: the plan has errors, nothing is applied until they are fixed. */
export type TenantStatusWord =
  'Ready' | 'Reconciling' | 'Drifted' | 'Pending' | 'Stalled' | 'Failed' | 'Suspended';

export interface WhatIfEvaluator {
  /** `tenant`: the console tenant asked about (the form offers a choice when there are several). */
  evaluate(request: SignInRequest, against: PolicySource, tenant: string): Promise<Lookup<WhatIfReport>>;
  /** Names to offer in the form (a few hundred at most). */
  suggestions?(tenant: string): Promise<{ users: string[]; applications: string[] }>;
}

export interface ConsoleActions {
  /** A drift check now (drift handled as the host is configured). */
  checkNow(tenant: string): void;
  /** Apply the desired state now, drift included; hosts without it show no "Apply now". */
  applyNow?(tenant: string): void;
  /** The check button's words (default "Check for drift now"). */
  checkLabel?: string;
}

/** Who serves the console, for hosts that serve part of a larger picture (a controller replica). */
export interface HostInfo {
  /** One or two sentences shown above the tenants. */
  description: string;
  /** Tenants this host knows of but does not reconcile, and who does. */
  elsewhere?: { name: string; detail: string }[];
  /** What "the desired state" is here, for the What-If form (default: "the policies in git"). */
  desiredState?: string;
  /** How to resolve drift that is only reported (default: fix it in git or the tenant, or run accord apply). */
  driftAdvice?: string;
}

export interface ConsoleStateOptions {
  /** Drift checks kept per tenant (oldest dropped first). */
  driftHistorySize?: number;
  /** Called with a tenant's whole drift history (newest first) after every change to it, to keep it elsewhere. */
  onDriftHistory?: (tenant: string, history: readonly DriftCheck[]) => void;
}

export class ConsoleState {
  readonly #tenants = new Map<string, TenantView>();
  readonly #historySize: number;
  readonly #onDriftHistory: ConsoleStateOptions['onDriftHistory'];
  #version = 0;
  #whatIf: WhatIfEvaluator | undefined;
  #actions: ConsoleActions | undefined;
  #host: HostInfo | undefined;

  constructor(options: ConsoleStateOptions = {}) {
    this.#historySize = Math.max(1, options.driftHistorySize ?? 100);
    this.#onDriftHistory = options.onDriftHistory;
  }

  /** Increases on every change; pages poll it to refresh. */
  get version(): number {
    return this.#version;
  }

  get whatIf(): WhatIfEvaluator | undefined {
    return this.#whatIf;
  }

  get actions(): ConsoleActions | undefined {
    return this.#actions;
  }

  setWhatIf(evaluator: WhatIfEvaluator | undefined): void {
    this.#whatIf = evaluator;
  }

  setActions(actions: ConsoleActions | undefined): void {
    this.#actions = actions;
  }

  get host(): HostInfo | undefined {
    return this.#host;
  }

  /** Changes the version (so pages refresh) only when the description changed. */
  setHost(info: HostInfo | undefined): void {
    const next = info ? (redactValue(JSON.parse(JSON.stringify(info))) as HostInfo) : undefined;
    if (JSON.stringify(next) === JSON.stringify(this.#host)) return;
    this.#host = next;
    this.#version++;
  }

  /** A tenant this host no longer reconciles (deleted, or now served elsewhere). */
  removeTenant(name: string): void {
    if (this.#tenants.delete(name)) this.#version++;
  }

  #tenant(ref: { name: string; id?: string }, source = '', driftMode: DriftMode = 'correct'): TenantView {
    let view = this.#tenants.get(ref.name);
    if (!view) {
      view = { name: ref.name, source, driftMode, resources: [], findings: [], driftHistory: [] };
      this.#tenants.set(ref.name, view);
    }
    if (ref.id) view.id = ref.id;
    return view;
  }

  /** A host declares a tenant before its first pass (so the page lists it). */
  addTenant(ref: { name: string; id?: string }, source: string, driftMode: DriftMode): void {
    const view = this.#tenant(ref, source, driftMode);
    view.source = source;
    view.driftMode = driftMode;
    this.#version++;
  }

  /** Drift checks kept from an earlier run (newest first), shown until new checks push them out. */
  restoreDriftHistory(ref: { name: string; id?: string }, history: readonly DriftCheck[]): void {
    const view = this.#tenant(ref);
    const restored = redactValue(JSON.parse(JSON.stringify(history))) as DriftCheck[];
    view.driftHistory = [...view.driftHistory, ...restored].slice(0, this.#historySize);
    this.#version++;
  }

  beginPass(ref: { name: string; id?: string }, trigger: string): void {
    this.#tenant(ref).running = trigger;
    this.#version++;
  }

  recordPass(input: PassReport): void {
    // Through JSON first: the report shares objects (an applied change is also in the plan), which redactValue
    // would take for cycles; the copy also keeps later changes by the host out of the console.
    const report = redactValue(JSON.parse(JSON.stringify(input))) as PassReport;
    const view = this.#tenant(report.tenant, report.source, report.driftMode);
    view.source = report.source;
    view.driftMode = report.driftMode;
    delete view.running;
    view.resources = report.resources
      ? [...report.resources].sort((a, b) =>
          a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind.localeCompare(b.kind),
        )
      : deriveResources(view.resources, report);
    view.lastPass = passResultOf(report);
    view.findings = [...(report.plan?.diagnostics ?? report.diagnostics ?? []), ...(report.findings ?? [])];
    if (report.plan) {
      const record: PlanRecord = {
        plan: report.plan,
        at: report.finishedAt,
        trigger: report.trigger,
        outcome: view.lastPass.outcome,
      };
      view.latestPlan = record;
      const s = report.plan.summary;
      if (s.create + s.update + s.delete > 0 || report.plan.impact) view.lastChangePlan = record;
    }
    if (report.driftCheck) {
      this.#addDriftCheck(view, driftCheckOf(report));
      this.#onDriftHistory?.(view.name, view.driftHistory);
    }
    this.#version++;
  }

  #addDriftCheck(view: TenantView, check: DriftCheck): void {
    const last = view.driftHistory[0];
    if (last && check.drifted.length === 0 && last.drifted.length === 0 && last.resolution === 'none') {
      last.lastAt = check.at;
      last.count++;
      return;
    }
    view.driftHistory.unshift(check);
    view.driftHistory.length = Math.min(view.driftHistory.length, this.#historySize);
  }

  tenants(): readonly TenantView[] {
    return [...this.#tenants.values()];
  }
}

/** The tenant's condition in one word, as the controller's `Ready`/`Drifted` conditions say it. */
export function statusWordOf(view: TenantView): TenantStatusWord {
  if (!view.lastPass) return 'Reconciling';
  if (view.lastPass.outcome === 'failed') return 'Failed';
  if (view.lastPass.outcome === 'suspended') return 'Suspended';
  if (view.lastPass.outcome === 'refused') return 'Stalled';
  if (view.resources.some((r) => r.state === 'drifted')) return 'Drifted';
  if (view.resources.some((r) => r.state === 'error')) return 'Failed';
  if (view.resources.some((r) => r.state.startsWith('will'))) return 'Pending';
  return 'Ready';
}
