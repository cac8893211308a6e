/**
 * Which second factors a user can use at sign-in, from the tenant's own settings: the email one-time passcode when
 * the authentication methods policy enables it for the user (graph-contract §4), and a guest's home-organisation MFA
 * when cross-tenant inbound trust accepts it (`inboundTrust.isMfaAccepted`, partner setting first, else default).
 */
import { COLLECTIONS } from '../collections.ts';
import { membershipIndex } from '../directory/directory-store.ts';
import { transitiveGroupsOf } from '../directory/membership.ts';
import { CROSS_TENANT_DEFAULT_ID } from '../resources/policy-defaults.ts';
import type { Doc, Store } from '../store.ts';

function targetIds(value: unknown): string[] {
  return Array.isArray(value)
    ? value.map((t) => String((t as { id?: unknown }).id ?? '').toLowerCase()).filter(Boolean)
    : [];
}

/** Whether the Email method configuration is enabled and targets the user (and does not exclude them). */
export function isEmailOtpEnabledFor(store: Store, tenantId: string, userId: string): boolean {
  const config = store.get(tenantId, COLLECTIONS.authMethodConfigs, 'Email');
  if (!config || config.state !== 'enabled') return false;
  const groups = new Set(
    transitiveGroupsOf(membershipIndex(store, tenantId), userId).map((g) => g.toLowerCase()),
  );
  const matches = (ids: string[]): boolean =>
    ids.some((id) => id === 'all_users' || id === userId.toLowerCase() || groups.has(id));
  return matches(targetIds(config.includeTargets)) && !matches(targetIds(config.excludeTargets));
}

/** The address a passcode can be sent to: the mail, else an email sign-in identity. */
export function emailAddressOf(user: Doc): string | undefined {
  if (typeof user.mail === 'string' && user.mail.includes('@')) return user.mail;
  const identities = Array.isArray(user.identities) ? (user.identities as Record<string, unknown>[]) : [];
  const email = identities.find((i) => i.signInType === 'emailAddress' || i.signInType === 'federated');
  return typeof email?.issuerAssignedId === 'string' && email.issuerAssignedId.includes('@')
    ? email.issuerAssignedId
    : undefined;
}

function isMfaAccepted(doc: Doc | undefined): boolean | undefined {
  const trust = doc?.inboundTrust as { isMfaAccepted?: unknown } | null | undefined;
  return typeof trust?.isMfaAccepted === 'boolean' ? trust.isMfaAccepted : undefined;
}

/** Whether MFA done at `homeTenantId` counts here; says which setting decided. */
export function inboundMfaTrust(
  store: Store,
  tenantId: string,
  homeTenantId: string,
): { accepted: boolean; decidedBy: 'partner' | 'default' } {
  const partner = isMfaAccepted(store.get(tenantId, COLLECTIONS.crossTenantPartners, homeTenantId));
  if (partner !== undefined) return { accepted: partner, decidedBy: 'partner' };
  const fallback = isMfaAccepted(store.get(tenantId, COLLECTIONS.crossTenantPolicy, CROSS_TENANT_DEFAULT_ID));
  return { accepted: fallback ?? false, decidedBy: 'default' };
}
