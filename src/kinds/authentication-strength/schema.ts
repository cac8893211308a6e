/**
 * `spec` of an AuthenticationStrengthPolicy (graph-contract §5): a custom strength. `policyType` and
 * `requirementsSatisfied` are computed by Graph and not part of the spec.
 */
import type { JsonSchema } from '../../core/kind.ts';
import { WRITABLE_AUTHENTICATION_METHOD_MODES } from '../../model/authentication-method-modes.ts';
import { arrayOf, enumSchema, flagsSchema, nullable, objectSchema, stringSchema } from '../shared-schemas.ts';

/** `authenticationMethodModes` members a manifest may use (flags; one combination is a comma-joined string). */
export const AUTHENTICATION_METHOD_MODES = WRITABLE_AUTHENTICATION_METHOD_MODES;

const combinationSchema = flagsSchema(
  AUTHENTICATION_METHOD_MODES,
  'One allowed combination of methods, comma-joined, e.g. `password,microsoftAuthenticatorPush`.',
);

const combinationConfigurationSchema = objectSchema(
  {
    '@odata.type': enumSchema([
      '#microsoft.graph.fido2CombinationConfiguration',
      '#microsoft.graph.x509CertificateCombinationConfiguration',
    ]),
    appliesToCombinations: arrayOf(combinationSchema, 'The combinations this configuration restricts.'),
    allowedAAGUIDs: arrayOf(stringSchema(), 'FIDO2 authenticator AAGUIDs (fido2 only).'),
    allowedIssuerSkis: arrayOf(stringSchema(), 'Certificate issuer subject key identifiers (x509 only).'),
    allowedPolicyOIDs: arrayOf(stringSchema(), 'Certificate policy OIDs (x509 only).'),
  },
  { required: ['@odata.type', 'appliesToCombinations'], description: 'A combination configuration.' },
);

export const authenticationStrengthPolicySpecSchema: JsonSchema = objectSchema(
  {
    displayName: {
      type: 'string',
      minLength: 1,
      description: 'The strength name; policies refer to it by this.',
    },
    description: nullable(stringSchema('A description of the strength.')),
    allowedCombinations: arrayOf(combinationSchema, 'The method combinations that satisfy this strength.', {
      min: 1,
    }),
    combinationConfigurations: arrayOf(
      combinationConfigurationSchema,
      'Restrictions on FIDO2 keys and certificates for some combinations.',
    ),
  },
  {
    required: ['displayName', 'allowedCombinations'],
    description: 'A custom authentication strength, as Microsoft Graph `authenticationStrengthPolicy`.',
  },
);
