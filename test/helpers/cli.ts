/**
 * Test harness: runs the accord CLI (`bin/accord.js`) as a child process on this Node.js, without colour, and copies
 * the example policy repository for a test to work on.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ACCORD_BIN = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `accord <args>` to completion; never rejects (a failing command is a result to assert on). */
export function runAccord(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ACCORD_BIN, ...args],
      { env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: unknown }).code : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

const EXAMPLE_REPOSITORY = fileURLToPath(new URL('../../policies', import.meta.url));

/**
 * Copies the example policy repository (`policies/`, without its `.accord` state) into `into`, or into a new
 * temporary folder named after `prefix`; returns the folder.
 */
export function copyExampleRepository(options: { into?: string; prefix?: string } = {}): string {
  const repo = options.into ?? mkdtempSync(join(tmpdir(), `accord-${options.prefix ?? 'repo'}-`));
  cpSync(EXAMPLE_REPOSITORY, repo, { recursive: true, filter: (src) => !src.includes('.accord') });
  return repo;
}
