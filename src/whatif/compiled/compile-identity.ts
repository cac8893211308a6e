/**
 * The identity step of §5.3 compiled (ca-evaluation §2.2–2.4). Every user id, group and role any policy names is an
 * "atom" with a bit; a policy's include and exclude lists become sparse masks over those bits, so deciding whether
 * a user is covered is a few word ANDs instead of set intersections. Guest types are a 6-bit mask, tenant scoping a
 * set lookup. Service principals (rare, never bulk) go through the same rules written plainly.
 */
import type { ServicePrincipalSubject, Subject, UserSubject } from '../evaluation-context.ts';
import { evaluateFilter } from '../filter-rule.ts';
import { securityAttributes } from '../filter-schemas.ts';
import type { PreparedGuests, PreparedPolicy, PreparedUsers, PreparedWorkload } from '../prepare.ts';
import type { ExternalUserType } from '../types.ts';
import { reasonCode, setBit, toStage, wordsFor, type StageVerdicts } from './stage.ts';

const LEGACY_GUESTS = 'guestsorexternalusers';
const ALL_SERVICE_PRINCIPALS = 'serviceprincipalsinmytenant';
const USERS = reasonCode('users');
const WORKLOAD = reasonCode('workloadIdentities');
const INVALID_CONDITION = reasonCode('invalidCondition');

export const EXTERNAL_USER_TYPES: readonly ExternalUserType[] = [
  'internalGuest',
  'b2bCollaborationGuest',
  'b2bCollaborationMember',
  'b2bDirectConnectUser',
  'otherExternalUser',
  'serviceProvider',
];

/** Bits of atoms a list names: `words[k]` holds `bits[k]`. */
interface SparseMask {
  words: Int32Array;
  bits: Int32Array;
}

interface CompiledGuests {
  typeMask: number;
  tenants: 'all' | ReadonlySet<string>;
}

interface CompiledSide {
  atoms: SparseMask;
  /** The legacy `GuestsOrExternalUsers` value: every external user. */
  legacyGuests: boolean;
  guests: CompiledGuests | undefined;
}

interface CompiledUsers {
  includeAll: boolean;
  include: CompiledSide;
  exclude: CompiledSide;
}

/** The bitset of one user over the atoms, plus what guest rules need. */
export interface CompiledUser {
  atoms: Uint32Array;
  isInDirectory: boolean;
  typeBit: number;
  /** Home tenant for tenant scoping (this tenant for an internal guest), lower case. */
  home: string | undefined;
}

export function typeBitOf(type: ExternalUserType | undefined): number {
  return type === undefined ? 0 : 1 << EXTERNAL_USER_TYPES.indexOf(type);
}

export class AtomTable {
  readonly #index = new Map<string, number>();

  atom(key: string): number {
    let bit = this.#index.get(key);
    if (bit === undefined) {
      bit = this.#index.size;
      this.#index.set(key, bit);
    }
    return bit;
  }

  find(key: string): number | undefined {
    return this.#index.get(key);
  }

  get size(): number {
    return this.#index.size;
  }

  keys(): IterableIterator<string> {
    return this.#index.keys();
  }
}

function sparseMask(bits: readonly number[]): SparseMask {
  const byWord = new Map<number, number>();
  for (const bit of bits) byWord.set(bit >>> 5, (byWord.get(bit >>> 5) ?? 0) | (1 << (bit & 31)));
  return { words: Int32Array.from(byWord.keys()), bits: Int32Array.from(byWord.values()) };
}

function compileGuests(spec: PreparedGuests | undefined): CompiledGuests | undefined {
  if (!spec) return undefined;
  let typeMask = 0;
  EXTERNAL_USER_TYPES.forEach((type, i) => {
    if (spec.types.has(type)) typeMask |= 1 << i;
  });
  return { typeMask, tenants: spec.tenants };
}

interface SideLists {
  users: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  roles: ReadonlySet<string>;
  guests: PreparedGuests | undefined;
}

function compileSide(lists: SideLists, table: AtomTable): CompiledSide {
  const bits = [
    ...[...lists.users]
      .filter((u) => u !== 'all' && u !== 'none' && u !== LEGACY_GUESTS)
      .map((u) => `u:${u}`),
    ...[...lists.groups].map((g) => `g:${g}`),
    ...[...lists.roles].map((r) => `r:${r}`),
  ].map((key) => table.atom(key));
  return {
    atoms: sparseMask(bits),
    legacyGuests: lists.users.has(LEGACY_GUESTS),
    guests: compileGuests(lists.guests),
  };
}

export function compileUsers(users: PreparedUsers | undefined, table: AtomTable): CompiledUsers | undefined {
  if (!users) return undefined;
  return {
    includeAll: users.includeUsers.has('all'),
    include: compileSide(
      {
        users: users.includeUsers,
        groups: users.includeGroups,
        roles: users.includeRoles,
        guests: users.includeGuests,
      },
      table,
    ),
    exclude: compileSide(
      {
        users: users.excludeUsers,
        groups: users.excludeGroups,
        roles: users.excludeRoles,
        guests: users.excludeGuests,
      },
      table,
    ),
  };
}

/** The user's atoms: its own id, its groups and its roles, where a policy names them. */
export function compileUser(subject: UserSubject, table: AtomTable, tenantId: string): CompiledUser {
  const atoms = new Uint32Array(wordsFor(table.size));
  const add = (key: string): void => {
    const bit = table.find(key);
    if (bit !== undefined) setBit(atoms, bit);
  };
  add(`u:${subject.id}`);
  for (const g of subject.groupIds) add(`g:${g}`);
  for (const r of subject.roleIds) add(`r:${r}`);
  const type = subject.externalUserType;
  return {
    atoms,
    isInDirectory: subject.isInDirectory,
    typeBit: typeBitOf(type),
    home: type === 'internalGuest' ? tenantId.toLowerCase() : subject.homeTenantId,
  };
}

function hasAnyAtom(mask: SparseMask, user: CompiledUser): boolean {
  for (let k = 0; k < mask.words.length; k++) {
    if ((user.atoms[mask.words[k]!]! & mask.bits[k]!) !== 0) return true;
  }
  return false;
}

function includesGuest(spec: CompiledGuests | undefined, user: CompiledUser): boolean {
  if (!spec || (spec.typeMask & user.typeBit) === 0) return false;
  return spec.tenants === 'all' || (user.home !== undefined && spec.tenants.has(user.home));
}

function isOnSide(side: CompiledSide, user: CompiledUser): boolean {
  return (
    hasAnyAtom(side.atoms, user) ||
    (side.legacyGuests && user.typeBit !== 0) ||
    includesGuest(side.guests, user)
  );
}

export function matchesUsers(users: CompiledUsers | undefined, user: CompiledUser): boolean {
  if (!users) return false;
  const included = (users.includeAll && user.isInDirectory) || isOnSide(users.include, user);
  return included && !isOnSide(users.exclude, user);
}

function isKeptByFilter(workload: PreparedWorkload, sp: ServicePrincipalSubject): boolean {
  const filter = workload.filter;
  if (!filter?.rule) return true;
  const matched = evaluateFilter(filter.rule, securityAttributes(sp.attributes));
  return filter.mode === 'include' ? matched : !matched;
}

/** §2.4 as the interpreter reads it; service principal sign-ins are few, so this stays plain. */
function workloadReason(workload: PreparedWorkload | undefined, sp: ServicePrincipalSubject): number {
  if (!workload || !sp.isInDirectory || !sp.isSingleTenant) return WORKLOAD;
  if (workload.filter?.error !== undefined) return INVALID_CONDITION;
  const everyOne =
    workload.include.has(ALL_SERVICE_PRINCIPALS) || (workload.include.size === 0 && !!workload.filter);
  const included = everyOne || workload.include.has(sp.id);
  return included && !workload.exclude.has(sp.id) && isKeptByFilter(workload, sp) ? 0 : WORKLOAD;
}

export interface IdentityCompiler {
  table: AtomTable;
  users: readonly (CompiledUsers | undefined)[];
  policies: readonly PreparedPolicy[];
  tenantId: string;
}

export function compileIdentity(
  policies: readonly PreparedPolicy[],
  tenantId: string,
  table = new AtomTable(),
): IdentityCompiler {
  return { table, users: policies.map((p) => compileUsers(p.users, table)), policies, tenantId };
}

/** The atom bits a policy's user condition names, include and exclude (none for a workload-identity policy). */
export function atomsNamedBy(compiler: IdentityCompiler, position: number): number[] {
  const users = compiler.users[position];
  if (!users) return [];
  const out: number[] = [];
  for (const side of [users.include, users.exclude]) {
    for (let k = 0; k < side.atoms.words.length; k++) {
      let word = side.atoms.bits[k]!;
      while (word !== 0) {
        const low = word & -word;
        out.push(side.atoms.words[k]! * 32 + (31 - Math.clz32(low)));
        word ^= low;
      }
    }
  }
  return out;
}

/**
 * The home tenants the guest conditions of the given policies enumerate (lower case): every other home tenant is
 * alike to them.
 */
export function enumeratedTenants(compiler: IdentityCompiler, positions: Iterable<number>): Set<string> {
  const out = new Set<string>();
  for (const p of positions) {
    const users = compiler.users[p];
    for (const spec of [users?.include.guests, users?.exclude.guests])
      if (spec && spec.tenants !== 'all') for (const t of spec.tenants) out.add(t);
  }
  return out;
}

/**
 * Which of the policies at `positions` cover a user given as compiled atoms, written as bits into `pass` (cleared
 * first). The pass bits of the identity stage without the per-policy reasons: bulk impact calls it per class.
 */
export function userPassBits(
  compiler: IdentityCompiler,
  user: CompiledUser,
  positions: readonly number[],
  pass: Uint32Array,
): void {
  pass.fill(0);
  for (const p of positions) if (matchesUsers(compiler.users[p], user)) setBit(pass, p);
}

/** The identity step's verdict for every policy. */
export function identityStage(compiler: IdentityCompiler, subject: Subject): StageVerdicts {
  const reasons = new Uint8Array(compiler.policies.length);
  if (subject.kind === 'servicePrincipal') {
    compiler.policies.forEach((p, i) => (reasons[i] = workloadReason(p.workload, subject)));
    return toStage(reasons);
  }
  const user = compileUser(subject, compiler.table, compiler.tenantId);
  compiler.users.forEach((u, i) => (reasons[i] = matchesUsers(u, user) ? 0 : USERS));
  return toStage(reasons);
}
