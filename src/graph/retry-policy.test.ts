import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifyNetworkError,
  computeBackoffMs,
  computeThrottleBackoffMs,
  isSafeToRetry,
  parseRetryAfter,
} from './retry-policy.ts';

function fetchFailure(code: string, message = 'boom'): Error {
  const cause = Object.assign(new Error(message), { code });
  return new TypeError('fetch failed', { cause });
}

describe('retry policy', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(' 0 '), 0);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });

  it('classifies fetch failures', () => {
    assert.equal(classifyNetworkError(new DOMException('t', 'TimeoutError')), 'timeout');
    assert.equal(classifyNetworkError(fetchFailure('ECONNRESET')), 'dropped');
    assert.equal(classifyNetworkError(fetchFailure('UND_ERR_SOCKET', 'other side closed')), 'dropped');
    assert.equal(classifyNetworkError(new Error('socket hang up')), 'dropped');
    assert.equal(classifyNetworkError(fetchFailure('ECONNREFUSED')), 'refused');
    assert.equal(classifyNetworkError(fetchFailure('DEPTH_ZERO_SELF_SIGNED_CERT')), 'fatal');
    assert.equal(classifyNetworkError('weird'), 'fatal');
  });

  it('retries POST only when the server cannot have processed it', () => {
    for (const status of [429, 503]) assert.equal(isSafeToRetry({ status }, false), true);
    assert.equal(isSafeToRetry({ status: 504 }, false), false);
    assert.equal(isSafeToRetry({ status: 504 }, true), true);
    assert.equal(isSafeToRetry({ status: 500 }, true), false);
    assert.equal(isSafeToRetry({ network: 'refused' }, false), true);
    assert.equal(isSafeToRetry({ network: 'dropped' }, false), false);
    assert.equal(isSafeToRetry({ network: 'timeout' }, false), false);
    assert.equal(isSafeToRetry({ network: 'timeout' }, true), true);
    assert.equal(isSafeToRetry({ network: 'fatal' }, true), false);
  });

  it('backs off exponentially with jitter, capped', () => {
    assert.equal(
      computeBackoffMs(0, 1000, 60_000, () => 0),
      500,
    );
    assert.equal(
      computeBackoffMs(0, 1000, 60_000, () => 1),
      1000,
    );
    assert.equal(
      computeBackoffMs(3, 1000, 60_000, () => 1),
      8000,
    );
    assert.equal(
      computeBackoffMs(20, 1000, 60_000, () => 1),
      60_000,
    );
    const options = { baseDelayMs: 1000, throttleBaseDelayMs: 2000, maxDelayMs: 120_000 };
    assert.deepEqual(
      [1, 2, 3].map((n) => computeThrottleBackoffMs(n, options, () => 0)),
      [2000, 4000, 8000],
    );
    assert.equal(
      computeThrottleBackoffMs(1, options, () => 1),
      2200,
    );
  });
});
