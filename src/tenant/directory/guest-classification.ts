/**
 * Which Conditional Access "guest or external user type" a directory user is (ca-evaluation §2.3).
 * An explicit `_externalUserType` from the seed wins; otherwise the documented heuristics apply.
 */

export type ExternalUserType =
  | 'internalGuest'
  | 'b2bCollaborationGuest'
  | 'b2bCollaborationMember'
  | 'b2bDirectConnectUser'
  | 'serviceProvider'
  | 'otherExternalUser';

export type UserClassification = 'member' | ExternalUserType;

export interface ExternalTenantInfo {
  tenantId: string;
  domain: string;
  isServiceProvider?: boolean;
}

const EXTERNAL_ISSUERS = new Set([
  'externalazuread',
  'microsoftaccount',
  'google.com',
  'facebook.com',
  'mail',
]);
const EXTERNAL_CREATION_TYPES = new Set(['invitation', 'selfservicesignup']);
const KNOWN_TYPES = new Set<string>([
  'internalGuest',
  'b2bCollaborationGuest',
  'b2bCollaborationMember',
  'b2bDirectConnectUser',
  'serviceProvider',
  'otherExternalUser',
]);

function identitiesOf(user: Record<string, unknown>): { issuer?: unknown; signInType?: unknown }[] {
  return Array.isArray(user.identities) ? (user.identities as { issuer?: unknown }[]) : [];
}

/** True when the user authenticates somewhere other than this tenant (external IdP, B2B, `#EXT#`). */
export function hasExternalIdentity(user: Record<string, unknown>, tenantDomain: string): boolean {
  const upn = typeof user.userPrincipalName === 'string' ? user.userPrincipalName : '';
  if (upn.toUpperCase().includes('#EXT#')) return true;
  const creationType = typeof user.creationType === 'string' ? user.creationType.toLowerCase() : '';
  if (EXTERNAL_CREATION_TYPES.has(creationType)) return true;
  const domain = tenantDomain.toLowerCase();
  return identitiesOf(user).some((identity) => {
    if (typeof identity.issuer !== 'string') return false;
    const issuer = identity.issuer.toLowerCase();
    if (EXTERNAL_ISSUERS.has(issuer)) return true;
    return issuer !== domain && /^https?:\/\//.test(issuer);
  });
}

/** The user's home tenant id (B2B users), when known. */
export function homeTenantOf(user: Record<string, unknown>): string | undefined {
  return typeof user._homeTenantId === 'string' ? user._homeTenantId : undefined;
}

export function classifyUser(
  user: Record<string, unknown>,
  tenantDomain: string,
  externalTenants: readonly ExternalTenantInfo[] = [],
): UserClassification {
  const explicit = user._externalUserType;
  if (typeof explicit === 'string' && KNOWN_TYPES.has(explicit)) return explicit as ExternalUserType;
  const isGuest = typeof user.userType === 'string' && user.userType.toLowerCase() === 'guest';
  const external = hasExternalIdentity(user, tenantDomain);
  if (!external) return isGuest ? 'internalGuest' : 'member';
  const home = homeTenantOf(user)?.toLowerCase();
  const partner = home ? externalTenants.find((t) => t.tenantId.toLowerCase() === home) : undefined;
  if (partner?.isServiceProvider) return 'serviceProvider';
  return isGuest ? 'b2bCollaborationGuest' : 'b2bCollaborationMember';
}
