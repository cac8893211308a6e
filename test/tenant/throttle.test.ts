/**
 * Graph's throttling as the local tenant models it (graph-contract §7.4): Conditional Access paced per tenant with
 * 429s that carry no Retry-After; directory resources budgeted in resource units per app and tenant, with
 * Retry-After; switched off with `PUT /_accord/throttle`; budgets kept per tenant.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { TenantSummary } from '../../src/tenant/server.ts';
import { requestToken, startTestTenant, type GraphReply, type TestTenant } from '../helpers/local-tenant.ts';

const POLICIES = '/identity/conditionalAccess/policies';
/** A little more than the 1 s refill of one Conditional Access request (timers may fire a millisecond early). */
const ONE_SECOND = 1_050;

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
}

async function resetBuckets(t: TestTenant): Promise<void> {
  // Configuring the throttle starts every bucket full again.
  assert.equal((await t.control('PUT', '/throttle', { enabled: true })).status, 204);
}

function assertNoRetryAfter429(reply: GraphReply): void {
  assert.equal(reply.status, 429, JSON.stringify(reply.body));
  assert.equal(reply.body.error.code, 'TooManyRequests');
  assert.equal(reply.headers.get('retry-after'), null, 'Conditional Access sends no Retry-After');
}

/** Sends batches of 20 `GET /users` as `app` until an inner request is throttled; returns that response. */
async function exhaustDirectoryBudget(t: TestTenant, app: 'reader' | 'writer'): Promise<BatchResponse> {
  const requests = Array.from({ length: 20 }, (_, i) => ({
    id: String(i + 1),
    method: 'GET',
    url: '/users',
  }));
  // 3,500 RU at 2 RU per `GET /users` is 1,750 requests (88 batches) plus what refills meanwhile.
  for (let batch = 0; batch < 400; batch++) {
    const reply = await t.graph('POST', '/$batch', { requests }, { app });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const responses = reply.body.responses as BatchResponse[];
    assert.equal(responses.length, 20);
    const throttled = responses.find((r) => r.status === 429);
    if (throttled) {
      if (batch < 80) assert.fail(`throttled after only ${batch} batches: the budget is too small`);
      return throttled;
    }
    assert.ok(
      responses.every((r) => r.status === 200),
      'every inner request answers 200 until throttled',
    );
  }
  return assert.fail('400 batches of GET /users were never throttled');
}

describe('local tenant: throttling (rateLimits: true)', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant({ rateLimits: true });
    await t.token('writer');
    await t.token('reader');
  });
  after(() => t.close());

  it('Conditional Access: a burst of 2, then 429 without Retry-After; one more after about a second', async () => {
    await resetBuckets(t);
    assert.equal((await t.graph('GET', POLICIES)).status, 200);
    assert.equal((await t.graph('GET', POLICIES)).status, 200);
    assertNoRetryAfter429(await t.graph('GET', POLICIES));
    // The budget is per tenant across all apps: the reader is throttled too.
    assertNoRetryAfter429(await t.graph('GET', POLICIES, undefined, { app: 'reader' }));
    await sleep(ONE_SECOND);
    assert.equal((await t.graph('GET', POLICIES)).status, 200);
    assertNoRetryAfter429(await t.graph('GET', POLICIES));
    const stats = await t.control('GET', '/throttle');
    assert.equal(stats.body.enabled, true);
    assert.ok(stats.body.throttled.conditionalAccess >= 3);
  });

  it('Conditional Access: named locations and writes share the same budget', async () => {
    await resetBuckets(t);
    assert.equal((await t.graph('GET', '/identity/conditionalAccess/namedLocations')).status, 200);
    assert.equal((await t.graph('GET', POLICIES)).status, 200);
    assertNoRetryAfter429(await t.graph('POST', POLICIES, {}));
  });

  it('Conditional Access: a client pacing at 1 request/s is never throttled', async () => {
    await resetBuckets(t);
    // Drain the burst first, so that only the pacing keeps the client under the limit.
    await t.graph('GET', POLICIES);
    await t.graph('GET', POLICIES);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sleep(ONE_SECOND);
      statuses.push((await t.graph('GET', POLICIES)).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
  });

  it('directory: GET /users eventually answers 429 with a numeric Retry-After; apps have separate budgets', async () => {
    await resetBuckets(t);
    const throttled = await exhaustDirectoryBudget(t, 'reader');
    const retryAfter = throttled.headers['retry-after'];
    assert.match(retryAfter ?? '', /^\d+$/, `Retry-After: ${retryAfter}`);
    assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 10);
    // The writer app has its own budget in the same tenant.
    const writer = await t.graph('GET', '/users', undefined, { app: 'writer' });
    assert.equal(writer.status, 200);
    assert.ok(writer.body.value.length > 0);
    // Conditional Access is a different family: the directory budget does not affect it.
    assert.equal((await t.graph('GET', POLICIES, undefined, { app: 'reader' })).status, 200);
    const stats = await t.control('GET', '/throttle');
    assert.ok(stats.body.throttled.directory >= 1);
  });

  it('directory: a top-level request over the budget gets 429 with Retry-After', async () => {
    const groups = await t.graph('GET', '/groups?$select=id', undefined, { app: 'writer' });
    const groupId = (groups.body.value as { id: string }[])[0]!.id;
    // `transitiveMembers` costs 5 RU: 50 concurrent ones need 250 RU, far more than the 350 RU/s refill brings
    // while they are served. Timing-dependent by nature, so a few attempts are allowed on a loaded machine.
    let throttled: GraphReply | undefined;
    let statuses = '';
    for (let attempt = 0; attempt < 3 && !throttled; attempt++) {
      await resetBuckets(t);
      await exhaustDirectoryBudget(t, 'writer');
      const replies = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.graph('GET', `/groups/${groupId}/transitiveMembers`, undefined, { app: 'writer' }),
        ),
      );
      statuses = replies.map((r) => r.status).join(',');
      assert.ok(
        replies.every((r) => r.status === 200 || r.status === 429),
        statuses,
      );
      throttled = replies.find((r) => r.status === 429);
    }
    assert.ok(throttled, `statuses: ${statuses}`);
    assert.equal(throttled.body.error.code, 'TooManyRequests');
    assert.match(throttled.headers.get('retry-after') ?? '', /^\d+$/);
  });

  it('PUT /_accord/throttle {enabled:false} turns throttling off', async () => {
    await resetBuckets(t);
    await t.graph('GET', POLICIES);
    await t.graph('GET', POLICIES);
    assertNoRetryAfter429(await t.graph('GET', POLICIES));
    assert.equal((await t.control('PUT', '/throttle', { enabled: false })).status, 204);
    assert.equal((await t.control('GET', '/throttle')).body.enabled, false);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await t.graph('GET', POLICIES)).status);
    assert.deepEqual(statuses, Array(10).fill(200));
    // And on again.
    await resetBuckets(t);
    await t.graph('GET', POLICIES);
    await t.graph('GET', POLICIES);
    assertNoRetryAfter429(await t.graph('GET', POLICIES));
  });

  it('PUT /_accord/throttle honours a custom burst and refuses a bad body', async () => {
    assert.equal(
      (await t.control('PUT', '/throttle', { enabled: true, conditionalAccessBurst: 4 })).status,
      204,
    );
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.graph('GET', POLICIES)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
    for (const body of [null, 'on', {}, { enabled: 'yes' }, { enabled: true, conditionalAccessBurst: 0 }]) {
      const reply = await t.control('PUT', '/throttle', body);
      assert.equal(reply.status, 400, `${JSON.stringify(body)} → ${reply.status}`);
    }
    // A refused body leaves the server working with its previous settings.
    const stats = await t.control('GET', '/throttle');
    assert.equal(stats.status, 200);
    assert.equal(stats.body.enabled, true);
    assert.equal((await t.graph('GET', '/users')).status, 200);
  });

  it('the Conditional Access budget is per tenant', async () => {
    const added = await t.control('POST', '/tenants', { demo: 'workforce' });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const other = added.body as TenantSummary;
    const otherToken = await requestToken(other, 'reader');
    await resetBuckets(t);
    await t.graph('GET', POLICIES);
    await t.graph('GET', POLICIES);
    assertNoRetryAfter429(await t.graph('GET', POLICIES));
    // Tenant A is out of budget; tenant B still has its full burst.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await t.graph('GET', POLICIES, undefined, { token: otherToken })).status);
    }
    assert.deepEqual(statuses, [200, 200, 429]);
  });
});

describe('local tenant: throttling is off by default', () => {
  let t: TestTenant;
  before(async () => {
    t = await startTestTenant();
  });
  after(() => t.close());

  it('answers a tight loop of Conditional Access requests without 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await t.graph('GET', POLICIES)).status);
    assert.deepEqual(statuses, Array(10).fill(200));
    assert.equal((await t.control('GET', '/throttle')).body.enabled, false);
  });
});
