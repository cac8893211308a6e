/**
 * Per sign-in facts the condition checks share: the resolved subject (what the directory says about the user or
 * service principal, overridden by what the request states explicitly) and the chosen options.
 */
import type { PreparedPolicy, PreparedTenant } from './prepare.ts';
import type {
  AnalysisReason,
  CustomSecurityAttributes,
  ExternalUserType,
  SignIn,
  WhatIfNote,
  WhatIfOptions,
} from './types.ts';

export type UserSubject = {
  kind: 'user';
  id: string;
  /** False for a user the directory does not hold (B2B direct connect, or an unknown id). */
  isInDirectory: boolean;
  groupIds: ReadonlySet<string>;
  roleIds: ReadonlySet<string>;
  externalUserType: ExternalUserType | undefined;
  homeTenantId: string | undefined;
};

export type ServicePrincipalSubject = {
  kind: 'servicePrincipal';
  id: string;
  isInDirectory: boolean;
  isSingleTenant: boolean;
  attributes: CustomSecurityAttributes | undefined;
};

export type Subject = UserSubject | ServicePrincipalSubject;

export interface EvaluationContext {
  tenant: PreparedTenant;
  signIn: SignIn;
  subject: Subject;
  options: Required<WhatIfOptions>;
}

/** A condition check: `undefined` when the condition matches, else the reason the policy does not apply. */
export type Verdict = AnalysisReason | undefined;

export type ConditionCheck = (policy: PreparedPolicy, ctx: EvaluationContext, notes: WhatIfNote[]) => Verdict;

export const DEFAULT_OPTIONS: Required<WhatIfOptions> = {
  allResourcesIncludeAuthContext: true,
  missingDeviceInfo: 'unregistered',
};

function lower(values: readonly string[]): Set<string> {
  return new Set(values.map((v) => v.toLowerCase()));
}

function resolveUser(
  tenant: PreparedTenant,
  identity: Extract<SignIn['identity'], { kind: 'user' }>,
): UserSubject {
  const view = tenant.directory.findUser(identity.userId);
  return {
    kind: 'user',
    id: identity.userId.toLowerCase(),
    isInDirectory: view !== undefined,
    groupIds: lower(view?.transitiveGroupIds ?? []),
    roleIds: lower(view?.activeRoleTemplateIds ?? []),
    // The request's explicit values win over the directory's classification (§2.3).
    externalUserType: identity.externalUserType ?? view?.externalUserType,
    homeTenantId: (identity.externalTenantId ?? view?.homeTenantId)?.toLowerCase(),
  };
}

export function resolveSubject(tenant: PreparedTenant, signIn: SignIn): Subject {
  const identity = signIn.identity;
  if (identity.kind === 'user') return resolveUser(tenant, identity);
  const view = tenant.directory.findServicePrincipal(identity.servicePrincipalId);
  return {
    kind: 'servicePrincipal',
    id: (view?.id ?? identity.servicePrincipalId).toLowerCase(),
    isInDirectory: view !== undefined,
    isSingleTenant: view?.isSingleTenant ?? false,
    attributes: view?.customSecurityAttributes,
  };
}

export function addNote(notes: WhatIfNote[], note: WhatIfNote): void {
  if (!notes.some((n) => n.code === note.code)) notes.push(note);
}
