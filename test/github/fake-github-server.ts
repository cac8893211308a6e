/**
 * A GitHub-REST-compatible test server on loopback: checks the token, paginates like GitHub (`per_page` up to 100,
 * `Link` headers with next/last/first/prev), refuses comment bodies over 65,536 characters (422), stores issues,
 * comments and labels, accepts SARIF uploads (gzip + base64 of a SARIF JSON log) and answers with secondary rate
 * limits (403 or 429 with `retry-after`) on demand. Only the routes accord uses.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export const BODY_LIMIT = 65_536;

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  stateReason: string | null;
  labels: string[];
  isPullRequest: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SarifRecord {
  id: string;
  commitSha: string;
  ref: string;
  sarif: unknown;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

type RateLimitKind = '403' | '429';

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

class HttpReply extends Error {
  readonly reply: Reply;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.reply = { status, body: { message, documentation_url: 'https://docs.github.com/rest', ...extra } };
  }
}

export class FakeGithub {
  readonly token: string;
  readonly requests: RequestRecord[] = [];
  readonly issues = new Map<string, FakeIssue[]>();
  readonly comments = new Map<string, FakeComment[]>();
  readonly labels = new Map<string, Set<string>>();
  readonly sarifs: SarifRecord[] = [];
  private nextId = 1000;
  private clock = Date.UTC(2026, 0, 1);
  private rateLimits: RateLimitKind[] = [];
  private server = createServer((req, res) => void this.handle(req, res));
  url = '';

  constructor(token = 'ghs_test-token') {
    this.token = token;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next requests are refused with a secondary rate limit, one per entry. */
  rateLimitNext(...kinds: RateLimitKind[]): void {
    this.rateLimits.push(...kinds);
  }

  /** Creates an issue or pull request directly in the store (for test setup). */
  addIssue(repo: string, fields: Partial<FakeIssue> = {}): FakeIssue {
    const list = this.list(this.issues, repo);
    const now = this.tick();
    const issue: FakeIssue = {
      number: list.length + 1,
      title: 'an issue',
      body: '',
      state: 'open',
      stateReason: null,
      labels: [],
      isPullRequest: false,
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    list.push(issue);
    return issue;
  }

  addComment(repo: string, issueNumber: number, body: string): FakeComment {
    const now = this.tick();
    const comment = { id: this.nextId++, issueNumber, body, createdAt: now, updatedAt: now };
    this.list(this.comments, repo).push(comment);
    return comment;
  }

  commentsOn(repo: string, issueNumber: number): FakeComment[] {
    return this.list(this.comments, repo).filter((c) => c.issueNumber === issueNumber);
  }

  countRequests(method: string, pathPattern: RegExp): number {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path)).length;
  }

  private list<T>(map: Map<string, T[]>, repo: string): T[] {
    let list = map.get(repo);
    if (!list) map.set(repo, (list = []));
    return list;
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d+Z$/, 'Z');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    let reply: Reply;
    try {
      const raw = await readBody(req);
      reply = this.route(req, url, raw);
    } catch (err) {
      if (!(err instanceof HttpReply)) throw err;
      reply = err.reply;
    }
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, status: reply.status });
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-request-id': `FAKE:${this.requests.length}`,
      ...reply.headers,
    });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }

  private route(req: IncomingMessage, url: URL, raw: string): Reply {
    this.checkAuth(req.headers.authorization);
    const limited = this.rateLimits.shift();
    if (limited) return secondaryRateLimit(limited);
    const method = req.method ?? 'GET';
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (!m) throw new HttpReply(404, 'Not Found');
    const repo = `${m[1]}/${m[2]}`;
    const rest = m[3]!;
    const body = raw === '' ? {} : parseJson(raw);
    const key = `${method} ${rest.replace(/\/\d+/g, '/N')}`;
    const id = Number(/\/(\d+)/.exec(rest)?.[1]);
    switch (key) {
      case 'GET /issues/N/comments':
        return this.paginate(
          url,
          this.commentsOn(repo, id).map((c) => this.commentJson(repo, c)),
        );
      case 'POST /issues/N/comments':
        return { status: 201, body: this.commentJson(repo, this.createComment(repo, id, body)) };
      case 'PATCH /issues/comments/N':
        return { status: 200, body: this.commentJson(repo, this.updateComment(repo, id, body)) };
      case 'DELETE /issues/comments/N':
        this.deleteComment(repo, id);
        return { status: 204 };
      case 'GET /issues':
        return this.paginate(
          url,
          this.findIssues(repo, url).map((i) => this.issueJson(repo, i)),
        );
      case 'POST /issues':
        return { status: 201, body: this.issueJson(repo, this.createIssue(repo, body)) };
      case 'PATCH /issues/N':
        return { status: 200, body: this.issueJson(repo, this.updateIssue(repo, id, body)) };
      case 'POST /code-scanning/sarifs':
        return { status: 202, body: this.acceptSarif(repo, body) };
      default:
        throw new HttpReply(404, 'Not Found');
    }
  }

  private checkAuth(header: string | undefined): void {
    const match = /^(?:token|bearer) (.+)$/i.exec(header ?? '');
    if (!match || match[1] !== this.token) throw new HttpReply(401, 'Bad credentials');
  }

  private paginate(url: URL, items: unknown[]): Reply {
    const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100);
    const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (n: number, rel: string): string => {
      const u = new URL(url);
      u.searchParams.set('page', String(n));
      u.searchParams.set('per_page', String(perPage));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(', ') } : {},
    };
  }

  private createComment(repo: string, issueNumber: number, body: Record<string, unknown>): FakeComment {
    this.issue(repo, issueNumber);
    return this.addComment(repo, issueNumber, checkedBody(body.body));
  }

  private comment(repo: string, id: number): FakeComment {
    const comment = this.list(this.comments, repo).find((c) => c.id === id);
    if (!comment) throw new HttpReply(404, 'Not Found');
    return comment;
  }

  private updateComment(repo: string, id: number, body: Record<string, unknown>): FakeComment {
    const comment = this.comment(repo, id);
    comment.body = checkedBody(body.body);
    comment.updatedAt = this.tick();
    return comment;
  }

  private deleteComment(repo: string, id: number): void {
    const list = this.list(this.comments, repo);
    list.splice(list.indexOf(this.comment(repo, id)), 1);
  }

  private issue(repo: string, number: number): FakeIssue {
    const issue = this.list(this.issues, repo).find((i) => i.number === number);
    if (!issue) throw new HttpReply(404, 'Not Found');
    return issue;
  }

  private findIssues(repo: string, url: URL): FakeIssue[] {
    const state = url.searchParams.get('state') ?? 'open';
    const wanted = (url.searchParams.get('labels') ?? '').split(',').filter((l) => l !== '');
    return this.list(this.issues, repo)
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => wanted.every((l) => i.labels.includes(l)))
      .sort((a, b) => b.number - a.number);
  }

  private createIssue(repo: string, body: Record<string, unknown>): FakeIssue {
    if (typeof body.title !== 'string' || body.title === '')
      throw new HttpReply(422, 'Validation Failed', { errors: [{ field: 'title', code: 'missing_field' }] });
    const labels = Array.isArray(body.labels) ? body.labels.map(String) : [];
    const known = this.labels.get(repo) ?? new Set<string>();
    for (const label of labels) known.add(label);
    this.labels.set(repo, known);
    return this.addIssue(repo, { title: body.title, body: checkedBody(body.body ?? ''), labels });
  }

  private updateIssue(repo: string, number: number, body: Record<string, unknown>): FakeIssue {
    const issue = this.issue(repo, number);
    if (body.body !== undefined) issue.body = checkedBody(body.body);
    if (typeof body.title === 'string') issue.title = body.title;
    if (body.state === 'open' || body.state === 'closed') {
      issue.state = body.state;
      issue.stateReason = body.state === 'closed' ? String(body.state_reason ?? 'completed') : 'reopened';
    }
    issue.updatedAt = this.tick();
    return issue;
  }

  private acceptSarif(repo: string, body: Record<string, unknown>): { id: string; url: string } {
    const invalid = (message: string): HttpReply => new HttpReply(422, message);
    if (typeof body.commit_sha !== 'string' || !/^[0-9a-f]{40}$/.test(body.commit_sha))
      throw invalid('Invalid commit_sha');
    if (typeof body.ref !== 'string' || !body.ref.startsWith('refs/')) throw invalid('Invalid ref');
    if (typeof body.sarif !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body.sarif))
      throw invalid('sarif must be gzip-compressed and base64-encoded');
    let sarif: unknown;
    try {
      sarif = JSON.parse(gunzipSync(Buffer.from(body.sarif, 'base64')).toString('utf8'));
    } catch {
      throw invalid('sarif is not a gzip-compressed, base64-encoded JSON document');
    }
    const log = sarif as { version?: unknown; runs?: unknown };
    if (log.version !== '2.1.0' || !Array.isArray(log.runs))
      throw invalid('Invalid SARIF: version 2.1.0 and runs');
    const id = `sarif-${this.nextId++}`;
    this.sarifs.push({ id, commitSha: body.commit_sha, ref: body.ref, sarif });
    return { id, url: `${this.url}/repos/${repo}/code-scanning/sarifs/${id}` };
  }

  private commentJson(repo: string, c: FakeComment): Record<string, unknown> {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.url}/repos/${repo}/issues/comments/${c.id}`,
      html_url: `https://github.test/${repo}/issues/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${this.url}/repos/${repo}/issues/${c.issueNumber}`,
      body: c.body,
      user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    };
  }

  private issueJson(repo: string, i: FakeIssue): Record<string, unknown> {
    return {
      id: i.number + 5_000_000,
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      state_reason: i.stateReason,
      labels: i.labels.map((name) => ({ name })),
      html_url: `https://github.test/${repo}/${i.isPullRequest ? 'pull' : 'issues'}/${i.number}`,
      url: `${this.url}/repos/${repo}/issues/${i.number}`,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      ...(i.isPullRequest ? { pull_request: { url: `${this.url}/repos/${repo}/pulls/${i.number}` } } : {}),
    };
  }
}

function secondaryRateLimit(kind: RateLimitKind): Reply {
  return {
    status: kind === '403' ? 403 : 429,
    headers: { 'retry-after': '1', 'x-ratelimit-remaining': '4000' },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    },
  };
}

function checkedBody(value: unknown): string {
  if (typeof value !== 'string')
    throw new HttpReply(422, 'Validation Failed', { errors: [{ field: 'body' }] });
  if (value.length > BODY_LIMIT) {
    throw new HttpReply(422, 'Validation Failed', {
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ],
    });
  }
  return value;
}

function parseJson(raw: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpReply(400, 'Problems parsing JSON');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeGithub(token?: string): Promise<FakeGithub> {
  return new FakeGithub(token).start();
}
