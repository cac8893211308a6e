/**
 * `spec` of the AuthenticationMethodsPolicy singleton (graph-contract §4): the writable policy settings and the
 * method configurations keyed by method id. Only the methods listed are owned; unlisted ones are left alone.
 * `id` and `@odata.type` of a configuration follow from its key.
 */
import type { JsonSchema } from '../../core/kind.ts';
import {
  arrayOf,
  booleanSchema,
  enumSchema,
  integerSchema,
  nullable,
  objectSchema,
  openObjectSchema,
  stringSchema,
} from '../shared-schemas.ts';

const TARGET_TYPES = ['user', 'group'];

const targetId = stringSchema(
  'A user (UPN or id) or group (display name or id); `all_users` for every user.',
);

const excludeTargetsSchema = arrayOf(
  objectSchema({ id: targetId, targetType: enumSchema(TARGET_TYPES) }, { required: ['id', 'targetType'] }),
  'Users and groups excluded.',
);

function includeTargetsSchema(extras: Record<string, JsonSchema> = {}): JsonSchema {
  return arrayOf(
    objectSchema(
      {
        id: targetId,
        targetType: enumSchema(TARGET_TYPES),
        isRegistrationRequired: booleanSchema('Whether users must register this method.'),
        ...extras,
      },
      { required: ['id', 'targetType'] },
    ),
    'Users and groups the method is enabled for.',
  );
}

function methodSchema(
  description: string,
  properties: Record<string, JsonSchema> = {},
  targetExtras: Record<string, JsonSchema> = {},
): JsonSchema {
  return objectSchema(
    {
      state: enumSchema(['enabled', 'disabled'], 'Whether the method is enabled.'),
      includeTargets: includeTargetsSchema(targetExtras),
      excludeTargets: excludeTargetsSchema,
      ...properties,
    },
    { required: ['state'], description },
  );
}

const FEATURE_STATES = ['default', 'enabled', 'disabled'];

const featureTargetSchema = objectSchema(
  {
    id: stringSchema(
      'A group (display name or id), administrative unit or role; `all_users` for every user.',
    ),
    targetType: enumSchema(['group', 'administrativeUnit', 'role']),
  },
  { required: ['id', 'targetType'] },
);

const featureSettingSchema = objectSchema(
  {
    state: enumSchema(FEATURE_STATES),
    includeTarget: featureTargetSchema,
    excludeTarget: featureTargetSchema,
  },
  { required: ['state'] },
);

const tapLifetime = integerSchema(10, 43200);

const methodConfigurationsSchema = objectSchema(
  {
    email: methodSchema('Email one-time passcode.', {
      allowExternalIdToUseEmailOtp: enumSchema(FEATURE_STATES, 'Whether external users may use email OTP.'),
    }),
    fido2: methodSchema(
      'FIDO2 security keys and passkeys.',
      {
        isAttestationEnforced: booleanSchema(),
        isSelfServiceRegistrationAllowed: booleanSchema(),
        keyRestrictions: objectSchema(
          {
            aaGuids: arrayOf(stringSchema(), 'Authenticator AAGUIDs.'),
            enforcementType: enumSchema(['allow', 'block']),
            isEnforced: booleanSchema(),
          },
          { nullable: true },
        ),
        defaultPasskeyProfile: nullable(stringSchema()),
      },
      { allowedPasskeyProfiles: arrayOf(stringSchema()) },
    ),
    microsoftAuthenticator: methodSchema(
      'Microsoft Authenticator.',
      {
        isSoftwareOathEnabled: booleanSchema(),
        featureSettings: objectSchema(
          {
            displayAppInformationRequiredState: featureSettingSchema,
            displayLocationInformationRequiredState: featureSettingSchema,
          },
          { nullable: true },
        ),
      },
      { authenticationMode: enumSchema(['deviceBasedPush', 'push', 'any']) },
    ),
    sms: methodSchema('Text message.', {}, { isUsableForSignIn: booleanSchema() }),
    voice: methodSchema('Voice call.', { isOfficePhoneAllowed: booleanSchema() }),
    softwareOath: methodSchema('Third-party software OATH tokens.'),
    temporaryAccessPass: methodSchema('Temporary Access Pass.', {
      defaultLength: integerSchema(8, 48),
      defaultLifetimeInMinutes: tapLifetime,
      isUsableOnce: booleanSchema(),
      minimumLifetimeInMinutes: tapLifetime,
      maximumLifetimeInMinutes: tapLifetime,
    }),
    x509Certificate: methodSchema('Certificate-based authentication.', {
      authenticationModeConfiguration: openObjectSchema(
        'x509CertificateAuthenticationModeConfiguration.',
        true,
      ),
      certificateUserBindings: arrayOf(openObjectSchema('x509CertificateUserBinding.')),
      crlValidationConfiguration: openObjectSchema('x509CertificateCRLValidationConfiguration.'),
      issuerHintsConfiguration: openObjectSchema('x509CertificateIssuerHintsConfiguration.', true),
      certificateAuthorityScopes: arrayOf(openObjectSchema('x509CertificateAuthorityScope.')),
    }),
  },
  { description: 'Method configurations keyed by method id; only the methods listed here are managed.' },
);

const campaignSchema = objectSchema(
  {
    state: enumSchema(FEATURE_STATES),
    snoozeDurationInDays: integerSchema(0, 14),
    enforceRegistrationAfterAllowedSnoozes: booleanSchema(),
    includeTargets: arrayOf(
      objectSchema(
        {
          id: targetId,
          targetType: enumSchema(TARGET_TYPES),
          targetedAuthenticationMethod: enumSchema(['microsoftAuthenticator']),
        },
        { required: ['id', 'targetType'] },
      ),
    ),
    excludeTargets: excludeTargetsSchema,
  },
  { description: 'The registration campaign (nudge) for Microsoft Authenticator.' },
);

export const authenticationMethodsPolicySpecSchema: JsonSchema = objectSchema(
  {
    policyMigrationState: enumSchema(['preMigration', 'migrationInProgress', 'migrationComplete']),
    reconfirmationInDays: integerSchema(
      0,
      730,
      'Days before users are asked to reconfirm their information.',
    ),
    registrationEnforcement: objectSchema(
      { authenticationMethodsRegistrationCampaign: campaignSchema },
      { description: 'Registration enforcement.' },
    ),
    authenticationMethodConfigurations: methodConfigurationsSchema,
  },
  {
    description:
      'The tenant authentication methods policy (singleton), as Microsoft Graph `authenticationMethodsPolicy`.',
  },
);
