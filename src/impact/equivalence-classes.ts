/**
 * Users the policies cannot tell apart — the same named user ids, groups and roles (of those any policy on either
 * side names), the same guest type, the same relevant home tenant — get the same answer from every policy, so
 * impact evaluates one representative per class and weighs it by the class size. Break-glass accounts always form
 * classes of their own, so that they can be reported.
 */
import type { UserSubject } from '../whatif/evaluation-context.ts';
import type { AtomTable } from '../whatif/compiled/compile-identity.ts';
import type { ImpactUser, UserKind } from './impact-types.ts';

export interface UserClass {
  representative: UserSubject;
  kind: UserKind;
  isBreakGlass: boolean;
  size: number;
  /** Up to three members, for examples. */
  examples: string[];
}

export interface ClassOptions {
  atoms: AtomTable;
  tenantId: string;
  /** Home tenants some policy enumerates (lower case); other home tenants are all alike. */
  relevantTenants: ReadonlySet<string>;
  breakGlassUsers: ReadonlySet<string>;
  breakGlassGroups: ReadonlySet<string>;
  perUser?: boolean;
}

const EXAMPLES = 3;

export function subjectOf(user: ImpactUser): UserSubject {
  return {
    kind: 'user',
    id: user.id.toLowerCase(),
    isInDirectory: true,
    groupIds: new Set(user.transitiveGroupIds.map((g) => g.toLowerCase())),
    roleIds: new Set(user.activeRoleTemplateIds.map((r) => r.toLowerCase())),
    externalUserType: user.externalUserType,
    homeTenantId: user.homeTenantId?.toLowerCase(),
  };
}

function isBreakGlass(user: ImpactUser, options: ClassOptions): boolean {
  if (options.breakGlassUsers.has(user.id.toLowerCase())) return true;
  if (user.userPrincipalName && options.breakGlassUsers.has(user.userPrincipalName.toLowerCase()))
    return true;
  return user.transitiveGroupIds.some((g) => options.breakGlassGroups.has(g.toLowerCase()));
}

/** The bits of the atoms the user holds, sorted, as a string key. */
function atomKey(user: ImpactUser, atoms: AtomTable): string {
  const bits: number[] = [];
  const add = (key: string): void => {
    const bit = atoms.find(key);
    if (bit !== undefined) bits.push(bit);
  };
  add(`u:${user.id.toLowerCase()}`);
  for (const g of user.transitiveGroupIds) add(`g:${g.toLowerCase()}`);
  for (const r of user.activeRoleTemplateIds) add(`r:${r.toLowerCase()}`);
  return bits.sort((a, b) => a - b).join(',');
}

function classKey(user: ImpactUser, options: ClassOptions, breakGlass: boolean): string {
  const type = user.externalUserType ?? 'member';
  const home = type === 'internalGuest' ? options.tenantId.toLowerCase() : user.homeTenantId?.toLowerCase();
  const relevantHome = home !== undefined && options.relevantTenants.has(home) ? home : '';
  return `${atomKey(user, options.atoms)}|${type}|${relevantHome}|${breakGlass ? 'bg' : ''}`;
}

export function groupUsers(users: readonly ImpactUser[], options: ClassOptions): UserClass[] {
  const classes = new Map<string, UserClass>();
  for (const user of users) {
    const breakGlass = isBreakGlass(user, options);
    const key = options.perUser ? user.id : classKey(user, options, breakGlass);
    let found = classes.get(key);
    if (!found) {
      found = {
        representative: subjectOf(user),
        kind: user.externalUserType ?? 'member',
        isBreakGlass: breakGlass,
        size: 0,
        examples: [],
      };
      classes.set(key, found);
    }
    found.size++;
    if (found.examples.length < EXAMPLES) found.examples.push(user.userPrincipalName ?? user.id);
  }
  return [...classes.values()];
}
