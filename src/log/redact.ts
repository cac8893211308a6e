/**
 * Redaction of secrets before anything reaches a log line: values of secret-looking keys, bearer tokens and
 * JWT-shaped strings inside any text, and any value the caller knows to be secret (a client secret read from the
 * environment). Pure functions, used by the winston format in `logger.ts` and usable on their own.
 */

export const REDACTED = '[REDACTED]';

/** Key names whose values are always secret, whatever they hold. */
const SECRET_KEY =
  /^(authorization|proxy-authorization|x-accord-admin-key|client_?secret|password|passwd|access_?token|refresh_?token|id_?token|client_?assertion|assertion|token|secret|api_?key|cookie|set-cookie)$/i;

/** `Bearer <anything>` in a header or a message. */
const BEARER = /\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
/** A JWT (or JWS/JWE compact form): base64url parts separated by dots, the header starting with `eyJ`. */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*){0,2}/g;
/** Three long base64url parts: token-shaped even when the header is not `eyJ`. */
const THREE_PART = /\b[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g;
/** `client_secret=…` / `client_assertion=…` / `access_token=…` inside form bodies or query strings. */
const SECRET_PAIR =
  /\b(client_secret|client_assertion|access_token|refresh_token|id_token|password|code)=([^&\s"']+)/gi;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Masks bearer tokens, JWT-shaped strings, secret query pairs and the given known secret values in a text. */
export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    // Very short values would mask ordinary words; a real secret is never that short.
    if (secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(BEARER, (_m, word: string) => `${word} ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(THREE_PART, REDACTED)
    .replace(SECRET_PAIR, (_m, key: string) => `${key}=${REDACTED}`);
}

/** A deep copy of `value` with secrets masked; cycles become `[Circular]`. */
export function redactValue(value: unknown, knownSecrets: readonly string[] = []): unknown {
  return redactInner(value, knownSecrets, new WeakSet());
}

function redactInner(value: unknown, knownSecrets: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, knownSecrets);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactInner(v, knownSecrets, seen));
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactText(value.message, knownSecrets),
      ...(value.stack ? { stack: redactText(value.stack, knownSecrets) } : {}),
    };
  }
  if (value instanceof Headers) return redactInner(Object.fromEntries(value), knownSecrets, seen);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redactInner(inner, knownSecrets, seen);
  }
  return out;
}
