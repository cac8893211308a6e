/**
 * `spec` of a ConditionalAccessPolicy: Graph's `conditionalAccessPolicy` without the server-managed properties
 * (graph-contract §2). Collections of ids accept readable names; they are resolved at plan time.
 */
import type { JsonSchema } from '../../core/kind.ts';
import {
  arrayOf,
  booleanSchema,
  enumSchema,
  filterSchema,
  flagsSchema,
  integerSchema,
  nullable,
  objectSchema,
  PATTERN_DESCRIPTIONS,
  referenceList,
  stringSchema,
} from '../shared-schemas.ts';
import {
  CLIENT_APP_TYPES,
  CLOUD_APP_SECURITY_TYPES,
  DEVICE_PLATFORMS,
  GRANT_CONTROLS,
  GRANT_OPERATORS,
  GUEST_OR_EXTERNAL_USER_TYPES,
  INSIDER_RISK_LEVELS,
  MEMBERSHIP_KINDS,
  PERSISTENT_BROWSER_MODES,
  POLICY_STATES,
  RISK_LEVELS,
  SERVICE_PRINCIPAL_RISK_LEVELS,
  SIGN_IN_FREQUENCY_AUTH_TYPES,
  SIGN_IN_FREQUENCY_INTERVALS,
  SIGN_IN_FREQUENCY_TYPES,
  TRANSFER_METHODS,
  USER_ACTIONS,
} from '../../model/ca-enums.ts';

/** An enum's members a manifest may use: Graph's evolvable-enum sentinel `unknownFutureValue` is not one of them. */
function known(members: readonly string[]): string[] {
  return members.filter((member) => member !== 'unknownFutureValue');
}

const AUTH_CONTEXT_PATTERN = '^c([1-9]|[1-9][0-9])$';
PATTERN_DESCRIPTIONS.set(AUTH_CONTEXT_PATTERN, 'must be an authentication context id, c1 to c99');

function authenticationContextSchema(): JsonSchema {
  return { type: 'string', pattern: AUTH_CONTEXT_PATTERN };
}

const guestsOrExternalUsersSchema = objectSchema(
  {
    guestOrExternalUserTypes: flagsSchema(
      known(GUEST_OR_EXTERNAL_USER_TYPES),
      'Kinds of guests and external users, comma-separated, e.g. `internalGuest,b2bCollaborationGuest`.',
    ),
    externalTenants: objectSchema(
      {
        '@odata.type': enumSchema([
          '#microsoft.graph.conditionalAccessAllExternalTenants',
          '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
        ]),
        membershipKind: enumSchema(known(MEMBERSHIP_KINDS), '`all` tenants or the `enumerated` members.'),
        members: arrayOf(stringSchema(), 'Tenant ids (enumerated external tenants only).'),
      },
      {
        nullable: true,
        description: 'Which external tenants; only with a non-empty guestOrExternalUserTypes.',
      },
    ),
  },
  {
    required: ['guestOrExternalUserTypes'],
    nullable: true,
    description: 'Guests and external users (conditionalAccessGuestsOrExternalUsers).',
  },
);

const usersSchema = objectSchema(
  {
    includeUsers: referenceList('Users (UPN or id), or one of `All`, `None`, `GuestsOrExternalUsers`.'),
    excludeUsers: referenceList('Users (UPN or id), and/or `GuestsOrExternalUsers`.'),
    includeGroups: referenceList('Groups (display name or id).'),
    excludeGroups: referenceList('Groups (display name or id).'),
    includeRoles: referenceList('Built-in directory roles (display name or role template id).'),
    excludeRoles: referenceList('Built-in directory roles (display name or role template id).'),
    includeGuestsOrExternalUsers: guestsOrExternalUsersSchema,
    excludeGuestsOrExternalUsers: guestsOrExternalUsersSchema,
  },
  { nullable: true, description: 'Users, groups and roles in scope (conditionalAccessUsers).' },
);

const applicationsSchema = objectSchema(
  {
    includeApplications: referenceList(
      'Applications (appId or display name), or `All`, `None`, `Office365`, `MicrosoftAdminPortals`.',
    ),
    excludeApplications: referenceList(
      'Applications (appId or display name), or `Office365`, `MicrosoftAdminPortals`.',
    ),
    includeUserActions: arrayOf(enumSchema([...USER_ACTIONS]), 'User actions in scope.'),
    includeAuthenticationContextClassReferences: arrayOf(
      authenticationContextSchema(),
      'Authentication context ids `c1` … `c99`.',
    ),
    applicationFilter: filterSchema,
  },
  { nullable: true, description: 'Cloud apps and user actions in scope (conditionalAccessApplications).' },
);

const clientApplicationsSchema = objectSchema(
  {
    includeServicePrincipals: referenceList(
      'Service principals (app name, appId or object id), or `ServicePrincipalsInMyTenant`.',
    ),
    excludeServicePrincipals: referenceList('Service principals (app name, appId or object id).'),
    servicePrincipalFilter: filterSchema,
  },
  { nullable: true, description: 'Workload identities in scope (conditionalAccessClientApplications).' },
);

const PLATFORMS = known(DEVICE_PLATFORMS);

const conditionsSchema = objectSchema(
  {
    applications: applicationsSchema,
    users: usersSchema,
    clientApplications: clientApplicationsSchema,
    clientAppTypes: arrayOf(
      enumSchema(known(CLIENT_APP_TYPES)),
      'Client app types; `all` for every client.',
      { min: 1 },
    ),
    platforms: objectSchema(
      {
        includePlatforms: arrayOf(enumSchema(PLATFORMS)),
        excludePlatforms: arrayOf(enumSchema(PLATFORMS)),
      },
      { nullable: true, description: 'Device platforms (conditionalAccessPlatforms).' },
    ),
    locations: objectSchema(
      {
        includeLocations: referenceList(
          'Named locations (display name, metadata.name or id), `All`, `AllTrusted`.',
        ),
        excludeLocations: referenceList('Named locations (display name, metadata.name or id), `AllTrusted`.'),
      },
      { nullable: true, description: 'Network locations (conditionalAccessLocations).' },
    ),
    devices: objectSchema(
      { deviceFilter: filterSchema },
      { nullable: true, description: 'Devices (conditionalAccessDevices).' },
    ),
    signInRiskLevels: arrayOf(enumSchema(known(RISK_LEVELS)), 'Sign-in risk levels.'),
    userRiskLevels: arrayOf(enumSchema(known(RISK_LEVELS)), 'User risk levels.'),
    servicePrincipalRiskLevels: arrayOf(
      enumSchema(known(SERVICE_PRINCIPAL_RISK_LEVELS)),
      'Service principal risk levels.',
    ),
    insiderRiskLevels: nullable(
      flagsSchema(known(INSIDER_RISK_LEVELS), 'Insider risk levels, comma-separated.'),
    ),
    authenticationFlows: objectSchema(
      {
        transferMethods: flagsSchema(known(TRANSFER_METHODS), 'Transfer methods, comma-separated.'),
      },
      { nullable: true, description: 'Authentication flows (conditionalAccessAuthenticationFlows).' },
    ),
  },
  {
    required: ['applications', 'clientAppTypes'],
    description: 'Conditions under which the policy applies (conditionalAccessConditionSet).',
  },
);

const grantControlsSchema = objectSchema(
  {
    operator: nullable(enumSchema([...GRANT_OPERATORS], 'How builtInControls combine.')),
    builtInControls: arrayOf(enumSchema(known(GRANT_CONTROLS)), 'Built-in grant controls.'),
    customAuthenticationFactors: arrayOf(stringSchema(), 'Custom control ids.'),
    termsOfUse: arrayOf(stringSchema(), 'Terms of use agreement ids.'),
    authenticationStrength: objectSchema(
      { id: stringSchema('The strength: display name, metadata.name or id.') },
      {
        required: ['id'],
        nullable: true,
        description: 'The required authentication strength (written as `{ id }`).',
      },
    ),
  },
  { nullable: true, description: 'Grant controls (conditionalAccessGrantControls).' },
);

function sessionControl(properties: Record<string, JsonSchema>, description: string): JsonSchema {
  return objectSchema({ isEnabled: booleanSchema(), ...properties }, { nullable: true, description });
}

const sessionControlsSchema = objectSchema(
  {
    applicationEnforcedRestrictions: sessionControl(
      {},
      'App enforced restrictions (Exchange Online, SharePoint).',
    ),
    cloudAppSecurity: sessionControl(
      { cloudAppSecurityType: enumSchema(known(CLOUD_APP_SECURITY_TYPES)) },
      'Conditional Access App Control.',
    ),
    persistentBrowser: sessionControl(
      { mode: enumSchema([...PERSISTENT_BROWSER_MODES]) },
      'Persistent browser session.',
    ),
    signInFrequency: sessionControl(
      {
        value: nullable(integerSchema(1)),
        type: nullable(enumSchema([...SIGN_IN_FREQUENCY_TYPES])),
        authenticationType: enumSchema(known(SIGN_IN_FREQUENCY_AUTH_TYPES)),
        frequencyInterval: enumSchema(known(SIGN_IN_FREQUENCY_INTERVALS)),
      },
      'Sign-in frequency.',
    ),
    secureSignInSession: sessionControl({}, 'Token protection for sign-in sessions.'),
    disableResilienceDefaults: nullable(booleanSchema('Disable resilience defaults.')),
  },
  { nullable: true, description: 'Session controls (conditionalAccessSessionControls).' },
);

export const conditionalAccessPolicySpecSchema: JsonSchema = objectSchema(
  {
    displayName: { type: 'string', minLength: 1, description: 'The policy name shown in the admin portal.' },
    description: nullable(stringSchema('A description of the policy.')),
    state: enumSchema(
      [...POLICY_STATES],
      '`enabled`, `disabled` or `enabledForReportingButNotEnforced` (report-only).',
    ),
    conditions: conditionsSchema,
    grantControls: grantControlsSchema,
    sessionControls: sessionControlsSchema,
  },
  {
    required: ['displayName', 'state', 'conditions'],
    description:
      'A Conditional Access policy, as Microsoft Graph `conditionalAccessPolicy` without server-managed fields.',
  },
);
