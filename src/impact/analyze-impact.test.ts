import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UNTRUSTED_IP } from '../guard/sign-in-matrix.ts';
import { randomPolicy, seededRandom, pick } from '../whatif/compiled/random-scenarios.ts';
import { createDirectoryView } from '../whatif/directory-view.ts';
import { evaluateSignIn } from '../whatif/evaluate.ts';
import { BUILT_IN_STRENGTHS } from '../whatif/built-in-strengths.ts';
import type { ExternalUserType, PolicyDocument, WhatIfResult } from '../whatif/types.ts';
import { AZURE_MANAGEMENT_APP_ID, defaultApplicationCatalogue } from '../whatif/well-known-apps.ts';
import { analyzeImpact } from './analyze-impact.ts';
import type { ImpactContext, ImpactUser } from './impact-types.ts';
import { renderImpactMarkdown, renderImpactText } from './render-impact.ts';

const TENANT = 'tenant-1';
const BREAK_GLASS_GROUP = 'bg-group';
const APPS = [
  { appId: AZURE_MANAGEMENT_APP_ID, label: 'Windows Azure Service Management API' },
  { appId: '00000002-0000-0ff1-ce00-000000000000', label: 'Office 365 Exchange Online' },
];
const CONTEXTS: ImpactContext[] = [
  {
    label: 'browser on windows',
    conditions: { clientAppType: 'browser', devicePlatform: 'windows', ipAddress: UNTRUSTED_IP },
  },
  {
    label: 'mobile app on iOS',
    conditions: {
      clientAppType: 'mobileAppsAndDesktopClients',
      devicePlatform: 'iOS',
      ipAddress: UNTRUSTED_IP,
    },
  },
];

function user(i: number, type?: ExternalUserType, groups: string[] = []): ImpactUser {
  return {
    id: `user-${i}`,
    userPrincipalName: `user${i}@contoso.example`,
    userType: type ? 'Guest' : 'Member',
    transitiveGroupIds: groups,
    activeRoleTemplateIds: [],
    ...(type ? { externalUserType: type, homeTenantId: 'partner' } : {}),
  };
}

const DIRECTORY: ImpactUser[] = [
  ...Array.from({ length: 50 }, (_, i) => user(i, undefined, [`dept-${i % 5}`])),
  ...Array.from({ length: 37 }, (_, i) => user(100 + i, 'b2bCollaborationGuest')),
  user(200, undefined, [BREAK_GLASS_GROUP]),
  user(201, undefined, [BREAK_GLASS_GROUP]),
];

const MFA_FOR_MEMBERS: PolicyDocument = {
  id: 'p-members',
  displayName: 'All users MFA except break-glass',
  state: 'enabled',
  conditions: {
    users: {
      includeUsers: ['All'],
      excludeGroups: [BREAK_GLASS_GROUP],
      excludeGuestsOrExternalUsers: {
        guestOrExternalUserTypes: 'b2bCollaborationGuest',
        externalTenants: { membershipKind: 'all' },
      },
    },
    applications: { includeApplications: ['All'] },
    clientAppTypes: ['all'],
  },
  grantControls: { operator: 'OR', builtInControls: ['mfa'] },
};

const MFA_FOR_GUESTS_ON_AZURE: PolicyDocument = {
  id: 'p-guests',
  displayName: 'Guests MFA on Azure management',
  state: 'enabled',
  conditions: {
    users: {
      includeGuestsOrExternalUsers: {
        guestOrExternalUserTypes: 'b2bCollaborationGuest,internalGuest',
        externalTenants: { membershipKind: 'all' },
      },
    },
    applications: { includeApplications: [AZURE_MANAGEMENT_APP_ID] },
    clientAppTypes: ['all'],
  },
  grantControls: { operator: 'OR', builtInControls: ['mfa'] },
};

describe('analyzeImpact', () => {
  it('reports guests newly asked for MFA on Azure management, nobody blocked, break-glass unaffected', () => {
    const report = analyzeImpact({
      tenantId: TENANT,
      before: { policies: [MFA_FOR_MEMBERS] },
      after: { policies: [MFA_FOR_MEMBERS, MFA_FOR_GUESTS_ON_AZURE] },
      directory: { users: DIRECTORY },
      applications: APPS,
      contexts: CONTEXTS,
      breakGlass: { groups: [BREAK_GLASS_GROUP] },
    });
    assert.equal(report.changes.length, 1);
    const change = report.changes[0]!;
    assert.equal(
      change.summary,
      '37 B2B collaboration guests newly require MFA for Windows Azure Service Management API',
    );
    assert.deepEqual(
      change.contexts,
      CONTEXTS.map((c) => c.label),
    );
    assert.deepEqual(report.totals, { usersAffected: 37, usersNewlyBlocked: 0, usersNoLongerBlocked: 0 });
    assert.deepEqual(report.breakGlass, { accounts: 2, affected: 0, changes: [] });
    // members (one class, the department groups are named by no policy), guests, break-glass
    assert.equal(report.directory.equivalenceClasses, 3);
    assert.equal(report.evaluations.represented, DIRECTORY.length * 2 * 2);
    assert.match(
      renderImpactText(report),
      /0 users newly blocked; 0 no longer blocked; break-glass unaffected/,
    );
    assert.match(
      renderImpactMarkdown(report),
      /\| 37 B2B collaboration guests newly require MFA for Windows Azure Service Management API \| 37 \|/,
    );
  });

  it('reports break-glass accounts a new block reaches', () => {
    const block: PolicyDocument = {
      ...MFA_FOR_MEMBERS,
      id: 'p-block',
      conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] } },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    };
    const report = analyzeImpact({
      tenantId: TENANT,
      before: { policies: [] },
      after: { policies: [block] },
      directory: { users: DIRECTORY },
      applications: APPS,
      contexts: CONTEXTS,
      breakGlass: { groups: [BREAK_GLASS_GROUP] },
    });
    assert.equal(report.totals.usersNewlyBlocked, DIRECTORY.length);
    assert.equal(report.breakGlass.affected, 2);
    assert.match(renderImpactText(report), /break-glass AFFECTED: 2 break-glass accounts are newly blocked/);
  });

  it('says when guests of unknown home tenant meet a policy scoped to enumerated tenants', () => {
    const scoped: PolicyDocument = {
      ...MFA_FOR_GUESTS_ON_AZURE,
      id: 'p-partner',
      conditions: {
        users: {
          includeGuestsOrExternalUsers: {
            guestOrExternalUserTypes: 'b2bCollaborationGuest',
            externalTenants: { membershipKind: 'enumerated', members: ['PARTNER'] },
          },
        },
        applications: { includeApplications: [AZURE_MANAGEMENT_APP_ID] },
      },
    };
    const known = DIRECTORY.slice(50, 60);
    const unknown = DIRECTORY.slice(60, 87).map((u) => ({ ...u, homeTenantId: undefined }));
    const report = analyzeImpact({
      tenantId: TENANT,
      before: { policies: [] },
      after: { policies: [scoped] },
      directory: { users: [...known, ...unknown] },
      applications: APPS,
      contexts: CONTEXTS,
    });
    assert.equal(report.totals.usersAffected, known.length, 'the partner tenant matches case-insensitively');
    assert.ok(
      report.notes.includes(
        '27 external users with no known home tenant (Graph does not report it) are counted as outside the external tenants that policies enumerate.',
      ),
      report.notes.join('\n'),
    );
    const unscoped = analyzeImpact({
      tenantId: TENANT,
      before: { policies: [] },
      after: { policies: [MFA_FOR_GUESTS_ON_AZURE] },
      directory: { users: unknown },
      applications: APPS,
      contexts: CONTEXTS,
    });
    assert.equal(unscoped.totals.usersAffected, unknown.length);
    assert.ok(!unscoped.notes.some((n) => n.includes('home tenant')));
  });

  it('counts the same affected users as evaluating every user with the interpreter', () => {
    const random = seededRandom(99);
    const types: (ExternalUserType | undefined)[] = [
      undefined,
      undefined,
      'b2bCollaborationGuest',
      'internalGuest',
      'otherExternalUser',
    ];
    const users: ImpactUser[] = Array.from({ length: 60 }, (_, i) => ({
      id: pick(random, ['u0', 'u1', 'x']) === 'x' ? `z${i}` : `u${i % 12}-${i}`,
      userType: 'Member',
      transitiveGroupIds: [pick(random, ['g0', 'g1', 'g2', 'g9'])],
      activeRoleTemplateIds: random() < 0.2 ? ['r1'] : [],
      ...((t) => (t ? { externalUserType: t, homeTenantId: pick(random, ['t0', 't1']) } : {}))(
        pick(random, types),
      ),
    }));
    let total = 0;
    for (let round = 0; round < 5; round++) {
      const before = Array.from({ length: 12 }, (_, i) => randomPolicy(random, i));
      const after = [
        ...before.slice(0, 8),
        ...Array.from({ length: 6 }, (_, i) => randomPolicy(random, 20 + i)),
      ];
      const report = analyzeImpact({
        tenantId: TENANT,
        before: { policies: before },
        after: { policies: after },
        directory: { users },
        applications: APPS,
        contexts: CONTEXTS,
      });
      // Blocked, or the set of requirements still open (no legacy client among these contexts).
      const outcomeOf = (r: WhatIfResult): string => {
        if (r.decision.kind !== 'interrupted') return r.decision.kind;
        return JSON.stringify(
          [...new Set(r.decision.requirements.map((q) => JSON.stringify([q.operator, q.controls])))].sort(),
        );
      };
      const tenantOf = (policies: PolicyDocument[]) => ({
        tenantId: TENANT,
        policies,
        namedLocations: [],
        authenticationStrengths: BUILT_IN_STRENGTHS,
        directory: createDirectoryView(users),
        applications: defaultApplicationCatalogue(),
      });
      let affected = 0;
      for (const u of users) {
        const changed = APPS.some((app) =>
          CONTEXTS.some((ctx) => {
            const signIn = {
              identity: { kind: 'user' as const, userId: u.id },
              context: { kind: 'application' as const, includeApplications: [app.appId] },
              conditions: ctx.conditions,
            };
            return (
              outcomeOf(evaluateSignIn(tenantOf(before), signIn)) !==
              outcomeOf(evaluateSignIn(tenantOf(after), signIn))
            );
          }),
        );
        if (changed) affected++;
      }
      assert.equal(report.totals.usersAffected, affected, `round ${round}`);
      total += affected;
    }
    assert.ok(total > 0, 'some rounds change outcomes');
  });
});
