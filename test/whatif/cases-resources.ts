/** What-If cases for what the sign-in is for and from where (ca-evaluation §2.5–2.11). */
import { appContext, request, single, userSignIn, type Json, type WhatIfCase } from './case-builders.ts';
import { APPS, USERS } from './demo-identities.ts';

const member = userSignIn(USERS.member);
const to = (...appIds: string[]) => request(member, appContext(...appIds));
const apps = (a: Json) => ({ applications: a });
const userAction = (action: string) =>
  request(member, { '@odata.type': '#microsoft.graph.userActionContext', userAction: action });
const authContext = (value: string) =>
  request(member, { '@odata.type': '#microsoft.graph.authContext', authenticationContextValue: value });
const withConditions = (conditions: Json) => request(member, appContext(APPS.expenses), conditions);

const applicationCases: WhatIfCase[] = [
  single('All resources matches any app', '§2.5 All', {}, to(APPS.graph), 'notSet'),
  single(
    'None matches nothing',
    '§2.5 None',
    apps({ includeApplications: ['None'] }),
    to(APPS.graph),
    'application',
  ),
  single(
    'app id matches',
    '§2.5 app ids',
    apps({ includeApplications: [APPS.expenses] }),
    to(APPS.expenses),
    'notSet',
  ),
  single(
    'other app id',
    '§2.5 app ids',
    apps({ includeApplications: [APPS.hrPortal] }),
    to(APPS.expenses),
    'application',
  ),
  single(
    'Office365 covers SharePoint',
    '§2.5 Office365 (evaluate Ex. 1)',
    apps({ includeApplications: ['Office365'] }),
    to(APPS.sharePoint),
    'notSet',
  ),
  single(
    'Office365 covers Exchange',
    '§2.5 Office365',
    apps({ includeApplications: ['Office365'] }),
    to(APPS.exchange),
    'notSet',
  ),
  single(
    'Office365 covers Teams',
    '§2.5 Office365',
    apps({ includeApplications: ['Office365'] }),
    to(APPS.teams),
    'notSet',
  ),
  single(
    'Office365 does not cover Graph',
    '§2.5 Office365',
    apps({ includeApplications: ['Office365'] }),
    to(APPS.graph),
    'application',
  ),
  single(
    'admin portals cover the Azure portal',
    '§2.5 MicrosoftAdminPortals',
    apps({ includeApplications: ['MicrosoftAdminPortals'] }),
    to(APPS.azurePortal),
    'notSet',
  ),
  single(
    'admin portals do not cover ARM',
    '§2.5 MicrosoftAdminPortals (not the APIs)',
    apps({ includeApplications: ['MicrosoftAdminPortals'] }),
    to(APPS.azureManagement),
    'application',
  ),
  single(
    'excluded app wins over All',
    '§2.5 exclusion wins',
    apps({ includeApplications: ['All'], excludeApplications: [APPS.expenses] }),
    to(APPS.expenses),
    'application',
  ),
  single(
    'excluded Office365 wins',
    '§2.5 exclusion wins',
    apps({ includeApplications: ['All'], excludeApplications: ['Office365'] }),
    to(APPS.exchange),
    'application',
  ),
  single(
    'exclusion of another app',
    '§2.5 exclusion wins',
    apps({ includeApplications: ['All'], excludeApplications: ['Office365'] }),
    to(APPS.expenses),
    'notSet',
  ),
  single(
    'group name as input matches nothing',
    '§2.5 What-If input must be an App ID',
    apps({ includeApplications: ['Office365'] }),
    to('Office365'),
    'application',
  ),
  single(
    'any of several apps',
    '§2.5 app ids',
    apps({ includeApplications: [APPS.hrPortal] }),
    to(APPS.expenses, APPS.hrPortal),
    'notSet',
  ),
  single(
    'application filter include',
    '§2.5 applicationFilter',
    apps({
      includeApplications: [],
      applicationFilter: {
        mode: 'include',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -eq "High"',
      },
    }),
    to(APPS.hrPortal),
    'notSet',
  ),
  single(
    'application filter include, no match',
    '§2.5 applicationFilter',
    apps({
      includeApplications: [],
      applicationFilter: {
        mode: 'include',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -eq "High"',
      },
    }),
    to(APPS.expenses),
    'application',
  ),
  single(
    'application filter exclude wins',
    '§2.5 applicationFilter; exclusion wins',
    apps({
      includeApplications: ['All'],
      applicationFilter: {
        mode: 'exclude',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -in ["High","Critical"]',
      },
    }),
    to(APPS.hrPortal),
    'application',
  ),
  single(
    'application filter: app without attributes',
    '§2.5 applicationFilter; null attributes',
    apps({
      includeApplications: ['All'],
      applicationFilter: {
        mode: 'exclude',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -eq "High"',
      },
    }),
    to(APPS.graph),
    'notSet',
  ),
  single(
    'application filter that does not parse',
    '§2.5 applicationFilter; invalid rule',
    apps({
      includeApplications: ['All'],
      applicationFilter: {
        mode: 'exclude',
        rule: 'CustomSecurityAttribute.AppSecurity_Sensitivity -like "High"',
      },
    }),
    to(APPS.hrPortal),
    'invalidCondition',
  ),
  single(
    'register security info',
    '§2.5 includeUserActions',
    apps({ includeUserActions: ['urn:user:registersecurityinfo'] }),
    userAction('registerSecurityInformation'),
    'notSet',
  ),
  single(
    'register device',
    '§2.5 includeUserActions',
    apps({ includeUserActions: ['urn:user:registerdevice'] }),
    userAction('registerOrJoinDevices'),
    'notSet',
  ),
  single(
    'other user action',
    '§2.5 includeUserActions',
    apps({ includeUserActions: ['urn:user:registerdevice'] }),
    userAction('registerSecurityInformation'),
    'userActions',
  ),
  single(
    'app policy vs user action',
    '§2.5 includeUserActions',
    apps({ includeApplications: [APPS.expenses] }),
    userAction('registerSecurityInformation'),
    'userActions',
  ),
  single(
    'All resources on a user action',
    '§2.5 All resources apply to user action (Ex. 3); §6 #7',
    {},
    userAction('registerSecurityInformation'),
    'notSet',
  ),
  single(
    'user action policy vs app',
    '§2.5 includeUserActions',
    apps({ includeUserActions: ['urn:user:registersecurityinfo'] }),
    to(APPS.expenses),
    'application',
  ),
  single(
    'auth context listed',
    '§2.5 includeAuthenticationContextClassReferences',
    apps({ includeAuthenticationContextClassReferences: ['c1', 'c2'] }),
    authContext('c2'),
    'notSet',
  ),
  single(
    'auth context not listed',
    '§2.5 includeAuthenticationContextClassReferences',
    apps({ includeAuthenticationContextClassReferences: ['c1'] }),
    authContext('c3'),
    'authenticationContext',
  ),
  single(
    'All resources on auth context',
    '§2.5 [ambiguous] All on auth context; §6 #7',
    {},
    authContext('c5'),
    'notSet',
  ),
  single(
    'app policy vs auth context',
    '§2.5 includeAuthenticationContextClassReferences',
    apps({ includeApplications: [APPS.expenses] }),
    authContext('c1'),
    'authenticationContext',
  ),
];

const platforms = (include: string[], exclude: string[] = []) => ({
  platforms: { includePlatforms: include, excludePlatforms: exclude },
});
const on = (devicePlatform: string) => withConditions({ devicePlatform });

const platformCases: WhatIfCase[] = [
  single('platform listed', '§2.7 includePlatforms', platforms(['iOS', 'android']), on('iOS'), 'notSet'),
  single(
    'platform not listed',
    '§2.7 includePlatforms',
    platforms(['iOS', 'android']),
    on('windows'),
    'devicePlatform',
  ),
  single('all platforms', '§2.7 includePlatforms all', platforms(['all']), on('linux'), 'notSet'),
  single(
    'excluded platform wins',
    '§2.7 exclusion wins',
    platforms(['all'], ['windows']),
    on('windows'),
    'devicePlatform',
  ),
  single(
    'not excluded platform',
    '§2.7 exclusion wins',
    platforms(['all'], ['windows']),
    on('macOS'),
    'notSet',
  ),
  single('linux listed', '§2.7 linux', platforms(['linux']), on('linux'), 'notSet'),
  single(
    'windowsPhone vs windows',
    '§2.7 includePlatforms',
    platforms(['windowsPhone']),
    on('windows'),
    'devicePlatform',
  ),
  single(
    'unknown platform vs specific list',
    '§2.7 [ambiguous] input all; §6 #5',
    platforms(['iOS']),
    on('all'),
    'notEnoughInformation',
  ),
  single(
    'unknown platform vs all',
    '§2.7 input all matches include all',
    platforms(['all']),
    on('all'),
    'notSet',
  ),
  single(
    'unknown platform cannot be excluded',
    '§2.7 block unsupported platforms',
    platforms(['all'], ['android', 'iOS', 'windows', 'macOS', 'linux']),
    withConditions({}),
    'notSet',
  ),
  single(
    'supported platform excluded from unsupported-platform block',
    '§2.7 block unsupported platforms',
    platforms(['all'], ['android', 'iOS', 'windows', 'macOS', 'linux']),
    on('android'),
    'devicePlatform',
  ),
  single('platform case-insensitive', '§2.7 includePlatforms', platforms(['macOS']), on('macos'), 'notSet'),
];

const clientApps = (types: string[]) => ({ clientAppTypes: types });
const via = (clientAppType: string) => withConditions({ clientAppType });

const clientAppCases: WhatIfCase[] = [
  single('browser listed', '§2.8 browser', clientApps(['browser']), via('browser'), 'notSet'),
  single(
    'browser not listed',
    '§2.8 clientAppTypes',
    clientApps(['mobileAppsAndDesktopClients']),
    via('browser'),
    'clientApps',
  ),
  single('legacy other', '§2.8 other', clientApps(['exchangeActiveSync', 'other']), via('other'), 'notSet'),
  single(
    'legacy vs modern list',
    '§2.8 clientAppTypes',
    clientApps(['exchangeActiveSync', 'other']),
    via('browser'),
    'clientApps',
  ),
  single('all client apps', '§2.8 all', clientApps(['all']), via('exchangeActiveSync'), 'notSet'),
  single(
    'EAS covers easSupported',
    '§2.8 exchangeActiveSync',
    clientApps(['exchangeActiveSync']),
    via('easSupported'),
    'notSet',
  ),
  single(
    'unknown client app vs list',
    '§2.8 input all [ambiguous]; §6 #5',
    clientApps(['browser']),
    withConditions({}),
    'notEnoughInformation',
  ),
  single(
    'mobile and desktop',
    '§2.8 mobileAppsAndDesktopClients',
    clientApps(['browser', 'mobileAppsAndDesktopClients']),
    via('mobileAppsAndDesktopClients'),
    'notSet',
  ),
];

export const RESOURCE_CASES: WhatIfCase[] = [...applicationCases, ...platformCases, ...clientAppCases];
