/** Small builders that keep the What-If case table readable: a policy body, a sign-in body, a case. */
import type { AnalysisReason, NoteCode, SessionState } from '../../src/whatif/types.ts';

export type Json = Record<string, unknown>;

export interface WhatIfCase {
  name: string;
  /** The rule of ca-evaluation.md the case checks. */
  rule: string;
  /** Graph create bodies; strings `@loc:<name>` stand for the id of the fixture named location. */
  policies: Json[];
  /** The v1.0 evaluate request body. */
  request: Json;
  /** displayName → expected `analysisReasons` (`notSet` = applies). */
  expect: Record<string, AnalysisReason>;
  /** Engine only: the combined decision. */
  decision?: 'blocked' | 'granted' | 'interrupted';
  /** Engine only: displayName → the controls its requirement lists (built-in names, strength display names). */
  requirements?: Record<string, string[]>;
  /** Engine and endpoint (`@accord.notes`): displayName → the note codes the policy carries. */
  notes?: Record<string, NoteCode[]>;
  /** Engine only: what the user has done, and whether that is enough. */
  session?: { state: SessionState; granted: boolean };
}

export interface PolicyOptions {
  state?: string;
  grant?: Json | null;
  session?: Json | null;
}

/** A policy over all users and all resources requiring MFA, with `conditions` merged over that. */
export function policy(displayName: string, conditions: Json = {}, options: PolicyOptions = {}): Json {
  return {
    displayName,
    state: options.state ?? 'enabled',
    conditions: {
      users: { includeUsers: ['All'] },
      applications: { includeApplications: ['All'] },
      clientAppTypes: ['all'],
      ...conditions,
    },
    grantControls: options.grant === undefined ? { operator: 'OR', builtInControls: ['mfa'] } : options.grant,
    sessionControls: options.session ?? null,
  };
}

export const grant = (operator: 'AND' | 'OR', ...builtInControls: string[]): Json => ({
  operator,
  builtInControls,
});

export function userSignIn(userId: string, extra: Json = {}): Json {
  return { '@odata.type': '#microsoft.graph.userSignIn', userId, ...extra };
}

export function spSignIn(servicePrincipalId: string): Json {
  return { '@odata.type': '#microsoft.graph.servicePrincipalSignIn', servicePrincipalId };
}

export function appContext(...includeApplications: string[]): Json {
  return { '@odata.type': '#microsoft.graph.applicationContext', includeApplications };
}

export function request(identity: Json, context: Json, conditions: Json = {}): Json {
  return {
    signInIdentity: identity,
    signInContext: context,
    signInConditions: conditions,
    appliedPoliciesOnly: false,
  };
}

/** One policy named `P` and its expected reason. */
// eslint-disable-next-line max-params -- a row of the case table reads best as positional columns
export function single(
  name: string,
  rule: string,
  conditions: Json,
  req: Json,
  reason: AnalysisReason,
  options: PolicyOptions = {},
): WhatIfCase {
  return { name, rule, policies: [policy('P', conditions, options)], request: req, expect: { P: reason } };
}
