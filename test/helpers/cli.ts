/** Test harness: runs the accord CLI (`bin/accord.js`) as a child process on this Node.js, without colour. */
import { execFile } from 'node:child_process';
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
