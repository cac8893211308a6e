/**
 * Conditional Access at sign-in: the What-If engine evaluates the real sign-in (user, client and resource apps,
 * browser, platform from the User-Agent, mapped address and country) with what the user has done so far, and the
 * answer becomes what Entra would do next: let them in, ask for the email one-time passcode, block them naming the
 * policy, or stop them with the requirement they cannot meet. Report-only policies are evaluated, never enforced.
 */
import { evaluateWithSession } from '../../whatif/evaluate.ts';
import type {
  GrantControl,
  GrantRequirement,
  PolicyRef,
  SessionOutcome,
  SessionState,
  SignIn,
} from '../../whatif/types.ts';
import type { TenantInfo } from '../graph-types.ts';
import type { Store } from '../store.ts';
import { buildWhatIfTenant } from '../whatif/tenant-view.ts';
import type { SignInFlow } from './flow-state.ts';
import type { ClientDevice, SignInNetwork } from './network.ts';

export interface SignInCircumstances {
  store: Store;
  tenant: TenantInfo;
  flow: SignInFlow;
  network: SignInNetwork;
  device: ClientDevice;
  /** MFA done at the guest's home organisation counts here (inbound trust). */
  homeMfaAccepted: boolean;
  /** Whether an email one-time passcode can still be offered as the second factor. */
  emailOtpAvailable: boolean;
  /** Why not, when it cannot (shown to the user). */
  emailOtpUnavailableReason: string;
}

export type SignInVerdict =
  | { kind: 'granted'; outcome: SessionOutcome }
  | { kind: 'blocked'; outcome: SessionOutcome; policies: PolicyRef[] }
  | { kind: 'mfaRequired'; outcome: SessionOutcome; policies: PolicyRef[] }
  | {
      kind: 'unsatisfiable';
      outcome: SessionOutcome;
      policies: PolicyRef[];
      /** AADSTS code of the failure. */
      errorCode: number;
      requirement: string;
      reason: string;
    };

function buildSignIn(c: SignInCircumstances): SignIn {
  const { request } = c.flow;
  const apps = [...new Set([request.clientId, request.resource.appId])];
  return {
    identity: { kind: 'user', userId: c.flow.user!.id },
    context: { kind: 'application', includeApplications: apps },
    conditions: {
      clientAppType: 'browser',
      ...(c.device.platform ? { devicePlatform: c.device.platform } : {}),
      ipAddress: c.network.ipAddress,
      ...(c.network.country ? { country: c.network.country } : {}),
    },
  };
}

function sessionOf(c: SignInCircumstances): SessionState {
  const mfaDone = c.flow.mfaDone || (c.flow.homeMfaDone && c.homeMfaAccepted);
  const methods =
    c.flow.homeMfaDone && c.homeMfaAccepted ? [...c.flow.methods, 'federatedMultiFactor'] : c.flow.methods;
  return { mfaDone, methodsUsed: methods };
}

const REQUIREMENT_TEXT: Record<string, { text: string; code: number }> = {
  mfa: { text: 'multifactor authentication', code: 50072 },
  compliantDevice: { text: 'a device marked as compliant', code: 53000 },
  domainJoinedDevice: { text: 'a Microsoft Entra hybrid joined device', code: 53001 },
  approvedApplication: { text: 'an approved client app', code: 53005 },
  compliantApplication: { text: 'an app protection policy', code: 53009 },
  passwordChange: { text: 'a password change', code: 53003 },
  riskRemediation: { text: 'risk remediation', code: 53003 },
};

function describeControl(control: GrantControl): { text: string; code: number } {
  switch (control.kind) {
    case 'builtIn':
      return REQUIREMENT_TEXT[control.control] ?? { text: control.control, code: 53003 };
    case 'authenticationStrength':
      return { text: `the authentication strength "${control.displayName}"`, code: 50072 };
    case 'termsOfUse':
      return { text: `accepting the terms of use ${control.id}`, code: 53003 };
    case 'customFactor':
      return { text: `the custom control ${control.id}`, code: 53003 };
  }
}

function isMfaLike(control: GrantControl): boolean {
  return (
    (control.kind === 'builtIn' && control.control === 'mfa') || control.kind === 'authenticationStrength'
  );
}

/** The requirement the user cannot meet, in words, with the code Entra logs for it. */
function describeUnmet(
  unmet: readonly GrantRequirement[],
  c: SignInCircumstances,
): { requirement: string; reason: string; errorCode: number } {
  const controls = unmet.flatMap((r) => (r.operator === 'OR' ? r.controls.slice(0, 1) : r.controls));
  const device = controls.find((control) => !isMfaLike(control)) ?? controls[0];
  const described = device ? describeControl(device) : { text: 'a control', code: 53003 };
  const policyNames = unmet.map((r) => `"${r.displayName}"`).join(' and ');
  if (device && isMfaLike(device)) {
    return {
      requirement: described.text,
      errorCode: described.code,
      reason: `${policyNames} requires ${described.text}, and ${c.emailOtpUnavailableReason}`,
    };
  }
  return {
    requirement: described.text,
    errorCode: described.code,
    reason: `${policyNames} requires ${described.text}. This browser on ${c.device.operatingSystem} is not a registered, managed device, and the local tenant has no way to make it one.`,
  };
}

function refOf(requirement: GrantRequirement): PolicyRef {
  return { policyId: requirement.policyId, displayName: requirement.displayName };
}

export function evaluateAtSignIn(c: SignInCircumstances): SignInVerdict {
  const tenant = buildWhatIfTenant(c.store, c.tenant);
  const signIn = buildSignIn(c);
  const session = sessionOf(c);
  const outcome = evaluateWithSession(tenant, signIn, session);
  const { decision } = outcome;
  if (decision.kind === 'granted') return { kind: 'granted', outcome };
  if (decision.kind === 'blocked') return { kind: 'blocked', outcome, policies: decision.blockingPolicies };
  const policies = decision.requirements.map(refOf);
  if (c.emailOtpAvailable && !session.mfaDone) {
    // Would the passcode be enough? Only then is it worth asking for (Entra asks for what can succeed).
    const methodsUsed = [...(session.methodsUsed ?? []), 'email'];
    const withOtp = evaluateWithSession(tenant, signIn, { ...session, mfaDone: true, methodsUsed });
    if (withOtp.granted) return { kind: 'mfaRequired', outcome, policies };
    return {
      kind: 'unsatisfiable',
      outcome,
      policies: withOtp.unmet.map(refOf),
      ...describeUnmet(withOtp.unmet, c),
    };
  }
  return { kind: 'unsatisfiable', outcome, policies, ...describeUnmet(outcome.unmet, c) };
}
