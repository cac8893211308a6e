/**
 * Counts the outcome changes impact finds: per (kind of change, requirement, application) the users affected
 * (a class counted once however many contexts change), their kinds, the contexts and a few examples; per user
 * whether anything changed or they became blocked. Turns the counts into the report.
 */
import type { Context, TargetApp } from '../guard/sign-in-matrix.ts';
import type { ClassExample, UserClass } from './equivalence-classes.ts';
import { describeChange, describeUsers } from './impact-sentences.ts';
import type { ImpactChange, ImpactChangeKind, ImpactReport } from './impact-types.ts';
import { type RequirementTable, MAX_REQUIREMENTS } from './requirement-labels.ts';

const EXAMPLES = 3;
const BLOCKED_OUTCOME = -1;

interface Entry {
  kind: ImpactChangeKind;
  requirement: number;
  app: number;
  users: number;
  byUserKind: Map<string, number>;
  breakGlassUsers: number;
  contexts: Set<number>;
  /** The first affected members in directory order, whatever order the classes come in. */
  examples: ClassExample[];
  lastClass: number;
}

interface ClassMarks {
  changed: boolean;
  newlyBlocked: boolean;
  noLongerBlocked: boolean;
}

export interface TallySetup {
  apps: readonly TargetApp[];
  contexts: readonly Context[];
  requirements: RequirementTable;
}

/** Inserts `example` into the ascending `kept` if it is among the first EXAMPLES. */
function keepFirst(kept: ClassExample[], example: ClassExample): void {
  let at = kept.length;
  while (at > 0 && kept[at - 1]!.index > example.index) at--;
  if (at >= EXAMPLES) return;
  kept.splice(at, 0, example);
  if (kept.length > EXAMPLES) kept.pop();
}

type ReportBase = Pick<ImpactReport, 'directory' | 'applications' | 'contexts' | 'evaluations'>;

export class ImpactTally {
  readonly #setup: TallySetup;
  readonly #entries = new Map<string, Entry>();
  readonly #marks = new Map<number, ClassMarks & { cls: UserClass }>();

  constructor(setup: TallySetup) {
    this.#setup = setup;
  }

  /** One (class, app, context) whose outcome differs: `before` / `after` are -1 (blocked) or requirement bits. */
  // eslint-disable-next-line max-params -- the coordinates of one finding, called from the hot loop without allocating
  record(
    cls: UserClass,
    classIndex: number,
    app: number,
    context: number,
    before: number,
    after: number,
  ): void {
    const marks = this.#marksOf(cls, classIndex);
    marks.changed = true;
    if (after === BLOCKED_OUTCOME) {
      marks.newlyBlocked = true;
      this.#add('newlyBlocked', -1, cls, classIndex, app, context);
      return;
    }
    if (before === BLOCKED_OUTCOME) {
      marks.noLongerBlocked = true;
      this.#add('noLongerBlocked', -1, cls, classIndex, app, context);
      return;
    }
    for (let bit = 0; bit < MAX_REQUIREMENTS; bit++) {
      const mask = 1 << bit;
      if ((after & mask) !== 0 && (before & mask) === 0)
        this.#add('newlyRequires', bit, cls, classIndex, app, context);
      if ((before & mask) !== 0 && (after & mask) === 0)
        this.#add('noLongerRequires', bit, cls, classIndex, app, context);
    }
  }

  #marksOf(cls: UserClass, classIndex: number): ClassMarks & { cls: UserClass } {
    let marks = this.#marks.get(classIndex);
    if (!marks) {
      marks = { cls, changed: false, newlyBlocked: false, noLongerBlocked: false };
      this.#marks.set(classIndex, marks);
    }
    return marks;
  }

  // eslint-disable-next-line max-params -- the coordinates of one finding, called from one place
  #add(
    kind: ImpactChangeKind,
    requirement: number,
    cls: UserClass,
    classIndex: number,
    app: number,
    context: number,
  ): void {
    const key = `${kind}|${requirement}|${app}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = {
        kind,
        requirement,
        app,
        users: 0,
        byUserKind: new Map(),
        breakGlassUsers: 0,
        contexts: new Set(),
        examples: [],
        lastClass: -1,
      };
      this.#entries.set(key, entry);
    }
    entry.contexts.add(context);
    if (entry.lastClass === classIndex) return;
    entry.lastClass = classIndex;
    entry.users += cls.size;
    entry.byUserKind.set(cls.kind, (entry.byUserKind.get(cls.kind) ?? 0) + cls.size);
    if (cls.isBreakGlass) entry.breakGlassUsers += cls.size;
    for (const example of cls.examples) keepFirst(entry.examples, example);
  }

  #toChange(entry: Entry): ImpactChange {
    const app = this.#setup.apps[entry.app]!;
    const requirement =
      entry.requirement < 0 ? undefined : this.#setup.requirements.labelOf(entry.requirement);
    const byUserKind = Object.fromEntries(entry.byUserKind);
    const users = describeUsers(entry.users, byUserKind);
    return {
      kind: entry.kind,
      ...(requirement === undefined ? {} : { requirement }),
      application: app,
      users: entry.users,
      byUserKind,
      breakGlassUsers: entry.breakGlassUsers,
      contexts: [...entry.contexts].sort((a, b) => a - b).map((c) => this.#setup.contexts[c]!.label),
      examples: entry.examples.map((e) => e.name),
      summary: describeChange(entry.kind, users, requirement, app.label, entry.users !== 1),
    };
  }

  report(base: ReportBase): ImpactReport {
    const changes = [...this.#entries.values()]
      .map((e) => this.#toChange(e))
      .sort((a, b) => b.users - a.users || a.summary.localeCompare(b.summary));
    const marks = [...this.#marks.values()];
    const count = (holds: (m: ClassMarks & { cls: UserClass }) => boolean): number =>
      marks.filter(holds).reduce((n, m) => n + m.cls.size, 0);
    const breakGlassChanges = changes.filter((c) => c.breakGlassUsers > 0);
    return {
      ...base,
      totals: {
        usersAffected: count((m) => m.changed),
        usersNewlyBlocked: count((m) => m.newlyBlocked),
        usersNoLongerBlocked: count((m) => m.noLongerBlocked),
      },
      breakGlass: {
        accounts: base.directory.breakGlassAccounts,
        affected: count((m) => m.changed && m.cls.isBreakGlass),
        changes: breakGlassChanges.map((c) =>
          describeChange(
            c.kind,
            `${c.breakGlassUsers} break-glass account${c.breakGlassUsers === 1 ? '' : 's'}`,
            c.requirement,
            c.application.label,
            c.breakGlassUsers !== 1,
          ),
        ),
      },
      changes,
      notes: this.#notes(),
    };
  }

  #notes(): string[] {
    const notes = [
      'A legacy client (Exchange ActiveSync, other clients) cannot satisfy any control: a requirement it newly faces means it is newly blocked.',
    ];
    if (this.#setup.requirements.overflowed)
      notes.push(
        'More than 30 distinct grant requirements: the rarest are counted together as "other controls".',
      );
    return notes;
  }
}
