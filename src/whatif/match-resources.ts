/**
 * What the sign-in is for (ca-evaluation §2.5): an application (All, None, Office365, MicrosoftAdminPortals,
 * appIds, exclusions, application filter), a user action, or an authentication context.
 */
import { addNote, type ConditionCheck, type EvaluationContext, type Verdict } from './evaluation-context.ts';
import { evaluateFilter } from './filter-rule.ts';
import { securityAttributes } from './filter-schemas.ts';
import type { PreparedApplications } from './prepare.ts';
import type { UserAction, WhatIfNote } from './types.ts';
import { AZURE_MANAGEMENT_APP_ID } from './well-known-apps.ts';

const USER_ACTION_URNS: Record<UserAction, string> = {
  registerSecurityInformation: 'urn:user:registersecurityinfo',
  registerOrJoinDevices: 'urn:user:registerdevice',
};

const APP_GROUP_NAMES = new Set(['all', 'none', 'office365', 'microsoftadminportals']);

function matchesFilter(
  apps: PreparedApplications,
  mode: 'include' | 'exclude',
  appId: string,
  ctx: EvaluationContext,
): boolean {
  const filter = apps.filter;
  if (!filter?.rule || filter.mode !== mode) return false;
  const sp = ctx.tenant.directory.findServicePrincipal(appId);
  return evaluateFilter(filter.rule, securityAttributes(sp?.customSecurityAttributes));
}

/** appId, or the app group it belongs to (the Service Management API stands for its group, §2.5). */
function isNamed(ids: ReadonlySet<string>, appId: string, ctx: EvaluationContext): boolean {
  return (
    ids.has(appId) ||
    (ids.has('office365') && ctx.tenant.office365.has(appId)) ||
    (ids.has('microsoftadminportals') && ctx.tenant.adminPortals.has(appId)) ||
    (ids.has(AZURE_MANAGEMENT_APP_ID) && ctx.tenant.azureManagement.has(appId))
  );
}

function includesApp(apps: PreparedApplications, appId: string, ctx: EvaluationContext): boolean {
  return (
    apps.include.has('all') || isNamed(apps.include, appId, ctx) || matchesFilter(apps, 'include', appId, ctx)
  );
}

function excludesApp(apps: PreparedApplications, appId: string, ctx: EvaluationContext): boolean {
  return isNamed(apps.exclude, appId, ctx) || matchesFilter(apps, 'exclude', appId, ctx);
}

/** The What If tool wants concrete appIds: a group name given as input matches nothing (§2.5). */
function isGroupNameInput(appId: string, notes: WhatIfNote[]): boolean {
  if (!APP_GROUP_NAMES.has(appId)) return false;
  addNote(notes, {
    code: 'appGroupNameAsInput',
    message: `'${appId}' is an app group, not an appId; as What-If input it matches no policy.`,
  });
  return true;
}

function checkApplications(apps: PreparedApplications, ctx: EvaluationContext, notes: WhatIfNote[]): Verdict {
  if (apps.filter?.error !== undefined) return 'invalidCondition';
  const context = ctx.signIn.context;
  const appIds = context.kind === 'application' ? context.includeApplications : [];
  // Several appIds: the policy applies when it applies to any one of them (ADR 0006).
  const applies = appIds
    .map((id) => id.toLowerCase())
    .some((id) => !isGroupNameInput(id, notes) && includesApp(apps, id, ctx) && !excludesApp(apps, id, ctx));
  return applies ? undefined : 'application';
}

function checkUserAction(apps: PreparedApplications, action: UserAction, notes: WhatIfNote[]): Verdict {
  if (apps.userActions.has(USER_ACTION_URNS[action])) return undefined;
  if (!apps.include.has('all')) return 'userActions';
  addNote(notes, {
    code: 'allResourcesOnUserAction',
    message: 'All-resources policies also apply to user actions (evaluate Example 3).',
  });
  return undefined;
}

function checkAuthContext(
  apps: PreparedApplications,
  value: string,
  ctx: EvaluationContext,
  notes: WhatIfNote[],
): Verdict {
  if (apps.authContexts.has(value.toLowerCase())) return undefined;
  if (!apps.include.has('all') || !ctx.options.allResourcesIncludeAuthContext) return 'authenticationContext';
  addNote(notes, {
    code: 'allResourcesOnAuthContext',
    message: 'All-resources policies also apply to an authentication-context sign-in (configurable).',
  });
  return undefined;
}

export const checkResource: ConditionCheck = (policy, ctx, notes) => {
  const apps = policy.applications;
  if (!apps) return 'application';
  const context = ctx.signIn.context;
  switch (context.kind) {
    case 'application':
      return checkApplications(apps, ctx, notes);
    case 'userAction':
      return checkUserAction(apps, context.userAction, notes);
    case 'authContext':
      return checkAuthContext(apps, context.authenticationContextValue, ctx, notes);
  }
};
