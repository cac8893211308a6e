/**
 * The sign-in log: every interactive sign-in attempt (success, failure, interrupted) as a Graph v1.0 `signIn`, with
 * the Conditional Access result of every policy (`appliedConditionalAccessPolicies`) and the overall
 * `conditionalAccessStatus`. Persisted in the tenant's SQLite store; served at `/v1.0/auditLogs/signIns`. Never holds
 * a password or a passcode.
 */
import { randomUUID } from 'node:crypto';
import { COLLECTIONS } from '../collections.ts';
import type { TenantInfo } from '../graph-types.ts';
import type { Doc, Store } from '../store.ts';
import type { PolicyEvaluation, PolicyResult, SessionOutcome } from '../../whatif/types.ts';
import type { SignInFlow } from './flow-state.ts';
import type { ClientDevice, SignInNetwork } from './network.ts';

export interface SignInStatus {
  /** 0 for success, else the AADSTS number. */
  errorCode: number;
  failureReason: string;
  additionalDetails?: string;
}

export interface SignInLogEntry {
  tenant: TenantInfo;
  flow: SignInFlow;
  network: SignInNetwork;
  device: ClientDevice;
  status: SignInStatus;
  /** The Conditional Access evaluation, when the attempt got that far (after the first factor). */
  outcome?: SessionOutcome;
  /** What the user typed, when no user was found. */
  signInName?: string;
  /** The attempt was interrupted for a prompt (MFA): applying unmet policies are logged as `failure`. */
  interrupted?: boolean;
}

/** Sign-ins kept per tenant, newest. */
export const MAX_SIGN_INS = 10_000;

const GRANT_CONTROL_NAMES: Record<string, string> = {
  mfa: 'Mfa',
  block: 'Block',
  compliantDevice: 'RequireCompliantDevice',
  domainJoinedDevice: 'RequireDomainJoinedDevice',
  approvedApplication: 'RequireApprovedApp',
  compliantApplication: 'RequireCompliantApp',
  passwordChange: 'RequirePasswordChange',
  riskRemediation: 'RequireRiskRemediation',
};

const SESSION_CONTROL_NAMES: Record<string, string> = {
  signInFrequency: 'SignInFrequency',
  persistentBrowser: 'PersistentBrowserSessionMode',
  cloudAppSecurity: 'CloudAppSecurity',
  applicationEnforcedRestrictions: 'AppEnforcedRestrictions',
  secureSignInSession: 'SecureSignInSession',
};

function enforcedGrantControls(policy: Doc | undefined): string[] {
  const grant = policy?.grantControls as
    { builtInControls?: unknown; authenticationStrength?: unknown; termsOfUse?: unknown } | null | undefined;
  if (!grant) return [];
  const builtIn = Array.isArray(grant.builtInControls) ? grant.builtInControls.map(String) : [];
  const out = builtIn.map((c) => GRANT_CONTROL_NAMES[c] ?? c);
  if (grant.authenticationStrength) out.push('RequireAuthenticationStrength');
  if (Array.isArray(grant.termsOfUse) && grant.termsOfUse.length > 0) out.push('RequireTermsOfUse');
  return out;
}

function enforcedSessionControls(policy: Doc | undefined): string[] {
  const session = policy?.sessionControls as Record<string, unknown> | null | undefined;
  if (!session) return [];
  return Object.entries(session)
    .filter(
      ([, value]) =>
        value === true ||
        (typeof value === 'object' &&
          value !== null &&
          (value as { isEnabled?: unknown }).isEnabled !== false),
    )
    .map(([key]) => SESSION_CONTROL_NAMES[key] ?? key);
}

/** The log's result enum has no `interrupted` for enforced policies: the prompt is an unmet grant, a `failure`. */
function logResult(result: PolicyResult): string {
  return result === 'interrupted' ? 'failure' : result;
}

function appliedPolicies(store: Store, tenantId: string, policies: readonly PolicyEvaluation[]): Doc[] {
  return policies.map((p) => {
    const doc = store.get(tenantId, COLLECTIONS.caPolicies, p.policyId);
    const applies = p.policyApplies && p.state !== 'disabled';
    return {
      id: p.policyId,
      displayName: p.displayName,
      enforcedGrantControls: applies ? enforcedGrantControls(doc) : [],
      enforcedSessionControls: applies ? enforcedSessionControls(doc) : [],
      result: logResult(p.result),
    };
  });
}

/** `success` when an enforced policy applied and was met, `failure` when one applied and was not, else `notApplied`. */
function conditionalAccessStatus(entry: SignInLogEntry): string {
  const enforced = (entry.outcome?.policies ?? []).filter((p) => p.state === 'enabled' && p.policyApplies);
  if (enforced.length === 0) return 'notApplied';
  return entry.status.errorCode === 0 ? 'success' : 'failure';
}

export function recordSignIn(store: Store, entry: SignInLogEntry): Doc {
  const { flow, network, device, tenant } = entry;
  const user = flow.user;
  const doc: Doc = {
    id: randomUUID(),
    createdDateTime: new Date().toISOString(),
    userDisplayName: user?.displayName ?? null,
    userPrincipalName: user?.userPrincipalName ?? entry.signInName ?? null,
    userId: user?.id ?? '',
    appId: flow.request.clientId,
    appDisplayName: flow.request.clientName,
    ipAddress: network.ipAddress,
    clientAppUsed: 'Browser',
    correlationId: flow.correlationId,
    conditionalAccessStatus: conditionalAccessStatus(entry),
    isInteractive: true,
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes: [],
    riskEventTypes_v2: [],
    resourceDisplayName: flow.request.resource.displayName,
    resourceId: flow.request.resource.appId,
    status: {
      errorCode: entry.status.errorCode,
      failureReason: entry.status.failureReason,
      additionalDetails: entry.status.additionalDetails ?? null,
    },
    deviceDetail: {
      deviceId: '',
      displayName: '',
      operatingSystem: device.operatingSystem,
      browser: device.browser,
      isCompliant: false,
      isManaged: false,
      trustType: '',
    },
    location: {
      city: null,
      state: null,
      countryOrRegion: network.country ?? null,
      geoCoordinates: null,
    },
    appliedConditionalAccessPolicies: entry.outcome
      ? appliedPolicies(store, tenant.id, entry.outcome.policies)
      : [],
  };
  store.transaction(() => {
    store.put(tenant.id, COLLECTIONS.signIns, doc);
    // Entra keeps a month of sign-ins; a local tenant keeps the most recent ones.
    if (store.count(tenant.id, COLLECTIONS.signIns) > MAX_SIGN_INS) {
      const oldest = store.all(tenant.id, COLLECTIONS.signIns)[0]!;
      store.remove(tenant.id, COLLECTIONS.signIns, oldest.id);
    }
  });
  return doc;
}

/** Newest first, as Graph lists them. */
export function listSignIns(store: Store, tenantId: string): Doc[] {
  return store.all(tenantId, COLLECTIONS.signIns).reverse();
}
