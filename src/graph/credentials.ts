/**
 * Builds the `@azure/identity` credential for a tenant (graph-contract §7.5). Secrets never come from accord.yaml:
 * a client secret is read from an environment variable, a certificate from a PEM file, federated tokens from a
 * token file or from GitHub Actions' OIDC endpoint. `authorityHost` and `disableInstanceDiscovery` let the same
 * code talk to the local tenant (whose authority is its own HTTPS origin).
 */
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
} from '@azure/identity';

export type CredentialKind =
  | 'clientSecret'
  | 'certificate'
  | 'workloadIdentity'
  | 'managedIdentity'
  | 'clientAssertion'
  | 'githubOidc'
  | 'environment';

export interface CredentialSettings {
  kind: CredentialKind;
  tenantId: string;
  /** Required for every kind but a system-assigned managed identity. */
  clientId?: string;
  /** e.g. `https://login.microsoftonline.com` or the local tenant's origin. */
  authorityHost?: string;
  /** Skip the authority metadata lookup at login.microsoft.com (the local tenant, sovereign test setups). */
  disableInstanceDiscovery?: boolean;
  /** `clientSecret`: the secret itself (read from the environment by the config loader). */
  clientSecret?: string;
  /** `certificate`: a PEM file holding the private key and the certificate. */
  certificatePath?: string;
  /** `workloadIdentity`: the projected service-account token (default `AZURE_FEDERATED_TOKEN_FILE`). */
  tokenFile?: string;
  /** `clientAssertion`: returns a fresh assertion each time a token is needed. */
  getAssertion?: () => Promise<string>;
}

/** The audience Entra expects on federated tokens exchanged for an access token. */
export const AZURE_AD_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** A configuration mistake (missing client id, no secret in the environment…): a user error, not a defect. */
export class CredentialConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialConfigError';
  }
}

export function createCredential(
  settings: CredentialSettings,
  env: NodeJS.ProcessEnv = process.env,
): TokenCredential {
  const options = {
    ...(settings.authorityHost ? { authorityHost: settings.authorityHost } : {}),
    ...(settings.disableInstanceDiscovery ? { disableInstanceDiscovery: true } : {}),
  };
  switch (settings.kind) {
    case 'clientSecret':
      return new ClientSecretCredential(
        settings.tenantId,
        requireClientId(settings),
        requireValue(
          settings.clientSecret,
          'a client secret (set the environment variable named by secretEnv)',
        ),
        options,
      );
    case 'certificate':
      return new ClientCertificateCredential(
        settings.tenantId,
        requireClientId(settings),
        { certificatePath: requireValue(settings.certificatePath, 'certificatePath (a PEM file)') },
        options,
      );
    case 'workloadIdentity':
      return new WorkloadIdentityCredential({
        ...options,
        tenantId: settings.tenantId,
        clientId: requireClientId(settings),
        tokenFilePath: requireValue(
          settings.tokenFile ?? env.AZURE_FEDERATED_TOKEN_FILE,
          'a token file (tokenFile or AZURE_FEDERATED_TOKEN_FILE)',
        ),
      });
    case 'managedIdentity':
      return settings.clientId
        ? new ManagedIdentityCredential({ clientId: settings.clientId })
        : new ManagedIdentityCredential();
    case 'clientAssertion':
      return new ClientAssertionCredential(
        settings.tenantId,
        requireClientId(settings),
        requireValue(settings.getAssertion, 'an assertion callback'),
        options,
      );
    case 'githubOidc':
      return new ClientAssertionCredential(
        settings.tenantId,
        requireClientId(settings),
        () => githubActionsAssertion({ env }),
        options,
      );
    case 'environment':
      return createCredential(settingsFromEnvironment(settings, env), env);
  }
}

/**
 * The usual Azure variables, in the order `EnvironmentCredential` and `DefaultAzureCredential` try them:
 * a secret, then a certificate, then a federated token file (AKS workload identity).
 */
export function settingsFromEnvironment(
  base: CredentialSettings,
  env: NodeJS.ProcessEnv,
): CredentialSettings {
  const common = {
    tenantId: env.AZURE_TENANT_ID || base.tenantId,
    clientId: env.AZURE_CLIENT_ID || base.clientId,
    authorityHost: base.authorityHost ?? env.AZURE_AUTHORITY_HOST,
    disableInstanceDiscovery: base.disableInstanceDiscovery,
  };
  if (env.AZURE_CLIENT_SECRET)
    return { ...common, kind: 'clientSecret', clientSecret: env.AZURE_CLIENT_SECRET };
  if (env.AZURE_CLIENT_CERTIFICATE_PATH) {
    return { ...common, kind: 'certificate', certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH };
  }
  if (env.AZURE_FEDERATED_TOKEN_FILE) {
    return { ...common, kind: 'workloadIdentity', tokenFile: env.AZURE_FEDERATED_TOKEN_FILE };
  }
  throw new CredentialConfigError(
    'credential kind "environment" needs AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE',
  );
}

export interface GithubAssertionOptions {
  env?: NodeJS.ProcessEnv;
  audience?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * A GitHub Actions OIDC token for Entra workload identity federation: GET `ACTIONS_ID_TOKEN_REQUEST_URL` with
 * `audience=api://AzureADTokenExchange`, authorised by `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (the job needs
 * `permissions: id-token: write`). Called for every token acquisition: the OIDC token lives only minutes.
 */
export async function githubActionsAssertion(options: GithubAssertionOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) {
    throw new CredentialConfigError(
      'GitHub OIDC needs ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN: give the job `permissions: id-token: write`',
    );
  }
  const url = new URL(requestUrl);
  url.searchParams.set('audience', options.audience ?? AZURE_AD_TOKEN_EXCHANGE_AUDIENCE);
  const response = await (options.fetch ?? fetch)(url, {
    headers: { authorization: `bearer ${requestToken}`, accept: 'application/json' },
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  if (!response.ok) {
    // The body may echo request details; only the status is reported.
    throw new CredentialConfigError(`GitHub's OIDC token endpoint answered ${response.status}`);
  }
  const body = (await response.json()) as { value?: unknown };
  if (typeof body.value !== 'string' || body.value === '') {
    throw new CredentialConfigError("GitHub's OIDC token endpoint returned no token");
  }
  return body.value;
}

function requireClientId(settings: CredentialSettings): string {
  return requireValue(settings.clientId, 'clientId (or AZURE_CLIENT_ID)');
}

function requireValue<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === '') throw new CredentialConfigError(`the credential needs ${what}`);
  return value;
}
