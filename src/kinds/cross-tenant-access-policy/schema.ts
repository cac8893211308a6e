/**
 * `spec` of the CrossTenantAccessPolicy singleton: the `default` configuration and `partners`
 * (Graph `crossTenantAccessPolicyConfigurationDefault` / `…Partner`), e.g. "accept MFA from the guest's home
 * tenant". Only partners listed are owned. Targets accept readable names (group names, UPNs, app names).
 */
import type { JsonSchema } from '../../core/kind.ts';
import {
  arrayOf,
  booleanSchema,
  enumSchema,
  nullable,
  objectSchema,
  openObjectSchema,
  stringSchema,
} from '../shared-schemas.ts';

function targetConfiguration(targetTypes: readonly string[], description: string): JsonSchema {
  return objectSchema(
    {
      accessType: enumSchema(['allowed', 'blocked']),
      targets: arrayOf(
        objectSchema(
          {
            target: stringSchema(
              '`AllUsers`, `AllApplications`, or a user, group or application (name or id).',
            ),
            targetType: enumSchema(targetTypes),
          },
          { required: ['target', 'targetType'] },
        ),
        undefined,
        { min: 1 },
      ),
    },
    { required: ['accessType', 'targets'], nullable: true, description },
  );
}

function b2bSetting(description: string, extra: Record<string, JsonSchema> = {}): JsonSchema {
  return objectSchema(
    {
      usersAndGroups: targetConfiguration(['user', 'group'], 'Users and groups.'),
      applications: targetConfiguration(['application'], 'Applications.'),
      ...extra,
    },
    { nullable: true, description },
  );
}

const settingProperties: Record<string, JsonSchema> = {
  inboundTrust: objectSchema(
    {
      isMfaAccepted: booleanSchema('Accept MFA performed in the external tenant.'),
      isCompliantDeviceAccepted: booleanSchema('Accept compliant-device claims from the external tenant.'),
      isHybridAzureADJoinedDeviceAccepted: booleanSchema('Accept hybrid-joined-device claims.'),
    },
    { nullable: true, description: 'Which claims from the external tenant are trusted.' },
  ),
  b2bCollaborationInbound: b2bSetting('B2B collaboration into this tenant.'),
  b2bCollaborationOutbound: b2bSetting('B2B collaboration from this tenant.'),
  b2bDirectConnectInbound: b2bSetting('B2B direct connect into this tenant.'),
  b2bDirectConnectOutbound: b2bSetting('B2B direct connect from this tenant.'),
  automaticUserConsentSettings: objectSchema(
    { inboundAllowed: nullable(booleanSchema()), outboundAllowed: nullable(booleanSchema()) },
    { nullable: true, description: 'Automatic redemption of invitations.' },
  ),
  tenantRestrictions: b2bSetting('Tenant restrictions.', {
    devices: openObjectSchema('Device filter for tenant restrictions (devicesFilter).', true),
  }),
};

const IDENTITY_PROVIDERS = ['externalFederation', 'azureActiveDirectory', 'socialIdentityProviders'];

const defaultSchema = objectSchema(
  {
    ...settingProperties,
    invitationRedemptionIdentityProviderConfiguration: objectSchema(
      {
        primaryIdentityProviderPrecedenceOrder: arrayOf(enumSchema(IDENTITY_PROVIDERS)),
        fallbackIdentityProvider: enumSchema([
          'defaultConfiguredIdp',
          'emailOneTimePasscode',
          'microsoftAccount',
        ]),
      },
      { nullable: true, description: 'Identity providers for invitation redemption.' },
    ),
  },
  { description: 'The default configuration, for every tenant without a partner configuration.' },
);

const partnerSchema = objectSchema(
  {
    tenantId: { type: 'string', minLength: 1, description: 'The partner tenant id.' },
    isServiceProvider: nullable(booleanSchema('Whether the partner is a cloud service provider.')),
    ...settingProperties,
  },
  { required: ['tenantId'], description: 'A partner configuration.' },
);

export const crossTenantAccessPolicySpecSchema: JsonSchema = objectSchema(
  {
    allowedCloudEndpoints: arrayOf(
      enumSchema(['microsoftonline.us', 'partner.microsoftonline.cn']),
      'Other Microsoft clouds users may collaborate with.',
    ),
    default: defaultSchema,
    partners: arrayOf(partnerSchema, 'Partner configurations; only the partners listed are managed.'),
  },
  { description: 'Cross-tenant access settings (singleton): the default configuration and partners.' },
);
