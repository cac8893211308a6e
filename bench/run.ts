/**
 * `npm run bench`: runs every benchmark file in bench/ (every `*.ts` except this one) in its own Node process,
 * one after another, so one benchmark's heap and sockets do not disturb the next. Exits non-zero if any failed.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== self && !f.endsWith('.test.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n=== bench/${file}`);
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', join(here, file)], {
    stdio: 'inherit',
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed++;
    console.log(`=== bench/${file} failed (${result.status ?? result.signal}) after ${seconds} s`);
  } else {
    console.log(`=== bench/${file} done in ${seconds} s`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
