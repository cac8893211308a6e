/**
 * The authentication method configurations accord manages (graph-contract §4.2): the spec key, the id Graph
 * returns, the `@odata.type`, and the defaults Graph gives a new include target of that method.
 */
export interface MethodType {
  /** The key under `spec.authenticationMethodConfigurations` (Graph's URL segment). */
  key: string;
  /** The id Graph returns (`Email`, `Fido2`, …). */
  id: string;
  odataType: string;
  /** Graph's defaults for an include target's type-specific properties. */
  targetDefaults: Readonly<Record<string, unknown>>;
}

function methodType(key: string, id: string, targetDefaults: Record<string, unknown> = {}): MethodType {
  const typeName = `${key}AuthenticationMethodConfiguration`;
  return { key, id, odataType: `#microsoft.graph.${typeName}`, targetDefaults };
}

export const METHOD_TYPES: readonly MethodType[] = [
  methodType('email', 'Email'),
  methodType('fido2', 'Fido2'),
  methodType('microsoftAuthenticator', 'MicrosoftAuthenticator', { authenticationMode: 'any' }),
  methodType('sms', 'Sms', { isUsableForSignIn: true }),
  methodType('voice', 'Voice'),
  methodType('softwareOath', 'SoftwareOath'),
  methodType('temporaryAccessPass', 'TemporaryAccessPass'),
  methodType('x509Certificate', 'X509Certificate'),
];

export const POLICY_ID = 'authenticationMethodsPolicy';
/** The writable policy-level settings (the rest of the policy is read-only or the configurations). */
export const POLICY_SETTINGS = [
  'registrationEnforcement',
  'reconfirmationInDays',
  'policyMigrationState',
] as const;

export function findMethodByKey(key: string): MethodType | undefined {
  const lower = key.toLowerCase();
  return METHOD_TYPES.find((m) => m.key.toLowerCase() === lower);
}

/** The method of a configuration Graph returned, by `@odata.type` or else by id. */
export function findMethodOfConfig(body: Record<string, unknown>): MethodType | undefined {
  const type =
    typeof body['@odata.type'] === 'string' ? body['@odata.type'].replace(/^#?/, '#').toLowerCase() : '';
  const id = typeof body.id === 'string' ? body.id.toLowerCase() : '';
  return (
    METHOD_TYPES.find((m) => m.odataType.toLowerCase() === type) ??
    METHOD_TYPES.find((m) => m.id.toLowerCase() === id)
  );
}
