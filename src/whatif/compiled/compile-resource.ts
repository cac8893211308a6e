/**
 * The resource step of §5.3 compiled (ca-evaluation §2.5): each policy's included and excluded applications become
 * one Set of appIds with the Office365 and MicrosoftAdminPortals groups expanded, so "is this app targeted" is two
 * lookups. Application filters are evaluated once per app and remembered.
 */
import type { WhatIfOptions, SignInContext, UserAction, DirectoryView } from '../types.ts';
import { evaluateFilter } from '../filter-rule.ts';
import { securityAttributes } from '../filter-schemas.ts';
import type { PreparedApplications, PreparedPolicy, PreparedTenant } from '../prepare.ts';
import { AZURE_MANAGEMENT_APP_ID } from '../well-known-apps.ts';
import { reasonCode, toStage, type StageVerdicts } from './stage.ts';

const APPLICATION = reasonCode('application');
const USER_ACTIONS = reasonCode('userActions');
const AUTH_CONTEXT = reasonCode('authenticationContext');
const INVALID_CONDITION = reasonCode('invalidCondition');
const USER_ACTION_URNS: Record<UserAction, string> = {
  registerSecurityInformation: 'urn:user:registersecurityinfo',
  registerOrJoinDevices: 'urn:user:registerdevice',
};
const APP_GROUP_NAMES = new Set(['all', 'none', 'office365', 'microsoftadminportals']);

interface CompiledApps {
  source: PreparedApplications;
  includeAll: boolean;
  include: ReadonlySet<string>;
  exclude: ReadonlySet<string>;
  /** appId → does the filter match (per app, computed on first use). */
  filterMatches: Map<string, boolean>;
}

export interface ResourceCompiler {
  apps: readonly (CompiledApps | undefined)[];
  directory: DirectoryView;
  allResourcesIncludeAuthContext: boolean;
}

function expand(ids: ReadonlySet<string>, tenant: PreparedTenant): Set<string> {
  const out = new Set(ids);
  if (ids.has('office365')) for (const id of tenant.office365) out.add(id);
  if (ids.has('microsoftadminportals')) for (const id of tenant.adminPortals) out.add(id);
  if (ids.has(AZURE_MANAGEMENT_APP_ID)) for (const id of tenant.azureManagement) out.add(id);
  return out;
}

function compileApps(
  apps: PreparedApplications | undefined,
  tenant: PreparedTenant,
): CompiledApps | undefined {
  if (!apps) return undefined;
  return {
    source: apps,
    includeAll: apps.include.has('all'),
    include: expand(apps.include, tenant),
    exclude: expand(apps.exclude, tenant),
    filterMatches: new Map(),
  };
}

export function compileResources(
  policies: readonly PreparedPolicy[],
  tenant: PreparedTenant,
  options: Required<WhatIfOptions>,
): ResourceCompiler {
  return {
    apps: policies.map((p) => compileApps(p.applications, tenant)),
    directory: tenant.directory,
    allResourcesIncludeAuthContext: options.allResourcesIncludeAuthContext,
  };
}

function matchesFilter(
  apps: CompiledApps,
  mode: 'include' | 'exclude',
  appId: string,
  directory: DirectoryView,
): boolean {
  const filter = apps.source.filter;
  if (!filter?.rule || filter.mode !== mode) return false;
  let matched = apps.filterMatches.get(appId);
  if (matched === undefined) {
    const sp = directory.findServicePrincipal(appId);
    matched = evaluateFilter(filter.rule, securityAttributes(sp?.customSecurityAttributes));
    apps.filterMatches.set(appId, matched);
  }
  return matched;
}

function isTargeted(apps: CompiledApps, appId: string, directory: DirectoryView): boolean {
  const included =
    apps.includeAll || apps.include.has(appId) || matchesFilter(apps, 'include', appId, directory);
  return included && !apps.exclude.has(appId) && !matchesFilter(apps, 'exclude', appId, directory);
}

function applicationReason(apps: CompiledApps, appIds: readonly string[], directory: DirectoryView): number {
  if (apps.source.filter?.error !== undefined) return INVALID_CONDITION;
  // Several appIds: the policy applies when it applies to any one of them (ADR 0006).
  for (const appId of appIds) if (!APP_GROUP_NAMES.has(appId) && isTargeted(apps, appId, directory)) return 0;
  return APPLICATION;
}

function resourceReason(
  apps: CompiledApps | undefined,
  context: SignInContext,
  appIds: readonly string[],
  compiler: ResourceCompiler,
): number {
  if (!apps) return APPLICATION;
  switch (context.kind) {
    case 'application':
      return applicationReason(apps, appIds, compiler.directory);
    case 'userAction':
      return apps.source.userActions.has(USER_ACTION_URNS[context.userAction]) || apps.includeAll
        ? 0
        : USER_ACTIONS;
    case 'authContext': {
      if (apps.source.authContexts.has(context.authenticationContextValue.toLowerCase())) return 0;
      return apps.includeAll && compiler.allResourcesIncludeAuthContext ? 0 : AUTH_CONTEXT;
    }
  }
}

/** The resource step's verdict for every policy. */
export function resourceStage(compiler: ResourceCompiler, context: SignInContext): StageVerdicts {
  const appIds =
    context.kind === 'application' ? context.includeApplications.map((id) => id.toLowerCase()) : [];
  const reasons = new Uint8Array(compiler.apps.length);
  compiler.apps.forEach((apps, i) => (reasons[i] = resourceReason(apps, context, appIds, compiler)));
  return toStage(reasons);
}
