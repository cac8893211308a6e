/**
 * The steps of an interactive sign-in, one form post each: username, password (here or at a guest's simulated home
 * organisation), the one-time passcode (as a first factor, as MFA, or as MFA at home), each followed by Conditional
 * Access. Wrong answers are logged and shown on the same page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COLLECTIONS } from '../collections.ts';
import { EXTERNAL_TENANTS } from '../directory/directory-store.ts';
import type { Doc } from '../store.ts';
import { outboxPath, type TenantRequest } from './deps.ts';
import { continueSignIn, flowPage, logFailure, type AttemptContext } from './finish.ts';
import type { OtpPurpose, SignInFlow } from './flow-state.ts';
import { readForm, sendHtml } from './http.ts';
import { emailAddressOf } from './methods.ts';
import { codePage, errorPage, homePasswordPage, passwordPage, usernamePage } from './pages.ts';
import { verifyPassword } from './passwords.ts';
import { firstFactorOf, findSignInUser, type HomeOrganisation, homeOrganisationOf } from './users.ts';

const MAX_CODE_ATTEMPTS = 5;

function showUsername(ctx: AttemptContext, value: string, error: string): void {
  sendHtml(
    ctx.res,
    200,
    usernamePage(flowPage(ctx), { external: ctx.tenant.flavor === 'external', value, error }),
  );
}

function sendCode(ctx: AttemptContext, purpose: OtpPurpose, home?: HomeOrganisation): void {
  const user = ctx.flow.user!;
  const to = user.mail ?? user.signInName;
  const from = home
    ? `${home.name} <no-reply@${home.domain}>`
    : `${ctx.tenant.displayName} <no-reply@${ctx.tenant.domain}>`;
  const organisation = home ? home.name : ctx.tenant.displayName;
  const mail = ctx.deps.state.sendOtp(ctx.flow, {
    purpose,
    to,
    from,
    subject: `${organisation} account verification code`,
  });
  ctx.deps.log?.(
    `sign-in: one-time passcode ${mail.code} sent to ${to} (${organisation}, ${ctx.flow.request.clientName})`,
  );
  showCode(ctx);
}

function showCode(ctx: AttemptContext, error?: string): void {
  const otp = ctx.flow.otp!;
  const home = otp.purpose === 'homeMfa' ? homeOf(ctx) : undefined;
  sendHtml(
    ctx.res,
    200,
    codePage(flowPage(ctx), {
      username: ctx.flow.user!.signInName,
      sentTo: otp.sentTo,
      outboxUrl: outboxPath(ctx.tenant.id),
      organisation: home?.name ?? ctx.tenant.displayName,
      firstFactor: otp.purpose === 'firstFactor',
      ...(otp.purpose === 'homeMfa' && home
        ? { purpose: `${home.name}, your home organisation, asks for a second factor.` }
        : {}),
      ...(otp.purpose === 'mfa'
        ? {
            purpose: `${ctx.tenant.displayName} asks for a second factor to let you into ${ctx.flow.request.clientName}.`,
          }
        : {}),
      ...(error ? { error } : {}),
    }),
  );
}

function userDoc(ctx: AttemptContext): Doc | undefined {
  return ctx.deps.store.get(ctx.tenant.id, COLLECTIONS.users, ctx.flow.user!.id);
}

function homeOf(ctx: AttemptContext): HomeOrganisation | undefined {
  const user = userDoc(ctx);
  return user ? homeOrganisationOf(user, ctx.deps.store.all(ctx.tenant.id, EXTERNAL_TENANTS)) : undefined;
}

function showHomePassword(ctx: AttemptContext, home: HomeOrganisation, error?: string): void {
  sendHtml(
    ctx.res,
    200,
    homePasswordPage(flowPage(ctx), {
      username: ctx.flow.user!.signInName,
      homeName: home.name,
      homeDomain: home.domain,
      requiresMfa: home.requiresMfa,
      ...(error ? { error } : {}),
    }),
  );
}

function onUsername(ctx: AttemptContext, form: URLSearchParams): void {
  const name = (form.get('username') ?? '').trim();
  if (name === '') {
    showUsername(ctx, name, 'Enter a valid email address or username.');
    return;
  }
  resetFlow(ctx.flow);
  const found = findSignInUser(ctx.deps.store, ctx.tenant, name);
  if (!found) {
    logFailure(
      ctx,
      { errorCode: 50034, failureReason: 'The user account does not exist in the directory.' },
      name,
    );
    showUsername(
      ctx,
      name,
      "We couldn't find an account with that username. Try another, or check the spelling.",
    );
    return;
  }
  ctx.flow.user = {
    id: found.id,
    userPrincipalName: String(found.userPrincipalName),
    displayName: String(found.displayName),
    signInName: name,
    mail: emailAddressOf(found),
  };
  if (found.accountEnabled === false) {
    logFailure(ctx, { errorCode: 50057, failureReason: 'The user account is disabled.' });
    ctx.flow.user = undefined;
    showUsername(ctx, name, 'Your account has been disabled. Contact your administrator.');
    return;
  }
  if (found.externalUserState === 'PendingAcceptance') {
    logFailure(ctx, { errorCode: 50034, failureReason: 'The invitation has not been redeemed yet.' });
    ctx.flow.user = undefined;
    showUsername(ctx, name, 'You have been invited, but have not accepted the invitation yet.');
    return;
  }
  const home = homeOf(ctx);
  if (home) {
    ctx.flow.firstFactor = 'home';
    showHomePassword(ctx, home);
    return;
  }
  const factor = firstFactorOf(ctx.deps.store, ctx.tenant, found, ctx.flow.request.clientId);
  if (factor === 'emailOtp' && ctx.flow.user.mail) {
    ctx.flow.firstFactor = 'emailOtp';
    sendCode(ctx, 'firstFactor');
    return;
  }
  ctx.flow.firstFactor = 'password';
  sendHtml(ctx.res, 200, passwordPage(flowPage(ctx), { username: name }));
}

/** A new username starts the sign-in over: nothing proved for someone else carries over. */
function resetFlow(flow: SignInFlow): void {
  flow.user = undefined;
  flow.firstFactor = undefined;
  flow.methods = [];
  flow.mfaDone = false;
  flow.homeMfaDone = false;
  flow.homeAuthenticated = false;
  flow.homeMfaRequested = false;
  flow.awaitingMfa = false;
  flow.otp = undefined;
}

async function onPassword(ctx: AttemptContext, form: URLSearchParams, atHome: boolean): Promise<void> {
  if (ctx.flow.firstFactor !== (atHome ? 'home' : 'password')) {
    showUsername(ctx, '', 'This account does not sign in with a password here. Enter your username again.');
    return;
  }
  const password = form.get('password') ?? '';
  const user = userDoc(ctx);
  const ok = user !== undefined && (await verifyPassword(password, user._passwordHash));
  const home = atHome ? homeOf(ctx) : undefined;
  if (!ok) {
    logFailure(ctx, {
      errorCode: 50126,
      failureReason: 'Error validating credentials due to invalid username or password.',
    });
    const error = "Your account or password is incorrect. If you don't remember your password, reset it now.";
    if (home) showHomePassword(ctx, home, error);
    else sendHtml(ctx.res, 200, passwordPage(flowPage(ctx), { username: ctx.flow.user!.signInName, error }));
    return;
  }
  ctx.flow.methods = ['password'];
  if (home) {
    ctx.flow.homeAuthenticated = true;
    if (home.requiresMfa || form.get('homeMfa') === 'yes') {
      ctx.flow.homeMfaRequested = true;
      sendCode(ctx, 'homeMfa', home);
      return;
    }
  }
  continueSignIn(ctx);
}

function onCode(ctx: AttemptContext, form: URLSearchParams): void {
  const otp = ctx.flow.otp;
  if (!otp) {
    sendHtml(
      ctx.res,
      400,
      errorPage({
        organisation: ctx.tenant.displayName,
        title: 'No code was sent',
        errorCode: 500121,
        message: 'This sign-in is not waiting for a code. Go back to the application and sign in again.',
      }),
    );
    return;
  }
  if (form.get('resend') === 'yes') {
    sendCode(ctx, otp.purpose, otp.purpose === 'homeMfa' ? homeOf(ctx) : undefined);
    return;
  }
  const given = (form.get('code') ?? '').replace(/\s+/g, '');
  if (otp.expiresAt < Date.now() || otp.attempts >= MAX_CODE_ATTEMPTS) {
    logFailure(ctx, {
      errorCode: 500121,
      failureReason:
        'Authentication failed during strong authentication request: the code expired or was tried too often.',
    });
    showCode(ctx, 'That code has expired or was tried too many times. Select "Send a new code".');
    return;
  }
  if (given !== otp.code) {
    otp.attempts++;
    logFailure(ctx, {
      errorCode: 500121,
      failureReason: 'Authentication failed during strong authentication request: wrong one-time passcode.',
    });
    showCode(ctx, "That code didn't work. Check the code and try again.");
    return;
  }
  ctx.flow.otp = undefined;
  applyCode(ctx.flow, otp.purpose);
  continueSignIn(ctx);
}

function applyCode(flow: SignInFlow, purpose: OtpPurpose): void {
  if (purpose === 'firstFactor') flow.methods = ['email'];
  else if (purpose === 'homeMfa') flow.homeMfaDone = true;
  else {
    flow.mfaDone = true;
    flow.methods = [...flow.methods, 'email'];
  }
}

/** `POST /{tenant}/_accord/signin`. */
export async function serveSignInStep(
  req: IncomingMessage,
  res: ServerResponse,
  at: TenantRequest,
): Promise<void> {
  const form = await readForm(req);
  const flow = at.deps.state.findFlow(form.get('flow') ?? undefined);
  if (!flow || flow.request.tenantId !== at.tenant.id) {
    sendHtml(
      res,
      400,
      errorPage({
        organisation: at.tenant.displayName,
        title: 'Your sign-in timed out',
        errorCode: 50089,
        message: 'The sign-in session expired or is unknown. Go back to the application and sign in again.',
      }),
    );
    return;
  }
  const ctx: AttemptContext = { ...at, req, res, flow };
  const step = form.get('step');
  const needsUser = step !== 'username';
  if (needsUser && !flow.user) {
    showUsername(ctx, '', 'Enter your username first.');
    return;
  }
  switch (step) {
    case 'username':
      onUsername(ctx, form);
      return;
    case 'password':
      await onPassword(ctx, form, false);
      return;
    case 'home-password':
      await onPassword(ctx, form, true);
      return;
    case 'send-code':
      if (!flow.awaitingMfa) {
        showUsername(ctx, '', 'Sign in with your password first.');
        return;
      }
      sendCode(ctx, 'mfa');
      return;
    case 'code':
      onCode(ctx, form);
      return;
    default:
      sendHtml(
        res,
        400,
        errorPage({
          organisation: at.tenant.displayName,
          title: 'Sign-in error',
          errorCode: 900144,
          message: `Unknown sign-in step '${step ?? ''}'.`,
        }),
      );
  }
}
