/** JSON Schema of a seed file; mirrors seed-types.ts (`tenant` and every list optional). */

const str = { type: 'string', minLength: 1 } as const;
const strList = { type: 'array', items: str } as const;
const guid = {
  type: 'string',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
} as const;
const nullableStr = { type: ['string', 'null'] } as const;

const identity = {
  type: 'object',
  additionalProperties: false,
  required: ['signInType', 'issuer', 'issuerAssignedId'],
  properties: { signInType: str, issuer: str, issuerAssignedId: str },
} as const;

const user = {
  type: 'object',
  additionalProperties: false,
  required: ['userPrincipalName', 'displayName'],
  properties: {
    id: guid,
    userPrincipalName: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' },
    displayName: str,
    mail: nullableStr,
    userType: { enum: ['Member', 'Guest'] },
    accountEnabled: { type: 'boolean' },
    givenName: str,
    surname: str,
    jobTitle: str,
    department: str,
    creationType: { enum: [null, 'Invitation', 'LocalAccount', 'EmailVerified', 'SelfServiceSignUp'] },
    externalUserState: { enum: [null, 'PendingAcceptance', 'Accepted'] },
    identities: { type: 'array', items: identity },
    password: str,
    homeTenantId: { anyOf: [guid, { type: 'null' }] },
    externalUserType: {
      enum: [
        'internalGuest',
        'b2bCollaborationGuest',
        'b2bCollaborationMember',
        'otherExternalUser',
        'serviceProvider',
      ],
    },
    authenticationMethods: strList,
  },
} as const;

const group = {
  type: 'object',
  additionalProperties: false,
  required: ['displayName'],
  properties: {
    id: guid,
    displayName: str,
    description: str,
    mailNickname: { type: 'string', pattern: '^[\\x21-\\x7e]{1,64}$' },
    securityEnabled: { type: 'boolean' },
    mailEnabled: { type: 'boolean' },
    groupTypes: strList,
    members: strList,
  },
} as const;

export const SEED_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tenant: {
      type: 'object',
      additionalProperties: false,
      properties: {
        id: guid,
        displayName: str,
        domain: { type: 'string', pattern: '^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$' },
        flavor: { enum: ['workforce', 'external'] },
      },
    },
    users: { type: 'array', items: user },
    groups: { type: 'array', items: group },
    roleAssignments: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['role', 'principal'],
        properties: { role: str, principal: str },
      },
    },
    applications: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['displayName'],
        properties: {
          appId: guid,
          displayName: str,
          servicePrincipalType: str,
          tags: strList,
          customSecurityAttributes: {
            type: 'object',
            additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
          },
          redirectUris: { type: 'array', items: { type: 'string', pattern: '^https?://' } },
          publicClient: { type: 'boolean' },
        },
      },
    },
    appRegistrations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['displayName', 'permissions'],
        properties: { clientId: guid, clientSecret: str, displayName: str, permissions: strList },
      },
    },
    externalTenants: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['tenantId', 'displayName', 'domain'],
        properties: {
          tenantId: guid,
          displayName: str,
          domain: str,
          isServiceProvider: { type: 'boolean' },
          requiresMfa: { type: 'boolean' },
        },
      },
    },
    userFlows: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['displayName', 'localAccountMethod'],
        properties: {
          displayName: str,
          localAccountMethod: { enum: ['emailPassword', 'emailOtp'] },
          applications: strList,
        },
      },
    },
    signIn: {
      type: 'object',
      additionalProperties: false,
      properties: {
        loopbackAddress: str,
        addressCountries: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['range', 'country'],
            properties: { range: str, country: { type: 'string', pattern: '^[A-Z]{2}$' } },
          },
        },
      },
    },
    namedLocations: { type: 'array', items: { type: 'object' } },
    conditionalAccessPolicies: { type: 'array', items: { type: 'object' } },
  },
} as const;
