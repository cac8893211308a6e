import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COLLECTIONS } from '../collections.ts';
import type { TenantInfo } from '../graph-types.ts';
import { seedPolicies } from '../resources/seed-policies.ts';
import type { DirectorySeed } from '../seed/seed-types.ts';
import { Store } from '../store.ts';

const TENANT: TenantInfo = { id: 't1', displayName: 'T', domain: 't.example', flavor: 'workforce' };
const LOCATION_ID = '4a5f0b7e-0000-4000-8000-000000000001';

function seed(policies: Record<string, unknown>[]): DirectorySeed {
  return {
    tenant: { displayName: 'T', domain: 't.example', flavor: 'workforce' },
    users: [],
    groups: [],
    roleAssignments: [],
    applications: [],
    appRegistrations: [],
    externalTenants: [],
    userFlows: [],
    namedLocations: [
      {
        id: LOCATION_ID,
        '@odata.type': '#microsoft.graph.countryNamedLocation',
        displayName: 'Home',
        countriesAndRegions: ['GB'],
      },
    ],
    conditionalAccessPolicies: policies,
  };
}

const policy = {
  displayName: 'Block abroad',
  state: 'enabled',
  conditions: {
    applications: { includeApplications: ['All'] },
    users: { includeUsers: ['All'] },
    clientAppTypes: ['all'],
    locations: { includeLocations: ['All'], excludeLocations: [LOCATION_ID] },
  },
  grantControls: { operator: 'OR', builtInControls: ['block'] },
};

describe('seedPolicies', () => {
  it('creates locations, then policies that reference them', () => {
    const store = new Store({ path: ':memory:' });
    seedPolicies(store, TENANT, seed([policy]));
    assert.equal(store.get(TENANT.id, COLLECTIONS.namedLocations, LOCATION_ID)?.displayName, 'Home');
    const [created] = store.all(TENANT.id, COLLECTIONS.caPolicies);
    assert.equal(created?.displayName, 'Block abroad');
    assert.equal(created?.modifiedDateTime, null);
    store.close();
  });

  it('throws on invalid seed data, naming the entry', () => {
    const store = new Store({ path: ':memory:' });
    assert.throws(
      () => seedPolicies(store, TENANT, seed([{ ...policy, state: 'maybe' }])),
      /invalid seed Conditional Access policy 'Block abroad': 1007: /,
    );
    store.close();
  });
});
