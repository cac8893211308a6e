import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkQueue } from './work-queue.ts';

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    queue.add('a');
    queue.add('b');
    assert.equal(queue.len(), 2);
    assert.equal(await queue.get(), 'a');
    assert.equal(await queue.get(), 'b');
  });

  it('never hands a key being processed to a second worker; an add meanwhile runs after done', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    const first = await queue.get();
    queue.add('a');
    assert.equal(queue.len(), 0, 'held back while processing');
    let second: string | undefined;
    void queue.get().then((key) => (second = key));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(second, undefined);
    queue.done(first!);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(second, 'a');
  });

  it('backs off exponentially per key and starts over after forget', () => {
    const queue = new WorkQueue({ baseDelayMs: 100, maxDelayMs: 1_000 });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => queue.addRateLimited('a')),
      [100, 200, 400, 800, 1_000],
    );
    assert.equal(queue.numRequeues('a'), 5);
    queue.forget('a');
    assert.equal(queue.addRateLimited('a'), 100);
    queue.shutdown();
  });

  it('addAfter keeps the earliest schedule and delivers it', async () => {
    const queue = new WorkQueue();
    queue.addAfter('a', 10_000);
    queue.addAfter('a', 20);
    assert.equal(await queue.get(), 'a');
    queue.done('a');
    queue.shutdown();
  });

  it('shutdown releases waiting workers', async () => {
    const queue = new WorkQueue();
    const waiting = queue.get();
    queue.shutdown();
    assert.equal(await waiting, undefined);
  });
});
