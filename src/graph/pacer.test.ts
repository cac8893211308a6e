import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyPath, Pacer, TokenBucket, type Clock } from './pacer.ts';

/** A clock that only moves when someone sleeps. */
function createFakeClock(): Clock & { time: number } {
  const clock = {
    time: 0,
    now: () => clock.time,
    sleep: (ms: number) => {
      clock.time += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

describe('pacer', () => {
  it('classifies paths into families', () => {
    assert.equal(classifyPath('/identity/conditionalAccess/policies'), 'conditionalAccess');
    assert.equal(classifyPath('/identity/conditionalAccess/policies/abc'), 'conditionalAccess');
    assert.equal(classifyPath('/identity/conditionalAccess/namedLocations?$top=5'), 'conditionalAccess');
    assert.equal(classifyPath('/identity/conditionalAccess/deletedItems/policies'), 'conditionalAccess');
    assert.equal(classifyPath('/policies/conditionalAccessPolicies/x'), 'conditionalAccess');
    assert.equal(
      classifyPath('https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies?$skiptoken=1'),
      'conditionalAccess',
    );
    assert.equal(classifyPath('/identity/conditionalAccess/authenticationStrength/policies'), 'other');
    assert.equal(classifyPath('/policies/authenticationMethodsPolicy'), 'other');
    assert.equal(classifyPath('/users?$top=5'), 'directory');
    assert.equal(classifyPath("/servicePrincipals(appId='x')"), 'directory');
    assert.equal(classifyPath('/$batch'), 'other');
  });

  it('a token bucket of 1/s with burst 1 spaces requests one second apart', async () => {
    const clock = createFakeClock();
    const bucket = new TokenBucket({ perSecond: 1, burst: 1, clock });
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await bucket.acquire();
      starts.push(clock.time);
    }
    assert.deepEqual(starts, [0, 1000, 2000, 3000]);
  });

  it('serves concurrent waiters in arrival order', async () => {
    const clock = createFakeClock();
    const bucket = new TokenBucket({ perSecond: 2, burst: 1, clock });
    const order: number[] = [];
    await Promise.all([0, 1, 2].map((i) => bucket.acquire().then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2]);
    assert.equal(clock.time, 1000);
  });

  it('a pause holds the whole family; other families are unpaced', async () => {
    const clock = createFakeClock();
    const pacer = new Pacer({ clock });
    pacer.pause('directory', 1500);
    assert.equal(await pacer.waitTurn('other'), 0);
    assert.equal(await pacer.waitTurn('directory'), 1500);
    assert.equal(await pacer.waitTurn('directory'), 0);
    assert.equal(await pacer.waitTurn('conditionalAccess'), 0);
    pacer.pause('conditionalAccess', 2000);
    // The pause, then an empty bucket (the server's budget is spent too).
    assert.equal(await pacer.waitTurn('conditionalAccess'), 2000);
    assert.equal(clock.time, 3500);
  });
});
