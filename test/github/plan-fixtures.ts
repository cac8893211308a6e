/** Plans for the GitHub tests: small and readable, plus one far too long for a comment. */
import { summarize, type Plan, type ResourceChange } from '../../src/core/plan.ts';
import type { Diagnostic } from '../../src/core/diagnostics.ts';

export const REPO_ROOT = '/work/repo';

function plan(changes: ResourceChange[], diagnostics: Diagnostic[] = [], name = 'production'): Plan {
  return {
    formatVersion: 1,
    tenant: { name, id: '8c3d2f6e-1b4a-4c5d-9e7f-0a1b2c3d4e5f' },
    fingerprint: 'f'.repeat(64),
    createdAt: '2026-11-22T16:04:50.123Z',
    changes,
    diagnostics,
    summary: summarize(changes),
  };
}

export const mfaUpdate: ResourceChange = {
  kind: 'ConditionalAccessPolicy',
  name: 'require-mfa-all-users',
  displayName: 'Require MFA for all users',
  action: 'update',
  reason: '2 fields differ from git',
  id: '3ed59bc5-5516-4021-8194-b0bc1db1216f',
  file: `${REPO_ROOT}/policies/conditional-access/require-mfa-all-users.yaml`,
  line: 1,
  fields: [
    { path: 'state', before: 'enabledForReportingButNotEnforced', after: 'enabled' },
    {
      path: 'conditions.users.excludeGroups',
      before: ['Emergency access accounts'],
      after: ['Emergency access accounts', 'IT | Ops <admins>'],
    },
  ],
};

const locationCreate: ResourceChange = {
  kind: 'NamedLocation',
  name: 'contoso-headquarters',
  displayName: 'Contoso headquarters',
  action: 'create',
  reason: 'not in the tenant',
  file: `${REPO_ROOT}/policies/named-locations/contoso-headquarters.yaml`,
  line: 1,
  fields: [
    { path: 'ipRanges', before: null, after: ['203.0.113.0/24'] },
    { path: 'isTrusted', before: null, after: true },
  ],
};

const legacyDelete: ResourceChange = {
  kind: 'ConditionalAccessPolicy',
  name: 'old-block-legacy',
  displayName: 'Old: block legacy authentication',
  action: 'delete',
  reason: 'owned by accord and no longer in git (--prune)',
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  fields: [],
};

const unmanaged: ResourceChange = {
  kind: 'ConditionalAccessPolicy',
  name: 'Helpdesk exception',
  displayName: 'Helpdesk exception',
  action: 'unmanaged',
  reason: 'in the tenant, not in git, not created by accord',
  fields: [],
};

const unchanged: ResourceChange = {
  kind: 'AuthenticationMethodsPolicy',
  name: 'authentication-methods',
  displayName: 'Authentication methods policy',
  action: 'no-op',
  reason: 'matches git',
  fields: [],
};

const findings: Diagnostic[] = [
  {
    severity: 'warning',
    code: 'report-only',
    summary: 'Policy require-mfa-guests is report-only',
    detail: 'Set state: enabled once the sign-in logs look right.',
    location: {
      file: `${REPO_ROOT}/policies/conditional-access/require-mfa-guests.yaml`,
      line: 7,
      column: 3,
      pointer: '/spec/state',
    },
  },
  { severity: 'info', code: 'unmanaged', summary: '1 tenant object is not managed by accord' },
];

export const FIXTURES: Record<string, Plan> = {
  'mixed-changes': plan([mfaUpdate, locationCreate, legacyDelete, unmanaged, unchanged], findings),
  'no-changes': plan([unchanged]),
};

/** A plan whose comment would be several times GitHub's limit. */
export function hugePlan(count = 400): Plan {
  const changes: ResourceChange[] = [];
  for (let i = 0; i < count; i++) {
    changes.push({
      ...mfaUpdate,
      name: `policy-${String(i).padStart(4, '0')}`,
      fields: [
        ...mfaUpdate.fields,
        {
          path: 'conditions.users.excludeUsers',
          before: [],
          after: Array.from({ length: 8 }, (_, j) => `user${j}@contoso.test`),
        },
      ],
    });
  }
  return plan(changes);
}

export function planWith(changes: ResourceChange[], name = 'production'): Plan {
  return plan(changes, [], name);
}

export { legacyDelete, locationCreate, unchanged };
