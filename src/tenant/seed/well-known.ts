/**
 * Built-in data every Microsoft Entra tenant has, as the local Graph-compatible tenant serves it.
 * Pure data, no I/O.
 *
 * Sources (see graph-contract.md §0 for the citation scheme):
 * - role template ids and descriptions: Microsoft Entra built-in roles reference
 *   (entra-docs identity/role-based-access-control/permissions-reference.md, "All roles" table);
 * - first-party application ids: "Verify first-party Microsoft applications in sign-in reports"
 *   (SupportArticles-docs) plus the CA contract §2.4; Office 365 membership follows
 *   identity/conditional-access/reference-office-365-application-contents.md;
 * - authentication strengths and method modes: graph-contract.md §5;
 * - method configuration defaults: graph-contract.md §4.2 and the v1.0 authenticationMethodsPolicy GET shape;
 * - built-in identity providers: graph-contract.md §8.2.
 */

import { AUTHENTICATION_METHOD_MODES as MODES } from '../../model/authentication-method-modes.ts';

export interface BuiltInRoleTemplate {
  id: string;
  displayName: string;
  description: string;
}

/** Microsoft Entra built-in role templates (template id = built-in unifiedRoleDefinition id). */
export const BUILT_IN_ROLE_TEMPLATES: readonly BuiltInRoleTemplate[] = [
  {
    id: '62e90394-69f5-4237-9190-012177145e10',
    displayName: 'Global Administrator',
    description:
      'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
  },
  {
    id: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
    displayName: 'Global Reader',
    description: 'Can read everything that a Global Administrator can, but not update anything.',
  },
  {
    id: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
    displayName: 'Conditional Access Administrator',
    description: 'Can manage Conditional Access capabilities.',
  },
  {
    id: '194ae4cb-b126-40b2-bd5b-6091b380977d',
    displayName: 'Security Administrator',
    description:
      'Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.',
  },
  {
    id: '5d6b6bb7-de71-4623-b4af-96380a352509',
    displayName: 'Security Reader',
    description: 'Can read security information and reports in Microsoft Entra ID and Office 365.',
  },
  {
    id: '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f',
    displayName: 'Security Operator',
    description: 'Creates and manages security events.',
  },
  {
    id: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
    displayName: 'User Administrator',
    description:
      'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
  },
  {
    id: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
    displayName: 'Helpdesk Administrator',
    description: 'Can reset passwords for non-administrators and Helpdesk Administrators.',
  },
  {
    id: '966707d0-3269-4727-9be2-8c3a10f19b9d',
    displayName: 'Password Administrator',
    description: 'Can reset passwords for non-administrators and Password Administrators.',
  },
  {
    id: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
    displayName: 'Authentication Administrator',
    description:
      'Can access to view, set and reset authentication method information for any non-admin user.',
  },
  {
    id: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
    displayName: 'Privileged Authentication Administrator',
    description:
      'Can access to view, set and reset authentication method information for any user (admin or non-admin).',
  },
  {
    id: '0526716b-113d-4c15-b2c8-68e3c22b9f80',
    displayName: 'Authentication Policy Administrator',
    description:
      'Can create and manage the authentication methods policy, tenant-wide MFA settings, password protection policy, and verifiable credentials.',
  },
  {
    id: '25a516ed-2fa0-40ea-a2d0-12923a21473a',
    displayName: 'Authentication Extensibility Administrator',
    description:
      'Customize sign in and sign up experiences for users by creating and managing custom authentication extensions.',
  },
  {
    id: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
    displayName: 'Privileged Role Administrator',
    description:
      'Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.',
  },
  {
    id: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
    displayName: 'Application Administrator',
    description: 'Can create and manage all aspects of app registrations and enterprise apps.',
  },
  {
    id: '158c047a-c907-4556-b7ef-446551a6b5f7',
    displayName: 'Cloud Application Administrator',
    description:
      'Can create and manage all aspects of app registrations and enterprise apps except App Proxy.',
  },
  {
    id: 'cf1c38e5-3621-4004-a7cb-879624dced7c',
    displayName: 'Application Developer',
    description:
      "Can create application registrations independent of the 'Users can register applications' setting.",
  },
  {
    id: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
    displayName: 'Directory Readers',
    description:
      'Can read basic directory information. Commonly used to grant directory read access to applications and guests.',
  },
  {
    id: '9360feb5-f418-4baa-8175-e2a00bac4301',
    displayName: 'Directory Writers',
    description:
      'Can read and write basic directory information. For granting access to applications, not intended for users.',
  },
  {
    id: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
    displayName: 'Directory Synchronization Accounts',
    description: 'Only used by Microsoft Entra Connect service.',
  },
  {
    id: '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
    displayName: 'Hybrid Identity Administrator',
    description:
      'Manage Active Directory to Microsoft Entra cloud provisioning, Microsoft Entra Connect, pass-through authentication (PTA), password hash synchronization (PHS), seamless single sign-on (seamless SSO), and federation settings. Does not have access to manage Microsoft Entra Connect Health.',
  },
  {
    id: '8329153b-31d0-4727-b945-745eb3bc5f31',
    displayName: 'Domain Name Administrator',
    description: 'Can manage domain names in cloud and on-premises.',
  },
  {
    id: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
    displayName: 'Groups Administrator',
    description:
      'Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.',
  },
  {
    id: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
    displayName: 'Guest Inviter',
    description: "Can invite guest users independent of the 'members can invite guests' setting.",
  },
  {
    id: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
    displayName: 'License Administrator',
    description: 'Can manage product licenses on users and groups.',
  },
  {
    id: '45d8d3c5-c802-45c6-b32a-1d70b5e1e86e',
    displayName: 'Identity Governance Administrator',
    description: 'Manage access using Microsoft Entra ID for identity governance scenarios.',
  },
  {
    id: '59d46f88-662b-457b-bceb-5c3809e5908f',
    displayName: 'Lifecycle Workflows Administrator',
    description:
      'Create and manage all aspects of workflows and tasks associated with Lifecycle Workflows in Microsoft Entra ID.',
  },
  {
    id: '6e591065-9bad-43ed-90f3-e9424366d2f0',
    displayName: 'External ID User Flow Administrator',
    description: 'Can create and manage all aspects of user flows.',
  },
  {
    id: '0f971eea-41eb-4569-a71e-57bb8a3eff1e',
    displayName: 'External ID User Flow Attribute Administrator',
    description: 'Can create and manage the attribute schema available to all user flows.',
  },
  {
    id: 'be2f45a1-457d-42af-a067-6ec1fa63bc45',
    displayName: 'External Identity Provider Administrator',
    description: 'Can configure identity providers for use in direct federation.',
  },
  {
    id: 'ac434307-12b9-4fa1-a708-88bf58caabc1',
    displayName: 'Global Secure Access Administrator',
    description:
      'Create and manage all aspects of Global Secure Internet Access and Microsoft Global Secure Private Access, including managing access to public and private endpoints.',
  },
  {
    id: '843318fb-79a6-4168-9e6f-aa9a07481cc4',
    displayName: 'Global Secure Access Log Reader',
    description:
      'Provides designated security personnel with read-only access to network traffic logs in Microsoft Entra Internet Access and Microsoft Entra Private Access for detailed analysis.',
  },
  {
    id: '4a5d8f65-41da-4de4-8968-e035b65339cf',
    displayName: 'Reports Reader',
    description: 'Can read sign-in and audit reports.',
  },
  {
    id: '75934031-6c7e-415a-99d7-48dbd49e875e',
    displayName: 'Usage Summary Reports Reader',
    description: "Read Usage reports and Adoption Score, but can't access user details.",
  },
  {
    id: '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b',
    displayName: 'Message Center Reader',
    description: 'Can read messages and updates for their organization in Office 365 Message Center only.',
  },
  {
    id: 'f023fd81-a637-4b56-95fd-791ac0226033',
    displayName: 'Service Support Administrator',
    description: 'Can read service health information and manage support tickets.',
  },
  {
    id: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
    displayName: 'Billing Administrator',
    description: 'Can perform common billing related tasks like updating payment information.',
  },
  {
    id: '112ca1a2-15ad-4102-995e-45b0bc479a6a',
    displayName: 'Tenant Creator',
    description: 'Create new Microsoft Entra or Azure AD B2C tenants.',
  },
  {
    id: '17315797-102d-40b4-93e0-432062caca18',
    displayName: 'Compliance Administrator',
    description:
      'Can read and manage compliance configuration and reports in Microsoft Entra ID and Microsoft 365.',
  },
  {
    id: 'e6d1a23a-da11-4be4-9570-befc86d067a7',
    displayName: 'Compliance Data Administrator',
    description: 'Creates and manages compliance content.',
  },
  {
    id: '7495fdc4-34c4-4d15-a289-98788ce399fd',
    displayName: 'Azure Information Protection Administrator',
    description: 'Can manage all aspects of the Azure Information Protection product.',
  },
  {
    id: '892c5842-a9a6-463a-8041-72aa08ca3cf6',
    displayName: 'Cloud App Security Administrator',
    description: 'Can manage all aspects of the Defender for Cloud Apps product.',
  },
  {
    id: 'c430b396-e693-46cc-96f3-db01bf8bb62a',
    displayName: 'Attack Simulation Administrator',
    description: 'Can create and manage all aspects of attack simulation campaigns.',
  },
  {
    id: '58a13ea3-c632-46ae-9ee0-9c0d43cd7f3d',
    displayName: 'Attribute Assignment Administrator',
    description: 'Assign custom security attribute keys and values to supported Microsoft Entra objects.',
  },
  {
    id: 'ffd52fa5-98dc-465c-991d-fc073eb59f8f',
    displayName: 'Attribute Assignment Reader',
    description: 'Read custom security attribute keys and values for supported Microsoft Entra objects.',
  },
  {
    id: '8424c6f0-a189-499e-bbd0-26c1753c96d4',
    displayName: 'Attribute Definition Administrator',
    description: 'Define and manage the definition of custom security attributes.',
  },
  {
    id: '1d336d2c-4ae8-42ef-9711-b3604ce3fc2c',
    displayName: 'Attribute Definition Reader',
    description: 'Read the definition of custom security attributes.',
  },
  {
    id: '29232cdf-9323-42fd-ade2-1d097af3e4de',
    displayName: 'Exchange Administrator',
    description: 'Can manage all aspects of the Exchange product.',
  },
  {
    id: '31392ffb-586c-42d1-9346-e59415a2cc4e',
    displayName: 'Exchange Recipient Administrator',
    description: 'Can create or update Exchange Online recipients within the Exchange Online organization.',
  },
  {
    id: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
    displayName: 'SharePoint Administrator',
    description: 'Can manage all aspects of the SharePoint service.',
  },
  {
    id: '69091246-20e8-4a56-aa4d-066075b2a7a8',
    displayName: 'Teams Administrator',
    description: 'Can manage the Microsoft Teams service.',
  },
  {
    id: 'baf37b3a-610e-45da-9e62-d9d1e5e8914b',
    displayName: 'Teams Communications Administrator',
    description: 'Can manage calling and meetings features within the Microsoft Teams service.',
  },
  {
    id: '3d762c5a-1b6c-493f-843e-55a3b42923d4',
    displayName: 'Teams Devices Administrator',
    description: 'Can perform management related tasks on Teams certified devices.',
  },
  {
    id: 'aa38014f-0993-46e9-9b45-30501a20909d',
    displayName: 'Teams Telephony Administrator',
    description:
      'Manage voice and telephony features and troubleshoot communication issues within the Microsoft Teams service.',
  },
  {
    id: '75941009-915a-4869-abe7-691bff18279e',
    displayName: 'Skype for Business Administrator',
    description: 'Can manage all aspects of the Skype for Business product.',
  },
  {
    id: '810a2642-a034-447f-a5e8-41beaa378541',
    displayName: 'Yammer Administrator',
    description: 'Manage all aspects of the Yammer service.',
  },
  {
    id: '3a2c62db-5318-420d-8d74-23affee5d9d5',
    displayName: 'Intune Administrator',
    description: 'Can manage all aspects of the Intune product.',
  },
  {
    id: '7698a772-787b-4ac8-901f-60d6b08affd2',
    displayName: 'Cloud Device Administrator',
    description: 'Limited access to manage devices in Microsoft Entra ID.',
  },
  {
    id: '9f06204d-73c1-4d4c-880a-6edb90606fd8',
    displayName: 'Microsoft Entra Joined Device Local Administrator',
    description:
      'Users assigned to this role are added to the local administrators group on Microsoft Entra joined devices.',
  },
  {
    id: '11451d60-acb2-45eb-a7d6-43d0f0125c13',
    displayName: 'Windows 365 Administrator',
    description: 'Can provision and manage all aspects of Cloud PCs.',
  },
  {
    id: '2b745bdf-0803-4d80-aa65-822c4493daac',
    displayName: 'Office Apps Administrator',
    description:
      "Can manage Office apps cloud services, including policy and settings management, and manage the ability to select, unselect and publish 'what's new' feature content to end-user's devices.",
  },
  {
    id: '3f1acade-1e04-4fbc-9b69-f0302cd84aef',
    displayName: 'Edge Administrator',
    description: 'Manage all aspects of Microsoft Edge.',
  },
  {
    id: '11648597-926c-4cf3-9c36-bcebb0ba8dcc',
    displayName: 'Power Platform Administrator',
    description:
      'Can create and manage all aspects of Microsoft Dynamics 365, Power Apps and Power Automate.',
  },
  {
    id: '44367163-eba1-44c3-98af-f5787879f96a',
    displayName: 'Dynamics 365 Administrator',
    description: 'Can manage all aspects of the Dynamics 365 product.',
  },
  {
    id: 'a9ea8996-122f-4c74-9520-8edcd192826c',
    displayName: 'Fabric Administrator',
    description: 'Can manage all aspects of the Fabric and Power BI products.',
  },
  {
    id: 'e3973bdf-4987-49ae-837a-ba8e231c7286',
    displayName: 'Azure DevOps Administrator',
    description: 'Can manage Azure DevOps policies and settings.',
  },
  {
    id: 'b5a8dcf3-09d5-43a9-a639-8e29ef291470',
    displayName: 'Knowledge Administrator',
    description: 'Can configure knowledge, learning, and other intelligent features.',
  },
  {
    id: 'eb1f4a8d-243a-41f0-9fbd-c7cdf6c5ef7c',
    displayName: 'Insights Administrator',
    description: 'Has administrative access in the Microsoft 365 Insights app.',
  },
  {
    id: '0964bb5e-9bdb-4d7b-ac29-58e794862a40',
    displayName: 'Search Administrator',
    description: 'Can create and manage all aspects of Microsoft Search settings.',
  },
  {
    id: 'd37c8bed-0711-4417-ba38-b4abe66ce4c2',
    displayName: 'Network Administrator',
    description:
      'Can manage network locations and review enterprise network design insights for Microsoft 365 Software as a Service applications.',
  },
  {
    id: '644ef478-e28f-4e28-b9dc-3fdde9aa0b1f',
    displayName: 'Printer Administrator',
    description: 'Can manage all aspects of printers and printer connectors.',
  },
  {
    id: 'af78dc32-cf4d-46f9-ba4e-4428526346b5',
    displayName: 'Permissions Management Administrator',
    description: 'Manage all aspects of Microsoft Entra Permissions Management.',
  },
  {
    id: 'd2562ede-74db-457e-a7b6-544e236ebb61',
    displayName: 'AI Administrator',
    description:
      'Manage all aspects of Microsoft 365 Copilot and AI-related enterprise services in Microsoft 365.',
  },
];

/** Finds a built-in role template by template id or (case-insensitive) display name. */
export function findRoleTemplate(nameOrId: string): BuiltInRoleTemplate | undefined {
  const key = nameOrId.trim().toLowerCase();
  return BUILT_IN_ROLE_TEMPLATES.find((r) => r.id === key || r.displayName.toLowerCase() === key);
}

export interface WellKnownApplication {
  appId: string;
  displayName: string;
  /** member of the Conditional Access "Office365" app group */
  office365?: boolean;
  /** member of the Conditional Access "MicrosoftAdminPortals" group */
  adminPortal?: boolean;
}

/** Microsoft first-party service principals present in every tenant. */
export const WELL_KNOWN_APPLICATIONS: readonly WellKnownApplication[] = [
  // Azure management: ARM, Azure portal / Entra admin center APIs, … (ca-evaluation.md §2.5). An API, not a portal.
  { appId: '797f4846-ba00-4fd7-ba43-dac1f8f63013', displayName: 'Windows Azure Service Management API' },
  { appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', displayName: 'Azure Portal', adminPortal: true },
  {
    appId: '00000006-0000-0ff1-ce00-000000000000',
    displayName: 'Microsoft Office 365 Portal',
    office365: true,
    adminPortal: true,
  },
  { appId: '497effe9-df71-4043-a8bb-14cf78c4b63b', displayName: 'Exchange Admin Center', adminPortal: true },
  { appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' },
  { appId: '00000002-0000-0000-c000-000000000000', displayName: 'Windows Azure Active Directory' },
  { appId: '0000000c-0000-0000-c000-000000000000', displayName: 'Microsoft App Access Panel' },
  {
    appId: '00000002-0000-0ff1-ce00-000000000000',
    displayName: 'Office 365 Exchange Online',
    office365: true,
  },
  {
    appId: '00000007-0000-0ff1-ce00-000000000000',
    displayName: 'Microsoft Exchange Online Protection',
    office365: true,
  },
  {
    appId: '00000003-0000-0ff1-ce00-000000000000',
    displayName: 'Office 365 SharePoint Online',
    office365: true,
  },
  { appId: 'ab9b8c07-8f02-4f72-87fa-80105867a763', displayName: 'OneDrive SyncEngine', office365: true },
  { appId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', displayName: 'Microsoft Teams Services', office365: true },
  { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', displayName: 'Microsoft Teams', office365: true },
  {
    appId: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
    displayName: 'Microsoft Teams Web Client',
    office365: true,
  },
  {
    appId: '00000004-0000-0ff1-ce00-000000000000',
    displayName: 'Skype for Business Online',
    office365: true,
  },
  { appId: '00000005-0000-0ff1-ce00-000000000000', displayName: 'Yammer', office365: true },
  { appId: 'c9a559d2-7aab-4f13-a6ed-e7e9c52aec87', displayName: 'Microsoft Forms', office365: true },
  { appId: 'cf53fce8-def6-4aeb-8d30-b158e7b1cf83', displayName: 'Microsoft Stream Portal', office365: true },
  {
    appId: '95de633a-083e-42f5-b444-a4295d8e9314',
    displayName: 'Microsoft Whiteboard Services',
    office365: true,
  },
  { appId: '2d4d3d8e-2be3-4bef-9f87-7875a61c29de', displayName: 'OneNote', office365: true },
  { appId: '905fcf26-4eb7-48a0-9ff0-8dcc7194b5ba', displayName: 'Sway', office365: true },
  { appId: '94c63fef-13a3-47bc-8074-75af8c65887a', displayName: 'Office Delve', office365: true },
  { appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', displayName: 'Microsoft Office', office365: true },
  { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', displayName: 'OfficeHome', office365: true },
  { appId: 'c5393580-f805-4401-95e8-94b7a6ef2fc2', displayName: 'Office 365 Management APIs' },
  { appId: '00000009-0000-0000-c000-000000000000', displayName: 'Power BI Service' },
  { appId: '0000000a-0000-0000-c000-000000000000', displayName: 'Microsoft Intune' },
  { appId: 'd4ebce55-015a-49b5-a083-c84d1797ae8c', displayName: 'Microsoft Intune Enrollment' },
  { appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', displayName: 'Microsoft Azure CLI' },
  { appId: '1950a258-227b-4e31-a9cf-717495945fc2', displayName: 'Microsoft Azure PowerShell' },
  { appId: '29d9ed98-a469-4536-ade2-f981bc1d605e', displayName: 'Microsoft Authentication Broker' },
];

/** appIds covered by the CA `Office365` value (only those the local tenant knows). */
export const OFFICE_365_APP_IDS: readonly string[] = WELL_KNOWN_APPLICATIONS.filter((a) => a.office365).map(
  (a) => a.appId,
);

/** appIds covered by the CA `MicrosoftAdminPortals` value (only those the local tenant knows). */
export const ADMIN_PORTAL_APP_IDS: readonly string[] = WELL_KNOWN_APPLICATIONS.filter(
  (a) => a.adminPortal,
).map((a) => a.appId);

export {
  BUILT_IN_AUTHENTICATION_STRENGTHS,
  type BuiltInAuthenticationStrength,
} from '../../model/built-in-strengths.ts';

/** Members of the `authenticationMethodModes` flags enum, in CSDL order (graph-contract.md §5). */
export const AUTHENTICATION_METHOD_MODES: readonly string[] = MODES;

/**
 * Method configurations keyed by the lower-camel URL segment used in
 * `/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{segment}`.
 * `id` is the capitalised id Graph returns.
 */
export const METHOD_CONFIGURATION_TYPES: Record<string, { id: string; odataType: string }> = {
  email: { id: 'Email', odataType: '#microsoft.graph.emailAuthenticationMethodConfiguration' },
  fido2: { id: 'Fido2', odataType: '#microsoft.graph.fido2AuthenticationMethodConfiguration' },
  microsoftAuthenticator: {
    id: 'MicrosoftAuthenticator',
    odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration',
  },
  sms: { id: 'Sms', odataType: '#microsoft.graph.smsAuthenticationMethodConfiguration' },
  voice: { id: 'Voice', odataType: '#microsoft.graph.voiceAuthenticationMethodConfiguration' },
  softwareOath: {
    id: 'SoftwareOath',
    odataType: '#microsoft.graph.softwareOathAuthenticationMethodConfiguration',
  },
  temporaryAccessPass: {
    id: 'TemporaryAccessPass',
    odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
  },
  x509Certificate: {
    id: 'X509Certificate',
    odataType: '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration',
  },
};

function methodType(segment: string): { id: string; odataType: string } {
  const t = METHOD_CONFIGURATION_TYPES[segment];
  if (!t) throw new Error(`unknown authentication method configuration: ${segment}`);
  return t;
}

function allUsersTarget(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { targetType: 'group', id: 'all_users', isRegistrationRequired: false, ...extra };
}

function defaultFeatureSetting(): Record<string, unknown> {
  return {
    state: 'default',
    includeTarget: { targetType: 'group', id: 'all_users' },
    excludeTarget: { targetType: 'group', id: '00000000-0000-0000-0000-000000000000' },
  };
}

function baseConfig(segment: string, state: 'enabled' | 'disabled'): Record<string, unknown> {
  const t = methodType(segment);
  return { '@odata.type': t.odataType, id: t.id, state, excludeTargets: [] };
}

/**
 * Default method configurations of a new tenant, as returned inside
 * GET /policies/authenticationMethodsPolicy. Returns a fresh, mutable array on every call.
 */
export function defaultAuthenticationMethodConfigurations(): Record<string, unknown>[] {
  return [
    {
      ...baseConfig('fido2', 'disabled'),
      isAttestationEnforced: false,
      isSelfServiceRegistrationAllowed: true,
      keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] },
      includeTargets: [allUsersTarget()],
    },
    {
      ...baseConfig('microsoftAuthenticator', 'enabled'),
      isSoftwareOathEnabled: false,
      featureSettings: {
        displayAppInformationRequiredState: defaultFeatureSetting(),
        displayLocationInformationRequiredState: defaultFeatureSetting(),
      },
      includeTargets: [allUsersTarget({ authenticationMode: 'any' })],
    },
    {
      ...baseConfig('sms', 'disabled'),
      includeTargets: [allUsersTarget({ isUsableForSignIn: true })],
    },
    {
      ...baseConfig('voice', 'disabled'),
      isOfficePhoneAllowed: false,
      includeTargets: [allUsersTarget()],
    },
    {
      ...baseConfig('softwareOath', 'disabled'),
      includeTargets: [allUsersTarget()],
    },
    {
      ...baseConfig('temporaryAccessPass', 'disabled'),
      defaultLength: 8,
      defaultLifetimeInMinutes: 60,
      isUsableOnce: false,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      includeTargets: [allUsersTarget()],
    },
    {
      ...baseConfig('email', 'enabled'),
      allowExternalIdToUseEmailOtp: 'default',
      includeTargets: [allUsersTarget()],
    },
    {
      ...baseConfig('x509Certificate', 'disabled'),
      certificateUserBindings: [
        {
          x509CertificateField: 'PrincipalName',
          userProperty: 'userPrincipalName',
          priority: 1,
          trustAffinityLevel: 'low',
        },
        {
          x509CertificateField: 'RFC822Name',
          userProperty: 'userPrincipalName',
          priority: 2,
          trustAffinityLevel: 'low',
        },
      ],
      authenticationModeConfiguration: {
        x509CertificateAuthenticationDefaultMode: 'x509CertificateSingleFactor',
        x509CertificateDefaultRequiredAffinityLevel: 'low',
        rules: [],
      },
      crlValidationConfiguration: {
        state: 'disabled',
        exemptedCertificateAuthoritiesSubjectKeyIdentifiers: [],
      },
      issuerHintsConfiguration: { state: 'disabled' },
      certificateAuthorityScopes: [],
      includeTargets: [allUsersTarget()],
    },
  ];
}

export interface BuiltInIdentityProvider {
  '@odata.type': '#microsoft.graph.builtInIdentityProvider';
  id: string;
  displayName: string;
  identityProviderType: string;
}

/** Built-in local-account identity providers of an External ID (customer) tenant (graph-contract.md §8.2). */
export const BUILT_IN_IDENTITY_PROVIDERS: readonly BuiltInIdentityProvider[] = [
  {
    '@odata.type': '#microsoft.graph.builtInIdentityProvider',
    id: 'EmailPassword-OAUTH',
    displayName: 'Email with password',
    identityProviderType: 'EmailPassword',
  },
  {
    '@odata.type': '#microsoft.graph.builtInIdentityProvider',
    id: 'EmailOtpSignup-OAUTH',
    displayName: 'Email one-time passcode',
    identityProviderType: 'EmailOTP',
  },
];
