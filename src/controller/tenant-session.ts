/**
 * One Graph client per Tenant, shared by every resource of that tenant: one token cache and one rate budget (the
 * client's pacer), since Graph's limits are per tenant. Built from the Tenant's spec and, for `secretRef`, its
 * Secret; rebuilt when either changes. Secret values stay inside the credential objects: they are never logged,
 * put in a condition or an event.
 */
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import { GraphRequestError } from '../core/graph-port.ts';
import { GraphClient, type AccessTokenProvider } from '../graph/graph-client.ts';
import { localClientCredential } from '../cli/local-credential.ts';
import type { Logger } from '../log/log-port.ts';
import type { KubeRest } from './kube/kube-rest.ts';
import type { TenantResource } from './resources.ts';

export const DEFAULT_GRAPH_ENDPOINT = 'https://graph.microsoft.com';
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
const MICROSOFT_AUTHORITIES =
  /^https:\/\/login\.(microsoftonline\.(com|us)|chinacloudapi\.cn|partner\.microsoftonline\.cn)\/?$/i;

export interface TenantSession {
  client: GraphClient;
  /** The application id the controller signs in as (for the lockout guard's "would accord lose access"). */
  clientId: string | undefined;
  fingerprint: string;
}

/** A mistake in the Tenant or its Secret: reported on the Tenant (reason CredentialsInvalid), retried later. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

/** The code of the GraphRequestError the Graph client throws when the identity platform refuses a token. */
const TOKEN_REFUSED = 'CredentialError';

/**
 * A failure to sign in — the Tenant or its Secret is wrong, or the identity platform refused the credentials (a
 * wrong or expired secret, a federated credential that does not match): retrying cannot help until someone
 * changes them.
 */
export function isCredentialFailure(err: unknown): boolean {
  return err instanceof CredentialsError || (err instanceof GraphRequestError && err.code === TOKEN_REFUSED);
}

interface Secret {
  metadata: { resourceVersion?: string };
  data?: Record<string, string>;
}

export interface SessionFactoryOptions {
  rest: KubeRest;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Wraps each tenant's fetch (metrics count Graph requests by tenant and status). */
  instrumentFetch?: (tenant: string, fetchImpl: typeof fetch) => typeof fetch;
}

/** The trust store: the platform's CAs plus every Tenant's caBundle (added, never removed while running). */
const extraCas = new Set<string>();
let baseCas: string[] | undefined;

function trustCaBundle(pem: string): void {
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  let added = false;
  for (const certificate of certificates) {
    if (extraCas.has(certificate)) continue;
    extraCas.add(certificate);
    added = true;
  }
  if (!added) return;
  baseCas ??= getCACertificates('default');
  setDefaultCACertificates([...baseCas, ...extraCas]);
}

export class TenantSessions {
  private readonly options: SessionFactoryOptions;
  private readonly sessions = new Map<string, TenantSession>();

  constructor(options: SessionFactoryOptions) {
    this.options = options;
  }

  /** The session of a Tenant, reusing the current one while its spec and Secret are unchanged. */
  async sessionFor(tenant: TenantResource): Promise<TenantSession> {
    const key = `${tenant.metadata.namespace}/${tenant.metadata.name}`;
    const secret = await this.readSecret(tenant);
    const fingerprint = `${tenant.metadata.uid}|${tenant.metadata.generation ?? 0}|${secret?.metadata.resourceVersion ?? ''}`;
    const existing = this.sessions.get(key);
    if (existing && existing.fingerprint === fingerprint) return existing;
    const session = this.build(tenant, secret, fingerprint, key);
    this.sessions.set(key, session);
    return session;
  }

  forget(key: string): void {
    this.sessions.delete(key);
  }

  private async readSecret(tenant: TenantResource): Promise<Secret | undefined> {
    const ref = tenant.spec.credentials.secretRef;
    if (!ref) return undefined;
    try {
      return await this.options.rest.get<Secret>(
        `/api/v1/namespaces/${encodeURIComponent(tenant.metadata.namespace)}/secrets/${encodeURIComponent(ref.name)}`,
      );
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404)
        throw new CredentialsError(`the Secret '${ref.name}' does not exist in this namespace`);
      if (status === 403)
        throw new CredentialsError(`the controller may not read the Secret '${ref.name}' (RBAC)`);
      throw err;
    }
  }

  private build(
    tenant: TenantResource,
    secret: Secret | undefined,
    fingerprint: string,
    key: string,
  ): TenantSession {
    const spec = tenant.spec;
    if (spec.caBundle) trustCaBundle(spec.caBundle);
    const graphEndpoint = (spec.graphEndpoint ?? DEFAULT_GRAPH_ENDPOINT).replace(/\/+$/, '');
    const { credential, clientId } = this.credentialOrExplain(tenant, secret);
    const fetchImpl = this.options.instrumentFetch?.(key, fetch) ?? fetch;
    const client = new GraphClient({
      baseUrl: `${graphEndpoint}/v1.0`,
      credential,
      logger: this.options.logger,
      fetch: fetchImpl,
      ...(spec.rateLimit?.conditionalAccessPerSecond
        ? {
            conditionalAccessPerSecond: spec.rateLimit.conditionalAccessPerSecond,
            conditionalAccessBurst: Math.max(1, Math.floor(spec.rateLimit.conditionalAccessPerSecond)),
          }
        : {}),
    });
    return { client, clientId, fingerprint };
  }

  /** The credential, or a CredentialsError when @azure/identity refuses the settings (say, an http authority). */
  private credentialOrExplain(
    tenant: TenantResource,
    secret: Secret | undefined,
  ): { credential: AccessTokenProvider; clientId: string | undefined } {
    try {
      return this.credentialFor(tenant, secret);
    } catch (err) {
      if (err instanceof CredentialsError) throw err;
      throw new CredentialsError(`the credentials cannot be used: ${(err as Error).message}`);
    }
  }

  private credentialFor(
    tenant: TenantResource,
    secret: Secret | undefined,
  ): { credential: AccessTokenProvider; clientId: string | undefined } {
    const spec = tenant.spec;
    const authorityHost = (spec.authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, '');
    const options = {
      authorityHost,
      ...(MICROSOFT_AUTHORITIES.test(authorityHost) ? {} : { disableInstanceDiscovery: true }),
    };
    const workload = spec.credentials.workloadIdentity;
    if (workload) {
      const tokenFilePath = (this.options.env ?? process.env).AZURE_FEDERATED_TOKEN_FILE;
      if (!tokenFilePath)
        throw new CredentialsError(
          'workload identity needs AZURE_FEDERATED_TOKEN_FILE in the controller pod (label the pod azure.workload.identity/use: "true")',
        );
      return {
        credential: new WorkloadIdentityCredential({
          ...options,
          tenantId: spec.tenantId,
          clientId: workload.clientId,
          tokenFilePath,
        }),
        clientId: workload.clientId,
      };
    }
    const ref = spec.credentials.secretRef!;
    const value = (key: string | undefined): string | undefined => {
      const encoded = key ? secret?.data?.[key] : undefined;
      return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8').trim();
    };
    const clientIdKey = ref.clientIdKey ?? 'clientId';
    const clientId = value(clientIdKey);
    if (!clientId) throw new CredentialsError(`the Secret '${ref.name}' has no key '${clientIdKey}'`);
    if (ref.certificateKey) {
      const certificate = value(ref.certificateKey);
      if (!certificate?.includes('PRIVATE KEY'))
        throw new CredentialsError(
          `the Secret '${ref.name}' has no PEM certificate with its private key under '${ref.certificateKey}'`,
        );
      return {
        credential: new ClientCertificateCredential(spec.tenantId, clientId, { certificate }, options),
        clientId,
      };
    }
    const secretKey = ref.clientSecretKey ?? 'clientSecret';
    const clientSecret = value(secretKey);
    if (!clientSecret) throw new CredentialsError(`the Secret '${ref.name}' has no key '${secretKey}'`);
    // MSAL accepts only https authorities; a local tenant on plain http (a developer's machine) gets a plain
    // client-credentials request to its token endpoint instead.
    if (authorityHost.startsWith('http://')) {
      return {
        credential: localClientCredential(
          `${authorityHost}/${spec.tenantId}/oauth2/v2.0/token`,
          clientId,
          clientSecret,
        ),
        clientId,
      };
    }
    return {
      credential: new ClientSecretCredential(spec.tenantId, clientId, clientSecret, options),
      clientId,
    };
  }
}
