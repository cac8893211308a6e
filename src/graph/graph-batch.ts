/**
 * `$batch` (graph-contract §7.2): any number of independent requests, sent as `POST /$batch` of at most 20, with
 * the answers mapped back to the input order. Inner 429/503/504 are retried individually (a new, smaller batch)
 * under the same policy as single requests. Conditional Access items are not batched but sent one by one through
 * the pacer: Graph throttles each inner request at 1 per second anyway, so batching them only buys 429s.
 * Graph may run the items of one batch in any order; callers that need an order make separate calls.
 */
import type { BatchItem, BatchResult } from '../core/graph-port.ts';
import type { GraphClient } from './graph-client.ts';
import { buildGraphRequestError } from './graph-errors.ts';
import { classifyPath, type Clock } from './pacer.ts';
import { computeBackoffMs, isSafeToRetry, parseRetryAfter, type BackoffOptions } from './retry-policy.ts';

export const MAX_BATCH_SIZE = 20;

export interface BatchRunOptions {
  concurrency: number;
  backoff: BackoffOptions;
  random: () => number;
  clock: Clock;
}

interface InnerResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export async function runBatch(
  client: GraphClient,
  items: readonly BatchItem[],
  options: BatchRunOptions,
): Promise<BatchResult[]> {
  const results: BatchResult[] = new Array<BatchResult>(items.length);
  const paced: number[] = [];
  const grouped: number[] = [];
  items.forEach((item, index) =>
    (classifyPath(item.path) === 'conditionalAccess' ? paced : grouped).push(index),
  );
  const chunks = splitIntoChunks(grouped, MAX_BATCH_SIZE);
  await Promise.all([
    runWithConcurrency(chunks, Math.max(1, options.concurrency), (chunk) =>
      runChunk(client, items, chunk, results, options),
    ),
    runPacedItems(client, items, paced, results),
  ]);
  return results;
}

export function splitIntoChunks<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
}

async function runWithConcurrency<T>(
  tasks: readonly T[],
  limit: number,
  run: (task: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await run(task);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

async function runPacedItems(
  client: GraphClient,
  items: readonly BatchItem[],
  indices: readonly number[],
  results: BatchResult[],
): Promise<void> {
  for (const index of indices) {
    const item = items[index]!;
    const response = await client.send({ method: item.method, path: item.path, body: item.body });
    const gone = item.method === 'DELETE' && response.status === 404 && response.afterAmbiguousAttempt;
    results[index] = { status: gone ? 204 : response.status, body: response.body };
  }
}

function buildBatchBody(items: readonly BatchItem[], indices: readonly number[]): { requests: unknown[] } {
  return {
    requests: indices.map((index) => {
      const item = items[index]!;
      const request: Record<string, unknown> = { id: String(index), method: item.method, url: item.path };
      if (item.body !== undefined) {
        request.headers = { 'Content-Type': 'application/json' };
        request.body = item.body;
      }
      return request;
    }),
  };
}

async function runChunk(
  client: GraphClient,
  items: readonly BatchItem[],
  chunk: readonly number[],
  results: BatchResult[],
  options: BatchRunOptions,
): Promise<void> {
  let pending = chunk;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const holdsPost = pending.some((index) => items[index]!.method === 'POST');
    const response = await client.send({
      method: 'POST',
      path: '/$batch',
      body: buildBatchBody(items, pending),
      idempotent: !holdsPost,
    });
    client.stats.batchRequests += 1;
    client.stats.batchItems += pending.length;
    if (response.status !== 200) throw buildGraphRequestError({ method: 'POST', path: '/$batch' }, response);
    const answers = indexResponses(response.body);
    const retry: number[] = [];
    let wait = 0;
    for (const index of pending) {
      const answer = answers.get(String(index));
      const item = items[index]!;
      if (answer === undefined) {
        results[index] = missingAnswer(index);
      } else if (
        attempt < client.maxRetries &&
        isSafeToRetry({ status: answer.status }, item.method !== 'POST')
      ) {
        retry.push(index);
        wait = Math.max(wait, computeInnerDelay(answer, attempt, options));
        if (answer.status === 429) client.stats.throttled += 1;
      } else {
        results[index] = { status: answer.status, body: answer.body };
      }
    }
    if (retry.length === 0) return;
    client.stats.retries += retry.length;
    client.logger.debug('graph batch retry', { items: retry.length, waitMs: wait, attempt });
    await options.clock.sleep(wait);
    pending = retry;
  }
}

function indexResponses(body: unknown): Map<string, InnerResponse> {
  const answers = new Map<string, InnerResponse>();
  const responses = (body as { responses?: unknown } | undefined)?.responses;
  if (!Array.isArray(responses)) return answers;
  for (const entry of responses as InnerResponse[]) {
    if (entry && typeof entry.id === 'string' && typeof entry.status === 'number')
      answers.set(entry.id, entry);
  }
  return answers;
}

function missingAnswer(index: number): BatchResult {
  return {
    status: 500,
    body: {
      error: {
        code: 'MissingBatchResponse',
        message: `The $batch answer has no response for item ${index}.`,
      },
    },
  };
}

function computeInnerDelay(answer: InnerResponse, attempt: number, options: BatchRunOptions): number {
  const retryAfter = Object.entries(answer.headers ?? {}).find(
    ([key]) => key.toLowerCase() === 'retry-after',
  )?.[1];
  const announced = parseRetryAfter(retryAfter);
  if (announced !== undefined) return Math.min(announced, options.backoff.maxDelayMs);
  const base = answer.status === 429 ? options.backoff.throttleBaseDelayMs : options.backoff.baseDelayMs;
  return computeBackoffMs(attempt, base, options.backoff.maxDelayMs, options.random);
}
