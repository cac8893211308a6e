/**
 * The JSON Schema of accord.yaml (documented field by field in accord-config.ts). Unknown keys are errors, so a
 * typo such as `prnue: true` is reported instead of silently ignored.
 */

const credentialSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    kind: {
      enum: [
        'clientSecret',
        'certificate',
        'workloadIdentity',
        'managedIdentity',
        'githubOidc',
        'environment',
      ],
    },
    secretEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    certificatePath: { type: 'string', minLength: 1 },
    tokenFile: { type: 'string', minLength: 1 },
  },
} as const;

const tenantSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['credential'],
  properties: {
    graphUrl: { type: 'string', pattern: '^https?://' },
    authorityHost: { type: 'string', pattern: '^https://' },
    disableInstanceDiscovery: { type: 'boolean' },
    tenantId: { type: 'string', minLength: 1 },
    clientId: { type: 'string', minLength: 1 },
    credential: credentialSchema,
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      properties: { conditionalAccessPerSecond: { type: 'number', exclusiveMinimum: 0, maximum: 100 } },
    },
  },
} as const;

export const ACCORD_CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  properties: {
    tenants: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
      additionalProperties: tenantSchema,
    },
    defaultTenant: { type: 'string', minLength: 1 },
    safety: {
      type: 'object',
      additionalProperties: false,
      properties: {
        breakGlass: {
          type: 'object',
          additionalProperties: false,
          properties: {
            users: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
            groups: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
          },
        },
      },
    },
    prune: { type: 'boolean' },
    ownership: {
      type: 'object',
      additionalProperties: false,
      properties: { inventory: { type: 'string', minLength: 1 } },
    },
    localTenant: {
      type: 'object',
      additionalProperties: false,
      properties: { dataDir: { type: 'string', minLength: 1 } },
    },
  },
} as const;
