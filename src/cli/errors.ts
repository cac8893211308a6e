/** A mistake in what the user asked for: reported as a clear message, never with a stack trace. */
export class UserError extends Error {}

/**
 * Failures of the world rather than of accord (the tenant unreachable, a Graph error, a credential refused): one
 * clear line, no stack trace. Returns undefined for anything else, which is a defect and keeps its stack.
 */
export function describeOperationalError(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const name = err.constructor.name;
  if (name === 'GraphRequestError' || name === 'AmbiguousWriteError')
    return `Microsoft Graph: ${err.message}`;
  if (
    name === 'CredentialUnavailableError' ||
    name === 'AuthenticationError' ||
    name === 'AuthenticationRequiredError'
  ) {
    return `sign-in failed: ${err.message.split('\n')[0]}`;
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT')
    return `cannot reach the tenant: ${err.message}`;
  return undefined;
}
