/**
 * Users the policies cannot tell apart get the same answer from every policy, so impact evaluates one class per
 * set of such users and weighs it by the class size. A class is keyed by what a policy that can change an outcome
 * may test: the atoms (user ids, groups, roles) such policies name that the user holds, the guest type, and the
 * home tenant when such a policy enumerates it. The key is a few small integers hashed to one number — no string
 * per user, no allocation per user but for a new class — and each raw group or role id is lower-cased and looked up
 * once for the whole directory. Break-glass accounts always form classes of their own, so that they can be
 * reported. The classes keep directory order (by their first member), which is what keeps examples and the order
 * of user kinds equal to a per-user run.
 */
import type { UserSubject } from '../whatif/evaluation-context.ts';
import { type AtomTable, type CompiledUser, typeBitOf } from '../whatif/compiled/compile-identity.ts';
import { setBit, wordsFor } from '../whatif/compiled/stage.ts';
import type { ImpactUser, UserKind } from './impact-types.ts';

/** A member named in examples: its position in the directory (examples are the first ones) and its name. */
export interface ClassExample {
  index: number;
  name: string;
}

export interface UserClass {
  /** The first member, as the interpreter sees it. */
  representative: UserSubject;
  kind: UserKind;
  isBreakGlass: boolean;
  size: number;
  /** The first three members in directory order. */
  examples: ClassExample[];
  /** The members as the compiled identity stage sees them, over the relevant atoms only. */
  compiled: CompiledUser;
}

export interface ClassOptions {
  atoms: AtomTable;
  tenantId: string;
  /** The atom bits that can change an outcome (named by a decisive policy); default: every atom. */
  relevantAtoms?: ReadonlySet<number>;
  /** Home tenants some decisive policy enumerates (lower case); other home tenants are all alike. */
  relevantTenants: ReadonlySet<string>;
  breakGlassUsers: ReadonlySet<string>;
  breakGlassGroups: ReadonlySet<string>;
  /** One class per user (the reference the classes are checked against). */
  perUser?: boolean;
}

const EXAMPLES = 3;
/** Per raw group or role id: (relevant bit + 1) << 1 | break-glass flag; the bit part 0 when not relevant. */
const NOT_RELEVANT = 0;

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

/** Resolves raw ids to relevant atom bits, once per distinct id. */
class AtomCodes {
  readonly #options: ClassOptions;
  readonly #groups = new Map<string, number>();
  readonly #roles = new Map<string, number>();
  readonly #users = new Map<string, number>();
  readonly #tenants: Map<string, number>;

  constructor(options: ClassOptions) {
    this.#options = options;
    for (const key of options.atoms.keys()) {
      const bit = options.atoms.find(key)!;
      if (key.startsWith('u:') && this.#isRelevant(bit)) this.#users.set(key.slice(2), bit);
    }
    this.#tenants = new Map([...options.relevantTenants].map((t, i) => [t, i + 1]));
  }

  #isRelevant(bit: number): boolean {
    return this.#options.relevantAtoms === undefined || this.#options.relevantAtoms.has(bit);
  }

  #code(cache: Map<string, number>, prefix: string, raw: string, breakGlass?: ReadonlySet<string>): number {
    let code = cache.get(raw);
    if (code === undefined) {
      const lower = raw.toLowerCase();
      const bit = this.#options.atoms.find(prefix + lower);
      const relevant = bit !== undefined && this.#isRelevant(bit) ? bit + 1 : NOT_RELEVANT;
      code = (relevant << 1) | (breakGlass?.has(lower) ? 1 : 0);
      cache.set(raw, code);
    }
    return code;
  }

  group(raw: string): number {
    return this.#code(this.#groups, 'g:', raw, this.#options.breakGlassGroups);
  }

  role(raw: string): number {
    return this.#code(this.#roles, 'r:', raw);
  }

  /** The user's own atom bit, or -1. */
  user(id: string): number {
    return this.#users.size === 0 ? -1 : (this.#users.get(id.toLowerCase()) ?? -1);
  }

  /** 1 + the index of the home tenant among the relevant ones, 0 when no decisive policy enumerates it. */
  home(user: ImpactUser): number {
    if (this.#tenants.size === 0 || user.externalUserType === undefined) return 0;
    const home =
      user.externalUserType === 'internalGuest' ? this.#options.tenantId : (user.homeTenantId ?? '');
    return this.#tenants.get(home.toLowerCase()) ?? 0;
  }
}

/** The key of the user being grouped, in reused buffers. */
class KeyBuffer {
  bits = new Int32Array(16);
  count = 0;
  type = 0;
  home = 0;
  breakGlass = false;

  push(bit: number): void {
    if (this.count === this.bits.length) {
      const grown = new Int32Array(this.bits.length * 2);
      grown.set(this.bits);
      this.bits = grown;
    }
    // Insertion keeps the bits ascending and unique; users hold few relevant atoms.
    let i = this.count;
    while (i > 0 && this.bits[i - 1]! > bit) i--;
    if (i > 0 && this.bits[i - 1] === bit) return;
    this.bits.copyWithin(i + 1, i, this.count);
    this.bits[i] = bit;
    this.count++;
  }

  hash(): number {
    let h = Math.imul(this.type + 1, 0x9e3779b1) ^ Math.imul(this.home + 7, 0x85ebca6b);
    h ^= this.breakGlass ? 0x27d4eb2f : 0;
    for (let i = 0; i < this.count; i++) h = Math.imul(h ^ (this.bits[i]! + 0x165667b1), 0xc2b2ae35);
    // 30 bits: a small integer to V8, so the map lookup allocates nothing.
    return (h ^ (h >>> 15)) & 0x3fffffff;
  }
}

interface StoredKey {
  bits: Int32Array;
  type: number;
  home: number;
  breakGlass: boolean;
}

function sameKey(stored: StoredKey, key: KeyBuffer): boolean {
  if (stored.bits.length !== key.count || stored.type !== key.type || stored.home !== key.home) return false;
  if (stored.breakGlass !== key.breakGlass) return false;
  for (let i = 0; i < key.count; i++) if (stored.bits[i] !== key.bits[i]) return false;
  return true;
}

function isBreakGlassUser(user: ImpactUser, options: ClassOptions): boolean {
  if (options.breakGlassUsers.size === 0) return false;
  if (options.breakGlassUsers.has(user.id.toLowerCase())) return true;
  return !!user.userPrincipalName && options.breakGlassUsers.has(user.userPrincipalName.toLowerCase());
}

function fillKey(key: KeyBuffer, user: ImpactUser, codes: AtomCodes, options: ClassOptions): void {
  key.count = 0;
  key.type = typeBitOf(user.externalUserType);
  key.home = codes.home(user);
  key.breakGlass = isBreakGlassUser(user, options);
  const own = codes.user(user.id);
  if (own >= 0) key.push(own);
  const groups = user.transitiveGroupIds;
  for (let i = 0; i < groups.length; i++) {
    const code = codes.group(groups[i]!);
    if ((code & 1) !== 0) key.breakGlass = true;
    if (code >>> 1 !== NOT_RELEVANT) key.push((code >>> 1) - 1);
  }
  const roles = user.activeRoleTemplateIds;
  for (let i = 0; i < roles.length; i++) {
    const code = codes.role(roles[i]!);
    if (code >>> 1 !== NOT_RELEVANT) key.push((code >>> 1) - 1);
  }
}

function newClass(user: ImpactUser, key: KeyBuffer, options: ClassOptions, tenants: string[]): UserClass {
  const atoms = new Uint32Array(wordsFor(options.atoms.size));
  for (let i = 0; i < key.count; i++) setBit(atoms, key.bits[i]!);
  return {
    representative: subjectOf(user),
    kind: user.externalUserType ?? 'member',
    isBreakGlass: key.breakGlass,
    size: 0,
    examples: [],
    compiled: {
      atoms,
      isInDirectory: true,
      typeBit: key.type,
      home: key.home === 0 ? undefined : tenants[key.home - 1],
    },
  };
}

function addMember(cls: UserClass, user: ImpactUser, index: number): void {
  cls.size++;
  if (cls.examples.length < EXAMPLES) cls.examples.push({ index, name: user.userPrincipalName ?? user.id });
}

function findClass(candidates: number[] | undefined, keys: StoredKey[], key: KeyBuffer): number | undefined {
  if (candidates) for (const c of candidates) if (sameKey(keys[c]!, key)) return c;
  return undefined;
}

export function groupUsers(users: readonly ImpactUser[], options: ClassOptions): UserClass[] {
  const codes = new AtomCodes(options);
  const tenants = [...options.relevantTenants];
  const key = new KeyBuffer();
  const classes: UserClass[] = [];
  const keys: StoredKey[] = [];
  const byHash = new Map<number, number[]>();
  for (let index = 0; index < users.length; index++) {
    const user = users[index]!;
    fillKey(key, user, codes, options);
    const hash = options.perUser ? index : key.hash();
    const candidates = byHash.get(hash);
    let found = options.perUser ? undefined : findClass(candidates, keys, key);
    if (found === undefined) {
      found = classes.length;
      classes.push(newClass(user, key, options, tenants));
      keys.push({
        bits: key.bits.slice(0, key.count),
        type: key.type,
        home: key.home,
        breakGlass: key.breakGlass,
      });
      if (candidates) candidates.push(found);
      else byHash.set(hash, [found]);
    }
    addMember(classes[found]!, user, index);
  }
  return classes;
}
