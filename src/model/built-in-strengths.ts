/** The three built-in authentication strength policies every tenant has (graph-contract §5), as Graph returns them. */
export interface BuiltInAuthenticationStrength {
  id: string;
  createdDateTime: string;
  modifiedDateTime: string;
  displayName: string;
  description: string;
  policyType: 'builtIn';
  requirementsSatisfied: 'mfa';
  allowedCombinations: readonly string[];
}

const BUILT_IN_STRENGTH_DATE = '2021-12-01T00:00:00Z';

export const BUILT_IN_AUTHENTICATION_STRENGTHS: readonly BuiltInAuthenticationStrength[] = [
  {
    id: '00000000-0000-0000-0000-000000000002',
    createdDateTime: BUILT_IN_STRENGTH_DATE,
    modifiedDateTime: BUILT_IN_STRENGTH_DATE,
    displayName: 'Multifactor authentication',
    description: 'Combinations of methods that satisfy strong authentication, such as a password + SMS',
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations: [
      'windowsHelloForBusiness',
      'fido2',
      'x509CertificateMultiFactor',
      'deviceBasedPush',
      'temporaryAccessPassOneTime',
      'temporaryAccessPassMultiUse',
      'password,microsoftAuthenticatorPush',
      'password,softwareOath',
      'password,hardwareOath',
      'password,x509CertificateSingleFactor',
      'password,x509CertificateMultiFactor',
      'password,sms',
      'password,voice',
      'federatedMultiFactor',
      'microsoftAuthenticatorPush,federatedSingleFactor',
      'softwareOath,federatedSingleFactor',
      'hardwareOath,federatedSingleFactor',
      'sms,federatedSingleFactor',
      'voice,federatedSingleFactor',
    ],
  },
  {
    id: '00000000-0000-0000-0000-000000000003',
    createdDateTime: BUILT_IN_STRENGTH_DATE,
    modifiedDateTime: BUILT_IN_STRENGTH_DATE,
    displayName: 'Passwordless MFA',
    description:
      'Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator',
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations: [
      'windowsHelloForBusiness',
      'fido2',
      'x509CertificateMultiFactor',
      'deviceBasedPush',
    ],
  },
  {
    id: '00000000-0000-0000-0000-000000000004',
    createdDateTime: BUILT_IN_STRENGTH_DATE,
    modifiedDateTime: BUILT_IN_STRENGTH_DATE,
    displayName: 'Phishing resistant MFA',
    description:
      'Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key',
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
  },
];
