/** Enum and flags members of the Conditional Access types, in CSDL declaration order (graph-contract §2). */

export const POLICY_STATES = ['enabled', 'disabled', 'enabledForReportingButNotEnforced'] as const;

export const CLIENT_APP_TYPES = [
  'all',
  'browser',
  'mobileAppsAndDesktopClients',
  'exchangeActiveSync',
  'easSupported',
  'other',
  'unknownFutureValue',
] as const;

export const RISK_LEVELS = ['low', 'medium', 'high', 'hidden', 'none', 'unknownFutureValue'] as const;
export const SERVICE_PRINCIPAL_RISK_LEVELS = ['low', 'medium', 'high', 'none', 'unknownFutureValue'] as const;
export const INSIDER_RISK_LEVELS = ['minor', 'moderate', 'elevated', 'unknownFutureValue'] as const;
export const TRANSFER_METHODS = [
  'none',
  'deviceCodeFlow',
  'authenticationTransfer',
  'unknownFutureValue',
] as const;

export const DEVICE_PLATFORMS = [
  'android',
  'iOS',
  'windows',
  'windowsPhone',
  'macOS',
  'all',
  'unknownFutureValue',
  'linux',
] as const;

export const GRANT_CONTROLS = [
  'block',
  'mfa',
  'compliantDevice',
  'domainJoinedDevice',
  'approvedApplication',
  'compliantApplication',
  'passwordChange',
  'unknownFutureValue',
  'riskRemediation',
] as const;

export const GRANT_OPERATORS = ['AND', 'OR'] as const;

export const GUEST_OR_EXTERNAL_USER_TYPES = [
  'none',
  'internalGuest',
  'b2bCollaborationGuest',
  'b2bCollaborationMember',
  'b2bDirectConnectUser',
  'otherExternalUser',
  'serviceProvider',
  'unknownFutureValue',
] as const;

export const MEMBERSHIP_KINDS = ['all', 'enumerated', 'unknownFutureValue'] as const;
export const FILTER_MODES = ['include', 'exclude'] as const;
export const CLOUD_APP_SECURITY_TYPES = [
  'mcasConfigured',
  'monitorOnly',
  'blockDownloads',
  'unknownFutureValue',
] as const;
export const PERSISTENT_BROWSER_MODES = ['always', 'never'] as const;
export const SIGN_IN_FREQUENCY_TYPES = ['days', 'hours'] as const;
export const SIGN_IN_FREQUENCY_AUTH_TYPES = [
  'primaryAndSecondaryAuthentication',
  'secondaryAuthentication',
  'unknownFutureValue',
] as const;
export const SIGN_IN_FREQUENCY_INTERVALS = ['timeBased', 'everyTime', 'unknownFutureValue'] as const;

/** Special values of the string collections (graph-contract §2.8), echoed in this case. */
export const SPECIAL_USERS = ['All', 'None', 'GuestsOrExternalUsers'] as const;
export const SPECIAL_APPLICATIONS = ['All', 'None', 'Office365', 'MicrosoftAdminPortals'] as const;
export const SPECIAL_LOCATIONS = ['All', 'AllTrusted'] as const;
export const SPECIAL_SERVICE_PRINCIPALS = ['ServicePrincipalsInMyTenant'] as const;
export const USER_ACTIONS = ['urn:user:registersecurityinfo', 'urn:user:registerdevice'] as const;

/** The legacy "MFA trusted IPs" pseudo location (graph-contract §2.5). */
export const TRUSTED_IPS_LOCATION_ID = '00000000-0000-0000-0000-000000000000';

export const ALL_EXTERNAL_TENANTS_TYPE = '#microsoft.graph.conditionalAccessAllExternalTenants';
export const ENUMERATED_EXTERNAL_TENANTS_TYPE = '#microsoft.graph.conditionalAccessEnumeratedExternalTenants';
