/**
 * The GitHub adapter's client: `octokit` with its retry and throttling plugins (secondary rate limits and 429s are
 * waited out and retried), the API base from `GITHUB_API_URL` (GitHub Enterprise Server, or a test server) and the
 * token from `GITHUB_TOKEN`.
 */
import { Octokit } from 'octokit';

export type GithubClient = InstanceType<typeof Octokit>;
type OctokitOptions = NonNullable<ConstructorParameters<typeof Octokit>[0]>;
export type ThrottleOptions = NonNullable<OctokitOptions['throttle']>;

export interface GithubClientOptions {
  token: string;
  baseUrl?: string;
  /** How many times a request hit by a rate limit is retried before giving up. */
  rateLimitRetries?: number;
  /** Overrides for the throttling plugin (tests shorten its pacing). */
  throttle?: Partial<ThrottleOptions>;
  /** Where octokit's warnings go (never the token: octokit does not log it). */
  warn?: (message: string) => void;
}

export class GithubConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GithubConfigError';
  }
}

export function createGithubClient(options: GithubClientOptions): GithubClient {
  const retries = options.rateLimitRetries ?? 3;
  const warn = options.warn ?? ((m: string): void => void process.stderr.write(`accord: ${m}\n`));
  const onLimit =
    (what: string) =>
    (retryAfter: number, request: { method: string; url: string }, _client: unknown, retryCount: number) => {
      warn(`GitHub ${what} on ${request.method} ${request.url}; retrying in ${retryAfter}s`);
      return retryCount < retries;
    };
  return new Octokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'accord',
    log: { debug: () => undefined, info: () => undefined, warn, error: warn },
    throttle: {
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
      ...options.throttle,
    },
  });
}

/** The client for the current Actions job: `GITHUB_TOKEN` and `GITHUB_API_URL`. */
export function githubClientFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  extra: Omit<GithubClientOptions, 'token' | 'baseUrl'> = {},
): GithubClient {
  const token = env.GITHUB_TOKEN;
  if (!token)
    throw new GithubConfigError(
      'GITHUB_TOKEN is not set: pass `github-token` to the action or `env: GITHUB_TOKEN: ${{ github.token }}`',
    );
  return createGithubClient({
    ...extra,
    token,
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
  });
}
