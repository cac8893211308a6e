/**
 * What-If cases from a rule-by-rule audit of ca-evaluation.md, §2.6–2.9 and §5.2: locations, the What If tool's own
 * example of missing inputs, platforms, client apps, risk.
 * Rules only the engine can see are in src/whatif/reference-audit.test.ts.
 */
import { appContext, grant, policy, request, single, type Json, type WhatIfCase } from './case-builders.ts';
import { APPS } from './demo-identities.ts';
import { member, withConditions } from './audit-requests.ts';

const locations = (include: string[], exclude: string[] = []) => ({
  locations: { includeLocations: include, excludeLocations: exclude },
});

/** §2.6: locations. */
const locationCases: WhatIfCase[] = [
  single(
    'ip location given only a country',
    '§2.6 ip location needs an ip; §5.2 missing input',
    locations(['@loc:HQ']),
    withConditions({ country: 'FR' }),
    'notEnoughInformation',
  ),
  single(
    'country decides even when the ip is trusted',
    '§2.6 country precedence; §6 #8',
    locations(['@loc:Sanctioned']),
    withConditions({ country: 'FR', ipAddress: '203.0.113.5' }),
    'location',
  ),
  single(
    'a known country not listed does not count as unknown',
    '§2.6 includeUnknownCountriesAndRegions only for unmapped sign-ins',
    locations(['@loc:Unknown']),
    withConditions({ country: 'FR' }),
    'location',
  ),
  single(
    'AllTrusted over IPv6',
    '§2.6 AllTrusted (trusted ip location, IPv6 range)',
    locations(['AllTrusted']),
    withConditions({ ipAddress: '2001:db8:abcd:1::5' }),
    'notSet',
  ),
  single(
    'excluding trusted locations needs an ip',
    '§2.6 AllTrusted needs an ip; §5.2 missing input',
    locations(['All'], ['AllTrusted']),
    withConditions({ country: 'FR' }),
    'notEnoughInformation',
  ),
  single(
    'include one location, exclude another',
    '§2.6 include any / exclude any',
    locations(['@loc:HQ'], ['@loc:Branch']),
    withConditions({ ipAddress: '203.0.113.30' }),
    'notSet',
  ),
  single(
    'excluded country wins over All',
    '§2.6 exclusion wins (country)',
    locations(['All'], ['@loc:Sanctioned']),
    withConditions({ country: 'KP' }),
    'location',
  ),
];

/** The What If tool's example (ca/what-if-tool.md, §5.2): All users, Office 365, one country, sign-in risk high. */
const toolExample = {
  applications: { includeApplications: ['Office365'] },
  ...locations(['@loc:Sanctioned']),
  signInRiskLevels: ['high'],
};
const onSharePoint = (conditions: Json) => request(member, appContext(APPS.sharePoint), conditions);

const inputCases: WhatIfCase[] = [
  single(
    'tool example: application only',
    '§5.2 missing data for a condition the policy uses → not applying (What If example row 2)',
    toolExample,
    onSharePoint({}),
    'notEnoughInformation',
  ),
  single(
    'tool example: application and location',
    '§5.2 missing data → not applying (row 3); §2.9 risk input defaults to none',
    toolExample,
    onSharePoint({ country: 'IR' }),
    'signInRisk',
  ),
  single(
    'tool example: application, location and risk',
    '§5.2 every input given → applies (row 4)',
    toolExample,
    onSharePoint({ country: 'IR', signInRiskLevel: 'high' }),
    'notSet',
  ),
];

const platforms = (include: string[], exclude: string[] = []) => ({
  platforms: { includePlatforms: include, excludePlatforms: exclude },
});

/** §2.7–2.8: platforms and client apps. */
const deviceCases: WhatIfCase[] = [
  single(
    'windowsPhone listed',
    '§2.7 platform values',
    platforms(['windowsPhone']),
    withConditions({ devicePlatform: 'windowsPhone' }),
    'notSet',
  ),
  single(
    'exclusion wins over a specific include',
    '§2.7 exclusions win',
    platforms(['iOS', 'android'], ['android']),
    withConditions({ devicePlatform: 'android' }),
    'devicePlatform',
  ),
  single(
    'Exchange ActiveSync not among other legacy clients',
    '§2.8 exchangeActiveSync vs other',
    { clientAppTypes: ['other'] },
    withConditions({ clientAppType: 'exchangeActiveSync' }),
    'clientApps',
  ),
  single(
    'EAS on supported platforms listed',
    '§2.8 easSupported',
    { clientAppTypes: ['easSupported'] },
    withConditions({ clientAppType: 'easSupported' }),
    'notSet',
  ),
  {
    name: 'legacy client facing a compliant device is blocked',
    rule: '§2.8 legacy clients cannot send device state → effectively blocked',
    policies: [policy('Device', {}, { grant: grant('OR', 'compliantDevice') })],
    request: withConditions({ clientAppType: 'other' }),
    expect: { Device: 'notSet' },
    decision: 'blocked',
  },
  {
    name: 'legacy client under a session-only policy is granted',
    rule: '§2.8 only controls block a legacy client; §4.2 session-only policies apply',
    policies: [
      policy(
        'Session',
        {},
        {
          grant: null,
          session: { applicationEnforcedRestrictions: { isEnabled: true } },
        },
      ),
    ],
    request: withConditions({ clientAppType: 'exchangeActiveSync' }),
    expect: { Session: 'notSet' },
    decision: 'granted',
  },
];

/** §2.9: risk. */
const riskCases: WhatIfCase[] = [
  single(
    'user risk input defaults to none',
    '§2.9 userRiskLevel default none',
    { userRiskLevels: ['low', 'medium', 'high'] },
    withConditions({}),
    'userRisk',
  ),
  single(
    'hidden sign-in risk listed',
    '§2.9 signInRiskLevels hidden',
    { signInRiskLevels: ['hidden'] },
    withConditions({ signInRiskLevel: 'hidden' }),
    'notSet',
  ),
  single(
    'risk level none listed matches the default',
    '§2.9 input default none ∈ list',
    { signInRiskLevels: ['none'] },
    withConditions({}),
    'notSet',
  ),
  single(
    'insider risk minor listed',
    '§2.9 insiderRiskLevels',
    { insiderRiskLevels: 'minor' },
    withConditions({ insiderRiskLevel: 'minor' }),
    'notSet',
  ),
  single(
    'user risk checked before insider risk',
    '§5.3 order (userRisk before insiderRisk)',
    { userRiskLevels: ['high'], insiderRiskLevels: 'elevated' },
    withConditions({}),
    'userRisk',
  ),
  single(
    'insider risk checked before authentication flow',
    '§5.3 order (insiderRisk before authenticationFlow)',
    { insiderRiskLevels: 'elevated', authenticationFlows: { transferMethods: 'deviceCodeFlow' } },
    withConditions({}),
    'insiderRisk',
  ),
];

export const REFERENCE_AUDIT_CONDITION_CASES: WhatIfCase[] = [
  ...locationCases,
  ...inputCases,
  ...deviceCases,
  ...riskCases,
];
