/** Matches a Graph request path against the route table. Paths are case-insensitive, as Graph's are. */
import type { Route, ThrottleFamily } from './graph-types.ts';

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export type MatchResult =
  { kind: 'match'; match: RouteMatch } | { kind: 'methodNotAllowed' } | { kind: 'notFound'; segment: string };

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => {
      const param = /^\{([A-Za-z]+)\}$/.exec(part);
      if (param) {
        names.push(param[1]!);
        return '([^/]+?)';
      }
      return escapeRegex(part);
    })
    .join('');
  return { route, regex: new RegExp(`^${source}/?$`, 'i'), names };
}

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map(compile);
  }

  match(method: string, path: string, version: 'v1.0' | 'beta'): MatchResult {
    let pathMatched = false;
    for (const candidate of this.compiled) {
      if (candidate.route.betaOnly && version !== 'beta') continue;
      const m = candidate.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (candidate.route.method !== method) continue;
      const params: Record<string, string> = {};
      candidate.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1]!).replace(/^'(.*)'$/, '$1');
      });
      return { kind: 'match', match: { route: candidate.route, params } };
    }
    if (pathMatched) return { kind: 'methodNotAllowed' };
    const segments = path.split('/').filter(Boolean);
    return { kind: 'notFound', segment: segments[segments.length - 1] ?? '' };
  }
}

/** Percent-decoding that leaves a malformed escape as it is (the id then simply matches nothing). */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A shorthand for route tables whose routes share a throttle family. */
export function routeFactory(throttle: ThrottleFamily) {
  return (
    method: Route['method'],
    path: string,
    permissions: Route['permissions'],
    handler: Route['handler'],
  ): Route => ({ method, path, permissions, throttle, handler });
}
