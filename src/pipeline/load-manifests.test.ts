import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadManifests, listManifestFiles, MAX_MANIFEST_BYTES, parseManifestText } from './load-manifests.ts';

const root = mkdtempSync(path.join(tmpdir(), 'accord-load-'));
after(() => rmSync(root, { recursive: true, force: true }));

function makeRepo(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(path.join(root, 'repo-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const POLICY = `apiVersion: accord.dev/v1alpha1
kind: NamedLocation
metadata:
  name: office
spec:
  displayName: Office
  ipRanges:
    - 10.0.0.0/16
    - '@odata.type': '#microsoft.graph.iPv4Range'
      lowerAddress: 10.1.0.1
      upperAddress: 10.1.0.9
`;

describe('parseManifestText', () => {
  it('reads every document of a multi-document file, skipping empty ones', () => {
    const text = `---\n# only a comment\n---\n${POLICY}---\n${POLICY.replace('office', 'branch')}---\n`;
    const { manifests, diagnostics } = parseManifestText('a.yaml', text);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      manifests.map((m) => [m.metadata.name, m.source.document, m.source.location.line]),
      [
        ['office', 1, 4],
        ['branch', 2, 16],
      ],
    );
  });

  it('maps JSON pointers to the line and column where the value is written', () => {
    const [manifest] = parseManifestText('a.yaml', POLICY).manifests;
    const locate = manifest!.source.locate;
    assert.deepEqual(locate('/spec/displayName'), {
      file: 'a.yaml',
      line: 6,
      column: 16,
      pointer: '/spec/displayName',
    });
    assert.equal(locate('/spec/ipRanges/0').line, 8);
    assert.deepEqual([locate('/spec/ipRanges/0').line, locate('/spec/ipRanges/0').column], [8, 7]);
    assert.equal(locate('/spec/ipRanges/1/upperAddress').line, 11);
    assert.equal(locate('/spec/ipRanges/1/@odata.type').column, 22);
    assert.equal(locate('/spec').line, 5, 'a collection is located at its key');
  });

  it('falls back to the nearest existing ancestor', () => {
    const [manifest] = parseManifestText('a.yaml', POLICY).manifests;
    const missing = manifest!.source.locate('/spec/conditions/users');
    assert.deepEqual([missing.line, missing.column, missing.pointer], [5, 1, '/spec/conditions/users']);
    assert.equal(manifest!.source.locate('/spec/ipRanges/7').line, 7);
    assert.equal(manifest!.source.locate('/nothing').line, 1);
  });

  it('follows aliases and merge keys', () => {
    const text = `apiVersion: accord.dev/v1alpha1
kind: ConditionalAccessPolicy
metadata: { name: p }
spec:
  displayName: P
  state: enabled
  conditions:
    users: &everyone
      includeUsers: [All]
    applications:
      <<: { includeApplications: [All] }
    clientAppTypes: [all]
  x: *everyone
`;
    const { manifests, diagnostics } = parseManifestText('m.yaml', text);
    assert.deepEqual(diagnostics, []);
    const spec = manifests[0]!.spec as { conditions: { applications: { includeApplications: string[] } } };
    assert.deepEqual(spec.conditions.applications.includeApplications, ['All']);
    assert.equal(manifests[0]!.source.locate('/spec/x/includeUsers/0').line, 9);
    assert.equal(manifests[0]!.source.locate('/spec/conditions/applications/includeApplications').line, 11);
  });

  it('reports every YAML syntax error with its position, and keeps the good documents', () => {
    const text = `${POLICY}---\nkind: [unclosed\n---\na: 1\na: 2\n---\n${POLICY.replace('office', 'third')}`;
    const { manifests, diagnostics } = parseManifestText('bad.yaml', text);
    assert.deepEqual(
      manifests.map((m) => m.metadata.name),
      ['office', 'third'],
    );
    const errors = diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errors.length >= 2);
    assert.ok(errors.every((d) => d.code === 'yaml'));
    assert.ok(errors.some((d) => d.location?.line === 14 && /Flow sequence/.test(d.summary)));
    assert.ok(errors.some((d) => d.location?.line === 16 && /unique/i.test(d.summary)));
  });

  it('refuses a document that is not a mapping', () => {
    const { manifests, diagnostics } = parseManifestText('l.yaml', '- a\n- b\n---\njust text\n');
    assert.equal(manifests.length, 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.location?.line]),
      [
        ['not-a-mapping', 1],
        ['not-a-mapping', 4],
      ],
    );
  });

  it('reports unknown top-level properties at their line', () => {
    const { diagnostics } = parseManifestText('t.yaml', `${POLICY}status: {}\nspecs: {}\n`);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.location?.line]),
      [
        ['schema', 12],
        ['schema', 13],
      ],
    );
  });
});

describe('loadManifests', () => {
  it('reads *.yaml and *.yml in sorted order and skips tooling, tests, hidden folders and accord.yaml', () => {
    const dir = makeRepo({
      'b.yaml': POLICY.replace('office', 'b'),
      'a/z.yml': POLICY.replace('office', 'az'),
      'a/y.yaml': POLICY.replace('office', 'ay'),
      'accord.yaml': 'tenants: []\n',
      'tests/scenario.yaml': 'not: a manifest\n',
      'node_modules/x.yaml': '{',
      '.github/workflow.yaml': '{',
      '.accord/state.yaml': '{',
      'notes.txt': '{',
      'sub/tests/kept.yaml': POLICY.replace('office', 'kept'),
    });
    const { manifests, diagnostics } = loadManifests(dir);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      manifests.map((m) => m.metadata.name),
      ['ay', 'az', 'b', 'kept'],
    );
    assert.equal(manifests[0]!.source.file, path.join(dir, 'a/y.yaml'));
  });

  it('honours exclude', () => {
    const dir = makeRepo({ 'a/x.yaml': POLICY, 'b.yaml': POLICY.replace('office', 'b'), 'c.yaml': '{' });
    assert.deepEqual(listManifestFiles(dir, ['a/', './c.yaml']), ['b.yaml']);
  });

  it('refuses files over 1 MiB', () => {
    const big = `${POLICY}# ${'x'.repeat(MAX_MANIFEST_BYTES)}\n`;
    const dir = makeRepo({ 'big.yaml': big, 'ok.yaml': POLICY });
    const { manifests, diagnostics } = loadManifests(dir);
    assert.equal(manifests.length, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.location?.file, d.location?.line]),
      [['oversize', path.join(dir, 'big.yaml'), 1]],
    );
  });

  it('refuses files that are not UTF-8, at the first bad byte', () => {
    const latin1 = Buffer.concat([
      Buffer.from('apiVersion: accord.dev/v1alpha1\nkind: Caf'),
      Buffer.from([0xe9, 0x0a]),
    ]);
    const utf16 = Buffer.from('\ufeffkind: x\n', 'utf16le');
    const dir = makeRepo({ 'latin1.yaml': latin1, 'utf16.yaml': utf16 });
    const { diagnostics } = loadManifests(dir);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, path.basename(d.location!.file), d.location!.line, d.location!.column]),
      [
        ['encoding', 'latin1.yaml', 2, 10],
        ['encoding', 'utf16.yaml', 1, 1],
      ],
    );
  });

  it('accepts a UTF-8 byte order mark', () => {
    const dir = makeRepo({ 'bom.yaml': `\ufeff${POLICY}` });
    const { manifests, diagnostics } = loadManifests(dir);
    assert.deepEqual([manifests.length, diagnostics.length], [1, 0]);
  });

  it('reports a missing directory as a diagnostic', () => {
    const { diagnostics } = loadManifests(path.join(root, 'does-not-exist'));
    assert.equal(diagnostics[0]?.code, 'read');
  });
});
