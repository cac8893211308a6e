/**
 * Retry behaviour the local tenant cannot script exactly: a tiny loopback Graph that answers with chosen statuses
 * and headers (Retry-After in seconds and as an HTTP date, inner `$batch` 429s, a 504 on POST, 401 with a stale
 * token, a nextLink to another host). Real HTTP, a fake credential.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GraphClient, type GraphClientOptions } from '../../src/graph/graph-client.ts';
import { AmbiguousWriteError, GraphRequestError } from '../../src/graph/graph-errors.ts';

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}
type Handler = (req: IncomingMessage, body: unknown) => Reply;

let server: Server;
let origin = '';
let handler: Handler = () => ({ status: 500 });
const seen: { method: string; url: string; authorization: string | undefined; body: unknown }[] = [];

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

function errorBody(code: string): unknown {
  return { error: { code, message: `${code} happened`, innerError: { 'request-id': 'rid-1' } } };
}

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void readJson(req).then((body) => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      const reply = handler(req, body);
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        'request-id': 'rid-1',
        ...reply.headers,
      });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
});

let tokenCalls = 0;
function createClient(options: Partial<GraphClientOptions> = {}): GraphClient {
  tokenCalls = 0;
  return new GraphClient({
    baseUrl: `${origin}/v1.0`,
    credential: {
      getToken: () => {
        tokenCalls += 1;
        return Promise.resolve({ token: `token-${tokenCalls}`, expiresOnTimestamp: Date.now() + 3_600_000 });
      },
    },
    baseDelayMs: 10,
    throttleBaseDelayMs: 200,
    ...options,
  });
}

/** Answers from a script, one entry per request, then the last entry for ever. */
function script(...replies: Reply[]): Handler {
  let i = 0;
  return () => replies[Math.min(i++, replies.length - 1)]!;
}

describe('GraphClient retries (loopback Graph)', () => {
  it('honours Retry-After given in seconds on a directory 429', async () => {
    handler = script(
      { status: 429, headers: { 'retry-after': '1' }, body: errorBody('TooManyRequests') },
      { status: 200, body: { value: [{ id: 'u1' }] } },
    );
    const client = createClient();
    const started = performance.now();
    assert.deepEqual(await client.list('/users'), [{ id: 'u1' }]);
    assert.ok(performance.now() - started >= 950);
    assert.equal(client.stats.throttled, 1);
    assert.equal(seen.length, 2);
  });

  it('honours Retry-After given as an HTTP date on a 503', async () => {
    const when = new Date(Date.now() + 2_000).toUTCString(); // whole seconds: waits 1-2 s
    handler = script({ status: 503, headers: { 'retry-after': when } }, { status: 200, body: { id: 'x' } });
    const client = createClient();
    const started = performance.now();
    assert.deepEqual(await client.get('/groups/x'), { id: 'x' });
    assert.ok(performance.now() - started >= 900);
  });

  it('backs off 2 s, 4 s… style on a Conditional Access 429 without Retry-After', async () => {
    handler = script(
      { status: 429, body: errorBody('TooManyRequests') },
      { status: 200, body: { value: [] } },
    );
    const client = createClient({ throttleBaseDelayMs: 300, conditionalAccessPerSecond: 100 });
    const started = performance.now();
    await client.list('/identity/conditionalAccess/policies');
    const ms = performance.now() - started;
    assert.ok(ms >= 300 && ms < 1_000, `${ms} ms`);
    assert.equal(client.stats.throttled, 1);
  });

  it('a POST answered 504 is ambiguous and not retried', async () => {
    handler = script({ status: 504, body: errorBody('GatewayTimeout') });
    const client = createClient({ conditionalAccessPerSecond: 100 });
    await assert.rejects(
      client.post('/identity/conditionalAccess/namedLocations', { displayName: 'x' }),
      AmbiguousWriteError,
    );
    assert.equal(seen.length, 1);
  });

  it('gives up after maxRetries and reports the last Graph error', async () => {
    handler = script({ status: 503, body: errorBody('ServiceUnavailable') });
    const client = createClient({ maxRetries: 2 });
    await assert.rejects(client.get('/users/a'), (err: unknown) => {
      assert.ok(err instanceof GraphRequestError);
      assert.equal(err.status, 503);
      assert.equal(err.code, 'ServiceUnavailable');
      assert.equal(err.requestId, 'rid-1');
      return true;
    });
    assert.equal(seen.length, 3);
  });

  it('a 401 fetches a fresh token once', async () => {
    handler = (req) =>
      req.headers.authorization === 'Bearer token-1'
        ? { status: 401, body: errorBody('InvalidAuthenticationToken') }
        : { status: 200, body: { id: 'ok' } };
    const client = createClient();
    assert.deepEqual(await client.get('/users/a'), { id: 'ok' });
    assert.equal(tokenCalls, 2);
  });

  it('retries only the inner 429s of a $batch, after their Retry-After, and keeps the order', async () => {
    let call = 0;
    handler = (_req, body) => {
      call += 1;
      const requests = (body as { requests: { id: string; url: string }[] }).requests;
      return {
        status: 200,
        body: {
          // Graph may answer in any order.
          responses: [...requests].reverse().map((r) =>
            call === 1 && r.url === '/users/b'
              ? {
                  id: r.id,
                  status: 429,
                  headers: { 'Retry-After': '1' },
                  body: errorBody('TooManyRequests'),
                }
              : { id: r.id, status: 200, body: { id: r.url.slice('/users/'.length), call } },
          ),
        },
      };
    };
    const client = createClient();
    const started = performance.now();
    const results = await client.batch(
      ['a', 'b', 'c'].map((id) => ({ method: 'GET' as const, path: `/users/${id}` })),
    );
    assert.ok(performance.now() - started >= 950);
    assert.deepEqual(
      results.map((r) => r.body),
      [
        { id: 'a', call: 1 },
        { id: 'b', call: 2 },
        { id: 'c', call: 1 },
      ],
    );
    assert.equal(client.stats.batchRequests, 2);
    assert.equal((seen[1]!.body as { requests: unknown[] }).requests.length, 1);
  });

  it('sends Conditional Access batch items one by one through the pacer', async () => {
    handler = (req) => ({ status: 200, body: { id: req.url } });
    const client = createClient({ conditionalAccessPerSecond: 10 });
    const results = await client.batch([
      { method: 'GET', path: '/identity/conditionalAccess/policies/p1' },
      { method: 'GET', path: '/users/u1' },
    ]);
    assert.equal(results[0]!.status, 200);
    assert.deepEqual(results[0]!.body, { id: '/v1.0/identity/conditionalAccess/policies/p1' });
    assert.equal(client.stats.batchRequests, 1);
    assert.deepEqual(seen.map((s) => s.url).sort(), [
      '/v1.0/$batch',
      '/v1.0/identity/conditionalAccess/policies/p1',
    ]);
  });

  it('refuses to send the token to a nextLink on another host', async () => {
    handler = script({
      status: 200,
      body: { value: [], '@odata.nextLink': 'https://evil.example/v1.0/users?$skiptoken=x' },
    });
    const client = createClient();
    await assert.rejects(client.list('/users'), /another host/);
  });

  it('adds ConsistencyLevel: eventual to every page of a $count query', async () => {
    const levels: (string | undefined)[] = [];
    handler = (req) => {
      levels.push(req.headers.consistencylevel as string | undefined);
      return levels.length === 1
        ? {
            status: 200,
            body: { value: [1], '@odata.nextLink': `${origin}/v1.0/users?$count=true&$skiptoken=2` },
          }
        : { status: 200, body: { value: [2] } };
    };
    const client = createClient();
    assert.deepEqual(await client.list("/users?$count=true&$filter=userType ne 'Guest'"), [1, 2]);
    assert.deepEqual(levels, ['eventual', 'eventual']);
  });
});
