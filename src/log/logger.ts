/**
 * The winston logger built by the entry points: readable lines on a terminal (colour only on a TTY and never with
 * `NO_COLOR`), JSON lines with `format: 'json'` (CI, the controller), four levels, and a redaction format that
 * runs before any output so no token, secret or assertion reaches a log line. Everything else in accord receives
 * the small `Logger` interface from `log-port.ts`.
 */
import winston from 'winston';
import type { LogFields, Logger, LogLevel } from './log-port.ts';
import { isSecretKey, REDACTED, redactText, redactValue } from './redact.ts';

export type { LogFields, Logger, LogLevel } from './log-port.ts';

export interface LoggerOptions {
  /** Lowest level written (default `info`). */
  level?: LogLevel;
  /** `text` (default): one readable line per entry; `json`: one JSON object per line. */
  format?: 'text' | 'json';
  /** Where lines go (default stderr, so stdout stays free for plans and JSON output). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Force colour on or off; by default on only when the stream is a TTY. `NO_COLOR` always wins. */
  color?: boolean;
  /** Values known to be secret (a client secret read from the environment), masked wherever they appear. */
  secrets?: readonly string[];
  /** Environment to read `NO_COLOR` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

const LEVELS: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const color = !noColor && (options.color ?? stream.isTTY === true);
  const secrets = [...(options.secrets ?? [])];
  const formats =
    options.format === 'json'
      ? [redactFormat(secrets), winston.format.timestamp(), winston.format.json()]
      : [
          redactFormat(secrets),
          ...(color ? [winston.format.colorize({ level: true })] : []),
          winston.format.printf(formatTextLine),
        ];
  const instance = winston.createLogger({
    levels: LEVELS,
    level: options.level ?? 'info',
    format: winston.format.combine(...formats),
    transports: [new winston.transports.Stream({ stream })],
  });
  const write =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      instance.log(level, message, fields ? { ...fields } : {});
    };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') };
}

/** Masks secrets in the message and in every field before any other format sees them. */
function redactFormat(secrets: readonly string[]): winston.Logform.Format {
  return winston.format((info) => {
    for (const key of Object.keys(info)) {
      if (key === 'level') continue;
      info[key] = isSecretKey(key) ? REDACTED : redactValue(info[key], secrets);
    }
    if (typeof info.message === 'string') info.message = redactText(info.message, secrets);
    return info;
  })();
}

/** `level: message key=value key="two words"` */
function formatTextLine(info: winston.Logform.TransformableInfo): string {
  const { level, message, ...fields } = info;
  const pairs = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${formatFieldValue(value)}`);
  return [`${level}:`, String(message), ...pairs].join(' ');
}

function formatFieldValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? String(value);
}
