/**
 * The wire shape of `conditionalAccessPolicy` and its complex types (graph-contract §2.1–2.9): turns a request
 * body into the canonical stored form, with every server default present. `grantControls.authenticationStrength`
 * is kept as a reference (`{ id }`); it is expanded when the policy is presented.
 */
import {
  ALL_EXTERNAL_TENANTS_TYPE,
  CLIENT_APP_TYPES,
  CLOUD_APP_SECURITY_TYPES,
  DEVICE_PLATFORMS,
  ENUMERATED_EXTERNAL_TENANTS_TYPE,
  FILTER_MODES,
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
  SPECIAL_APPLICATIONS,
  SPECIAL_LOCATIONS,
  SPECIAL_SERVICE_PRINCIPALS,
  SPECIAL_USERS,
  TRANSFER_METHODS,
  USER_ACTIONS,
} from './ca-enums.ts';
import {
  type FieldSpec,
  isRecord,
  type Json,
  normaliseEnum,
  normaliseObject,
  type ObjectSchema,
  schemaError,
} from './json-shape.ts';

const nullableObject = (schema: ObjectSchema): FieldSpec => ({ kind: 'object', schema });
const list = (canonical: readonly string[] = []): FieldSpec => ({ kind: 'stringList', canonical });
const enumList = (members: readonly string[]): FieldSpec => ({ kind: 'enumList', members });

const FILTER: ObjectSchema = {
  name: 'conditionalAccessFilter',
  fields: {
    mode: { kind: 'enum', members: FILTER_MODES, nullable: false, required: true },
    rule: { kind: 'string', nullable: false, required: true, maxLength: 100_000 },
  },
};

const ALL_EXTERNAL_TENANTS: ObjectSchema = {
  name: 'conditionalAccessAllExternalTenants',
  odataType: ALL_EXTERNAL_TENANTS_TYPE,
  emitType: true,
  fields: { membershipKind: { kind: 'enum', members: MEMBERSHIP_KINDS, nullable: false, default: 'all' } },
};

const ENUMERATED_EXTERNAL_TENANTS: ObjectSchema = {
  name: 'conditionalAccessEnumeratedExternalTenants',
  odataType: ENUMERATED_EXTERNAL_TENANTS_TYPE,
  emitType: true,
  fields: {
    membershipKind: { kind: 'enum', members: MEMBERSHIP_KINDS, nullable: false, default: 'enumerated' },
    members: list(),
  },
};

/** `conditionalAccessExternalTenants` is abstract: the derived type comes from `@odata.type` or `membershipKind`. */
function normaliseExternalTenants(value: unknown, path: string): Json | null {
  if (value === null) return null;
  if (!isRecord(value))
    throw schemaError(path, 'expected an object of type conditionalAccessExternalTenants.');
  const type = value['@odata.type'];
  const kindRaw = Object.entries(value).find(([k]) => k.toLowerCase() === 'membershipkind')?.[1];
  const kind =
    kindRaw === undefined ? undefined : normaliseEnum(kindRaw, MEMBERSHIP_KINDS, `${path}.membershipKind`);
  let schema: ObjectSchema;
  if (typeof type === 'string') {
    const lower = type.replace(/^#?/, '#').toLowerCase();
    if (lower === ALL_EXTERNAL_TENANTS_TYPE.toLowerCase()) schema = ALL_EXTERNAL_TENANTS;
    else if (lower === ENUMERATED_EXTERNAL_TENANTS_TYPE.toLowerCase()) schema = ENUMERATED_EXTERNAL_TENANTS;
    else
      throw schemaError(
        `${path}.@odata.type`,
        `'${type.slice(0, 100)}' is not a conditionalAccessExternalTenants type.`,
      );
  } else if (type === undefined && kind !== undefined) {
    schema = kind === 'enumerated' ? ENUMERATED_EXTERNAL_TENANTS : ALL_EXTERNAL_TENANTS;
  } else {
    throw schemaError(`${path}.@odata.type`, 'the derived type (or membershipKind) is required.');
  }
  const out = normaliseObject(schema, value, path);
  const expectedKind = schema === ALL_EXTERNAL_TENANTS ? 'all' : 'enumerated';
  if (out.membershipKind !== expectedKind) {
    throw schemaError(`${path}.membershipKind`, `must be '${expectedKind}' for ${schema.odataType}.`);
  }
  return out;
}

const GUESTS_OR_EXTERNAL_USERS: ObjectSchema = {
  name: 'conditionalAccessGuestsOrExternalUsers',
  fields: {
    guestOrExternalUserTypes: {
      kind: 'flags',
      members: GUEST_OR_EXTERNAL_USER_TYPES,
      nullable: false,
      required: true,
    },
    externalTenants: { kind: 'custom', normalise: normaliseExternalTenants, absent: null },
  },
};

const USERS: ObjectSchema = {
  name: 'conditionalAccessUsers',
  fields: {
    includeUsers: list(SPECIAL_USERS),
    excludeUsers: list(SPECIAL_USERS),
    includeGroups: list(),
    excludeGroups: list(),
    includeRoles: list(),
    excludeRoles: list(),
    includeGuestsOrExternalUsers: nullableObject(GUESTS_OR_EXTERNAL_USERS),
    excludeGuestsOrExternalUsers: nullableObject(GUESTS_OR_EXTERNAL_USERS),
  },
};

const APPLICATIONS: ObjectSchema = {
  name: 'conditionalAccessApplications',
  fields: {
    includeApplications: list(SPECIAL_APPLICATIONS),
    excludeApplications: list(SPECIAL_APPLICATIONS),
    includeUserActions: enumList(USER_ACTIONS),
    includeAuthenticationContextClassReferences: list(),
    applicationFilter: nullableObject(FILTER),
    networkAccess: { kind: 'toleratedNull' },
    globalSecureAccess: { kind: 'toleratedNull' },
  },
};

const CLIENT_APPLICATIONS: ObjectSchema = {
  name: 'conditionalAccessClientApplications',
  fields: {
    includeServicePrincipals: list(SPECIAL_SERVICE_PRINCIPALS),
    excludeServicePrincipals: list(SPECIAL_SERVICE_PRINCIPALS),
    servicePrincipalFilter: nullableObject(FILTER),
  },
};

const PLATFORMS: ObjectSchema = {
  name: 'conditionalAccessPlatforms',
  fields: { includePlatforms: enumList(DEVICE_PLATFORMS), excludePlatforms: enumList(DEVICE_PLATFORMS) },
};

const LOCATIONS: ObjectSchema = {
  name: 'conditionalAccessLocations',
  fields: { includeLocations: list(SPECIAL_LOCATIONS), excludeLocations: list(SPECIAL_LOCATIONS) },
};

const DEVICES: ObjectSchema = {
  name: 'conditionalAccessDevices',
  fields: { deviceFilter: nullableObject(FILTER) },
};

const AUTHENTICATION_FLOWS: ObjectSchema = {
  name: 'conditionalAccessAuthenticationFlows',
  fields: { transferMethods: { kind: 'flags', members: TRANSFER_METHODS, nullable: false, required: true } },
};

const CONDITIONS: ObjectSchema = {
  name: 'conditionalAccessConditionSet',
  fields: {
    userRiskLevels: enumList(RISK_LEVELS),
    signInRiskLevels: enumList(RISK_LEVELS),
    servicePrincipalRiskLevels: enumList(SERVICE_PRINCIPAL_RISK_LEVELS),
    insiderRiskLevels: { kind: 'flags', members: INSIDER_RISK_LEVELS },
    clientAppTypes: enumList(CLIENT_APP_TYPES),
    platforms: nullableObject(PLATFORMS),
    locations: nullableObject(LOCATIONS),
    devices: nullableObject(DEVICES),
    clientApplications: nullableObject(CLIENT_APPLICATIONS),
    applications: nullableObject(APPLICATIONS),
    users: nullableObject(USERS),
    authenticationFlows: nullableObject(AUTHENTICATION_FLOWS),
    clients: { kind: 'toleratedNull' },
    times: { kind: 'toleratedNull' },
    deviceStates: { kind: 'toleratedNull' },
  },
};

/** Properties of the expanded strength a client may echo back; only `id` matters on write. */
const STRENGTH_ECHO = new Set(
  [
    'createdDateTime',
    'modifiedDateTime',
    'displayName',
    'description',
    'policyType',
    'requirementsSatisfied',
    'allowedCombinations',
    'combinationConfigurations',
  ].map((k) => k.toLowerCase()),
);

function normaliseStrengthRef(value: unknown, path: string): Json | null {
  if (value === null) return null;
  if (!isRecord(value))
    throw schemaError(path, 'expected an authenticationStrengthPolicy reference ({ "id": … }).');
  let id: unknown;
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('@')) continue;
    if (key.toLowerCase() === 'id') id = v;
    else if (!STRENGTH_ECHO.has(key.toLowerCase())) {
      throw schemaError(
        `${path}.${key.slice(0, 100)}`,
        "the property does not exist on type 'authenticationStrengthPolicy'.",
      );
    }
  }
  if (typeof id !== 'string' || id.trim() === '' || id.length > 200) {
    throw schemaError(`${path}.id`, 'the id of an authentication strength policy is required.');
  }
  return { id: id.trim() };
}

const GRANT_CONTROLS_SCHEMA: ObjectSchema = {
  name: 'conditionalAccessGrantControls',
  fields: {
    operator: { kind: 'enum', members: GRANT_OPERATORS },
    builtInControls: enumList(GRANT_CONTROLS),
    customAuthenticationFactors: list(),
    termsOfUse: list(),
    authenticationStrength: { kind: 'custom', normalise: normaliseStrengthRef, absent: null },
  },
};

const isEnabled: FieldSpec = { kind: 'boolean' };

const SESSION_CONTROLS: ObjectSchema = {
  name: 'conditionalAccessSessionControls',
  fields: {
    applicationEnforcedRestrictions: nullableObject({
      name: 'applicationEnforcedRestrictionsSessionControl',
      fields: { isEnabled },
    }),
    cloudAppSecurity: nullableObject({
      name: 'cloudAppSecuritySessionControl',
      fields: { isEnabled, cloudAppSecurityType: { kind: 'enum', members: CLOUD_APP_SECURITY_TYPES } },
    }),
    persistentBrowser: nullableObject({
      name: 'persistentBrowserSessionControl',
      fields: { isEnabled, mode: { kind: 'enum', members: PERSISTENT_BROWSER_MODES } },
    }),
    signInFrequency: nullableObject({
      name: 'signInFrequencySessionControl',
      fields: {
        isEnabled,
        value: { kind: 'int' },
        type: { kind: 'enum', members: SIGN_IN_FREQUENCY_TYPES },
        authenticationType: {
          kind: 'enum',
          members: SIGN_IN_FREQUENCY_AUTH_TYPES,
          default: 'primaryAndSecondaryAuthentication',
        },
        frequencyInterval: { kind: 'enum', members: SIGN_IN_FREQUENCY_INTERVALS, default: 'timeBased' },
      },
    }),
    secureSignInSession: nullableObject({ name: 'secureSignInSessionControl', fields: { isEnabled } }),
    disableResilienceDefaults: { kind: 'boolean' },
    continuousAccessEvaluation: { kind: 'toleratedNull' },
    networkAccessSecurity: { kind: 'toleratedNull' },
    globalSecureAccessFilteringProfile: { kind: 'toleratedNull' },
  },
};

export const POLICY_SCHEMA: ObjectSchema = {
  name: 'conditionalAccessPolicy',
  fields: {
    id: { kind: 'readOnly' },
    templateId: { kind: 'readOnly' },
    displayName: { kind: 'string', nullable: false, required: true, maxLength: 256 },
    description: { kind: 'string', maxLength: 1024 },
    createdDateTime: { kind: 'readOnly' },
    modifiedDateTime: { kind: 'readOnly' },
    deletedDateTime: { kind: 'readOnly' },
    state: { kind: 'enum', members: POLICY_STATES, nullable: false, required: true },
    conditions: { kind: 'object', schema: CONDITIONS, nullable: false, required: true },
    grantControls: nullableObject(GRANT_CONTROLS_SCHEMA),
    sessionControls: nullableObject(SESSION_CONTROLS),
    partialEnablementStrategy: { kind: 'toleratedNull' },
  },
};

/** Canonical policy content (without id and dates) from a request body. Throws Graph's 400 on any schema error. */
export function shapePolicy(body: unknown): Json {
  if (!isRecord(body))
    throw schemaError('policy', 'the request body must be a conditionalAccessPolicy object.');
  const out = normaliseObject(POLICY_SCHEMA, body, 'policy');
  if (typeof out.displayName === 'string' && out.displayName.trim() === '') {
    throw schemaError('policy.displayName', 'the display name cannot be empty.');
  }
  return out;
}

/** The stored fields a client may not set, in wire order. */
export function withServerFields(
  content: Json,
  server: { id: string; createdDateTime: string; modifiedDateTime: string | null; templateId: string | null },
): Json {
  return {
    id: server.id,
    templateId: server.templateId,
    displayName: content.displayName,
    description: content.description ?? null,
    createdDateTime: server.createdDateTime,
    modifiedDateTime: server.modifiedDateTime,
    state: content.state,
    conditions: content.conditions,
    grantControls: content.grantControls,
    sessionControls: content.sessionControls,
  };
}
