/**
 * Every code the semantic lint and the lockout guard emit is documented in docs/lint-rules.md, with the severity the
 * code gives it: a new rule cannot ship undocumented, and the table cannot claim a severity the code does not use.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `error('code', …)` / `warning('code', …)` calls in the source files of a folder (tests excluded). */
function emittedCodes(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  const dir = join(ROOT, folder);
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    const text = readFileSync(join(dir, name), 'utf8');
    for (const [, severity, code] of text.matchAll(/\b(error|warning)\(\s*'([a-z0-9-]+)'/g))
      out.set(code!, severity!);
  }
  return out;
}

/** Code → severity from the tables of docs/lint-rules.md (`| \`code\` | severity | …`). */
function documentedCodes(): Map<string, string> {
  const text = readFileSync(join(ROOT, 'docs', 'lint-rules.md'), 'utf8');
  const out = new Map<string, string>();
  for (const [, code, severity] of text.matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|\s*(error|warning)\s*\|/gm))
    out.set(code!, severity!);
  return out;
}

describe('docs/lint-rules.md', () => {
  it('documents every lint and guard code with its severity', () => {
    const emitted = new Map([...emittedCodes('src/lint'), ...emittedCodes('src/guard')]);
    assert.ok(emitted.size >= 15, `found only ${emitted.size} codes: is the pattern still right?`);
    const documented = documentedCodes();
    for (const [code, severity] of emitted)
      assert.equal(documented.get(code), severity, `${code} (${severity}) in docs/lint-rules.md`);
  });
});
