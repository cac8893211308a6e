import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syntheticDirectory } from './synthetic.ts';

describe('synthetic directory', () => {
  it('builds 10,000 users and 2,000 groups quickly and deterministically', () => {
    const started = performance.now();
    const seed = syntheticDirectory({ users: 10_000, groups: 2_000, policies: 195 });
    const ms = performance.now() - started;
    assert.ok(ms < 1000, `took ${ms} ms`);
    assert.equal(seed.users.length, 10_000);
    assert.equal(seed.groups.length, 2_001);
    assert.equal(seed.conditionalAccessPolicies?.length, 195);
    const guests = seed.users.filter((u) => u.userType === 'Guest' || u.externalUserType).length;
    assert.ok(guests >= 900 && guests <= 1100, String(guests));
    assert.deepEqual(
      syntheticDirectory({ users: 50, groups: 10 }),
      syntheticDirectory({ users: 50, groups: 10 }),
    );
  });

  it('nests groups at most 4 deep', () => {
    const seed = syntheticDirectory({ users: 1000, groups: 300 });
    const parents = new Map<string, string>();
    for (const g of seed.groups)
      for (const m of g.members ?? []) if (m.startsWith('Group ')) parents.set(m, g.displayName);
    for (const g of seed.groups) {
      let depth = 0;
      for (let name: string | undefined = g.displayName; name; name = parents.get(name)) depth++;
      assert.ok(depth <= 4, `${g.displayName} depth ${depth}`);
    }
  });
});
