/**
 * `POST /invitations` (graph-contract §6): invites a B2B user. Creates a Guest (or Member) user with the
 * `local_domain#EXT#@tenant` UPN, `creationType` Invitation and `externalUserState` PendingAcceptance; re-inviting
 * an existing address returns the existing user.
 */
import { randomUUID } from 'node:crypto';
import { COLLECTIONS } from '../collections.ts';
import { invalidPropertyValue, requestBadRequest, requireObjectBody } from '../directory/directory-errors.ts';
import { EXTERNAL_TENANTS, findUserByUpn } from '../directory/directory-store.ts';
import type { GraphContext, GraphResult, Route } from '../graph-types.ts';
import { contextUrl } from '../odata.ts';
import { PERMISSIONS } from '../permissions.ts';
import type { Doc } from '../store.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface InvitationRequest {
  email: string;
  redirectUrl: string;
  displayName: string | undefined;
  userType: 'Guest' | 'Member';
  sendMessage: boolean;
  resetRedemption: boolean;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidPropertyValue(key, 'Invitation');
  return value;
}

function optionalBoolean(body: Record<string, unknown>, key: string): boolean {
  const value = body[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalidPropertyValue(key, 'Invitation');
  return value;
}

function parseRequest(raw: unknown): InvitationRequest {
  const body = requireObjectBody(raw);
  const email = optionalString(body, 'invitedUserEmailAddress')?.trim();
  if (!email)
    throw requestBadRequest(
      "Invalid value specified for property 'invitedUserEmailAddress' of resource 'Invitation'.",
    );
  if (!EMAIL.test(email)) throw requestBadRequest('The email address is invalid.');
  const redirectUrl = optionalString(body, 'inviteRedirectUrl');
  if (!redirectUrl)
    throw requestBadRequest(
      "Invalid value specified for property 'inviteRedirectUrl' of resource 'Invitation'.",
    );
  if (!URL.canParse(redirectUrl)) throw requestBadRequest('The inviteRedirectUrl is not a valid URL.');
  const userType = optionalString(body, 'invitedUserType') ?? 'Guest';
  if (userType !== 'Guest' && userType !== 'Member')
    throw invalidPropertyValue('invitedUserType', 'Invitation');
  return {
    email,
    redirectUrl,
    displayName: optionalString(body, 'invitedUserDisplayName'),
    userType,
    sendMessage: optionalBoolean(body, 'sendInvitationMessage'),
    resetRedemption: optionalBoolean(body, 'resetRedemption'),
  };
}

function externalTenantFor(ctx: GraphContext, emailDomain: string): Doc | undefined {
  const domain = emailDomain.toLowerCase();
  return ctx.store
    .all(ctx.tenant.id, EXTERNAL_TENANTS)
    .find((t) => String(t.domain).toLowerCase() === domain);
}

function guestUser(ctx: GraphContext, request: InvitationRequest, upn: string): Doc {
  const [local = '', emailDomain = ''] = request.email.split('@');
  const partner = externalTenantFor(ctx, emailDomain);
  return {
    id: randomUUID(),
    businessPhones: [],
    displayName: request.displayName ?? local,
    givenName: null,
    jobTitle: null,
    mail: request.email,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: null,
    userPrincipalName: upn,
    userType: request.userType,
    accountEnabled: true,
    department: null,
    creationType: 'Invitation',
    externalUserState: 'PendingAcceptance',
    externalUserStateChangeDateTime: new Date().toISOString(),
    identities: [
      {
        signInType: 'federated',
        issuer: partner ? 'ExternalAzureAD' : 'mail',
        issuerAssignedId: request.email,
      },
    ],
    createdDateTime: new Date().toISOString(),
    _authenticationMethods: partner ? [] : ['email'],
    _homeTenantId: partner ? String(partner.tenantId) : null,
  };
}

function invitationDoc(ctx: GraphContext, request: InvitationRequest, user: Doc): Doc {
  return {
    id: randomUUID(),
    inviteRedeemUrl: `https://login.microsoftonline.com/redeem?rd=${encodeURIComponent(
      `https://invitations.microsoft.com/redeem/?tenant=${ctx.tenant.id}&user=${user.id}&ticket=${randomUUID()}`,
    )}`,
    invitedUserDisplayName: request.displayName ?? null,
    invitedUserType: request.userType,
    invitedUserEmailAddress: request.email,
    inviteRedirectUrl: request.redirectUrl,
    sendInvitationMessage: request.sendMessage,
    resetRedemption: request.resetRedemption,
    status: user.externalUserState === 'Accepted' ? 'Completed' : 'PendingAcceptance',
    invitedUserMessageInfo: { messageLanguage: null, customizedMessageBody: null, ccRecipients: [] },
    invitedUser: { id: user.id },
  };
}

function postInvitation(ctx: GraphContext): GraphResult {
  const request = parseRequest(ctx.request.body);
  const [local = '', emailDomain = ''] = request.email.split('@');
  const upn = `${local}_${emailDomain}#EXT#@${ctx.tenant.domain}`;
  const invitation = ctx.store.transaction(() => {
    let user = findUserByUpn(ctx.store, ctx.tenant.id, upn);
    if (!user) {
      user = guestUser(ctx, request, upn);
      ctx.store.put(ctx.tenant.id, COLLECTIONS.users, user);
    }
    const created = invitationDoc(ctx, request, user);
    ctx.store.put(ctx.tenant.id, COLLECTIONS.invitations, { ...created });
    return created;
  });
  return { status: 201, body: { '@odata.context': contextUrl(ctx, 'invitations/$entity'), ...invitation } };
}

export const invitationsRoutes: Route[] = [
  {
    method: 'POST',
    path: '/invitations',
    permissions: PERMISSIONS.invite,
    throttle: 'invitations',
    handler: postInvitation,
  },
];
