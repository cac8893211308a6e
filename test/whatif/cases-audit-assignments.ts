/**
 * What-If cases from a rule-by-rule audit of ca-evaluation.md, §2.1–2.5: unconfigured conditions, users, roles,
 * guests with tenant scoping, workload identities, target resources (the Service Management API group …).
 * Rules only the engine can see are in src/whatif/reference-audit.test.ts.
 */
import {
  appContext,
  grant,
  policy,
  request,
  single,
  spSignIn,
  type Json,
  type WhatIfCase,
} from './case-builders.ts';
import { APPS, GROUPS, ROLES, SERVICE_PRINCIPALS, TENANTS, USERS } from './demo-identities.ts';
import { to, withConditions, as, users, apps, userAction, authContext, guests } from './audit-requests.ts';

/** §2.1: conditions that are not configured, and the AND of assignments. */
const generalCases: WhatIfCase[] = [
  single(
    'no platform condition matches any platform',
    '§2.1 not configured matches everything (all device platforms)',
    {},
    withConditions({ devicePlatform: 'linux' }),
    'notSet',
  ),
  single(
    'no location condition needs no location input',
    '§2.1 not configured matches everything (all locations)',
    {},
    withConditions({}),
    'notSet',
  ),
  single(
    'no risk condition matches a high-risk sign-in',
    '§2.1 not configured matches everything',
    {},
    withConditions({ signInRiskLevel: 'high', userRiskLevel: 'high', insiderRiskLevel: 'elevated' }),
    'notSet',
  ),
  single(
    'every configured condition must match',
    '§2.1 all assignments are ANDed',
    { platforms: { includePlatforms: ['windows'] }, clientAppTypes: ['mobileAppsAndDesktopClients'] },
    withConditions({ devicePlatform: 'windows', clientAppType: 'browser' }),
    'clientApps',
  ),
  single(
    'every configured condition matches',
    '§2.1 all assignments are ANDed',
    { platforms: { includePlatforms: ['windows'] }, clientAppTypes: ['mobileAppsAndDesktopClients'] },
    withConditions({ devicePlatform: 'windows', clientAppType: 'mobileAppsAndDesktopClients' }),
    'notSet',
  ),
];

/** §2.2–2.3: users, roles and guests. */
const identityCases: WhatIfCase[] = [
  single(
    'excluded group wins over an included user id',
    '§2.2 exclusion wins',
    users({ includeUsers: [USERS.member], excludeGroups: [GROUPS.engineering] }),
    as(USERS.member),
    'users',
  ),
  single(
    'excluded role held through a group wins',
    '§2.2 exclusion wins; active roles',
    users({ includeUsers: ['All'], excludeRoles: [ROLES.helpdeskAdmin] }),
    as(USERS.helpdesk),
    'users',
  ),
  single(
    'role exclusion leaves other users in',
    '§2.2 exclusion wins',
    users({ includeUsers: ['All'], excludeRoles: [ROLES.helpdeskAdmin] }),
    as(USERS.member),
    'notSet',
  ),
  single(
    'internal guest: enumerated tenants naming this tenant',
    '§2.2 guest tenant scoping (an internal guest is at home here)',
    users({ includeGuestsOrExternalUsers: guests('internalGuest', [TENANTS.home]) }),
    as(USERS.internalGuest),
    'notSet',
  ),
  single(
    'internal guest: enumerated tenants naming another tenant',
    '§2.2 guest tenant scoping',
    users({ includeGuestsOrExternalUsers: guests('internalGuest', [TENANTS.fabrikam]) }),
    as(USERS.internalGuest),
    'users',
  ),
  single(
    'guest exclusion scoped to one tenant removes its guests',
    '§2.2 excludeGuestsOrExternalUsers with tenant scoping',
    users({
      includeUsers: ['All'],
      excludeGuestsOrExternalUsers: guests('b2bCollaborationGuest', [TENANTS.fabrikam]),
    }),
    as(USERS.fabrikamGuest),
    'users',
  ),
  single(
    'guest exclusion scoped to one tenant keeps the guests of others',
    '§2.2 excludeGuestsOrExternalUsers with tenant scoping',
    users({
      includeUsers: ['All'],
      excludeGuestsOrExternalUsers: guests('b2bCollaborationGuest', [TENANTS.fabrikam]),
    }),
    as(USERS.northwindGuest),
    'notSet',
  ),
  single(
    'service provider in its tenant',
    '§2.3 serviceProvider; §2.2 guest tenant scoping',
    users({ includeGuestsOrExternalUsers: guests('serviceProvider', [TENANTS.adatum]) }),
    as(USERS.serviceProvider),
    'notSet',
  ),
  single(
    'other external user from explicit input',
    '§2.3 otherExternalUser (explicit input)',
    users({ includeGuestsOrExternalUsers: guests('otherExternalUser') }),
    as(USERS.fabrikamGuest, { externalUserType: 'otherExternalUser', externalTenantId: TENANTS.fabrikam }),
    'notSet',
  ),
  single(
    'a B2B guest is not an other external user',
    '§2.3 otherExternalUser only as fallback; §6 #3',
    users({ includeGuestsOrExternalUsers: guests('otherExternalUser') }),
    as(USERS.fabrikamGuest),
    'users',
  ),
  single(
    'legacy GuestsOrExternalUsers includes a service provider',
    '§2.2 legacy GuestsOrExternalUsers = all six types',
    users({ includeUsers: ['GuestsOrExternalUsers'] }),
    as(USERS.serviceProvider),
    'notSet',
  ),
  single(
    'legacy GuestsOrExternalUsers includes a direct-connect user',
    '§2.2 legacy GuestsOrExternalUsers = all six types; §6 #4',
    users({ includeUsers: ['GuestsOrExternalUsers'] }),
    as('0f2d6f43-1111-4a4a-9c9c-000000000002', {
      externalUserType: 'b2bDirectConnectUser',
      externalTenantId: TENANTS.fabrikam,
    }),
    'notSet',
  ),
  single(
    'direct-connect type includes a user without a directory object',
    '§2.3 b2bDirectConnectUser (explicit input)',
    users({ includeGuestsOrExternalUsers: guests('b2bDirectConnectUser', [TENANTS.fabrikam]) }),
    as('0f2d6f43-1111-4a4a-9c9c-000000000003', {
      externalUserType: 'b2bDirectConnectUser',
      externalTenantId: TENANTS.fabrikam,
    }),
    'notSet',
  ),
];

const workload = (clientApplications: Json, extra: Json = {}) => ({
  users: { includeUsers: ['None'] },
  clientApplications,
  ...extra,
});
const block = { grant: grant('OR', 'block') };
const inMyTenant = { includeServicePrincipals: ['ServicePrincipalsInMyTenant'] };
const spFrom = (appId: string, conditions: Json = {}) =>
  request(spSignIn(appId), appContext(APPS.expenses), conditions);

/** §2.4: workload identities. */
const workloadCases: WhatIfCase[] = [
  {
    name: 'a workload identity policy blocks the service principal',
    rule: '§2.4 workload identities; §4.1 block wins',
    policies: [policy('P', workload(inMyTenant), block)],
    request: spFrom(APPS.expenses),
    expect: { P: 'notSet' },
    decision: 'blocked',
  },
  single(
    'workload identity policy with a location: inside',
    '§2.4 conditions usable: locations',
    workload(inMyTenant, { locations: { includeLocations: ['@loc:HQ'], excludeLocations: [] } }),
    spFrom(APPS.expenses, { ipAddress: '203.0.113.20' }),
    'notSet',
    block,
  ),
  single(
    'workload identity policy with a location: outside',
    '§2.4 conditions usable: locations',
    workload(inMyTenant, { locations: { includeLocations: ['@loc:HQ'], excludeLocations: [] } }),
    spFrom(APPS.expenses, { ipAddress: '192.0.2.44' }),
    'location',
    block,
  ),
  single(
    'service principal filter alone selects: match',
    '§2.4 servicePrincipalFilter (no ids listed)',
    workload({
      includeServicePrincipals: [],
      servicePrincipalFilter: {
        mode: 'include',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -eq "Medium"',
      },
    }),
    spFrom(APPS.expenses),
    'notSet',
    block,
  ),
  single(
    'service principal filter alone selects: no match',
    '§2.4 servicePrincipalFilter (no ids listed)',
    workload({
      includeServicePrincipals: [],
      servicePrincipalFilter: {
        mode: 'include',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -eq "Medium"',
      },
    }),
    spFrom(APPS.hrPortal),
    'workloadIdentities',
    block,
  ),
  single(
    'service principal risk input defaults to none',
    '§2.9 servicePrincipalRiskLevels; §6 #13',
    { ...workload(inMyTenant), servicePrincipalRiskLevels: ['low', 'medium', 'high'] },
    spFrom(APPS.expenses),
    'workloadIdentities',
    block,
  ),
  single(
    'included by object id, excluded by object id',
    '§2.4 excludeServicePrincipals wins',
    workload({
      includeServicePrincipals: [SERVICE_PRINCIPALS.expenses, SERVICE_PRINCIPALS.hrPortal],
      excludeServicePrincipals: [SERVICE_PRINCIPALS.hrPortal],
    }),
    spFrom(APPS.hrPortal),
    'workloadIdentities',
    block,
  ),
];

/** §2.5: target resources. */
const resourceCases: WhatIfCase[] = [
  single(
    'excluded admin portals win over All',
    '§2.5 excludeApplications MicrosoftAdminPortals; exclusion wins',
    apps({ includeApplications: ['All'], excludeApplications: ['MicrosoftAdminPortals'] }),
    to(APPS.azurePortal),
    'application',
  ),
  single(
    'Service Management API covers the Azure portal',
    '§2.5 Windows Azure Service Management API covers ARM, Azure portal/Entra admin center',
    apps({ includeApplications: [APPS.azureManagement] }),
    to(APPS.azurePortal),
    'notSet',
  ),
  single(
    'Service Management API covers itself',
    '§2.5 app ids; Windows Azure Service Management API',
    apps({ includeApplications: [APPS.azureManagement] }),
    to(APPS.azureManagement),
    'notSet',
  ),
  single(
    'Service Management API does not cover Microsoft Graph',
    '§2.5 Windows Azure Service Management API',
    apps({ includeApplications: [APPS.azureManagement] }),
    to(APPS.graph),
    'application',
  ),
  single(
    'excluding the Service Management API excludes the Azure portal',
    '§2.5 Windows Azure Service Management API; exclusion wins',
    apps({ includeApplications: ['All'], excludeApplications: [APPS.azureManagement] }),
    to(APPS.azurePortal),
    'application',
  ),
  single(
    'a policy for Exchange does not reach Teams',
    '§2.5 What If does not model service dependencies',
    apps({ includeApplications: [APPS.exchange] }),
    to(APPS.teams),
    'application',
  ),
  single(
    'All as input matches nothing',
    '§2.5 a group name as input matches nothing',
    {},
    to('All'),
    'application',
  ),
  single(
    'MicrosoftAdminPortals as input matches nothing',
    '§2.5 a group name as input matches nothing',
    apps({ includeApplications: ['MicrosoftAdminPortals'] }),
    to('MicrosoftAdminPortals'),
    'application',
  ),
  single(
    'user action policy vs an authentication context',
    '§2.5 includeAuthenticationContextClassReferences',
    apps({ includeUserActions: ['urn:user:registersecurityinfo'] }),
    authContext('c1'),
    'authenticationContext',
  ),
  single(
    'auth context policy vs a user action',
    '§2.5 includeUserActions',
    apps({ includeAuthenticationContextClassReferences: ['c1'] }),
    userAction('registerSecurityInformation'),
    'userActions',
  ),
  single(
    'All resources on register device',
    '§2.5 All resources on user actions; §6 #7',
    {},
    userAction('registerOrJoinDevices'),
    'notSet',
  ),
];

export const REFERENCE_AUDIT_ASSIGNMENT_CASES: WhatIfCase[] = [
  ...generalCases,
  ...identityCases,
  ...workloadCases,
  ...resourceCases,
];
