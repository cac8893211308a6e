/**
 * The logging interface the rest of accord sees. Only the entry points build a real logger (winston, in
 * `logger.ts`); the core and the adapters receive this interface, so they never import winston.
 */

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export type LogFields = Record<string, unknown>;

export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
}

/** A logger that drops everything (the default for adapters used without one). */
export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};
