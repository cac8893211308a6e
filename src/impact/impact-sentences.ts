/** The sentences of an impact report: "37 B2B collaboration guests newly require MFA for Azure management". */
import type { ImpactChangeKind, UserKind } from './impact-types.ts';

const KIND_NOUNS: Record<UserKind, [string, string]> = {
  member: ['member', 'members'],
  internalGuest: ['internal guest', 'internal guests'],
  b2bCollaborationGuest: ['B2B collaboration guest', 'B2B collaboration guests'],
  b2bCollaborationMember: ['B2B collaboration member', 'B2B collaboration members'],
  b2bDirectConnectUser: ['B2B direct connect user', 'B2B direct connect users'],
  otherExternalUser: ['other external user', 'other external users'],
  serviceProvider: ['service provider user', 'service provider users'],
};

function noun(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** "37 B2B collaboration guests", "40 users (3 members, 37 guests)". */
export function describeUsers(total: number, byKind: Partial<Record<UserKind, number>>): string {
  const kinds = (Object.entries(byKind) as [UserKind, number][]).filter(([, n]) => n > 0);
  if (kinds.length === 1) return noun(total, ...KIND_NOUNS[kinds[0]![0]]);
  const guests = kinds.filter(([k]) => k !== 'member');
  const parts = kinds.map(([k, n]) => noun(n, ...KIND_NOUNS[k]));
  const head = guests.length === kinds.length ? noun(total, 'guest', 'guests') : noun(total, 'user', 'users');
  return `${head} (${parts.join(', ')})`;
}

export function describeChange(
  kind: ImpactChangeKind,
  users: string,
  requirement: string | undefined,
  app: string,
  plural: boolean,
): string {
  switch (kind) {
    case 'newlyBlocked':
      return `${users} ${plural ? 'are' : 'is'} newly blocked from ${app}`;
    case 'noLongerBlocked':
      return `${users} ${plural ? 'are' : 'is'} no longer blocked from ${app}`;
    case 'newlyRequires':
      return `${users} newly ${plural ? 'require' : 'requires'} ${requirement} for ${app}`;
    case 'noLongerRequires':
      return `${users} no longer ${plural ? 'need' : 'needs'} ${requirement} for ${app}`;
  }
}
