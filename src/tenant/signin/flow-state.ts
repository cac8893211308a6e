/**
 * The short-lived state of interactive sign-ins, kept in memory (a restart simply asks the user to sign in again):
 * flows in progress (keyed by an unguessable id carried in the pages' forms), authorization codes (single use, five
 * minutes) and the outbox of one-time passcodes.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export interface AuthorizationRequest {
  tenantId: string;
  clientId: string;
  clientName: string;
  redirectUri: string;
  responseMode: 'query' | 'form_post';
  scopes: string[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  /** The resource the access token is for, and the Conditional Access target besides the client app. */
  resource: { appId: string; displayName: string; audience: string };
  loginHint: string | undefined;
}

export type OtpPurpose = 'firstFactor' | 'mfa' | 'homeMfa';

export interface PendingOtp {
  code: string;
  purpose: OtpPurpose;
  sentTo: string;
  expiresAt: number;
  attempts: number;
}

export interface SignInUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** What the user typed (an email in External ID tenants). */
  signInName: string;
  mail: string | undefined;
}

export interface SignInFlow {
  id: string;
  request: AuthorizationRequest;
  correlationId: string;
  createdAt: number;
  user?: SignInUser;
  /** How this user proves who they are first: here with a password, at their home organisation, or by passcode. */
  firstFactor?: 'password' | 'home' | 'emailOtp';
  /** Methods used so far, in `authenticationMethodModes` names (`password`, `email`, …). */
  methods: string[];
  mfaDone: boolean;
  /** The guest completed MFA at the home organisation. */
  homeMfaDone: boolean;
  /** The guest passed the home organisation's password step. */
  homeAuthenticated: boolean;
  /** The user asked the home organisation for an MFA step. */
  homeMfaRequested: boolean;
  /** Conditional Access asked for MFA after the first factor: only now may a passcode be sent as MFA. */
  awaitingMfa: boolean;
  otp?: PendingOtp;
}

export interface IssuedCode {
  flow: SignInFlow;
  expiresAt: number;
}

export interface OutboxMessage {
  id: string;
  tenantId: string;
  sentAt: string;
  from: string;
  to: string;
  subject: string;
  code: string;
}

const FLOW_LIFETIME_MS = 30 * 60_000;
const CODE_LIFETIME_MS = 5 * 60_000;
export const OTP_LIFETIME_MS = 10 * 60_000;
const OUTBOX_LIMIT = 200;

export class SignInState {
  private readonly flows = new Map<string, SignInFlow>();
  private readonly codes = new Map<string, IssuedCode>();
  /** Redeemed codes, remembered for their lifetime so a replay gets its own error. */
  private readonly redeemed = new Map<string, number>();
  private readonly outbox: OutboxMessage[] = [];

  startFlow(request: AuthorizationRequest): SignInFlow {
    this.sweep();
    const flow: SignInFlow = {
      id: randomBytes(24).toString('base64url'),
      request,
      correlationId: randomUUID(),
      createdAt: Date.now(),
      methods: [],
      mfaDone: false,
      homeMfaDone: false,
      homeAuthenticated: false,
      homeMfaRequested: false,
      awaitingMfa: false,
    };
    this.flows.set(flow.id, flow);
    return flow;
  }

  findFlow(id: string | undefined): SignInFlow | undefined {
    if (!id) return undefined;
    const flow = this.flows.get(id);
    if (!flow || Date.now() - flow.createdAt > FLOW_LIFETIME_MS) return undefined;
    return flow;
  }

  endFlow(flow: SignInFlow): void {
    this.flows.delete(flow.id);
  }

  issueCode(flow: SignInFlow): string {
    const code = `${randomBytes(32).toString('base64url')}.acc`;
    this.codes.set(code, { flow, expiresAt: Date.now() + CODE_LIFETIME_MS });
    this.flows.delete(flow.id);
    return code;
  }

  /** Takes a code out (it can never be redeemed again); says why when it cannot be. */
  redeemCode(
    code: string,
  ): { ok: true; issued: IssuedCode } | { ok: false; reason: 'unknown' | 'expired' | 'redeemed' } {
    this.sweep();
    if (this.redeemed.has(code)) return { ok: false, reason: 'redeemed' };
    const issued = this.codes.get(code);
    if (!issued) return { ok: false, reason: 'unknown' };
    this.codes.delete(code);
    this.redeemed.set(code, issued.expiresAt);
    if (issued.expiresAt < Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, issued };
  }

  /** A new six-digit passcode for the flow, delivered to the outbox. */
  sendOtp(
    flow: SignInFlow,
    message: { purpose: OtpPurpose; to: string; from: string; subject: string },
  ): OutboxMessage {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    flow.otp = {
      code,
      purpose: message.purpose,
      sentTo: message.to,
      expiresAt: Date.now() + OTP_LIFETIME_MS,
      attempts: 0,
    };
    const mail: OutboxMessage = {
      id: randomUUID(),
      tenantId: flow.request.tenantId,
      sentAt: new Date().toISOString(),
      from: message.from,
      to: message.to,
      subject: message.subject,
      code,
    };
    this.outbox.unshift(mail);
    if (this.outbox.length > OUTBOX_LIMIT) this.outbox.length = OUTBOX_LIMIT;
    return mail;
  }

  /** Newest first. */
  messages(tenantId: string): OutboxMessage[] {
    return this.outbox.filter((m) => m.tenantId === tenantId);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, flow] of this.flows) if (now - flow.createdAt > FLOW_LIFETIME_MS) this.flows.delete(id);
    for (const [code, issued] of this.codes) if (issued.expiresAt < now) this.codes.delete(code);
    for (const [code, expiresAt] of this.redeemed) if (expiresAt < now) this.redeemed.delete(code);
  }
}
