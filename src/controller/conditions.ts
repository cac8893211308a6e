/**
 * Status conditions (metav1.Condition) and the closed vocabulary of their reasons. `Ready` says whether the
 * resource is in accord with the tenant as of the last reconcile; `Reconciling` is True while a new generation is
 * being worked on; `Stalled` is True when retrying cannot help until someone changes something (the spec, the
 * Tenant, a Secret); `Drifted` says whether the tenant was found changed by hand. Pure.
 */
import type { Condition } from './resources.ts';

export const ConditionType = {
  Ready: 'Ready',
  Reconciling: 'Reconciling',
  Stalled: 'Stalled',
  Drifted: 'Drifted',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const Reason = {
  /** Ready=True: the tenant matches the resource. */
  Succeeded: 'ReconciliationSucceeded',
  /** Reconciling=True: a new generation is being planned and applied. */
  Progressing: 'Progressing',
  /** The spec fails validation the API server could not do (duplicates, cross-field rules). */
  InvalidSpec: 'InvalidSpec',
  /** A name in the spec matches no tenant object, or several. */
  UnresolvedReference: 'UnresolvedReference',
  /** Several tenant objects match the resource's display name. */
  AmbiguousMatch: 'AmbiguousMatch',
  /** The lockout guard refused the change: a break-glass account, the controller's identity or the admins would be locked out. */
  LockoutRefused: 'LockoutRefused',
  /** A lint rule found an error in the desired state. */
  PolicyRejected: 'PolicyRejected',
  /** No Tenant in the namespace, or the one named by the accord.dev/tenant label does not exist. */
  TenantNotFound: 'TenantNotFound',
  /** Several Tenants in the namespace and no accord.dev/tenant label to choose. */
  TenantAmbiguous: 'TenantAmbiguous',
  /** The Tenant's credentials could not be read or used. */
  CredentialsInvalid: 'CredentialsInvalid',
  /** The Tenant is not ready (its credentials, its endpoint); see the Tenant's status. */
  TenantNotReady: 'TenantNotReady',
  /** Graph refused or failed a write; retried with back-off. */
  ApplyFailed: 'ApplyFailed',
  /** Reading the tenant failed (Graph unreachable, throttled beyond retries); retried with back-off. */
  GraphUnavailable: 'GraphUnavailable',
  /** Another resource's error stopped this tenant's apply before this resource's turn. */
  DependencyNotReady: 'DependencyNotReady',
  /** The resource or its Tenant carries accord.dev/suspend: "true" / spec.suspend. */
  Suspended: 'Suspended',
  /** Drifted=False: the tenant matched at the last comparison. */
  NoDrift: 'NoDrift',
  /** Drifted=True: the tenant differs from the resource (reported, not corrected: drift mode Report). */
  DriftDetected: 'DriftDetected',
  /** Drifted=False after the controller put back a change made by hand. */
  DriftCorrected: 'DriftCorrected',
  /** Drifted=Unknown: the resource has not been compared with the tenant yet (see Ready for why). */
  NotCompared: 'NotCompared',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

export interface ConditionInput {
  type: ConditionType;
  status: Condition['status'];
  reason: Reason;
  message: string;
}

/** Kubernetes caps condition messages at 32 KiB; keep them readable well below that. */
const MAX_MESSAGE = 2_000;

export function truncateMessage(message: string): string {
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
}

/**
 * The conditions with one set: `lastTransitionTime` moves only when the status changes (as `meta.SetStatusCondition`
 * does), the others are kept as they are.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  generation: number | undefined,
  now: Date,
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === input.type);
  const previous = index >= 0 ? list[index] : undefined;
  const next: Condition = {
    type: input.type,
    status: input.status,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    lastTransitionTime:
      previous && previous.status === input.status ? previous.lastTransitionTime : now.toISOString(),
    reason: input.reason,
    message: truncateMessage(input.message),
  };
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list.sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
}

const ORDER: readonly string[] = ['Ready', 'Reconciling', 'Stalled', 'Drifted'];

/** What a condition type says before the controller has decided it: Unknown, with a reason and why. */
const UNDECIDED: Record<ConditionType, ConditionInput> = {
  Ready: {
    type: ConditionType.Ready,
    status: 'Unknown',
    reason: Reason.Progressing,
    message: 'not reconciled yet',
  },
  Reconciling: {
    type: ConditionType.Reconciling,
    status: 'Unknown',
    reason: Reason.Progressing,
    message: 'not reconciled yet',
  },
  Stalled: {
    type: ConditionType.Stalled,
    status: 'Unknown',
    reason: Reason.Progressing,
    message: 'not reconciled yet',
  },
  Drifted: {
    type: ConditionType.Drifted,
    status: 'Unknown',
    reason: Reason.NotCompared,
    message: 'not compared with the tenant yet',
  },
};

/**
 * The conditions with every one of the four types present: a type not yet decided is added as Unknown, so
 * `kubectl get` and alerts always find Ready, Reconciling, Stalled and Drifted.
 */
export function completeConditions(
  conditions: readonly Condition[] | undefined,
  generation: number | undefined,
  now: Date,
): Condition[] {
  let list = [...(conditions ?? [])];
  for (const type of Object.values(ConditionType))
    if (!list.some((c) => c.type === type)) list = setCondition(list, UNDECIDED[type], generation, now);
  return list;
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: ConditionType,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: ConditionType): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/** Conditions equal apart from their transition times (no status write needed). */
export function sameConditions(
  a: readonly Condition[] | undefined,
  b: readonly Condition[] | undefined,
): boolean {
  const strip = (list: readonly Condition[] | undefined): string =>
    JSON.stringify((list ?? []).map(({ lastTransitionTime: _t, ...rest }) => rest));
  return strip(a) === strip(b);
}
