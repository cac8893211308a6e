/** Wire shapes of directory objects: `@odata.type` as Graph emits it and the default property sets. */
import { presentDoc } from '../odata.ts';
import type { DirectoryObjectKind } from './directory-store.ts';

export const ODATA_TYPES = {
  user: '#microsoft.graph.user',
  group: '#microsoft.graph.group',
  servicePrincipal: '#microsoft.graph.servicePrincipal',
  directoryRole: '#microsoft.graph.directoryRole',
} as const;

/** What `GET /users` returns without `$select` (Graph v1.0's default user property set). */
export const USER_DEFAULT_PROPERTIES: readonly string[] = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

/** Narrows a full user to Graph's default property set (keeps `@odata.type` when present). */
export function defaultUserView(user: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (user['@odata.type'] !== undefined) out['@odata.type'] = user['@odata.type'];
  for (const key of USER_DEFAULT_PROPERTIES) out[key] = user[key] ?? (key === 'businessPhones' ? [] : null);
  return out;
}

/** A directory object with its `@odata.type` first, internal keys removed. */
export function typedDoc(
  kind: DirectoryObjectKind | 'directoryRole',
  doc: Record<string, unknown>,
): Record<string, unknown> {
  return { '@odata.type': ODATA_TYPES[kind], ...presentDoc(doc) };
}

export function isUserType(doc: Record<string, unknown>): boolean {
  return doc['@odata.type'] === ODATA_TYPES.user;
}
