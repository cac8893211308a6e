/** What-If cases for who signs in: users, groups, roles, guests, workload identities (ca-evaluation §2.2–2.4). */
import {
  appContext,
  grant,
  policy,
  request,
  single,
  spSignIn,
  userSignIn,
  type WhatIfCase,
} from './case-builders.ts';
import { APPS, GROUPS, ROLES, SERVICE_PRINCIPALS, TENANTS, USERS } from './demo-identities.ts';

const app = appContext(APPS.expenses);
const as = (userId: string, extra = {}) => request(userSignIn(userId, extra), app);
const users = (u: Record<string, unknown>) => ({ users: u });

const userCases: WhatIfCase[] = [
  single('All users includes a member', '§2.2 includeUsers All', {}, as(USERS.member), 'notSet'),
  single(
    'All users includes a B2B guest',
    '§2.2 All includes B2B guests',
    {},
    as(USERS.fabrikamGuest),
    'notSet',
  ),
  single(
    'All users includes an internal guest',
    '§2.2 includeUsers All',
    {},
    as(USERS.internalGuest),
    'notSet',
  ),
  single(
    'None matches nobody',
    '§2.2 includeUsers None',
    users({ includeUsers: ['None'] }),
    as(USERS.member),
    'users',
  ),
  single(
    'user id included',
    '§2.2 user ids',
    users({ includeUsers: [USERS.member] }),
    as(USERS.member),
    'notSet',
  ),
  single(
    'other user id not included',
    '§2.2 user ids',
    users({ includeUsers: [USERS.sales] }),
    as(USERS.member),
    'users',
  ),
  single(
    'excluded user id wins over All',
    '§2.2 exclusion wins',
    users({ includeUsers: ['All'], excludeUsers: [USERS.member] }),
    as(USERS.member),
    'users',
  ),
  single(
    'excluded user id wins over included id',
    '§2.2 exclusion wins',
    users({ includeUsers: [USERS.member], excludeUsers: [USERS.member] }),
    as(USERS.member),
    'users',
  ),
  single(
    'direct group member',
    '§2.2 includeGroups',
    users({ includeGroups: [GROUPS.engineering] }),
    as(USERS.member),
    'notSet',
  ),
  single(
    'not a group member',
    '§2.2 includeGroups',
    users({ includeGroups: [GROUPS.sales] }),
    as(USERS.member),
    'users',
  ),
  single(
    'nested group member',
    '§2.2 groups with nesting',
    users({ includeGroups: [GROUPS.allEmployees] }),
    as(USERS.member),
    'notSet',
  ),
  single(
    'doubly nested member (IT > Helpdesk)',
    '§2.2 groups with nesting',
    users({ includeGroups: [GROUPS.it] }),
    as(USERS.helpdesk),
    'notSet',
  ),
  single(
    'excluded nested group wins',
    '§2.2 exclusion wins',
    users({ includeUsers: ['All'], excludeGroups: [GROUPS.allEmployees] }),
    as(USERS.member),
    'users',
  ),
  single(
    'break-glass group excluded',
    '§2.2 exclusion wins',
    users({ includeUsers: ['All'], excludeGroups: [GROUPS.breakGlass] }),
    as(USERS.breakGlass1),
    'users',
  ),
  single(
    'break-glass exclusion leaves others in',
    '§2.2 exclusion wins',
    users({ includeUsers: ['All'], excludeGroups: [GROUPS.breakGlass] }),
    as(USERS.member),
    'notSet',
  ),
  single(
    'Unified group member',
    '§2.2 any group type',
    users({ includeGroups: [GROUPS.phoenix] }),
    as(USERS.fabrikamGuest),
    'notSet',
  ),
  single(
    'role holder included',
    '§2.2 includeRoles',
    users({ includeRoles: [ROLES.globalAdmin] }),
    as(USERS.globalAdmin),
    'notSet',
  ),
  single(
    'non holder of the role',
    '§2.2 includeRoles',
    users({ includeRoles: [ROLES.globalAdmin] }),
    as(USERS.member),
    'users',
  ),
  single(
    'role through a group',
    '§2.2 active roles',
    users({ includeRoles: [ROLES.helpdeskAdmin] }),
    as(USERS.helpdesk),
    'notSet',
  ),
  single(
    'excluded role wins',
    '§2.2 exclusion wins',
    users({ includeUsers: ['All'], excludeRoles: [ROLES.caAdmin] }),
    as(USERS.caAdmin),
    'users',
  ),
  single(
    'break-glass holds Global Administrator',
    '§2.2 includeRoles',
    users({ includeRoles: [ROLES.globalAdmin] }),
    as(USERS.breakGlass2),
    'notSet',
  ),
  single(
    'other role not matched',
    '§2.2 includeRoles',
    users({ includeRoles: [ROLES.securityAdmin] }),
    as(USERS.caAdmin),
    'users',
  ),
  single(
    'group and role include either',
    '§2.2 include any',
    users({ includeGroups: [GROUPS.sales], includeRoles: [ROLES.caAdmin] }),
    as(USERS.caAdmin),
    'notSet',
  ),
];

const guests = (types: string, tenants?: string[]) => ({
  guestOrExternalUserTypes: types,
  externalTenants: tenants
    ? {
        '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
        membershipKind: 'enumerated',
        members: tenants,
      }
    : { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' },
});
const includeGuests = (types: string, tenants?: string[]) =>
  users({ includeGuestsOrExternalUsers: guests(types, tenants) });

const guestCases: WhatIfCase[] = [
  single(
    'B2B guest type included',
    '§2.3 b2bCollaborationGuest',
    includeGuests('b2bCollaborationGuest'),
    as(USERS.fabrikamGuest),
    'notSet',
  ),
  single(
    'member is not a guest type',
    '§2.3 b2bCollaborationGuest',
    includeGuests('b2bCollaborationGuest'),
    as(USERS.member),
    'users',
  ),
  single(
    'B2B member type',
    '§2.3 b2bCollaborationMember',
    includeGuests('b2bCollaborationMember'),
    as(USERS.b2bMember),
    'notSet',
  ),
  single(
    'B2B member is not a B2B guest',
    '§2.3 b2bCollaborationMember',
    includeGuests('b2bCollaborationGuest'),
    as(USERS.b2bMember),
    'users',
  ),
  single(
    'internal guest type',
    '§2.3 internalGuest',
    includeGuests('internalGuest'),
    as(USERS.internalGuest),
    'notSet',
  ),
  single(
    'internal guest is not B2B',
    '§2.3 internalGuest',
    includeGuests('b2bCollaborationGuest'),
    as(USERS.internalGuest),
    'users',
  ),
  single(
    'service provider type',
    '§2.3 serviceProvider',
    includeGuests('serviceProvider'),
    as(USERS.serviceProvider),
    'notSet',
  ),
  single(
    'MSA guest is a B2B guest',
    '§2.3 b2bCollaborationGuest (MicrosoftAccount)',
    includeGuests('b2bCollaborationGuest'),
    as(USERS.msaGuest),
    'notSet',
  ),
  single(
    'email OTP guest is a B2B guest',
    '§2.3 b2bCollaborationGuest (mail)',
    includeGuests('b2bCollaborationGuest'),
    as(USERS.otpGuest),
    'notSet',
  ),
  single(
    'pending guest classified by UPN',
    '§2.3 pending acceptance',
    includeGuests('b2bCollaborationGuest'),
    as(USERS.pendingGuest),
    'notSet',
  ),
  single(
    'enumerated tenant matches home tenant',
    '§2.2 guest tenant scoping',
    includeGuests('b2bCollaborationGuest', [TENANTS.fabrikam]),
    as(USERS.fabrikamGuest),
    'notSet',
  ),
  single(
    'enumerated tenant excludes other tenant',
    '§2.2 guest tenant scoping',
    includeGuests('b2bCollaborationGuest', [TENANTS.fabrikam]),
    as(USERS.northwindGuest),
    'users',
  ),
  single(
    'enumerated tenant: MSA guest has no home tenant',
    '§2.2 guest tenant scoping',
    includeGuests('b2bCollaborationGuest', [TENANTS.fabrikam]),
    as(USERS.msaGuest),
    'users',
  ),
  single(
    'explicit externalUserType wins',
    '§2.3 explicit input wins',
    includeGuests('b2bDirectConnectUser'),
    as(USERS.fabrikamGuest, { externalUserType: 'b2bDirectConnectUser', externalTenantId: TENANTS.fabrikam }),
    'notSet',
  ),
  single(
    'explicit externalTenantId scopes',
    '§2.3 explicit input wins',
    includeGuests('b2bCollaborationGuest', [TENANTS.northwind]),
    as(USERS.fabrikamGuest, {
      externalUserType: 'b2bCollaborationGuest',
      externalTenantId: TENANTS.northwind,
    }),
    'notSet',
  ),
  single(
    'excluded guest types win over All',
    '§2.2 exclusion wins',
    users({
      includeUsers: ['All'],
      excludeGuestsOrExternalUsers: guests('b2bCollaborationGuest,serviceProvider'),
    }),
    as(USERS.serviceProvider),
    'users',
  ),
  single(
    'excluded guest types leave members in',
    '§2.2 exclusion wins',
    users({ includeUsers: ['All'], excludeGuestsOrExternalUsers: guests('b2bCollaborationGuest') }),
    as(USERS.member),
    'notSet',
  ),
  single(
    'legacy GuestsOrExternalUsers includes a guest',
    '§2.2 legacy GuestsOrExternalUsers',
    users({ includeUsers: ['GuestsOrExternalUsers'] }),
    as(USERS.northwindGuest),
    'notSet',
  ),
  single(
    'legacy GuestsOrExternalUsers includes a B2B member',
    '§2.2 legacy GuestsOrExternalUsers',
    users({ includeUsers: ['GuestsOrExternalUsers'] }),
    as(USERS.b2bMember),
    'notSet',
  ),
  single(
    'legacy GuestsOrExternalUsers excludes a member',
    '§2.2 legacy GuestsOrExternalUsers',
    users({ includeUsers: ['GuestsOrExternalUsers'] }),
    as(USERS.member),
    'users',
  ),
  single(
    'legacy GuestsOrExternalUsers exclusion',
    '§2.2 exclusion wins',
    users({ includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers'] }),
    as(USERS.internalGuest),
    'users',
  ),
  single(
    'direct-connect user is not in All',
    '§2.2 All vs B2B direct connect [ambiguous]',
    {},
    as('0f2d6f43-1111-4a4a-9c9c-000000000001', {
      externalUserType: 'b2bDirectConnectUser',
      externalTenantId: TENANTS.fabrikam,
    }),
    'users',
  ),
];

const workload = (clientApplications: Record<string, unknown>) => ({
  users: { includeUsers: ['None'] },
  clientApplications,
});
const block = { grant: grant('OR', 'block') };
const sp = (id: string) => request(spSignIn(id), app);

const workloadCases: WhatIfCase[] = [
  single(
    'SP in my tenant',
    '§2.4 ServicePrincipalsInMyTenant',
    workload({ includeServicePrincipals: ['ServicePrincipalsInMyTenant'] }),
    sp(APPS.expenses),
    'notSet',
    block,
  ),
  single(
    'SP by object id',
    '§2.4 includeServicePrincipals ids',
    workload({ includeServicePrincipals: [SERVICE_PRINCIPALS.expenses] }),
    sp(APPS.expenses),
    'notSet',
    block,
  ),
  single(
    'other SP id',
    '§2.4 includeServicePrincipals ids',
    workload({ includeServicePrincipals: [SERVICE_PRINCIPALS.hrPortal] }),
    sp(APPS.expenses),
    'workloadIdentities',
    block,
  ),
  single(
    'excluded SP wins',
    '§2.4 exclusion wins',
    workload({
      includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
      excludeServicePrincipals: [SERVICE_PRINCIPALS.expenses],
    }),
    sp(APPS.expenses),
    'workloadIdentities',
    block,
  ),
  single(
    'multi-tenant first-party SP never covered',
    '§2.4 single-tenant only',
    workload({ includeServicePrincipals: ['ServicePrincipalsInMyTenant'] }),
    sp(APPS.azureManagement),
    'workloadIdentities',
    block,
  ),
  single(
    'user policy vs SP sign-in',
    '§2.4 users vs workload identities',
    {},
    sp(APPS.expenses),
    'workloadIdentities',
  ),
  single(
    'workload policy vs user sign-in',
    '§2.4 users vs workload identities',
    workload({ includeServicePrincipals: ['ServicePrincipalsInMyTenant'] }),
    as(USERS.member),
    'users',
    block,
  ),
  single(
    'SP filter include matches',
    '§2.4 servicePrincipalFilter',
    workload({
      includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
      servicePrincipalFilter: {
        mode: 'include',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -eq "Medium"',
      },
    }),
    sp(APPS.expenses),
    'notSet',
    block,
  ),
  single(
    'SP filter include narrows',
    '§2.4 servicePrincipalFilter',
    workload({
      includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
      servicePrincipalFilter: {
        mode: 'include',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -eq "High"',
      },
    }),
    sp(APPS.expenses),
    'workloadIdentities',
    block,
  ),
  single(
    'SP filter exclude drops matches',
    '§2.4 servicePrincipalFilter',
    workload({
      includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
      servicePrincipalFilter: {
        mode: 'exclude',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -eq "High"',
      },
    }),
    sp(APPS.hrPortal),
    'workloadIdentities',
    block,
  ),
  single(
    'SP risk met',
    '§2.9 servicePrincipalRiskLevels',
    {
      ...workload({ includeServicePrincipals: ['ServicePrincipalsInMyTenant'] }),
      servicePrincipalRiskLevels: ['high'],
    },
    request(spSignIn(APPS.expenses), app, { servicePrincipalRiskLevel: 'high' }),
    'notSet',
    block,
  ),
  single(
    'SP risk not met → workloadIdentities',
    '§2.9 servicePrincipalRiskLevels; §6 #13',
    {
      ...workload({ includeServicePrincipals: ['ServicePrincipalsInMyTenant'] }),
      servicePrincipalRiskLevels: ['high'],
    },
    request(spSignIn(APPS.expenses), app, { servicePrincipalRiskLevel: 'low' }),
    'workloadIdentities',
    block,
  ),
];

export const IDENTITY_CASES: WhatIfCase[] = [...userCases, ...guestCases, ...workloadCases];

/** Used by the combination cases. */
export { policy };
