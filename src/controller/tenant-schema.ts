/**
 * The `Tenant` custom resource (accord.dev/v1alpha1): where a namespace's policies are reconciled to — a Graph
 * endpoint, its authority, the tenant id and the credentials — and the safety, prune, drift and deletion settings
 * accord.yaml gives the CLI. The single source of the Tenant CRD (src/gen/generate.ts) and of the controller's
 * reading of it (tenant-spec.ts).
 */
import type { JsonSchema } from '../core/kind.ts';

export const TENANT_KIND = 'Tenant';

const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** A Go-style duration as Kubernetes users write them: `30s`, `5m`, `1h30m`. */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';
const HTTP_URL = '^https?://[^\\s/]+(/[^\\s]*)?$';

/**
 * An endpoint the controller sends tokens (and, to a local tenant, a client secret) to: https, or plain http only to
 * a loopback address — a local tenant on the controller's own machine — so nothing secret crosses a network in
 * clear text.
 */
const endpoint = (field: string, fallback: string, description: string): JsonSchema => ({
  type: 'string',
  pattern: HTTP_URL,
  maxLength: 2048,
  default: fallback,
  description,
  'x-kubernetes-validations': [
    {
      rule: "isURL(self) && (url(self).getScheme() == 'https' || url(self).getHostname() in ['localhost', '127.0.0.1', '::1'])",
      message: `${field} must use https (plain http only to a loopback address: localhost, 127.0.0.1 or [::1])`,
    },
  ],
});

const keyName = (description: string, fallback?: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: 253,
  pattern: '^[-._a-zA-Z0-9]+$',
  description,
  ...(fallback !== undefined ? { default: fallback } : {}),
});

const credentialsSchema: JsonSchema = {
  type: 'object',
  description:
    'How the controller signs in to the tenant: exactly one of workloadIdentity (AKS workload identity) or secretRef (a Secret in the Tenant namespace).',
  properties: {
    workloadIdentity: {
      type: 'object',
      description:
        "AKS workload identity: the projected service-account token (AZURE_FEDERATED_TOKEN_FILE) is exchanged for the app's token.",
      required: ['clientId'],
      properties: {
        clientId: { type: 'string', pattern: GUID, description: 'The application (client) id.' },
      },
    },
    secretRef: {
      type: 'object',
      description:
        'A Secret in the Tenant namespace holding the client id and a client secret or a PEM certificate with its key.',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 253, description: 'The Secret name.' },
        clientIdKey: keyName('The key holding the client id.', 'clientId'),
        clientSecretKey: keyName('The key holding the client secret.', 'clientSecret'),
        certificateKey: keyName(
          'The key holding a PEM certificate and private key; used instead of the client secret when set.',
        ),
      },
    },
  },
  'x-kubernetes-validations': [
    {
      rule: 'has(self.workloadIdentity) != has(self.secretRef)',
      message: 'set exactly one of credentials.workloadIdentity or credentials.secretRef',
    },
  ],
};

const stringList = (description: string): JsonSchema => ({
  type: 'array',
  description,
  items: { type: 'string', minLength: 1 },
  maxItems: 100,
});

export const TENANT_SPEC_SCHEMA: JsonSchema = {
  type: 'object',
  description:
    'A Microsoft Graph tenant the policies of this namespace are reconciled to (resources name it with the label accord.dev/tenant, or it is the only Tenant of the namespace).',
  required: ['tenantId', 'credentials'],
  properties: {
    tenantId: { type: 'string', pattern: GUID, description: 'The directory (tenant) id.' },
    graphEndpoint: endpoint(
      'graphEndpoint',
      'https://graph.microsoft.com',
      'The Graph origin (the version root is <graphEndpoint>/v1.0); a local tenant served by `accord tenant serve` works too. https, or http to a loopback address only.',
    ),
    authorityHost: endpoint(
      'authorityHost',
      'https://login.microsoftonline.com',
      'The identity authority. https, or http to a loopback address only.',
    ),
    credentials: credentialsSchema,
    caBundle: {
      type: 'string',
      maxLength: 65536,
      description:
        'PEM certificates to trust for the Graph endpoint and the authority (a local tenant served over HTTPS).',
    },
    breakGlass: {
      type: 'object',
      description:
        'Emergency access accounts the lockout guard protects: never blocked, never asked for a control they cannot satisfy.',
      properties: {
        users: stringList('User principal names or ids.'),
        groups: stringList('Group display names or ids.'),
      },
    },
    prune: {
      type: 'boolean',
      default: false,
      description:
        'Delete tenant objects the controller created whose resource no longer exists (never anything else).',
    },
    drift: {
      type: 'object',
      description: 'Changes made in the tenant by hand.',
      properties: {
        mode: {
          type: 'string',
          enum: ['Correct', 'Report'],
          default: 'Correct',
          description: 'Correct: put the tenant back. Report: only set Drifted and raise an event.',
        },
        interval: {
          type: 'string',
          pattern: DURATION_PATTERN,
          description:
            "How often the tenant is read and compared (default: the controller's --resync-period, 5m).",
        },
      },
    },
    deletionPolicy: {
      type: 'string',
      enum: ['Delete', 'Orphan'],
      default: 'Delete',
      description:
        'What deleting a resource does to its tenant object (a resource may override it with the annotation accord.dev/deletion-policy). Only objects the controller created are ever deleted.',
    },
    rateLimit: {
      type: 'object',
      description: 'Client-side pacing of this tenant (one budget shared by all its resources).',
      properties: {
        conditionalAccessPerSecond: {
          type: 'number',
          minimum: 0.01,
          maximum: 1000,
          description: "Conditional Access requests per second (default 1, Graph's limit per tenant).",
        },
      },
    },
    suspend: { type: 'boolean', default: false, description: 'Stop reconciling this tenant.' },
  },
};

const conditionSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
  properties: {
    type: { type: 'string', maxLength: 316 },
    status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
    observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
    lastTransitionTime: { type: 'string', format: 'date-time' },
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
    },
    message: { type: 'string', maxLength: 32768 },
  },
};

/** metav1.Condition list, keyed by type. */
export const CONDITIONS_SCHEMA: JsonSchema = {
  type: 'array',
  items: conditionSchema,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
};

export const TENANT_STATUS_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'What the controller last did with this tenant.',
  properties: {
    conditions: CONDITIONS_SCHEMA,
    observedGeneration: { type: 'integer', format: 'int64' },
    resources: { type: 'integer', description: 'Resources bound to this tenant.' },
    lastSyncTime: { type: 'string', format: 'date-time', description: 'The last complete reconcile.' },
    shard: { type: 'integer', description: 'The shard (Lease accord-shard-<n>) this tenant belongs to.' },
    inventory: {
      type: 'object',
      description:
        'Ownership: the tenant objects the controller created, by kind and id, with the resource each was created for. Prune and the Delete policy touch nothing else.',
      additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
};

/** The status of a policy resource (every kind but Tenant). */
export const RESOURCE_STATUS_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'What the controller last did with this object.',
  properties: {
    conditions: CONDITIONS_SCHEMA,
    observedGeneration: { type: 'integer', format: 'int64' },
    id: { type: 'string', description: 'The id of the tenant object.' },
    tenant: { type: 'string', description: 'The Tenant this resource is reconciled to.' },
    lastSyncTime: {
      type: 'string',
      format: 'date-time',
      description: 'The last time the controller compared this object with the tenant.',
    },
    lastAppliedAt: {
      type: 'string',
      format: 'date-time',
      description: 'The last time the controller wrote this object to the tenant.',
    },
  },
};
