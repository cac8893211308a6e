/**
 * The spec schema of every kind, keyed by kind name. The validator and the generators read this map; the kind
 * registry (src/kinds/registry.ts) imports the same schema values, so there is one source per kind.
 */
import type { JsonSchema } from '../core/kind.ts';
import { authenticationMethodsPolicySpecSchema } from './authentication-methods-policy/schema.ts';
import { authenticationStrengthPolicySpecSchema } from './authentication-strength/schema.ts';
import { conditionalAccessPolicySpecSchema } from './conditional-access-policy/schema.ts';
import { crossTenantAccessPolicySpecSchema } from './cross-tenant-access-policy/schema.ts';
import { namedLocationSpecSchema } from './named-location/schema.ts';

export const KIND_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  ConditionalAccessPolicy: conditionalAccessPolicySpecSchema,
  NamedLocation: namedLocationSpecSchema,
  AuthenticationStrengthPolicy: authenticationStrengthPolicySpecSchema,
  AuthenticationMethodsPolicy: authenticationMethodsPolicySpecSchema,
  CrossTenantAccessPolicy: crossTenantAccessPolicySpecSchema,
};

export function listKinds(): string[] {
  return Object.keys(KIND_SCHEMAS);
}
