/** The three built-in authentication strengths (graph-contract §5), for callers without a tenant to ask. */
import type { AuthenticationStrength } from './types.ts';

export const MFA_STRENGTH_ID = '00000000-0000-0000-0000-000000000002';

const PASSWORDLESS = ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush'];

export const BUILT_IN_STRENGTHS: readonly AuthenticationStrength[] = [
  {
    id: MFA_STRENGTH_ID,
    displayName: 'Multifactor authentication',
    allowedCombinations: [
      ...PASSWORDLESS,
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
    displayName: 'Passwordless MFA',
    allowedCombinations: PASSWORDLESS,
  },
  {
    id: '00000000-0000-0000-0000-000000000004',
    displayName: 'Phishing resistant MFA',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
  },
];

export const MFA_COMBINATIONS: readonly string[] = BUILT_IN_STRENGTHS[0]!.allowedCombinations;
