import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Diagnostic } from '../core/diagnostics.ts';
import { loadManifests } from './load-manifests.ts';
import { ca, caPlus, cases, one } from './validate-manifests.cases.ts';
import { validateManifests } from './validate-manifests.ts';

const root = mkdtempSync(path.join(tmpdir(), 'accord-validate-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The whole front of the pipeline on a throw-away repository: load, then validate. */
function lint(files: Record<string, string | Uint8Array>): Diagnostic[] {
  const dir = mkdtempSync(path.join(root, 'repo-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const { manifests, diagnostics } = loadManifests(dir);
  return [...diagnostics, ...validateManifests(manifests)];
}

function actualErrors(diagnostics: Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.code} ${path.basename(d.location?.file ?? '?')}:${d.location?.line ?? 0}`)
    .sort();
}

describe('validateManifests: bad manifests', () => {
  it('has at least 40 cases', () => assert.ok(cases.length >= 40, `${cases.length} cases`));
  for (const testCase of cases) {
    it(testCase.name, () => {
      const diagnostics = lint(testCase.files);
      const expected = testCase.expect
        .map(([code, line, file]) => `${code} ${file ?? 'm.yaml'}:${line}`)
        .sort();
      assert.deepEqual(actualErrors(diagnostics), expected, JSON.stringify(diagnostics, null, 1));
      if (testCase.summary) {
        const pattern = testCase.summary;
        assert.ok(
          diagnostics.some((d) => pattern.test(d.summary)),
          diagnostics.map((d) => d.summary).join('\n'),
        );
      }
      assert.ok(diagnostics.every((d) => d.location && d.location.line >= 1 && d.location.column >= 1));
    });
  }
});

describe('validateManifests: valid manifests', () => {
  const dir = path.join(import.meta.dirname, '../../test/manifests/valid');

  it('accepts the valid fixtures, one or more per kind', () => {
    const { manifests, diagnostics } = loadManifests(dir);
    assert.deepEqual([...diagnostics, ...validateManifests(manifests)], []);
    const kinds = new Set(manifests.map((m) => m.kind));
    assert.deepEqual([...kinds].sort(), [
      'AuthenticationMethodsPolicy',
      'AuthenticationStrengthPolicy',
      'ConditionalAccessPolicy',
      'CrossTenantAccessPolicy',
      'NamedLocation',
    ]);
    assert.ok(readdirSync(dir).length >= 5);
  });

  it('accepts null where Graph returns null', () => {
    const text = caPlus('  sessionControls: null\n  description: null\n').replace(
      'operator: OR',
      'operator: null',
    );
    assert.deepEqual(lint(one(text)), []);
  });

  it('points a missing property at its parent and gives the pointer', () => {
    const [diagnostic] = lint(one(ca('    clientAppTypes: [all]\n')));
    assert.deepEqual(diagnostic?.location, {
      file: diagnostic?.location?.file,
      line: 8,
      column: 3,
      pointer: '/spec/conditions/clientAppTypes',
    });
  });

  it('is pure: the same input gives the same diagnostics', () => {
    const { manifests } = loadManifests(dir);
    assert.deepEqual(validateManifests(manifests), validateManifests(manifests));
  });
});
