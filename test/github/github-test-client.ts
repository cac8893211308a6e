/** An octokit client pointed at the fake GitHub server, with the write pacing shortened for tests. */
import {
  createGithubClient,
  type GithubClient,
  type ThrottleOptions,
} from '../../src/github/github-client.ts';
import type { FakeGithub } from './fake-github-server.ts';

/**
 * The throttling plugin spaces writes 1 s apart and notifying writes 3 s apart, as GitHub asks of real clients. Tests
 * replace those two limiters with ones that run at once; the rate-limit retries stay real.
 */
function immediateGroup(): ThrottleOptions['write'] {
  const limiter = {
    schedule: async (...args: unknown[]): Promise<unknown> => {
      const [first, ...rest] = args;
      const [fn, ...fnArgs] = typeof first === 'function' ? [first, ...rest] : rest;
      return (fn as (...a: unknown[]) => unknown)(...fnArgs);
    },
  };
  return { key: () => limiter } as unknown as ThrottleOptions['write'];
}

export const FAST_THROTTLE: Partial<ThrottleOptions> = {
  write: immediateGroup(),
  notifications: immediateGroup(),
};

export function testClient(github: FakeGithub, warnings: string[] = []): GithubClient {
  return createGithubClient({
    token: github.token,
    baseUrl: github.url,
    throttle: FAST_THROTTLE,
    warn: (m) => warnings.push(m),
  });
}

/** The environment of an Actions job talking to the fake server. */
export function actionsEnv(github: FakeGithub, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    GITHUB_TOKEN: github.token,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_REPOSITORY: 'contoso/policies',
    GITHUB_RUN_ID: '4242',
    ...extra,
  };
}
