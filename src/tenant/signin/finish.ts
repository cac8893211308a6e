/**
 * After each factor: evaluate Conditional Access, log the attempt, and show what comes next — the code redirect to
 * the app, the "More information required" prompt, the blocked page naming the policy, or the requirement the user
 * cannot meet.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findUser } from '../directory/directory-store.ts';
import { homeTenantOf } from '../directory/guest-classification.ts';
import { errorRedirectUrl } from './authorize.ts';
import { evaluateAtSignIn, type SignInVerdict } from './conditional-access.ts';
import { signInPath, type TenantRequest } from './deps.ts';
import type { SignInFlow } from './flow-state.ts';
import { redirect, sendHtml, withQuery } from './http.ts';
import { emailAddressOf, inboundMfaTrust, isEmailOtpEnabledFor } from './methods.ts';
import { deviceOf, networkOf, type ClientDevice, type SignInNetwork } from './network.ts';
import {
  blockedPage,
  cannotSatisfyPage,
  errorPage,
  moreInformationPage,
  type FlowPage,
  type TroubleshootingDetails,
} from './pages.ts';
import { loadSignInSettings } from './settings.ts';
import { recordSignIn, type SignInStatus } from './sign-in-log.ts';

export interface AttemptContext extends TenantRequest {
  req: IncomingMessage;
  res: ServerResponse;
  flow: SignInFlow;
}

export function flowPage(ctx: AttemptContext): FlowPage {
  return {
    action: signInPath(ctx.tenant.id),
    flowId: ctx.flow.id,
    tenantName: ctx.tenant.displayName,
    appName: ctx.flow.request.clientName,
  };
}

export function circumstancesOf(ctx: AttemptContext): { network: SignInNetwork; device: ClientDevice } {
  const settings = loadSignInSettings(ctx.deps.store, ctx.tenant.id);
  return { network: networkOf(ctx.req, settings), device: deviceOf(ctx.req.headers['user-agent']) };
}

/** Logs an attempt that failed before Conditional Access (unknown user, wrong password, wrong code). */
export function logFailure(ctx: AttemptContext, status: SignInStatus, signInName?: string): void {
  const { network, device } = circumstancesOf(ctx);
  recordSignIn(ctx.deps.store, {
    tenant: ctx.tenant,
    flow: ctx.flow,
    network,
    device,
    status,
    ...(signInName ? { signInName } : {}),
  });
}

function emailOtpAvailability(ctx: AttemptContext): { available: boolean; reason: string } {
  const { flow, deps, tenant } = ctx;
  if (flow.methods.includes('email')) {
    const why =
      tenant.flavor === 'external'
        ? "Microsoft documents this for External ID: MFA needs the user flow's sign-in method to be Email with password"
        : 'in Entra you would register another method, which the local tenant cannot simulate';
    return {
      available: false,
      reason: `you signed in with a one-time passcode sent to your email. That passcode is your first factor and cannot also be your second, so there is no way to complete multifactor authentication (${why}).`,
    };
  }
  const user = findUser(deps.store, tenant.id, flow.user!.id);
  if (!user || !isEmailOtpEnabledFor(deps.store, tenant.id, flow.user!.id)) {
    return {
      available: false,
      reason:
        'the email one-time passcode is not enabled for you in the authentication methods policy, and the local tenant has no other second factor to offer.',
    };
  }
  if (!emailAddressOf(user)) {
    return {
      available: false,
      reason:
        'your account has no email address to send a one-time passcode to, and the local tenant has no other second factor to offer.',
    };
  }
  return { available: true, reason: '' };
}

function details(
  ctx: AttemptContext,
  network: SignInNetwork,
  device: ClientDevice,
  errorCode: number,
): TroubleshootingDetails {
  return {
    errorCode,
    correlationId: ctx.flow.correlationId,
    appName: ctx.flow.request.clientName,
    appId: ctx.flow.request.clientId,
    ipAddress: network.ipAddress,
    country: network.country,
    platform: device.platform ?? `unknown (${device.operatingSystem})`,
    userPrincipalName: ctx.flow.user?.signInName,
  };
}

const FAILURES = {
  blocked: {
    errorCode: 53003,
    failureReason:
      'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  },
  mfa: { errorCode: 50074, failureReason: 'Strong Authentication is required.' },
} as const;

function returnUrl(ctx: AttemptContext, error: string, errorCode: number, message: string): string {
  return errorRedirectUrl(
    ctx.flow.request.redirectUri,
    ctx.flow.request.state,
    { error, aadsts: errorCode, message },
    ctx.flow.correlationId,
  );
}

function respond(
  ctx: AttemptContext,
  verdict: SignInVerdict,
  network: SignInNetwork,
  device: ClientDevice,
): void {
  const base = { tenant: ctx.tenant, flow: ctx.flow, network, device, outcome: verdict.outcome };
  const store = ctx.deps.store;
  switch (verdict.kind) {
    case 'granted': {
      recordSignIn(store, { ...base, status: { errorCode: 0, failureReason: 'Other.' } });
      const code = ctx.deps.state.issueCode(ctx.flow);
      redirect(ctx.res, withQuery(ctx.flow.request.redirectUri, { code, state: ctx.flow.request.state }));
      return;
    }
    case 'mfaRequired':
      ctx.flow.awaitingMfa = true;
      recordSignIn(store, { ...base, status: FAILURES.mfa, interrupted: true });
      sendHtml(
        ctx.res,
        200,
        moreInformationPage(flowPage(ctx), {
          username: ctx.flow.user!.signInName,
          policies: verdict.policies.map((p) => p.displayName),
        }),
      );
      return;
    case 'blocked':
      recordSignIn(store, {
        ...base,
        status: {
          ...FAILURES.blocked,
          additionalDetails: `Blocked by: ${verdict.policies.map((p) => p.displayName).join(', ')}`,
        },
      });
      ctx.deps.state.endFlow(ctx.flow);
      sendHtml(
        ctx.res,
        200,
        blockedPage(flowPage(ctx), {
          policies: verdict.policies.map((p) => p.displayName),
          details: details(ctx, network, device, 53003),
          returnUrl: returnUrl(ctx, 'access_denied', 53003, FAILURES.blocked.failureReason),
        }),
      );
      return;
    case 'unsatisfiable':
      recordSignIn(store, {
        ...base,
        status: {
          errorCode: verdict.errorCode,
          failureReason: `Conditional Access requires ${verdict.requirement}, which the user cannot satisfy.`,
          additionalDetails: verdict.reason,
        },
      });
      ctx.deps.state.endFlow(ctx.flow);
      sendHtml(
        ctx.res,
        200,
        cannotSatisfyPage(flowPage(ctx), {
          requirement: verdict.requirement,
          reason: verdict.reason.charAt(0).toUpperCase() + verdict.reason.slice(1),
          policies: verdict.policies.map((p) => p.displayName),
          details: details(ctx, network, device, verdict.errorCode),
          returnUrl: returnUrl(
            ctx,
            'interaction_required',
            verdict.errorCode,
            `Conditional Access requires ${verdict.requirement}.`,
          ),
        }),
      );
      return;
  }
}

/** The user proved a factor: what does Conditional Access say now? */
export function continueSignIn(ctx: AttemptContext): void {
  const { network, device } = circumstancesOf(ctx);
  const user = findUser(ctx.deps.store, ctx.tenant.id, ctx.flow.user!.id);
  if (!user || user.accountEnabled === false) {
    // Deleted or disabled while signing in.
    logFailure(ctx, { errorCode: 50057, failureReason: 'The user account is disabled or was deleted.' });
    ctx.deps.state.endFlow(ctx.flow);
    sendHtml(
      ctx.res,
      200,
      errorPage({
        organisation: ctx.tenant.displayName,
        title: 'Your account cannot sign in',
        errorCode: 50057,
        message: 'The user account is disabled or was deleted.',
      }),
    );
    return;
  }
  const home = homeTenantOf(user);
  const otp = emailOtpAvailability(ctx);
  const verdict = evaluateAtSignIn({
    store: ctx.deps.store,
    tenant: ctx.tenant,
    flow: ctx.flow,
    network,
    device,
    homeMfaAccepted: home ? inboundMfaTrust(ctx.deps.store, ctx.tenant.id, home).accepted : false,
    emailOtpAvailable: otp.available,
    emailOtpUnavailableReason: otp.reason,
  });
  respond(ctx, verdict, network, device);
}
