import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonSchema } from '../core/kind.ts';
import { KIND_SCHEMAS } from './schemas.ts';
import { SERVER_MANAGED_PROPERTIES } from './shared-schemas.ts';

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Object nodes that neither close their properties nor say they are open. */
function findOpenObjects(schema: JsonSchema, at: string): string[] {
  const found: string[] = [];
  const isOpen =
    schema['x-kubernetes-preserve-unknown-fields'] === true || isSchema(schema.additionalProperties);
  if (schema.type === 'object' && !isOpen && schema.additionalProperties !== false) found.push(at);
  for (const [name, child] of Object.entries((schema.properties as Record<string, unknown>) ?? {})) {
    if (isSchema(child)) found.push(...findOpenObjects(child, `${at}.${name}`));
  }
  if (isSchema(schema.items)) found.push(...findOpenObjects(schema.items, `${at}[]`));
  if (Array.isArray(schema.oneOf))
    schema.oneOf.forEach((b: unknown) => isSchema(b) && found.push(...findOpenObjects(b, at)));
  return found;
}

describe('kind schemas', () => {
  it('lists the five kinds', () => {
    assert.deepEqual(Object.keys(KIND_SCHEMAS).sort(), [
      'AuthenticationMethodsPolicy',
      'AuthenticationStrengthPolicy',
      'ConditionalAccessPolicy',
      'CrossTenantAccessPolicy',
      'NamedLocation',
    ]);
  });

  for (const [kind, schema] of Object.entries(KIND_SCHEMAS)) {
    it(`${kind}: every object is closed unless it is deliberately open`, () => {
      assert.deepEqual(findOpenObjects(schema, 'spec'), []);
    });

    it(`${kind}: no server-managed property at the top of spec`, () => {
      const properties = Object.keys(schema.properties as Record<string, unknown>);
      assert.deepEqual(
        properties.filter((p) => SERVER_MANAGED_PROPERTIES.includes(p)),
        [],
      );
    });

    it(`${kind}: writable enums never list unknownFutureValue`, () => {
      assert.ok(!JSON.stringify(schema).includes('unknownFutureValue'));
    });
  }
});
