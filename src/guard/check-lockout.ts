/**
 * The lockout guard (DESIGN §5): runs the What-If engine over the tenant as the plan leaves it and finds the
 * sign-ins that must keep working and would not — a break-glass account blocked or facing a control it cannot
 * satisfy, the identity running accord blocked, no administrator able to reach the admin portals. Pure.
 */
import { isMethodAvailableTo } from '../lint/method-availability.ts';
import type { TenantFacts, UserFact } from '../lint/tenant-facts.ts';
import { BUILT_IN_STRENGTHS } from '../whatif/built-in-strengths.ts';
import { createDirectoryView } from '../whatif/directory-view.ts';
import { evaluateWithSession } from '../whatif/evaluate.ts';
import { prepareTenant, type PreparedTenant } from '../whatif/prepare.ts';
import type { GrantControl, ServicePrincipalView, SessionState, SignIn, UserView } from '../whatif/types.ts';
import { defaultApplicationCatalogue } from '../whatif/well-known-apps.ts';
import {
  ADMIN_PORTAL_APPS,
  signInContexts,
  targetApps,
  UNTRUSTED_IP,
  type Context,
  type TargetApp,
} from './sign-in-matrix.ts';
import type { PolicyAfterPlan, StateAfterPlan } from './tenant-after-plan.ts';

export interface GuardInput {
  after: StateAfterPlan;
  facts: TenantFacts;
  /** Readable names of application ids (lower-cased keys), for messages. */
  appNames?: ReadonlyMap<string, string>;
}

interface Example {
  app: TargetApp;
  context: string;
}

export type LockoutFinding =
  | { kind: 'breakGlass'; account: string; policy: PolicyAfterPlan; unmet: string[]; example: Example }
  | { kind: 'caller'; caller: string; policy: PolicyAfterPlan; example: Example }
  | { kind: 'admins'; apps: TargetApp[]; policies: PolicyAfterPlan[]; admins: number };

/** Authentication method configuration id → the `authenticationMethodModes` it lets a user perform. */
const METHOD_MODES: Record<string, readonly string[]> = {
  fido2: ['fido2'],
  microsoftauthenticator: ['microsoftAuthenticatorPush', 'deviceBasedPush'],
  sms: ['sms'],
  voice: ['voice'],
  softwareoath: ['softwareOath'],
  hardwareoath: ['hardwareOath'],
  temporaryaccesspass: ['temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse'],
  x509certificate: ['x509CertificateMultiFactor'],
  email: ['email'],
};

/**
 * What an emergency account can do in an emergency: a password and any MFA method enabled for it (email OTP only in
 * an External ID tenant) — never a managed device, an approved app, a password change or terms of use.
 */
export function breakGlassSession(enabledMethods: readonly string[], external: boolean): SessionState {
  const usable = enabledMethods.filter((m) => external || m !== 'email');
  return {
    mfaDone: usable.length > 0,
    methodsUsed: ['password', ...usable.flatMap((m) => METHOD_MODES[m] ?? [])],
  };
}

function toUserView(user: UserFact): UserView {
  return {
    id: user.id,
    userType: user.userType,
    transitiveGroupIds: user.transitiveGroupIds,
    activeRoleTemplateIds: user.activeRoleTemplateIds,
    ...(user.userType === 'Guest' ? { externalUserType: 'b2bCollaborationGuest' as const } : {}),
  };
}

function callerView(facts: TenantFacts): ServicePrincipalView[] {
  const caller = facts.caller;
  if (!caller) return [];
  return [
    {
      id: caller.servicePrincipalId,
      appId: caller.appId,
      isSingleTenant: caller.isSingleTenant,
      customSecurityAttributes: {},
    },
  ];
}

export function prepareAfterPlan(input: GuardInput): PreparedTenant {
  const { after, facts } = input;
  const strengths = [...after.authenticationStrengths];
  for (const builtIn of BUILT_IN_STRENGTHS) {
    if (!strengths.some((s) => s.id.toLowerCase() === builtIn.id.toLowerCase())) strengths.push(builtIn);
  }
  return prepareTenant({
    tenantId: facts.tenantId,
    policies: after.policies.map((p) => p.document),
    namedLocations: after.namedLocations,
    authenticationStrengths: strengths,
    directory: createDirectoryView(
      [...facts.breakGlass.users, ...facts.admins].map(toUserView),
      callerView(facts),
    ),
    applications: defaultApplicationCatalogue(),
  });
}

function userSignIn(userId: string, app: TargetApp, context: Context): SignIn {
  return {
    identity: { kind: 'user', userId },
    context: { kind: 'application', includeApplications: [app.appId] },
    conditions: context.conditions,
  };
}

function describeControl(control: GrantControl): string {
  if (control.kind === 'builtIn') return control.control;
  if (control.kind === 'authenticationStrength') return `authentication strength '${control.displayName}'`;
  return control.kind === 'termsOfUse' ? `terms of use ${control.id}` : `custom control ${control.id}`;
}

interface Scope {
  prepared: PreparedTenant;
  apps: TargetApp[];
  contexts: Context[];
  byId: ReadonlyMap<string, PolicyAfterPlan>;
}

function policyOf(scope: Scope, id: string): PolicyAfterPlan {
  return scope.byId.get(id.toLowerCase()) ?? { id, displayName: id, document: {} };
}

function checkBreakGlassAccount(scope: Scope, user: UserFact, session: SessionState): LockoutFinding[] {
  const found = new Map<string, LockoutFinding>();
  for (const app of scope.apps) {
    for (const context of scope.contexts) {
      const outcome = evaluateWithSession(scope.prepared, userSignIn(user.id, app, context), session);
      const decision = outcome.decision;
      // A legacy client cannot prompt at all; the account can always use a modern client instead.
      if (decision.kind === 'blocked' && decision.cause === 'legacyClient') continue;
      const hits =
        decision.kind === 'blocked'
          ? decision.blockingPolicies.map((p) => ({ policyId: p.policyId, unmet: ['block'] }))
          : outcome.unmet.map((r) => ({ policyId: r.policyId, unmet: r.controls.map(describeControl) }));
      for (const hit of hits) {
        if (found.has(hit.policyId)) continue;
        found.set(hit.policyId, {
          kind: 'breakGlass',
          account: user.userPrincipalName,
          policy: policyOf(scope, hit.policyId),
          unmet: hit.unmet,
          example: { app, context: context.label },
        });
      }
    }
  }
  return [...found.values()];
}

function checkCaller(scope: Scope, facts: TenantFacts): LockoutFinding[] {
  const caller = facts.caller;
  if (!caller) return [];
  const found = new Map<string, LockoutFinding>();
  const app = scope.apps[0]!;
  for (const context of scope.contexts.filter(
    (c) => c.conditions.clientAppType === 'browser' && c.conditions.devicePlatform === 'windows',
  )) {
    const signIn: SignIn = {
      identity: { kind: 'servicePrincipal', servicePrincipalId: caller.servicePrincipalId },
      context: { kind: 'application', includeApplications: [app.appId] },
      conditions: { ipAddress: context.conditions.ipAddress },
    };
    const decision = evaluateWithSession(scope.prepared, signIn, {}).decision;
    if (decision.kind !== 'blocked') continue;
    for (const p of decision.blockingPolicies) {
      if (!found.has(p.policyId))
        found.set(p.policyId, {
          kind: 'caller',
          caller: caller.displayName,
          policy: policyOf(scope, p.policyId),
          // A service principal has no client app or platform: only where it signs in from matters.
          example: {
            app,
            context: `from ${context.conditions.ipAddress === UNTRUSTED_IP ? 'an untrusted' : 'a trusted'} location`,
          },
        });
    }
  }
  return [...found.values()];
}

function checkAdmins(scope: Scope, facts: TenantFacts): LockoutFinding[] {
  if (facts.admins.length === 0) return [];
  const blocking = new Map<string, PolicyAfterPlan>();
  const unreachable = ADMIN_PORTAL_APPS.filter(
    (app) =>
      !facts.admins.some((admin) =>
        scope.contexts.some((context) => {
          const decision = evaluateWithSession(
            scope.prepared,
            userSignIn(admin.id, app, context),
            {},
          ).decision;
          if (decision.kind !== 'blocked') return true;
          for (const p of decision.blockingPolicies) blocking.set(p.policyId, policyOf(scope, p.policyId));
          return false;
        }),
      ),
  );
  if (unreachable.length === 0) return [];
  return [
    { kind: 'admins', apps: unreachable, policies: [...blocking.values()], admins: facts.admins.length },
  ];
}

export function checkLockout(input: GuardInput): LockoutFinding[] {
  const { after, facts } = input;
  const scope: Scope = {
    prepared: prepareAfterPlan(input),
    apps: targetApps(
      after.policies.map((p) => p.document),
      input.appNames,
    ),
    contexts: signInContexts(after.namedLocations),
    byId: new Map(after.policies.map((p) => [p.id.toLowerCase(), p])),
  };
  // Each account can use the methods enabled for it: for every user, or for a group it belongs to.
  const sessionOf = (user: UserFact): SessionState =>
    breakGlassSession(
      after.methods.filter((m) => isMethodAvailableTo(m, user.transitiveGroupIds)).map((m) => m.id),
      facts.isExternalTenant,
    );
  return [
    ...facts.breakGlass.users.flatMap((u) => checkBreakGlassAccount(scope, u, sessionOf(u))),
    ...checkCaller(scope, facts),
    ...checkAdmins(scope, facts),
  ];
}
