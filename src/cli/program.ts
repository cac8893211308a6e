/** Shared pieces of the command line: the repository options every pipeline command takes, and its logger. */
import type { Command } from 'commander';
import { createLogger } from '../log/logger.ts';
import type { Logger } from '../log/log-port.ts';
import { UserError } from './errors.ts';

export interface RepoCliOptions {
  dir: string;
  tenant?: string;
  logLevel: string;
  logFormat: string;
}

/** Adds a command's options and sets its exit code when it finishes. */
export type CommandRegistrar = (program: Command, setExitCode: (code: number) => void) => void;

export function withRepo(command: Command): Command {
  return command
    .option('--dir <dir>', 'the policy repository', '.')
    .option(
      '--tenant <name>',
      "a tenant of accord.yaml (default: accord.yaml's defaultTenant, else the embedded local tenant)",
    )
    .option('--log-level <level>', 'error, warn, info or debug', 'warn')
    .option('--log-format <format>', 'text or json (JSON lines, for CI and the controller)', 'text');
}

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

export function makeLogger(opts: Pick<RepoCliOptions, 'logLevel' | 'logFormat'>): Logger {
  const level = LEVELS.find((l) => l === opts.logLevel);
  if (!level) throw new UserError(`--log-level must be one of ${LEVELS.join(', ')}`);
  if (opts.logFormat !== 'text' && opts.logFormat !== 'json')
    throw new UserError('--log-format must be text or json');
  return createLogger({ level, format: opts.logFormat });
}
