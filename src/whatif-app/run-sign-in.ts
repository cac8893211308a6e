/**
 * One What-If: resolve the request's names through the directory reader, evaluate the sign-in on the chosen policy
 * set, and describe the answer as a report (the data every renderer reads).
 */
import { evaluateSignIn } from '../whatif/evaluate.ts';
import type {
  Decision,
  GrantControl,
  PolicyEvaluation,
  SignIn,
  SignInConditions,
  UserView,
  WhatIfOptions,
  WhatIfResult,
} from '../whatif/types.ts';
import type { DirectoryReader, Lookup } from './directory-reader.ts';
import { explainReason } from './explain-reason.ts';
import type { PolicySet, PolicySource } from './policy-sets.ts';
import { checkSignInRequest, type SignInRequest, toSignIn } from './sign-in-request.ts';

export interface WhatIfSession {
  policies: PolicySet;
  reader: DirectoryReader;
  /** Readable names of ids known from resolving the repository (groups, roles, apps, locations). */
  names: ReadonlyMap<string, string>;
  options?: WhatIfOptions;
}

export type Subject = { kind: 'user' | 'servicePrincipal'; id: string; name: string };

export type Target =
  | { kind: 'application'; appId: string; displayName: string }
  | { kind: 'userAction'; userAction: string }
  | { kind: 'authenticationContext'; value: string };

export interface ReportedPolicy extends PolicyEvaluation {
  /** `metadata.name` of the manifest, when the repository has the policy. */
  name?: string;
  /** Why it does not apply, in words (`users: Emergency access accounts is excluded`). */
  reason?: string;
  grantControls: unknown;
  sessionControls: unknown;
}

/** The decision in the words a person uses: who blocks, or which controls are still required by whom. */
export type Outcome =
  | { kind: 'blocked'; cause: 'blockControl' | 'legacyClient'; by: string[] }
  | { kind: 'granted' }
  | { kind: 'interrupted'; requires: string[]; by: string[] };

export interface WhatIfReport {
  against: PolicySource;
  subject: Subject;
  target: Target;
  conditions: SignInConditions;
  outcome: Outcome;
  policies: ReportedPolicy[];
  decision: Decision;
  sessionControls: WhatIfResult['sessionControls'];
  notes: WhatIfResult['notes'];
}

interface Resolved {
  subject: Subject;
  target: Target;
  user?: UserView;
  signIn: SignIn;
}

async function resolveSubject(
  reader: DirectoryReader,
  request: SignInRequest,
): Promise<Lookup<{ subject: Subject; user?: UserView }>> {
  if (request.user !== undefined) {
    const found = await reader.findUser(request.user);
    if (!found.ok) return found;
    const { view, userPrincipalName } = found.value;
    return {
      ok: true,
      value: { subject: { kind: 'user', id: view.id, name: userPrincipalName }, user: view },
    };
  }
  const found = await reader.findServicePrincipal(request.servicePrincipal ?? '');
  if (!found.ok) return found;
  const { view, displayName } = found.value;
  return { ok: true, value: { subject: { kind: 'servicePrincipal', id: view.id, name: displayName } } };
}

async function resolveTarget(reader: DirectoryReader, request: SignInRequest): Promise<Lookup<Target>> {
  if (request.userAction !== undefined) {
    const signIn = toSignIn(request, { subjectId: '' });
    const userAction = signIn.context.kind === 'userAction' ? signIn.context.userAction : request.userAction;
    return { ok: true, value: { kind: 'userAction', userAction } };
  }
  if (request.authenticationContext !== undefined)
    return {
      ok: true,
      value: { kind: 'authenticationContext', value: request.authenticationContext.toLowerCase() },
    };
  const found = await reader.findServicePrincipal(request.application ?? '', 'application');
  if (!found.ok) return found;
  const { view, displayName } = found.value;
  return { ok: true, value: { kind: 'application', appId: view.appId, displayName } };
}

async function resolveRequest(reader: DirectoryReader, request: SignInRequest): Promise<Lookup<Resolved>> {
  const problems = checkSignInRequest(request);
  if (problems.length > 0) return { ok: false, message: problems.join('; ') };
  const [subject, target] = await Promise.all([
    resolveSubject(reader, request),
    resolveTarget(reader, request),
  ]);
  if (!subject.ok) return subject;
  if (!target.ok) return target;
  const appId = target.value.kind === 'application' ? target.value.appId : undefined;
  const signIn = toSignIn(request, { subjectId: subject.value.subject.id, ...(appId ? { appId } : {}) });
  return { ok: true, value: { ...subject.value, target: target.value, signIn } };
}

function labelOf(policy: { displayName: string; name?: string }): string {
  return policy.displayName;
}

function controlName(control: GrantControl): string {
  if (control.kind === 'builtIn') return control.control;
  if (control.kind === 'authenticationStrength') return `authenticationStrength:${control.displayName}`;
  return `${control.kind}:${control.id}`;
}

function outcomeOf(decision: Decision): Outcome {
  if (decision.kind === 'granted') return { kind: 'granted' };
  if (decision.kind === 'blocked')
    return { kind: 'blocked', cause: decision.cause, by: decision.blockingPolicies.map(labelOf) };
  const requires = [...new Set(decision.requirements.flatMap((r) => r.controls.map(controlName)))];
  return { kind: 'interrupted', requires, by: decision.requirements.map(labelOf) };
}

function reportPolicies(session: WhatIfSession, resolved: Resolved, result: WhatIfResult): ReportedPolicy[] {
  const documents = new Map(session.policies.tenant.policies.map((p) => [String(p.id), p]));
  const nameOf = (id: string): string =>
    session.names.get(id) ??
    session.reader.names.get(id.toLowerCase()) ??
    session.names.get(id.toLowerCase()) ??
    id;
  return result.policies.map((evaluation) => {
    const policy = documents.get(evaluation.policyId) ?? {};
    const name = session.policies.manifestNames.get(evaluation.policyId);
    const reported: ReportedPolicy = {
      ...evaluation,
      ...(name ? { name } : {}),
      grantControls: policy.grantControls ?? null,
      sessionControls: policy.sessionControls ?? null,
    };
    if (!evaluation.policyApplies) {
      const input = { policy, signIn: resolved.signIn, user: resolved.user, nameOf, notes: evaluation.notes };
      reported.reason = explainReason({ ...input, reason: evaluation.analysisReasons });
    }
    return reported;
  });
}

/** Evaluates one request; a name that does not resolve or a bad value is a message, not an exception. */
export async function runSignIn(
  session: WhatIfSession,
  request: SignInRequest,
): Promise<Lookup<WhatIfReport>> {
  const resolved = await resolveRequest(session.reader, request);
  if (!resolved.ok) return resolved;
  const tenant = { ...session.policies.tenant, directory: await session.reader.view() };
  const result = evaluateSignIn(tenant, resolved.value.signIn, session.options ?? {});
  const report: WhatIfReport = {
    against: session.policies.source,
    subject: resolved.value.subject,
    target: resolved.value.target,
    conditions: resolved.value.signIn.conditions,
    outcome: outcomeOf(result.decision),
    policies: reportPolicies(session, resolved.value, result),
    decision: result.decision,
    sessionControls: result.sessionControls,
    notes: result.notes,
  };
  return { ok: true, value: report };
}
