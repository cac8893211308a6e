/**
 * Impact by equivalence classes must say exactly what evaluating every user on its own says. On randomized
 * directories (ids, groups and roles in mixed case, guests of every kind from several home tenants, break-glass
 * accounts by group and by name) and random policy changes: the class-based report equals the per-user report in
 * every field but the count of classes and evaluations; and the per-user report equals what the interpreter, the
 * engine's reference, answers for every user, application and context.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signInContexts } from '../../src/guard/sign-in-matrix.ts';
import { analyzeImpact } from '../../src/impact/analyze-impact.ts';
import type { ImpactContext, ImpactInput, ImpactReport, ImpactUser } from '../../src/impact/impact-types.ts';
import { labelGrant } from '../../src/impact/requirement-labels.ts';
import { BUILT_IN_STRENGTHS } from '../../src/whatif/built-in-strengths.ts';
import {
  pick,
  randomPolicy,
  randomTenant,
  seededRandom,
  type Random,
} from '../../src/whatif/compiled/random-scenarios.ts';
import { createDirectoryView } from '../../src/whatif/directory-view.ts';
import { evaluatePrepared } from '../../src/whatif/evaluate.ts';
import { preparePolicy, prepareTenant } from '../../src/whatif/prepare.ts';
import type { ExternalUserType, PolicyDocument, WhatIfResult } from '../../src/whatif/types.ts';
import {
  ADMIN_PORTAL_APP_IDS,
  defaultApplicationCatalogue,
  OFFICE_365_APP_IDS,
} from '../../src/whatif/well-known-apps.ts';

const TENANT_ID = 'aaaaaaaa-0000-0000-0000-000000000001';
const NAMED_LOCATIONS = randomTenant(seededRandom(1), 0).namedLocations;
const GROUPS = ['g0', 'G1', 'g2', 'G3', 'g4', 'g5', 'unnamed-1', 'Unnamed-2'];
const ROLES = ['r0', 'R1', 'r2', 'R3', 'unnamed-role'];
const TENANTS = ['t0', 'T1', 't2', 'other-tenant'];
const GUEST_TYPES: (ExternalUserType | undefined)[] = [
  undefined,
  undefined,
  undefined,
  'internalGuest',
  'b2bCollaborationGuest',
  'b2bCollaborationMember',
  'otherExternalUser',
  'serviceProvider',
];
const BREAK_GLASS = { groups: ['G5'], users: ['Rescue@Contoso.example'] };
const APPS = [
  'app-a',
  'app-b',
  'sp-app',
  OFFICE_365_APP_IDS[0]!,
  OFFICE_365_APP_IDS[1]!,
  ADMIN_PORTAL_APP_IDS[0]!,
  'unnamed-app',
].map((appId) => ({ appId, label: `app ${appId}` }));
const CONTEXTS: ImpactContext[] = [
  ...signInContexts(NAMED_LOCATIONS),
  {
    label: 'browser from KP',
    conditions: { clientAppType: 'browser', devicePlatform: 'windows', country: 'KP' },
  },
  {
    label: 'risky browser sign-in',
    conditions: { clientAppType: 'browser', devicePlatform: 'android', signInRiskLevel: 'high' },
  },
  { label: 'nothing stated', conditions: {} },
];

function some<T>(random: Random, items: readonly T[], max: number): T[] {
  return [...new Set(Array.from({ length: Math.floor(random() * (max + 1)) }, () => pick(random, items)))];
}

function randomCase(random: Random, id: string): string {
  return random() < 0.3 ? id.toUpperCase() : id;
}

/** The twelve user ids random policies name (once each, in random case) among others no policy names. */
function randomDirectory(random: Random, count: number): ImpactUser[] {
  return Array.from({ length: count }, (_, i) => {
    const type = pick(random, GUEST_TYPES);
    const id = i < 12 ? randomCase(random, `u${i}`) : `x${i}`;
    return {
      id,
      userPrincipalName: i === 13 ? 'rescue@contoso.EXAMPLE' : `${id}@contoso.example`,
      userType: type === undefined || type === 'b2bCollaborationMember' ? 'Member' : 'Guest',
      transitiveGroupIds: some(random, GROUPS, 3),
      activeRoleTemplateIds: some(random, ROLES, 1),
      ...(type ? { externalUserType: type, homeTenantId: pick(random, TENANTS) } : {}),
    };
  });
}

/**
 * A random policy, half the time with its conditions narrowed to users and applications (random ones often carry
 * risk or device conditions no context meets, and change nothing).
 */
function randomImpactPolicy(random: Random, i: number): PolicyDocument {
  const policy = randomPolicy(random, i);
  if (random() < 0.5) return policy;
  const conditions = policy.conditions as Record<string, unknown>;
  const apps = pick(random, [['All'], ['Office365'], ['app-a', 'sp-app'], [OFFICE_365_APP_IDS[1]!]]);
  return {
    ...policy,
    state: random() < 0.8 ? 'enabled' : policy.state,
    conditions: {
      users: conditions.users ?? { includeUsers: ['All'] },
      applications: { includeApplications: apps },
      clientAppTypes: random() < 0.7 ? ['all'] : ['browser', 'mobileAppsAndDesktopClients'],
    },
  };
}

/** The desired state: some policies kept, some switched between states, some dropped, some new. */
function randomChange(random: Random, before: PolicyDocument[], added: number): PolicyDocument[] {
  const states = ['enabled', 'enabledForReportingButNotEnforced', 'disabled'];
  const kept = before
    .filter(() => random() > 0.15)
    .map((p) => (random() < 0.35 ? { ...p, state: pick(random, states) } : p));
  return [...kept, ...Array.from({ length: added }, (_, i) => randomImpactPolicy(random, 100 + i))];
}

function scenario(seed: number, users: number, policies: number): ImpactInput {
  const random = seededRandom(seed);
  const before = Array.from({ length: policies }, (_, i) => randomImpactPolicy(random, i));
  return {
    tenantId: TENANT_ID,
    before: { policies: before, namedLocations: NAMED_LOCATIONS },
    after: {
      policies: randomChange(random, before, 2 + Math.floor(random() * 8)),
      namedLocations: NAMED_LOCATIONS,
    },
    directory: { users: randomDirectory(random, users) },
    applications: APPS,
    contexts: CONTEXTS,
    breakGlass: BREAK_GLASS,
  };
}

/** The report without what differs by construction: how many classes and evaluations it took. */
function comparable(report: ImpactReport): unknown {
  return {
    ...report,
    directory: { ...report.directory, equivalenceClasses: 0 },
    evaluations: { ...report.evaluations, performed: 0 },
  };
}

describe('impact by equivalence classes', () => {
  it('reports exactly what a per-user run reports, on 40 random directories and changes', () => {
    let users = 0;
    let classes = 0;
    let changes = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const input = scenario(seed, 250, 6 + (seed % 30));
      const byClass = analyzeImpact(input);
      const perUser = analyzeImpact({ ...input, perUser: true });
      assert.deepEqual(comparable(byClass), comparable(perUser), `seed ${seed}`);
      assert.equal(perUser.directory.equivalenceClasses, 250);
      users += 250;
      classes += byClass.directory.equivalenceClasses;
      changes += byClass.changes.length;
    }
    // The comparison proves something only if the classes are fewer than the users and outcomes do change.
    assert.ok(classes < users * 0.75, `${classes} classes for ${users} users`);
    assert.ok(changes > 100, `${changes} changes`);
  });
});

type Outcome = 'blocked' | Set<string>;

interface Expected {
  users: number[];
  byUserKind: Record<string, number>;
  breakGlassUsers: number;
  contexts: Set<string>;
}

/** The interpreter's outcome: blocked by a block control, else the requirements still open (legacy included). */
function outcomeOf(result: WhatIfResult, labels: ReadonlyMap<string, string>): Outcome {
  const d = result.decision;
  if (d.kind === 'granted') return new Set();
  if (d.kind === 'blocked' && d.cause === 'blockControl') return 'blocked';
  const ids = d.kind === 'blocked' ? d.blockingPolicies : d.requirements;
  return new Set(ids.map((p) => labels.get(p.policyId)!));
}

function labelsOf(policies: readonly PolicyDocument[]): Map<string, string> {
  const strengths = new Map(BUILT_IN_STRENGTHS.map((s) => [s.id.toLowerCase(), s]));
  return new Map(policies.map((p) => [String(p.id), labelGrant(preparePolicy(p, strengths)) ?? ''] as const));
}

function isBreakGlass(user: ImpactUser): boolean {
  return (
    user.transitiveGroupIds.some((g) => g.toLowerCase() === 'g5') ||
    user.userPrincipalName?.toLowerCase() === 'rescue@contoso.example'
  );
}

/** `kind|requirement` of each change between two outcomes. */
function changeKeys(before: Outcome, after: Outcome): string[] {
  if (before === 'blocked' && after === 'blocked') return [];
  if (after === 'blocked') return ['newlyBlocked|'];
  if (before === 'blocked') return ['noLongerBlocked|'];
  return [
    ...[...after].filter((l) => !before.has(l)).map((l) => `newlyRequires|${l}`),
    ...[...before].filter((l) => !after.has(l)).map((l) => `noLongerRequires|${l}`),
  ];
}

/** Every change the interpreter implies, keyed like the report's changes. */
function expectedChanges(input: ImpactInput): Map<string, Expected> {
  const tenantOf = (policies: readonly PolicyDocument[]) =>
    prepareTenant({
      tenantId: TENANT_ID,
      policies,
      namedLocations: NAMED_LOCATIONS,
      authenticationStrengths: BUILT_IN_STRENGTHS,
      directory: createDirectoryView(input.directory.users),
      applications: defaultApplicationCatalogue(),
    });
  const sides = [input.before.policies, input.after.policies].map((p) => ({
    tenant: tenantOf(p),
    labels: labelsOf(p),
  }));
  const out = new Map<string, Expected>();
  const add = (key: string, index: number, context: string): void => {
    const user = input.directory.users[index]!;
    let entry = out.get(key);
    if (!entry)
      out.set(key, (entry = { users: [], byUserKind: {}, breakGlassUsers: 0, contexts: new Set() }));
    entry.contexts.add(context);
    if (entry.users.at(-1) === index) return;
    entry.users.push(index);
    const kind = user.externalUserType ?? 'member';
    entry.byUserKind[kind] = (entry.byUserKind[kind] ?? 0) + 1;
    if (isBreakGlass(user)) entry.breakGlassUsers++;
  };
  input.directory.users.forEach((user, index) => {
    for (const app of input.applications!) {
      for (const context of input.contexts!) {
        const signIn = {
          identity: { kind: 'user' as const, userId: user.id },
          context: { kind: 'application' as const, includeApplications: [app.appId] },
          conditions: context.conditions,
        };
        const [before, after] = sides.map((s) => outcomeOf(evaluatePrepared(s.tenant, signIn), s.labels));
        for (const key of changeKeys(before!, after!)) add(`${key}|${app.appId}`, index, context.label);
      }
    }
  });
  return out;
}

describe('per-user impact against the interpreter', () => {
  it('finds every change the interpreter implies, with the same users, kinds, contexts and examples', () => {
    let compared = 0;
    for (let seed = 101; seed <= 112; seed++) {
      const input = { ...scenario(seed, 40, 12), contexts: CONTEXTS.filter((_, i) => i % 3 === 0) };
      const report = analyzeImpact(input);
      assert.ok(!report.notes.some((n) => n.includes('other controls')), 'requirements fit the bitmask');
      const expected = expectedChanges(input);
      const actual = new Map(
        report.changes.map((c) => [`${c.kind}|${c.requirement ?? ''}|${c.application.appId}`, c]),
      );
      assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `seed ${seed}`);
      for (const [key, want] of expected) {
        const got = actual.get(key)!;
        const where = `seed ${seed} ${key}`;
        assert.equal(got.users, want.users.length, where);
        assert.deepEqual(got.byUserKind, want.byUserKind, where);
        assert.equal(got.breakGlassUsers, want.breakGlassUsers, where);
        assert.deepEqual(got.contexts.sort(), [...want.contexts].sort(), where);
        const names = want.users.slice(0, 3).map((i) => input.directory.users[i]!.userPrincipalName);
        assert.deepEqual(got.examples, names, where);
        compared++;
      }
    }
    assert.ok(compared > 20, `${compared} changes compared`);
  });
});
