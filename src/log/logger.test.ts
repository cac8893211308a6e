import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, type LoggerOptions } from './logger.ts';
import { redactText, redactValue } from './redact.ts';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';

function capture(options: Partial<LoggerOptions> = {}): { lines: string[]; options: LoggerOptions } {
  const lines: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    }),
    { isTTY: false },
  );
  return { lines, options: { stream, env: {}, ...options } };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('redaction', () => {
  it('masks bearer tokens, JWTs, secret pairs and known secrets in text', () => {
    assert.equal(redactText(`Authorization: Bearer ${JWT}`), 'Authorization: Bearer [REDACTED]');
    assert.equal(redactText(`token ${JWT} end`), 'token [REDACTED] end');
    assert.equal(
      redactText('grant_type=client_credentials&client_secret=abc~123&scope=x'),
      'grant_type=client_credentials&client_secret=[REDACTED]&scope=x',
    );
    assert.equal(redactText('the secret is Sup3r-S3cret!', ['Sup3r-S3cret!']), 'the secret is [REDACTED]');
    assert.equal(
      redactText('GET /users?$top=5 from graph.microsoft.com'),
      'GET /users?$top=5 from graph.microsoft.com',
    );
  });

  it('masks values of secret keys at any depth', () => {
    assert.deepEqual(
      redactValue({
        headers: { Authorization: 'x', 'content-type': 'json' },
        clientSecret: 'a',
        client_secret: 'b',
        password: 'c',
        access_token: 'd',
        client_assertion: 'e',
        token: 'f',
        nested: [{ note: `Bearer ${JWT}` }],
      }),
      {
        headers: { Authorization: '[REDACTED]', 'content-type': 'json' },
        clientSecret: '[REDACTED]',
        client_secret: '[REDACTED]',
        password: '[REDACTED]',
        access_token: '[REDACTED]',
        client_assertion: '[REDACTED]',
        token: '[REDACTED]',
        nested: [{ note: 'Bearer [REDACTED]' }],
      },
    );
  });
});

describe('createLogger', () => {
  it('writes readable lines without colour when not on a TTY, and respects the level', async () => {
    const { lines, options } = capture({ level: 'info' });
    const logger = createLogger(options);
    logger.info('applied', { changes: 3, tenant: 'prod main' });
    logger.debug('hidden');
    await flush();
    assert.deepEqual(lines, ['info: applied changes=3 tenant="prod main"']);
  });

  it('colours on a TTY, but never with NO_COLOR', async () => {
    const tty = capture({ color: undefined });
    (tty.options.stream as { isTTY?: boolean }).isTTY = true;
    createLogger(tty.options).warn('careful');
    const noColor = capture({ color: true, env: { NO_COLOR: '1' } });
    createLogger(noColor.options).warn('careful');
    await flush();
    // eslint-disable-next-line no-control-regex -- looking for ANSI escapes
    assert.match(tty.lines[0]!, /\u001b\[/);
    assert.equal(noColor.lines[0], 'warn: careful');
  });

  it('writes JSON lines with format json, redacted', async () => {
    const { lines, options } = capture({ format: 'json', level: 'debug', secrets: ['my-client-secret-1'] });
    const logger = createLogger(options);
    logger.debug(`sending Bearer ${JWT}`, {
      authorization: `Bearer ${JWT}`,
      detail: 'uses my-client-secret-1',
    });
    await flush();
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(entry.level, 'debug');
    assert.equal(entry.message, 'sending Bearer [REDACTED]');
    assert.equal(entry.authorization, '[REDACTED]');
    assert.equal(entry.detail, 'uses [REDACTED]');
    assert.equal(typeof entry.timestamp, 'string');
    assert.ok(!lines[0]!.includes(JWT));
  });
});
