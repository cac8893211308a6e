/** `GET|POST /oidc/userinfo` (the discovery document's `userinfo_endpoint`): the signed-in user's claims. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COLLECTIONS } from '../collections.ts';
import { sendRaw } from '../http-io.ts';
import type { SignInDeps } from './deps.ts';

function sendJsonPlain(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendRaw(res, status, JSON.stringify(body), {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
}

export async function serveUserInfo(
  req: IncomingMessage,
  res: ServerResponse,
  deps: SignInDeps,
): Promise<void> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const unauthorized = (): void =>
    sendJsonPlain(
      res,
      401,
      { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } },
      { 'www-authenticate': 'Bearer' },
    );
  if (!match) return unauthorized();
  let claims: Record<string, unknown>;
  try {
    claims = await deps.identity.verifySigned(match[1]!);
  } catch {
    return unauthorized();
  }
  if (claims.idtyp !== 'user' || typeof claims.tid !== 'string' || typeof claims.oid !== 'string')
    return unauthorized();
  const user = deps.store.get(claims.tid, COLLECTIONS.users, claims.oid);
  if (!user) return unauthorized();
  sendJsonPlain(res, 200, {
    sub: claims.sub,
    name: user.displayName,
    ...(typeof user.givenName === 'string' ? { given_name: user.givenName } : {}),
    ...(typeof user.surname === 'string' ? { family_name: user.surname } : {}),
    ...(typeof user.mail === 'string' ? { email: user.mail } : {}),
  });
}
