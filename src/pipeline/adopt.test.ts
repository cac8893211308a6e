import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveObject } from '../core/kind.ts';
import { describeAdoption, planAdoption, writeIdAnnotations } from './adopt.ts';
import { parseManifestText } from './load-manifests.ts';

const FILE = `# yaml-language-server: $schema=../../schemas/named-location.json
# The offices we trust.
apiVersion: accord.dev/v1alpha1
kind: NamedLocation
metadata:
  name: office # the stable key
spec:
  displayName: Office
  ipRanges: [203.0.113.0/24] # HQ
---
# second document
apiVersion: accord.dev/v1alpha1
kind: NamedLocation
metadata:
  name: lab
  annotations:
    team: security
spec:
  displayName: Lab
  ipRanges: [198.51.100.0/24]
`;

function location(id: string, displayName: string, builtIn = false): LiveObject {
  const object: LiveObject = { kind: 'NamedLocation', id, displayName, state: { displayName } };
  if (builtIn) object.builtIn = true;
  return object;
}

describe('planAdoption', () => {
  const manifests = parseManifestText('f.yaml', FILE).manifests;

  it('pins a unique display-name match and reports the rest', () => {
    const live = new Map([
      ['NamedLocation', [location('id-office', 'Office'), location('id-x', 'Lab '), location('id-y', 'lab')]],
    ]);
    const adoptions = planAdoption(manifests, live);
    assert.deepEqual(
      adoptions.map((a) => [a.manifest.metadata.name, a.outcome]),
      [
        ['office', { kind: 'pinned', id: 'id-office' }],
        ['lab', { kind: 'no-match' }],
      ],
    );
    assert.match(describeAdoption(adoptions[1]!), /matches no object/);
  });

  it('refuses several matches and objects another manifest pins, and skips built-ins and pinned manifests', () => {
    const text = `${FILE}---
apiVersion: accord.dev/v1alpha1
kind: NamedLocation
metadata:
  name: old-office
  annotations: { accord.dev/id: id-lab }
spec:
  displayName: Old office
  ipRanges: [192.0.2.0/24]
`;
    const all = parseManifestText('f.yaml', text).manifests;
    const live = new Map([
      [
        'NamedLocation',
        [
          location('id-a', 'Office'),
          location('id-b', 'Office'),
          location('id-lab', 'Lab'),
          location('id-c', 'Old office', true),
        ],
      ],
    ]);
    const outcomes = planAdoption(all, live).map((a) => a.outcome);
    assert.deepEqual(outcomes, [
      {
        kind: 'ambiguous',
        candidates: [
          { id: 'id-a', displayName: 'Office' },
          { id: 'id-b', displayName: 'Office' },
        ],
      },
      { kind: 'taken', id: 'id-lab', by: 'old-office' },
    ]);
  });
});

describe('writeIdAnnotations', () => {
  it('adds the annotation in place and keeps every comment and the other documents', () => {
    const out = writeIdAnnotations(
      FILE,
      new Map([
        [0, 'id-office'],
        [1, 'id-lab'],
      ]),
    );
    for (const comment of [
      '# yaml-language-server: $schema=../../schemas/named-location.json',
      '# The offices we trust.',
      '# the stable key',
      '# HQ',
      '# second document',
    ])
      assert.ok(out.includes(comment), `lost ${comment}`);
    const manifests = parseManifestText('f.yaml', out).manifests;
    assert.deepEqual(
      manifests.map((m) => m.metadata.annotations),
      [{ 'accord.dev/id': 'id-office' }, { team: 'security', 'accord.dev/id': 'id-lab' }],
    );
    assert.deepEqual(
      manifests.map((m) => m.spec),
      parseManifestText('f.yaml', FILE).manifests.map((m) => m.spec),
    );
    assert.ok(out.includes('  ipRanges: [203.0.113.0/24]'), 'flow lists stay flow lists');
  });

  it('changes nothing without pins', () => {
    assert.equal(writeIdAnnotations(FILE, new Map()), FILE);
  });
});
