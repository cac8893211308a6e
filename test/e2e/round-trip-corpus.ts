/**
 * The round-trip corpus: realistic Conditional Access policies that together use every property of graph-contract
 * §2.2–2.7, named locations of every range type and a country location, custom strengths, method configurations and
 * a cross-tenant partner — as Graph bodies (ids, not names), the way a person would create them in the portal.
 */
type Json = Record<string, unknown>;

/** Ids of the demo directory (deterministic in src/tenant/seed/demo.ts) and of objects the test creates. */
const G = {
  emergency: '2d3b9954-6fbc-5690-986f-ab16ceaa14e8',
  sales: '7b940d4f-394d-5dbf-a9e4-8f821c108878',
  finance: 'bae66026-91dd-5f2f-b6f9-59b404a09afd',
  engineering: 'c55670f5-19cc-5b39-ac53-ed6fca7a51f7',
  guests: '0ba773ae-8725-5f7c-b01c-2c5f368112d0',
  helpdesk: 'a99939e8-3b28-513b-bd53-f57a86348de3',
  globalAdmin: '62e90394-69f5-4237-9190-012177145e10',
  caAdmin: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  secAdmin: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  userAdmin: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  azureManagement: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
  exchange: '00000002-0000-0ff1-ce00-000000000000',
  sharepoint: '00000003-0000-0ff1-ce00-000000000000',
  expenses: '6096f889-e545-4b76-8bc4-11bb814463cd',
  hrPortal: '28e3674e-9604-4d52-bbd9-f8a56b0bc00a',
  writerServicePrincipal: 'f8d1d4bc-d009-5d6a-8b81-56a41e76a12d',
  fabrikam: '31078164-0094-4507-b2db-9329ec36efbc',
  northwind: 'adad71ad-7511-4382-b100-08fee40e1c2a',
  phishingResistant: '00000000-0000-0000-0000-000000000004',
};

export interface CorpusIds {
  /** User object ids by the local part of their UPN. */
  users: Record<string, string>;
  locations: Record<string, string>;
  strengths: Record<string, string>;
}

const ALL_APPS = { includeApplications: ['All'] };
const EXCEPT_BREAK_GLASS = { includeUsers: ['All'], excludeGroups: [G.emergency] };
const BLOCK = { operator: 'OR', builtInControls: ['block'] };
const MFA = { operator: 'OR', builtInControls: ['mfa'] };

function policy(displayName: string, conditions: Json, controls: Json, state = 'enabled'): Json {
  return { displayName, state, conditions: { clientAppTypes: ['all'], ...conditions }, ...controls };
}

function ipLocation(key: string, displayName: string, ipRanges: Json[], isTrusted: boolean) {
  return {
    key,
    body: { '@odata.type': '#microsoft.graph.ipNamedLocation', displayName, isTrusted, ipRanges },
  };
}

export function roundTripCorpus() {
  const namedLocations = [
    ipLocation(
      'hq',
      'Contoso headquarters',
      [
        { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' },
        { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8:abcd::/48' },
      ],
      true,
    ),
    ipLocation(
      'datacenter',
      'Datacenter ranges',
      [
        {
          '@odata.type': '#microsoft.graph.iPv4Range',
          lowerAddress: '198.51.100.10',
          upperAddress: '198.51.100.200',
        },
        {
          '@odata.type': '#microsoft.graph.iPv6Range',
          lowerAddress: '2001:db8:1::1',
          upperAddress: '2001:db8:1::ff',
        },
      ],
      false,
    ),
    {
      key: 'blocked',
      body: {
        '@odata.type': '#microsoft.graph.countryNamedLocation',
        displayName: 'Blocked countries',
        countriesAndRegions: ['KP', 'IR', 'SY'],
        includeUnknownCountriesAndRegions: true,
      },
    },
    {
      key: 'gps',
      body: {
        '@odata.type': '#microsoft.graph.countryNamedLocation',
        displayName: 'Home countries by GPS',
        countriesAndRegions: ['US', 'CA'],
        countryLookupMethod: 'authenticatorAppGps',
      },
    },
  ];
  const strengths = [
    {
      key: 'keys',
      body: {
        displayName: 'Security keys',
        description: 'FIDO2 or Windows Hello',
        allowedCombinations: ['windowsHelloForBusiness', 'fido2'],
      },
    },
    {
      key: 'push',
      body: {
        displayName: 'Authenticator push',
        allowedCombinations: [
          'password,microsoftAuthenticatorPush',
          'deviceBasedPush',
          'temporaryAccessPassOneTime',
        ],
      },
    },
  ];

  const policies = (ids: CorpusIds): Json[] => {
    const user = (name: string): string => {
      const id = ids.users[name];
      if (!id) throw new Error(`the demo directory has no user ${name}`);
      return id;
    };
    return [
      policy(
        'Require MFA for all users',
        { users: EXCEPT_BREAK_GLASS, applications: ALL_APPS },
        { grantControls: MFA },
      ),
      policy(
        'Block legacy authentication',
        {
          users: EXCEPT_BREAK_GLASS,
          applications: ALL_APPS,
          clientAppTypes: ['exchangeActiveSync', 'other'],
        },
        { grantControls: BLOCK },
        'enabledForReportingButNotEnforced',
      ),
      policy(
        'MFA for guests and external users on Azure management',
        {
          users: {
            includeGuestsOrExternalUsers: {
              guestOrExternalUserTypes:
                'internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser,serviceProvider',
              externalTenants: {
                '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants',
                membershipKind: 'all',
              },
            },
          },
          applications: { includeApplications: [G.azureManagement] },
        },
        { grantControls: MFA },
      ),
      policy(
        'Partner tenants need compliant devices',
        {
          users: {
            includeUsers: ['GuestsOrExternalUsers'],
            excludeGuestsOrExternalUsers: {
              guestOrExternalUserTypes: 'b2bCollaborationGuest',
              externalTenants: {
                '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
                membershipKind: 'enumerated',
                members: [G.fabrikam, G.northwind],
              },
            },
          },
          applications: { includeApplications: ['Office365'], excludeApplications: [G.sharepoint] },
        },
        { grantControls: { operator: 'AND', builtInControls: ['compliantDevice', 'mfa'] } },
      ),
      policy(
        'Phishing-resistant MFA for administrators',
        {
          users: {
            includeRoles: [G.globalAdmin, G.caAdmin, G.secAdmin],
            excludeRoles: [G.userAdmin],
            excludeUsers: [user('breakglass1')],
          },
          applications: ALL_APPS,
        },
        { grantControls: { operator: 'OR', authenticationStrength: { id: G.phishingResistant } } },
      ),
      policy(
        'Security keys for finance apps',
        {
          users: { includeGroups: [G.finance], excludeGroups: [G.emergency] },
          applications: { includeApplications: [G.expenses, G.hrPortal] },
        },
        { grantControls: { operator: 'OR', authenticationStrength: { id: ids.strengths.keys } } },
      ),
      policy(
        'Register security info from trusted locations',
        {
          users: EXCEPT_BREAK_GLASS,
          applications: { includeUserActions: ['urn:user:registersecurityinfo'] },
          locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
        },
        { grantControls: BLOCK },
      ),
      policy(
        'MFA to register devices',
        { users: EXCEPT_BREAK_GLASS, applications: { includeUserActions: ['urn:user:registerdevice'] } },
        { grantControls: MFA },
      ),
      policy(
        'Step-up for sensitive actions',
        {
          users: { includeGroups: [G.engineering, G.sales] },
          applications: { includeAuthenticationContextClassReferences: ['c1', 'c7'] },
        },
        { grantControls: { operator: 'OR', authenticationStrength: { id: ids.strengths.push } } },
      ),
      policy(
        'Block high-impact apps by attribute',
        {
          users: EXCEPT_BREAK_GLASS,
          applications: {
            includeApplications: ['All'],
            applicationFilter: {
              mode: 'include',
              rule: 'CustomSecurityAttribute.Governance_Tier -eq "HighImpact"',
            },
          },
          locations: {
            includeLocations: [ids.locations.blocked!, ids.locations.gps!],
            excludeLocations: [ids.locations.hq!],
          },
        },
        { grantControls: BLOCK },
      ),
      policy(
        'Block risky workload identities',
        {
          clientApplications: {
            includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
            excludeServicePrincipals: [G.writerServicePrincipal],
            servicePrincipalFilter: {
              mode: 'exclude',
              rule: 'CustomSecurityAttribute.Workload_Tier -eq "Trusted"',
            },
          },
          applications: ALL_APPS,
          servicePrincipalRiskLevels: ['low', 'medium', 'high'],
        },
        { grantControls: BLOCK },
      ),
      policy(
        'Compliant or domain-joined devices on desktops',
        {
          users: { includeUsers: [user('grace.kim'), user('liam.foster')], includeGroups: [G.helpdesk] },
          applications: { includeApplications: [G.exchange, G.sharepoint] },
          platforms: { includePlatforms: ['all'], excludePlatforms: ['android', 'iOS', 'windowsPhone'] },
          devices: {
            deviceFilter: {
              mode: 'exclude',
              rule: 'device.trustType -eq "ServerAD" -or device.isCompliant -eq True',
            },
          },
        },
        { grantControls: { operator: 'OR', builtInControls: ['compliantDevice', 'domainJoinedDevice'] } },
      ),
      policy(
        'Approved apps on mobile',
        {
          users: { includeGroups: [G.sales] },
          applications: { includeApplications: ['Office365'] },
          platforms: { includePlatforms: ['android', 'iOS', 'linux', 'macOS', 'windows'] },
          clientAppTypes: ['mobileAppsAndDesktopClients', 'browser'],
        },
        {
          grantControls: { operator: 'OR', builtInControls: ['approvedApplication', 'compliantApplication'] },
        },
      ),
      policy(
        'Risky sign-ins need MFA',
        {
          users: EXCEPT_BREAK_GLASS,
          applications: ALL_APPS,
          signInRiskLevels: ['low', 'medium', 'high', 'hidden', 'none'],
        },
        {
          grantControls: MFA,
          sessionControls: {
            signInFrequency: {
              isEnabled: true,
              authenticationType: 'primaryAndSecondaryAuthentication',
              frequencyInterval: 'everyTime',
            },
          },
        },
      ),
      policy(
        'High user risk: change password',
        {
          users: EXCEPT_BREAK_GLASS,
          applications: ALL_APPS,
          userRiskLevels: ['high'],
        },
        { grantControls: { operator: 'AND', builtInControls: ['mfa', 'passwordChange'] } },
      ),
      policy(
        'Insider risk blocks downloads',
        {
          users: { includeGroups: [G.engineering] },
          applications: { includeApplications: [G.sharepoint, G.exchange] },
          insiderRiskLevels: 'moderate,elevated',
        },
        {
          sessionControls: {
            applicationEnforcedRestrictions: { isEnabled: true },
            cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: 'blockDownloads' },
          },
        },
      ),
      policy(
        'Block device code flow and authentication transfer',
        {
          users: EXCEPT_BREAK_GLASS,
          applications: ALL_APPS,
          authenticationFlows: { transferMethods: 'deviceCodeFlow,authenticationTransfer' },
        },
        { grantControls: BLOCK },
      ),
      policy(
        'Session limits for unmanaged browsers',
        {
          users: { includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers', user('breakglass2')] },
          applications: ALL_APPS,
          clientAppTypes: ['browser'],
          locations: { includeLocations: [ids.locations.datacenter!] },
        },
        {
          sessionControls: {
            persistentBrowser: { isEnabled: true, mode: 'never' },
            signInFrequency: {
              isEnabled: true,
              value: 8,
              type: 'hours',
              authenticationType: 'primaryAndSecondaryAuthentication',
              frequencyInterval: 'timeBased',
            },
            secureSignInSession: { isEnabled: true },
            disableResilienceDefaults: true,
            cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: 'monitorOnly' },
          },
        },
      ),
      policy(
        'Admin portals: persistent browser always from HQ',
        {
          users: { includeRoles: [G.globalAdmin] },
          applications: { includeApplications: ['MicrosoftAdminPortals'] },
          locations: { includeLocations: [ids.locations.hq!] },
        },
        {
          grantControls: MFA,
          sessionControls: {
            persistentBrowser: { isEnabled: true, mode: 'always' },
            cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: 'mcasConfigured' },
          },
        },
        'disabled',
      ),
      // The local tenant accepts arbitrary custom-control and agreement ids (no terms-of-use resource to check them).
      policy(
        'Contractors accept terms and use the partner MFA',
        { users: { includeGroups: [G.guests] }, applications: { includeApplications: [G.hrPortal] } },
        {
          grantControls: {
            operator: 'AND',
            builtInControls: ['mfa'],
            customAuthenticationFactors: ['contoso-duo-mfa'],
            termsOfUse: ['0ea7d3c4-1b2a-4d3e-9f8a-7b6c5d4e3f21'],
          },
        },
      ),
    ];
  };

  const methodPatches = [
    {
      id: 'Email',
      body: {
        '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration',
        state: 'enabled',
        includeTargets: [{ targetType: 'group', id: 'all_users' }],
      },
    },
    {
      id: 'Fido2',
      body: {
        '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
        state: 'enabled',
        isAttestationEnforced: true,
        includeTargets: [{ targetType: 'group', id: G.engineering }],
      },
    },
  ];
  const partners = [
    { tenantId: G.fabrikam, inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: true } },
  ];
  return { namedLocations, strengths, policies, methodPatches, partners };
}
