import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShapeError } from '../../model/json-shape.ts';
import { GraphError } from '../errors.ts';
import { shapePolicy } from '../../model/ca-policy-shape.ts';
import { checkPolicyLimit, type PolicyLookups, validatePolicy } from './ca-policy-validation.ts';

const NONE: PolicyLookups = {
  userExists: () => false,
  groupExists: () => false,
  locationExists: () => false,
  strengthExists: (id) => id === '00000000-0000-0000-0000-000000000002',
};

function minimal(extra: Record<string, unknown> = {}) {
  return {
    displayName: 'p',
    state: 'disabled',
    conditions: {
      applications: { includeApplications: ['None'] },
      users: { includeUsers: ['None'] },
      clientAppTypes: ['all'],
      ...extra,
    },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  };
}

function inner(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GraphError || err instanceof ShapeError);
    return err.innerMessage ?? '';
  }
  assert.fail('expected a GraphError');
}

const check = (body: unknown) => () => validatePolicy(shapePolicy(body), NONE);

describe('ca-policy-validation', () => {
  it('accepts the minimal policy', () => {
    check(minimal())();
  });

  it('reports the documented inner codes', () => {
    assert.match(inner(check(minimal({ clientAppTypes: [] }))), /^1064: /);
    assert.match(
      inner(check(minimal({ users: { includeRoles: ['x'] } }))),
      /^1103: 'users' condition contains non-built in role ids: x$/,
    );
    assert.match(inner(check(minimal({ users: { includeGroups: ['g'] } }))), /^1105: /);
    assert.match(inner(check(minimal({ locations: { includeLocations: ['nowhere'] } }))), /^1106: /);
    assert.match(
      inner(() => checkPolicyLimit(195)),
      /^1113: /,
    );
    checkPolicyLimit(194);
  });

  it('lower-cases authentication context ids', () => {
    const policy = shapePolicy(
      minimal({ applications: { includeAuthenticationContextClassReferences: ['C7'] } }),
    );
    validatePolicy(policy, NONE);
    const apps = (
      policy.conditions as { applications: { includeAuthenticationContextClassReferences: string[] } }
    ).applications;
    assert.deepEqual(apps.includeAuthenticationContextClassReferences, ['c7']);
  });
});
