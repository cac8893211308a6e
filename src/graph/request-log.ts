/**
 * What a request looks like in a log line: the path relative to the version root with the values of secret-ish
 * query parameters (and opaque paging tokens) masked. Headers are never logged, so the Authorization header
 * cannot leak from here.
 */

const MASKED_PARAMS =
  /^(\$skiptoken|\$deltatoken|code|token|access_token|sig|signature|key|secret|client_secret|password|client_assertion)$/i;

/** `/users?$top=5&$skiptoken=…` from `https://graph.microsoft.com/v1.0/users?$top=5&$skiptoken=abc`. */
export function describeRequestPath(url: URL, baseUrl: URL): string {
  const basePath = baseUrl.pathname.replace(/\/$/, '');
  const path =
    url.origin === baseUrl.origin && url.pathname.startsWith(basePath)
      ? url.pathname.slice(basePath.length)
      : url.pathname;
  if (url.search === '') return path || '/';
  const pairs: string[] = [];
  for (const [key, value] of url.searchParams) {
    pairs.push(`${key}=${MASKED_PARAMS.test(key) ? '…' : value}`);
  }
  return `${path || '/'}?${pairs.join('&')}`;
}
