/**
 * `authenticationMethodModes` in Graph's canonical (CSDL flags) order (graph-contract §5). A combination in an
 * authentication strength is a set of modes, echoed by Graph in this order. `unknownFutureValue` is the evolvable
 * enum's sentinel: Graph never accepts it in a write.
 */
export const AUTHENTICATION_METHOD_MODES = [
  'password',
  'voice',
  'hardwareOath',
  'softwareOath',
  'sms',
  'fido2',
  'windowsHelloForBusiness',
  'microsoftAuthenticatorPush',
  'deviceBasedPush',
  'temporaryAccessPassOneTime',
  'temporaryAccessPassMultiUse',
  'email',
  'x509CertificateSingleFactor',
  'x509CertificateMultiFactor',
  'federatedSingleFactor',
  'federatedMultiFactor',
  'unknownFutureValue',
  'qrCodePin',
] as const;

/** The modes a client may write (without the sentinel). */
export const WRITABLE_AUTHENTICATION_METHOD_MODES = AUTHENTICATION_METHOD_MODES.filter(
  (m) => m !== 'unknownFutureValue',
);
