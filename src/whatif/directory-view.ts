/** A `DirectoryView` over plain lists (tests, desired-state runs that already hold the directory in memory). */
import type { DirectoryView, ServicePrincipalView, UserView } from './types.ts';

export function createDirectoryView(
  users: readonly UserView[],
  servicePrincipals: readonly ServicePrincipalView[] = [],
): DirectoryView {
  const usersById = new Map(users.map((u) => [u.id.toLowerCase(), u]));
  const sps = new Map<string, ServicePrincipalView>();
  for (const sp of servicePrincipals) {
    sps.set(sp.appId.toLowerCase(), sp);
    sps.set(sp.id.toLowerCase(), sp);
  }
  return {
    findUser: (id) => usersById.get(id.toLowerCase()),
    findServicePrincipal: (idOrAppId) => sps.get(idOrAppId.toLowerCase()),
  };
}
