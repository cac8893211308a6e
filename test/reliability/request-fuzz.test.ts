/**
 * Request fuzzing: thousands of malformed or hostile requests against an in-process local tenant. The server must
 * never answer 5xx, every error must be Graph's error shape (token-endpoint errors are AADSTS-shaped, 413 is
 * exempt), and it must still serve a normal request at the end.
 *
 * Every request is generated from (seed, index) alone, so one failure replays with
 * ACCORD_FUZZ_SEED=<seed> and its index is printed with the exact method, path and body.
 * ACCORD_FUZZ_REQUESTS (default 10000) sets the count.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';
import { minimalCaPolicy } from './cli-tenant.ts';
import { mulberry32 } from '../../src/util/random.ts';

const COUNT = Number(process.env.ACCORD_FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.ACCORD_FUZZ_SEED ?? Date.now() % 2 ** 31);
const IN_FLIGHT = 8;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

type Rng = () => number;

const prng = mulberry32;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const chance = (rng: Rng, p: number): boolean => rng() < p;

interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The token endpoint answers AADSTS-shaped errors, not Graph's. */
  tokenEndpoint?: boolean;
  /** A body over the limit with a token: 413 expected. */
  expect413?: boolean;
}

interface FuzzReply {
  status: number;
  contentType: string;
  text: string;
}

interface Tokens {
  writer: string;
  reader: string;
  tenantId: string;
  tokenPath: string;
  clientId: string;
  clientSecret: string;
}

const GRAPH_PATHS = [
  '/identity/conditionalAccess/policies',
  '/identity/conditionalAccess/namedLocations',
  '/identity/conditionalAccess/authenticationStrength/policies',
  '/identity/conditionalAccess/authenticationContextClassReferences',
  '/identity/conditionalAccess/evaluate',
  '/identity/authenticationEventsFlows',
  '/users',
  '/groups',
  '/servicePrincipals',
  '/directoryRoles',
  '/roleManagement/directory/roleAssignments',
  '/invitations',
  '/directory/deletedItems',
  '/directory/deletedItems/microsoft.graph.conditionalAccessPolicy',
  '/$batch',
  '/policies/authenticationMethodsPolicy',
  '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations',
  '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2',
  '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email',
  '/policies/authenticationStrengthPolicies',
  '/policies/crossTenantAccessPolicy',
  '/policies/crossTenantAccessPolicy/default',
  '/policies/crossTenantAccessPolicy/partners',
  '/organization',
  '/me',
  '/',
  '',
];

const SUFFIXES: ((rng: Rng) => string)[] = [
  () => '',
  () => '/',
  () => `/${randomishGuid()}`,
  () => `/${randomishGuid().toUpperCase()}`,
  () => "/(appId='x')",
  () => "(appId='x')",
  () => `(appId='${randomishGuid()}')`,
  () => "/('')",
  () => '/..',
  () => '/../..',
  () => '/../../../etc/passwd',
  () => '/%2e%2e/%2e%2e',
  () => '/%00',
  () => '/abc%00def',
  () => '/%ZZ',
  () => '/%',
  () => '/%E0%A4%A',
  (rng) => `/${'a'.repeat(1 + Math.floor(rng() * 5000))}`,
  () => `/${encodeURIComponent('ü€😀漢字\u202e')}`,
  () => '/$count',
  () => '/$ref',
  () => `/${randomishGuid()}/members`,
  () => `/${randomishGuid()}/members/$ref`,
  () => `/${randomishGuid()}/restore`,
  () => '/microsoft.graph.delta()',
  () => '//',
  () => '/;x=1',
  () => "/'quoted'",
  () => '/~!*()',
];

const QUERIES: ((rng: Rng) => string)[] = [
  () => '',
  () => '?$top=-1',
  () => '?$top=0',
  () => '?$top=abc',
  () => '?$top=99999999999999999999',
  () => '?$skip=-5',
  () => '?$skiptoken=garbage',
  () => `?$skiptoken=${Buffer.from('{"a":').toString('base64url')}`,
  () => '?$filter=',
  () => '?$filter=garbage((',
  () => "?$filter=displayName eq 'unterminated",
  () => "?$filter=startswith(displayName,'a') and",
  () => '?$filter=state eq 123 or or',
  () => `?$filter=${encodeURIComponent('('.repeat(2500))}`,
  () => `?$filter=${encodeURIComponent(`${'not '.repeat(1500)}id eq 'x'`)}`,
  () => `?$filter=${encodeURIComponent("conditions/users/includeUsers/any(u: u eq 'All')")}`,
  () => `?$filter=${encodeURIComponent('id in (')}`,
  () => '?$select=,,,',
  () => '?$select=nonexistent',
  () => '?$orderby=displayName desc desc',
  () => '?$expand=*',
  () => '?$count=maybe',
  () => '?$count=true',
  () => '?$search="x',
  () => '?%%%',
  () => '?$top=1&$top=2',
  () => '?a=%ZZ',
  (rng) => `?$filter=${'x'.repeat(Math.floor(rng() * 5000))}`,
];

function randomishGuid(): string {
  return randomUUID();
}

function hostileValue(rng: Rng): unknown {
  return pick(rng, [
    () => null,
    () => 0,
    () => -1,
    () => 1e308,
    () => Number.MAX_SAFE_INTEGER + 2,
    () => true,
    () => '',
    () => 'x',
    () => 'unknownFutureValue',
    () => 'notAnEnumMember',
    () => '\u0000',
    () => 'ü€😀\u202e',
    () => 'A'.repeat(70_000),
    () => [],
    () => [null],
    () => [1, 'two', { three: 3 }],
    () => ['All', 'None', 'All'],
    () => Array.from({ length: 3000 }, (_, i) => `v${i}`),
    () => ({}),
    () => ({ '@odata.type': '#microsoft.graph.nonsense' }),
    () => ({ __proto__: { polluted: true } }),
    () => JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
    () => ({ constructor: { prototype: { polluted: true } } }),
  ])();
}

/** Replace, drop or corrupt a random node of a JSON value (depth-first walk to a random path). */
function mutate(value: unknown, rng: Rng, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || (depth > 0 && chance(rng, 0.3)))
    return hostileValue(rng);
  if (Array.isArray(value)) {
    const copy = [...value];
    if (copy.length === 0 || chance(rng, 0.2)) copy.push(hostileValue(rng));
    else {
      const i = Math.floor(rng() * copy.length);
      copy[i] = mutate(copy[i], rng, depth + 1);
    }
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const roll = rng();
  if (keys.length === 0 || roll < 0.1)
    copy[pick(rng, ['unknownProp', '@odata.type', 'id', 'createdDateTime', ''])] = hostileValue(rng);
  else if (roll < 0.3) {
    const dropped = pick(rng, keys); // drop a (possibly required) property
    return Object.fromEntries(Object.entries(copy).filter(([k]) => k !== dropped));
  } else {
    const key = pick(rng, keys);
    copy[key] = mutate(copy[key], rng, depth + 1);
  }
  return copy;
}

function validBodies(rng: Rng): Record<string, unknown> {
  return pick(rng, [
    () => minimalCaPolicy(`fuzz-${Math.floor(rng() * 1e9)}`),
    () => ({
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      displayName: `fuzz-loc-${Math.floor(rng() * 1e9)}`,
      isTrusted: false,
      ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' }],
    }),
    () => ({
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      displayName: `fuzz-country-${Math.floor(rng() * 1e9)}`,
      countriesAndRegions: ['CA'],
      includeUnknownCountriesAndRegions: false,
    }),
    () => ({
      displayName: `fuzz-strength-${Math.floor(rng() * 1e9)}`,
      allowedCombinations: ['password,sms'],
    }),
    () => ({ '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', state: 'enabled' }),
    () => ({ displayName: 'g', mailEnabled: false, mailNickname: 'g', securityEnabled: true }),
  ])();
}

const BAD_JSON = [
  '{',
  '}',
  '{"displayName":',
  '{"a":1,}',
  "{'single':'quotes'}",
  'null',
  '[]',
  '"string"',
  '42',
  'true',
  '\u0000\u0001\u0002',
  '{"a":"\\ud800"}',
  '\ufeff{"displayName":"bom"}',
  `${'['.repeat(100_000)}`,
  `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
  'NaN',
  '{"displayName": Infinity}',
  '<xml/>',
];

function batchBody(rng: Rng): unknown {
  const item = (i: number): unknown =>
    pick(rng, [
      () => ({ id: String(i), method: 'GET', url: pick(rng, GRAPH_PATHS) + pick(rng, QUERIES)(rng) }),
      () => ({
        id: String(i),
        method: pick(rng, ['POST', 'PATCH', 'PUT']),
        url: pick(rng, GRAPH_PATHS),
        body: mutate(validBodies(rng), rng),
        headers: { 'content-type': 'application/json' },
      }),
      () => ({
        id: String(i),
        method: 'POST',
        url: '/identity/conditionalAccess/policies',
        body: validBodies(rng),
      }),
      () => ({
        id: String(i),
        method: 'GET',
        url: pick(rng, [
          '',
          '//',
          '///x',
          'http://evil.example/users',
          '/$batch',
          '$batch',
          '%ZZ',
          '/users/%ZZ',
          '/..',
          '\\\\x',
          '/users?$top=-1',
        ]),
      }),
      () => ({ id: String(i), method: pick(rng, ['FOO', '', 'get', 'TRACE', 'CONNECT']), url: '/users' }),
      () => ({ id: String(i), method: 'GET', url: '/users', dependsOn: [String(i)] }),
      () => ({ id: String(i), method: 'GET', url: '/users', dependsOn: ['missing'] }),
      () => ({ id: String(i), method: 'GET', url: '/users', dependsOn: 'not-an-array' }),
      () => ({ id: String(i), method: 'GET', url: '/users', headers: 'nope' }),
      () => ({
        id: String(i),
        method: 'GET',
        url: '/users',
        headers: { consistencylevel: 5, 'content-type': null },
      }),
      () => ({ id: i, method: 'GET', url: '/users' }),
      () => ({ method: 'GET', url: '/users' }),
      () => ({ id: String(i), method: 1, url: {} }),
      () => hostileValue(rng),
    ])();
  return pick(rng, [
    () => ({ requests: Array.from({ length: 1 + Math.floor(rng() * 6) }, (_, i) => item(i)) }),
    () => ({ requests: [item(1), item(1)] }),
    () => ({
      requests: [
        { id: '1', method: 'GET', url: '/users', dependsOn: ['2'] },
        { id: '2', method: 'GET', url: '/users', dependsOn: ['1'] },
      ],
    }),
    () => ({ requests: Array.from({ length: 21 }, (_, i) => item(i)) }),
    () => ({ requests: [] }),
    () => ({ requests: {} }),
    () => ({ requests: null }),
    () => ({}),
    () => mutate({ requests: [item(0), item(1)] }, rng),
  ])();
}

function tokenHeader(rng: Rng, tokens: Tokens): Record<string, string> {
  const roll = rng();
  if (roll < 0.72) return { authorization: `Bearer ${tokens.writer}` };
  if (roll < 0.8) return { authorization: `Bearer ${tokens.reader}` };
  const [h, p, s] = tokens.writer.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const forged = pick(rng, [
    () => '',
    () => 'Bearer',
    () => 'Bearer ',
    () => `Basic ${Buffer.from('a:b').toString('base64')}`,
    () => 'Bearer garbage',
    () => 'Bearer a.b.c',
    () => 'Bearer ....',
    () => `Bearer ${tokens.writer}x`,
    () => `Bearer ${h}.${enc({ ...claims, roles: ['Directory.ReadWrite.All'] })}.${s}`,
    () => `Bearer ${h}.${enc({ ...claims, exp: 1_000_000, iat: 999_000, nbf: 999_000 })}.${s}`,
    () => `Bearer ${h}.${enc({ ...claims, tid: randomUUID() })}.${s}`,
    () => `Bearer ${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`,
    () => `Bearer ${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}.${s}`,
    () => `Bearer ${enc({ alg: 'RS256', kid: '../../etc/passwd' })}.${enc(claims)}.${s}`,
    () => `Bearer ${h}.${p}`,
    () => `Bearer ${'A'.repeat(4000)}`,
    () => `bearer ${tokens.writer}`,
  ])();
  return forged === '' ? {} : { authorization: forged };
}

function versionPrefix(rng: Rng): string {
  return pick(rng, ['/v1.0', '/v1.0', '/v1.0', '/v1.0', '/beta', '/V1.0', '/v2.0', '/v1.0/v1.0']);
}

function graphRequest(rng: Rng, tokens: Tokens): FuzzRequest {
  const method = pick(rng, ['GET', 'GET', 'POST', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']);
  const path =
    versionPrefix(rng) + pick(rng, GRAPH_PATHS) + pick(rng, SUFFIXES)(rng) + pick(rng, QUERIES)(rng);
  const headers = { ...tokenHeader(rng, tokens) };
  if (chance(rng, 0.2)) headers.consistencylevel = pick(rng, ['eventual', 'garbage', '']);
  if (chance(rng, 0.1)) headers['client-request-id'] = pick(rng, [randomUUID(), 'x'.repeat(500), 'ü']);
  let body: string | undefined;
  if (method !== 'GET' && method !== 'HEAD' && chance(rng, 0.8)) {
    headers['content-type'] = pick(rng, [
      'application/json',
      'application/json',
      'text/plain',
      'application/xml',
      'application/json; charset=latin1',
    ]);
    body = chance(rng, 0.25) ? pick(rng, BAD_JSON) : JSON.stringify(mutate(validBodies(rng), rng));
  }
  return { kind: 'graph', method, path, headers, body };
}

function caBodyRequest(rng: Rng, tokens: Tokens): FuzzRequest {
  let body: unknown = minimalCaPolicy(`fuzz-ca-${Math.floor(rng() * 1e9)}`);
  const rounds = 1 + Math.floor(rng() * 3);
  for (let i = 0; i < rounds; i++) body = mutate(body, rng);
  const patch = chance(rng, 0.3);
  return {
    kind: patch ? 'ca-patch' : 'ca-post',
    method: patch ? 'PATCH' : 'POST',
    path: `/v1.0/identity/conditionalAccess/policies${patch ? `/${randomUUID()}` : ''}`,
    headers: { authorization: `Bearer ${tokens.writer}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

function batchRequest(rng: Rng, tokens: Tokens): FuzzRequest {
  return {
    kind: 'batch',
    method: 'POST',
    path: pick(rng, ['/v1.0/$batch', '/beta/$batch', '/v1.0/$batch/']),
    headers: { ...tokenHeader(rng, tokens), 'content-type': 'application/json' },
    body: chance(rng, 0.1) ? pick(rng, BAD_JSON) : JSON.stringify(batchBody(rng)),
  };
}

function hugeRequest(rng: Rng, tokens: Tokens): FuzzRequest {
  const size = MAX_BODY_BYTES + 1 + Math.floor(rng() * 1024);
  const body = Buffer.alloc(size, 0x20);
  body.write('{"displayName":"', 0);
  return {
    kind: 'huge',
    method: 'POST',
    path: pick(rng, ['/v1.0/identity/conditionalAccess/policies', '/v1.0/$batch', '/v1.0/users']),
    headers: { authorization: `Bearer ${tokens.writer}`, 'content-type': 'application/json' },
    body,
    expect413: true,
  };
}

function tokenEndpointRequest(rng: Rng, tokens: Tokens): FuzzRequest {
  const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
  const good = {
    grant_type: 'client_credentials',
    client_id: tokens.clientId,
    client_secret: tokens.clientSecret,
    scope: 'https://graph.microsoft.com/.default',
  };
  const body = pick(rng, [
    () => '',
    () => 'garbage',
    () => '%%%=%%%',
    () => form({ ...good, grant_type: 'password' }),
    () => form({ ...good, client_secret: '' }),
    () => form({ ...good, client_id: 'not-a-guid' }),
    () => form({ ...good, scope: '' }),
    () =>
      form({
        ...good,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: 'a.b.c',
        client_secret: '',
      }),
    () =>
      form({
        ...good,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: tokens.writer,
      }),
    () => JSON.stringify(good),
    () => `${form(good)}&client_id=second`,
  ])();
  const tenantKey = pick(rng, [
    tokens.tenantId,
    'common',
    'organizations',
    randomUUID(),
    '%ZZ',
    'x'.repeat(3000),
    encodeURIComponent('ü'),
  ]);
  const which = rng();
  const path =
    which < 0.7
      ? `/${tenantKey}/oauth2/v2.0/token`
      : which < 0.85
        ? `/${tenantKey}/v2.0/.well-known/openid-configuration`
        : `/${tenantKey}/discovery/v2.0/keys`;
  const headers: Record<string, string> = {
    'content-type': pick(rng, ['application/x-www-form-urlencoded', 'application/json', 'text/plain']),
  };
  if (chance(rng, 0.15))
    headers.authorization = pick(rng, [
      `Basic ${Buffer.from(`${tokens.clientId}:wrong`).toString('base64')}`,
      'Basic %%%',
      'Basic ',
    ]);
  return {
    kind: 'token',
    method: which < 0.7 ? pick(rng, ['POST', 'POST', 'GET']) : pick(rng, ['GET', 'POST']),
    path,
    headers,
    body,
    tokenEndpoint: true,
  };
}

function oddRequest(rng: Rng, tokens: Tokens): FuzzRequest {
  const path = pick(rng, [
    '/',
    '/..',
    '/v1.0/..%2f..%2fetc%2fpasswd',
    '/%00',
    '/nothing',
    '/_accord/health',
    '/_accord/faults',
    '/_accord/tenants',
    `/_accord/tenants/${tokens.tenantId}/state-hash`,
    '/_accord/../_accord/health',
    '/common/discovery/instance',
    `/${'z'.repeat(6000)}`,
    '/v1.0%2fusers',
    '/v1.0\\users',
  ]);
  const headers: Record<string, string> = {};
  if (chance(rng, 0.5)) headers['x-accord-admin-key'] = pick(rng, ['wrong', '', 'x'.repeat(2000)]);
  return {
    kind: 'odd',
    method: pick(rng, ['GET', 'POST', 'PUT', 'DELETE']),
    path,
    headers,
    body: chance(rng, 0.3) ? pick(rng, BAD_JSON) : undefined,
  };
}

function generate(index: number, tokens: Tokens): FuzzRequest {
  const rng = prng((SEED ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const roll = rng();
  if (roll < 0.35) return graphRequest(rng, tokens);
  if (roll < 0.65) return caBodyRequest(rng, tokens);
  if (roll < 0.8) return batchRequest(rng, tokens);
  if (roll < 0.88) return tokenEndpointRequest(rng, tokens);
  if (roll < 0.997) return oddRequest(rng, tokens);
  return hugeRequest(rng, tokens);
}

function send(origin: URL, agent: Agent, req: FuzzRequest): Promise<FuzzReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    // Node refuses a request line with spaces or characters outside Latin-1; send those percent-encoded.
    const path = req.path.replace(/[^\u0021-\u00ff]/g, (c) => encodeURIComponent(c));
    const out = httpRequest(
      { host: origin.hostname, port: origin.port, method: req.method, path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(req.body);
  });
}

function describeRequest(index: number, req: FuzzRequest): string {
  const body =
    req.body === undefined
      ? ''
      : String(
          req.body.length > 600 ? `${String(req.body).slice(0, 600)}… (${req.body.length} bytes)` : req.body,
        );
  return `#${index} [${req.kind}] ${req.method} ${req.path.length > 300 ? `${req.path.slice(0, 300)}… (${req.path.length} chars)` : req.path} ${body}`;
}

/** Why a reply breaks the contract, or undefined when it is fine. */
function check(req: FuzzRequest, reply: FuzzReply): string | undefined {
  if (reply.status >= 500) return `server error ${reply.status}: ${reply.text.slice(0, 300)}`;
  if (req.expect413 && reply.status !== 413 && reply.status !== 401)
    return `expected 413 for a body over 4 MiB, got ${reply.status}`;
  if (req.method === 'HEAD' || reply.status === 204 || reply.status === 413) return undefined;
  if (reply.contentType.startsWith('text/plain'))
    return reply.status < 400 ? undefined : `a ${reply.status} with a text/plain body`;
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return `status ${reply.status} with a non-JSON body: ${reply.text.slice(0, 200)}`;
  }
  if (reply.status < 400 || req.tokenEndpoint) return undefined;
  const error = (
    body as { error?: { code?: unknown; message?: unknown; innerError?: { 'request-id'?: unknown } } }
  ).error;
  if (
    typeof error?.code !== 'string' ||
    typeof error.message !== 'string' ||
    typeof error.innerError?.['request-id'] !== 'string'
  ) {
    return `status ${reply.status} body is not Graph's error shape: ${reply.text.slice(0, 200)}`;
  }
  return undefined;
}

describe('local tenant: request fuzzing', () => {
  let t: TestTenant;
  let tokens: Tokens;
  before(async () => {
    t = await startTestTenant();
    const writer = t.summary.apps.find((a) => a.displayName === 'accord-writer')!;
    tokens = {
      writer: await t.token('writer'),
      reader: await t.token('reader'),
      tenantId: t.tenantId,
      tokenPath: new URL(t.summary.tokenEndpoint).pathname,
      clientId: writer.clientId,
      clientSecret: writer.clientSecret,
    };
  });
  after(() => t.close());

  it(`survives ${COUNT} hostile requests without a 5xx`, { timeout: 10 * 60_000 }, async () => {
    // The host logs each unhandled error with its request id; keep them to name the cause of every 500.
    const causes = new Map<string, string>();
    const originalWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const text = String(chunk);
      const m =
        /unhandled error for request ([0-9a-f-]+): ([^\n]*)\n(?:\s+at [^\n]*\((?:node:|<anonymous>)[^\n]*\n)*\s+at ([^\n]*)/.exec(
          text,
        );
      if (m) {
        causes.set(m[1]!, `${m[2]} ${m[3]!.replace(/^.*\/(src\/)/, '$1').replace(/\)$/, '')}`);
        return true;
      }
      return (originalWrite as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    after(() => {
      process.stderr.write = originalWrite;
    });
    console.log(`request-fuzz: seed ${SEED} (replay with ACCORD_FUZZ_SEED=${SEED})`);
    const origin = new URL(t.tenant.origin);
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let serverErrors = 0;
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < COUNT) {
        const index = next++;
        const req = generate(index, tokens);
        let reply: FuzzReply;
        try {
          reply = await send(origin, agent, req);
        } catch (err) {
          failures.push(`${describeRequest(index, req)}\n    → transport error ${(err as Error).message}`);
          continue;
        }
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status >= 500) serverErrors++;
        let problem = check(req, reply);
        if (problem && reply.status >= 500) {
          const requestId = /"request-id":"([0-9a-f-]+)"/.exec(reply.text)?.[1] ?? '';
          problem = `server error ${reply.status}: ${causes.get(requestId) ?? reply.text.slice(0, 200)}`;
        }
        if (problem) failures.push(`${describeRequest(index, req)}\n    → ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    agent.destroy();
    const histogram = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `request-fuzz: ${COUNT} requests, ${serverErrors} server errors, ${failures.length} contract failures, statuses {${histogram}} (${seconds} s, seed ${SEED})`,
    );
    // One example per kind of failure (the first 80 characters of the problem), with how often it happened.
    const kinds = new Map<string, { count: number; example: string }>();
    for (const f of failures) {
      const key = (f.split('\n    → ')[1] ?? f).slice(0, 160);
      const entry = kinds.get(key) ?? { count: 0, example: f };
      entry.count++;
      kinds.set(key, entry);
    }
    for (const { count, example } of kinds.values()) console.log(`  ×${count} ${example}`);

    const health = await t.graph('POST', '/$batch', {
      requests: [{ id: '1', method: 'GET', url: '/nothingHere' }],
    });
    assert.equal(health.status, 200, 'the server no longer answers a normal request');
    const token = await fetch(t.summary.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: tokens.clientId,
        client_secret: tokens.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    assert.equal(token.status, 200, 'the token endpoint no longer issues tokens');
    assert.equal(
      serverErrors,
      0,
      `${serverErrors} server errors (seed ${SEED}); first: ${failures[0] ?? ''}`,
    );
    assert.deepEqual(failures, [], `contract failures (seed ${SEED})`);
  });
});
