/**
 * Who is signing in and how they prove it: the user a sign-in name finds (UPN, mail, or an email sign-in identity,
 * so guests and External ID customers type their own email), the first factor (External ID user flows choose email
 * with password or the email one-time passcode), and a B2B guest's home organisation.
 */
import { COLLECTIONS } from '../collections.ts';
import { findUserByUpn } from '../directory/directory-store.ts';
import { homeTenantOf } from '../directory/guest-classification.ts';
import type { TenantInfo } from '../graph-types.ts';
import type { Doc, Store } from '../store.ts';

/** The consumer (Microsoft account) tenant. */
const MSA_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

function identitiesOf(user: Doc): Record<string, unknown>[] {
  return Array.isArray(user.identities) ? (user.identities as Record<string, unknown>[]) : [];
}

export function findSignInUser(store: Store, tenant: TenantInfo, name: string): Doc | undefined {
  const byUpn = findUserByUpn(store, tenant.id, name);
  if (byUpn) return byUpn;
  const key = name.toLowerCase();
  const users = store.all(tenant.id, COLLECTIONS.users);
  return (
    users.find((u) =>
      identitiesOf(u).some(
        (i) => String(i.issuerAssignedId ?? '').toLowerCase() === key && i.signInType !== 'userPrincipalName',
      ),
    ) ?? users.find((u) => typeof u.mail === 'string' && u.mail.toLowerCase() === key)
  );
}

export type FirstFactor = 'password' | 'emailOtp';

function userFlowMethodFor(store: Store, tenantId: string, clientId: string): FirstFactor | undefined {
  const key = clientId.toLowerCase();
  for (const flow of store.all(tenantId, COLLECTIONS.userFlows)) {
    const apps =
      (flow.conditions as { applications?: { includeApplications?: { appId?: unknown }[] } } | undefined)
        ?.applications?.includeApplications ?? [];
    if (!apps.some((a) => String(a.appId ?? '').toLowerCase() === key)) continue;
    const providers =
      (flow.onAuthenticationMethodLoadStart as { identityProviders?: { id?: unknown }[] } | undefined)
        ?.identityProviders ?? [];
    if (providers.some((p) => p.id === 'EmailOtpSignup-OAUTH')) return 'emailOtp';
    return 'password';
  }
  return undefined;
}

/**
 * The first factor: in an External ID tenant the app's user flow decides (a customer without a password keeps the
 * passcode, as existing users keep their method); elsewhere the password, or the passcode for an email-only account.
 */
export function firstFactorOf(store: Store, tenant: TenantInfo, user: Doc, clientId: string): FirstFactor {
  const hasPassword = typeof user._passwordHash === 'string';
  const isMailGuest = identitiesOf(user).some((i) => i.issuer === 'mail');
  if (isMailGuest) return 'emailOtp';
  if (tenant.flavor === 'external') {
    const method = userFlowMethodFor(store, tenant.id, clientId);
    if (method === 'emailOtp') return 'emailOtp';
  }
  return hasPassword ? 'password' : 'emailOtp';
}

export interface HomeOrganisation {
  tenantId: string;
  name: string;
  domain: string;
  requiresMfa: boolean;
}

/** Where a B2B guest really signs in: their Entra organisation, or their Microsoft account. */
export function homeOrganisationOf(user: Doc, externalTenants: readonly Doc[]): HomeOrganisation | undefined {
  const issuers = identitiesOf(user).map((i) => String(i.issuer ?? ''));
  const email = typeof user.mail === 'string' ? user.mail : '';
  const domain = email.split('@')[1] ?? '';
  if (issuers.includes('MicrosoftAccount')) {
    return {
      tenantId: MSA_TENANT_ID,
      name: 'Microsoft account',
      domain: domain || 'outlook.com',
      requiresMfa: false,
    };
  }
  const home = homeTenantOf(user);
  if (!home || !issuers.includes('ExternalAzureAD')) return undefined;
  const known = externalTenants.find((t) => String(t.tenantId ?? t.id).toLowerCase() === home.toLowerCase());
  return {
    tenantId: home,
    name: known ? String(known.displayName) : domain,
    domain: known ? String(known.domain) : domain,
    requiresMfa: known?._requiresMfa === true,
  };
}
