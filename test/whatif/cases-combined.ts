/** What-If cases for policy state, evaluation order, combined decisions and Microsoft's MFA how-tos (§1, §3–5). */
import { appContext, grant, policy, request, userSignIn, type WhatIfCase } from './case-builders.ts';
import { APPS, GROUPS, USERS } from './demo-identities.ts';

const to = (userId: string, appId: string, conditions = {}) =>
  request(userSignIn(userId), appContext(appId), conditions);
const breakGlassExcluded = { users: { includeUsers: ['All'], excludeGroups: [GROUPS.breakGlass] } };
const guestsOnAzure = {
  users: {
    includeGuestsOrExternalUsers: {
      guestOrExternalUserTypes:
        'b2bCollaborationGuest,b2bCollaborationMember,internalGuest,serviceProvider,otherExternalUser',
      externalTenants: {
        '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants',
        membershipKind: 'all',
      },
    },
  },
  applications: { includeApplications: [APPS.azureManagement] },
};

const stateCases: WhatIfCase[] = [
  {
    name: 'disabled policy',
    rule: '§3 disabled → policyNotEnabled',
    policies: [policy('P', {}, { state: 'disabled' })],
    request: to(USERS.member, APPS.expenses),
    expect: { P: 'policyNotEnabled' },
    decision: 'granted',
  },
  {
    name: 'report-only evaluated, not enforced',
    rule: '§3 report-only',
    policies: [policy('P', {}, { state: 'enabledForReportingButNotEnforced' })],
    request: to(USERS.member, APPS.expenses),
    expect: { P: 'notSet' },
    decision: 'granted',
  },
  {
    name: 'report-only block not enforced',
    rule: '§4.1 report-only never changes the decision',
    policies: [policy('P', {}, { state: 'enabledForReportingButNotEnforced', grant: grant('OR', 'block') })],
    request: to(USERS.member, APPS.expenses),
    expect: { P: 'notSet' },
    decision: 'granted',
  },
  {
    name: 'session-only policy applies',
    rule: '§4.2 session-only policies apply',
    policies: [
      policy(
        'P',
        {},
        {
          grant: null,
          session: {
            signInFrequency: {
              isEnabled: true,
              value: 4,
              type: 'hours',
              frequencyInterval: 'timeBased',
              authenticationType: 'primaryAndSecondaryAuthentication',
            },
          },
        },
      ),
    ],
    request: to(USERS.member, APPS.expenses),
    expect: { P: 'notSet' },
    decision: 'granted',
  },
  {
    name: 'users checked before applications',
    rule: '§5.3 order',
    policies: [
      policy('P', { users: { includeUsers: ['None'] }, applications: { includeApplications: ['None'] } }),
    ],
    request: to(USERS.member, APPS.expenses),
    expect: { P: 'users' },
  },
  {
    name: 'application checked before platform',
    rule: '§5.3 order',
    policies: [
      policy('P', {
        applications: { includeApplications: ['None'] },
        platforms: { includePlatforms: ['iOS'] },
      }),
    ],
    request: to(USERS.member, APPS.expenses, { devicePlatform: 'android' }),
    expect: { P: 'application' },
  },
  {
    name: 'platform checked before client app',
    rule: '§5.3 order',
    policies: [policy('P', { platforms: { includePlatforms: ['iOS'] }, clientAppTypes: ['browser'] })],
    request: to(USERS.member, APPS.expenses, { devicePlatform: 'android', clientAppType: 'other' }),
    expect: { P: 'devicePlatform' },
  },
  {
    name: 'client app checked before location',
    rule: '§5.3 order',
    policies: [
      policy('P', {
        clientAppTypes: ['browser'],
        locations: { includeLocations: ['@loc:HQ'], excludeLocations: [] },
      }),
    ],
    request: to(USERS.member, APPS.expenses, { clientAppType: 'other', ipAddress: '192.0.2.1' }),
    expect: { P: 'clientApps' },
  },
  {
    name: 'location checked before sign-in risk',
    rule: '§5.3 order',
    policies: [
      policy('P', {
        locations: { includeLocations: ['@loc:HQ'], excludeLocations: [] },
        signInRiskLevels: ['high'],
      }),
    ],
    request: to(USERS.member, APPS.expenses, { ipAddress: '192.0.2.1' }),
    expect: { P: 'location' },
  },
];

const decisionCases: WhatIfCase[] = [
  {
    name: 'block wins over MFA',
    rule: '§4.1 block wins',
    policies: [policy('MFA'), policy('Block', {}, { grant: grant('OR', 'block') })],
    request: to(USERS.member, APPS.expenses),
    expect: { MFA: 'notSet', Block: 'notSet' },
    decision: 'blocked',
  },
  {
    name: 'two requirements both needed',
    rule: '§4.1 AND across policies',
    policies: [policy('MFA'), policy('Device', {}, { grant: grant('OR', 'compliantDevice') })],
    request: to(USERS.member, APPS.expenses),
    expect: { MFA: 'notSet', Device: 'notSet' },
    decision: 'interrupted',
  },
  {
    name: 'no policy applies → default allow',
    rule: '§1 default allow',
    policies: [policy('Other app', { applications: { includeApplications: [APPS.hrPortal] } })],
    request: to(USERS.member, APPS.expenses),
    expect: { 'Other app': 'application' },
    decision: 'granted',
  },
  {
    name: 'legacy client facing MFA is blocked',
    rule: '§2.8 legacy clients cannot do MFA',
    policies: [policy('MFA')],
    request: to(USERS.member, APPS.exchange, { clientAppType: 'exchangeActiveSync' }),
    expect: { MFA: 'notSet' },
    decision: 'blocked',
  },
  {
    name: 'strength requirement',
    rule: '§4.1 authentication strength',
    policies: [
      policy(
        'Phishing resistant',
        {},
        {
          grant: {
            operator: 'OR',
            builtInControls: [],
            authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' },
          },
        },
      ),
    ],
    request: to(USERS.member, APPS.expenses),
    expect: { 'Phishing resistant': 'notSet' },
    decision: 'interrupted',
  },
];

/** Microsoft's how-tos: MFA for all users except break-glass; MFA for guests on Azure management. */
const howToCases: WhatIfCase[] = [
  {
    name: 'how-to 1: member asked for MFA',
    rule: 'how-to MFA all users except break-glass; §4.1',
    policies: [policy('Require MFA for all users', breakGlassExcluded)],
    request: to(USERS.member, APPS.expenses),
    expect: { 'Require MFA for all users': 'notSet' },
    decision: 'interrupted',
  },
  {
    name: 'how-to 1: break-glass not asked',
    rule: 'how-to MFA all users except break-glass; §2.2 exclusion wins',
    policies: [policy('Require MFA for all users', breakGlassExcluded)],
    request: to(USERS.breakGlass1, APPS.expenses),
    expect: { 'Require MFA for all users': 'users' },
    decision: 'granted',
  },
  {
    name: 'how-to 1: second break-glass not asked',
    rule: 'how-to MFA all users except break-glass; §2.2 exclusion wins',
    policies: [policy('Require MFA for all users', breakGlassExcluded)],
    request: to(USERS.breakGlass2, APPS.azurePortal),
    expect: { 'Require MFA for all users': 'users' },
    decision: 'granted',
  },
  {
    name: 'how-to 1: email OTP guest asked for MFA',
    rule: 'how-to MFA with email OTP; §2.2 All includes guests',
    policies: [policy('Require MFA for all users', breakGlassExcluded)],
    request: to(USERS.otpGuest, APPS.expenses),
    expect: { 'Require MFA for all users': 'notSet' },
    decision: 'interrupted',
  },
  {
    name: 'how-to 2: B2B guest asked for MFA on Azure management',
    rule: 'how-to MFA for B2B guests; §2.3',
    policies: [policy('Guests MFA on Azure management', guestsOnAzure)],
    request: to(USERS.fabrikamGuest, APPS.azureManagement),
    expect: { 'Guests MFA on Azure management': 'notSet' },
    decision: 'interrupted',
  },
  {
    name: 'how-to 2: member not asked',
    rule: 'how-to MFA for B2B guests; §2.3',
    policies: [policy('Guests MFA on Azure management', guestsOnAzure)],
    request: to(USERS.member, APPS.azureManagement),
    expect: { 'Guests MFA on Azure management': 'users' },
    decision: 'granted',
  },
  {
    name: 'how-to 2: guest on another app not asked',
    rule: 'how-to MFA for B2B guests; §2.5 app ids',
    policies: [policy('Guests MFA on Azure management', guestsOnAzure)],
    request: to(USERS.fabrikamGuest, APPS.sharePoint),
    expect: { 'Guests MFA on Azure management': 'application' },
    decision: 'granted',
  },
  {
    name: 'how-to 2: service provider asked',
    rule: 'how-to MFA for B2B guests; §2.3 serviceProvider',
    policies: [policy('Guests MFA on Azure management', guestsOnAzure)],
    request: to(USERS.serviceProvider, APPS.azureManagement),
    expect: { 'Guests MFA on Azure management': 'notSet' },
    decision: 'interrupted',
  },
];

export const COMBINED_CASES: WhatIfCase[] = [...stateCases, ...decisionCases, ...howToCases];
