/**
 * Where accord is running on GitHub: the repository, pull request, commit and run, from explicit options first, then
 * the Actions environment (`GITHUB_REPOSITORY`, `GITHUB_SHA`, `GITHUB_REF`, `GITHUB_RUN_ID`…) and the event payload
 * at `GITHUB_EVENT_PATH`.
 */
import { readFileSync } from 'node:fs';
import { GithubConfigError } from './github-client.ts';

export interface RepoRef {
  owner: string;
  repo: string;
}

export function parseRepo(text: string): RepoRef {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(text.trim());
  if (!match) throw new GithubConfigError(`'${text}' is not a repository: use owner/name`);
  return { owner: match[1]!, repo: match[2]! };
}

export function repoFromEnv(explicit: string | undefined, env: NodeJS.ProcessEnv): RepoRef {
  const text = explicit ?? env.GITHUB_REPOSITORY;
  if (!text) throw new GithubConfigError('no repository: pass --repo owner/name or set GITHUB_REPOSITORY');
  return parseRepo(text);
}

interface EventPayload {
  number?: unknown;
  pull_request?: { number?: unknown; head?: { sha?: unknown } };
  issue?: { number?: unknown; pull_request?: unknown };
}

export function readEventPayload(env: NodeJS.ProcessEnv): EventPayload {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EventPayload;
  } catch {
    return {};
  }
}

function positiveInteger(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The pull request: `--pr`, else the event's pull request (pull_request, pull_request_target, issue_comment). */
export function pullRequestFromEnv(explicit: string | number | undefined, env: NodeJS.ProcessEnv): number {
  if (explicit !== undefined) {
    const n = positiveInteger(explicit);
    if (n === undefined) throw new GithubConfigError(`--pr must be a pull request number, not '${explicit}'`);
    return n;
  }
  const event = readEventPayload(env);
  const fromEvent =
    positiveInteger(event.pull_request?.number) ??
    (event.issue?.pull_request ? positiveInteger(event.issue.number) : undefined) ??
    positiveInteger(event.number);
  if (fromEvent === undefined)
    throw new GithubConfigError(
      'no pull request: pass --pr N, or run on a pull_request event (GITHUB_EVENT_PATH)',
    );
  return fromEvent;
}

/** The run page, where the job summary is shown. */
export function runUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  if (!server || !repo || !run) return undefined;
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  return `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${run}${attempt}`;
}

/**
 * The commit and ref code scanning files results under. On a pull request `GITHUB_SHA` is the merge commit and
 * `GITHUB_REF` is `refs/pull/N/merge`, which is what code scanning expects for pull-request analyses.
 */
export function commitFromEnv(
  explicit: { sha?: string; ref?: string },
  env: NodeJS.ProcessEnv,
): { sha: string; ref: string } {
  const sha = explicit.sha ?? env.GITHUB_SHA;
  const ref = explicit.ref ?? env.GITHUB_REF;
  if (!sha || !/^[0-9a-f]{40}$/.test(sha))
    throw new GithubConfigError('no commit: pass --sha (40 hex digits) or set GITHUB_SHA');
  if (!ref || !ref.startsWith('refs/'))
    throw new GithubConfigError('no ref: pass --ref refs/… or set GITHUB_REF');
  return { sha, ref };
}
