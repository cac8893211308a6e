import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveObject, ReferenceLookup } from '../core/kind.ts';
import { ID_ANNOTATION } from '../core/manifest.ts';
import { canonicalStrength } from '../kinds/authentication-strength/index.ts';
import { canonicalPolicy } from '../kinds/conditional-access-policy/index.ts';
import { canonicalNamedLocation } from '../kinds/named-location/index.ts';
import { registry } from '../kinds/registry.ts';
import type { DirectoryMatch, DirectoryType } from './directory-lookup.ts';
import {
  assignManifestNames,
  buildExportLookup,
  collectDirectoryIds,
  deriveManifestName,
  exportManifests,
  findDuplicateDisplayNames,
  namingKey,
  renderManifest,
} from './export-manifests.ts';
import { parseManifestText } from './load-manifests.ts';
import { validateManifests } from './validate-manifests.ts';

const USER_ID = '11111111-1111-1111-1111-111111111111';
const GROUP_ID = '22222222-2222-2222-2222-222222222222';
const LOCATION_ID = '33333333-3333-3333-3333-333333333333';
const STRENGTH_ID = '44444444-4444-4444-4444-444444444444';
const BUILT_IN_STRENGTH = '00000000-0000-0000-0000-000000000002';

function live(kind: string, id: string, state: Record<string, unknown>, builtIn = false): LiveObject {
  const object: LiveObject = { kind, id, displayName: String(state.displayName), state };
  if (builtIn) object.builtIn = true;
  return object;
}

function tenant(): Map<string, LiveObject[]> {
  const location = canonicalNamedLocation({
    displayName: 'Head office',
    ipRanges: ['203.0.113.0/24'],
    isTrusted: true,
  });
  const strength = (name: string): Record<string, unknown> =>
    canonicalStrength({ displayName: name, allowedCombinations: ['fido2'] });
  const policy = (displayName: string): Record<string, unknown> =>
    canonicalPolicy({
      displayName,
      state: 'enabled',
      conditions: {
        users: { includeUsers: [USER_ID], excludeGroups: [GROUP_ID] },
        applications: { includeApplications: ['All'] },
        locations: { includeLocations: ['All'], excludeLocations: [LOCATION_ID] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', authenticationStrength: { id: STRENGTH_ID } },
    });
  return new Map([
    ['NamedLocation', [live('NamedLocation', LOCATION_ID, location)]],
    [
      'AuthenticationStrengthPolicy',
      [
        live('AuthenticationStrengthPolicy', STRENGTH_ID, strength('Phishing-resistant keys')),
        live('AuthenticationStrengthPolicy', BUILT_IN_STRENGTH, strength('Multifactor authentication'), true),
      ],
    ],
    [
      'ConditionalAccessPolicy',
      [
        live('ConditionalAccessPolicy', 'aaaaaaaa-0000-0000-0000-000000000001', policy('Require keys!')),
        live('ConditionalAccessPolicy', 'aaaaaaaa-0000-0000-0000-000000000002', policy('Require keys?')),
      ],
    ],
  ]);
}

function directory(): Map<DirectoryType, Map<string, DirectoryMatch[]>> {
  return new Map([
    ['user', new Map([[USER_ID, [{ id: USER_ID, displayName: 'ada@contoso.test', keys: [USER_ID] }]]])],
    ['group', new Map([[GROUP_ID, [{ id: GROUP_ID, displayName: 'Break glass', keys: [GROUP_ID] }]]])],
  ]);
}

function exportTenant(keepIds?: Set<string>): ReturnType<typeof exportManifests> {
  const objects = tenant();
  const manifestNames = assignManifestNames(objects);
  const lookup = buildExportLookup({
    live: objects,
    directory: directory(),
    manifestNames,
    ...(keepIds ? { keepIds } : {}),
  });
  return exportManifests({ live: objects, registry, lookup, manifestNames, schemaHintFor: () => undefined });
}

describe('deriveManifestName', () => {
  it('makes DNS-1123 names from display names and numbers collisions', () => {
    const taken = new Set<string>();
    assert.equal(deriveManifestName('Require MFA — for Admins (prod)', taken), 'require-mfa-for-admins-prod');
    assert.equal(deriveManifestName('Require MFA for admins / prod', taken), 'require-mfa-for-admins-prod-2');
    assert.equal(deriveManifestName('REQUIRE mfa for admins prod', taken), 'require-mfa-for-admins-prod-3');
    assert.equal(deriveManifestName('Zugriff für Gäste', taken), 'zugriff-fur-gaste');
    assert.equal(deriveManifestName('***', taken, 'named-location'), 'named-location');
    const long = deriveManifestName('x'.repeat(100), taken);
    assert.equal(long.length, 63);
    const longer = deriveManifestName('x'.repeat(100), taken);
    assert.ok(longer.endsWith('-2') && longer.length === 63);
  });
});

describe('exportManifests', () => {
  it('writes one pinned file per object, leaves built-ins out, and names references readably', () => {
    const files = exportTenant();
    assert.deepEqual(files.map((f) => f.path).sort(), [
      'authentication-strengths/phishing-resistant-keys.yaml',
      'conditional-access/require-keys-2.yaml',
      'conditional-access/require-keys.yaml',
      'named-locations/head-office.yaml',
    ]);
    const policy = parseManifestText('p.yaml', files.find((f) => f.path.endsWith('require-keys.yaml'))!.text)
      .manifests[0]!;
    assert.equal(policy.metadata.annotations?.[ID_ANNOTATION], 'aaaaaaaa-0000-0000-0000-000000000001');
    const spec = policy.spec as {
      conditions: Record<string, Record<string, unknown>>;
      grantControls: unknown;
    };
    assert.deepEqual(spec.conditions.users, {
      includeUsers: ['ada@contoso.test'],
      excludeGroups: ['Break glass'],
    });
    assert.deepEqual(spec.conditions.locations!.excludeLocations, ['head-office']);
    assert.deepEqual(spec.grantControls, {
      operator: 'OR',
      authenticationStrength: { id: 'phishing-resistant-keys' },
    });
    assert.deepEqual(
      validateManifests(files.flatMap((f) => parseManifestText(f.path, f.text).manifests)),
      [],
    );
  });

  it('round-trips: expanding an exported manifest gives the live state back', () => {
    const objects = tenant();
    const files = exportTenant();
    const names = new Map([
      ['ada@contoso.test', USER_ID],
      ['break glass', GROUP_ID],
      ['head-office', LOCATION_ID],
      ['phishing-resistant-keys', STRENGTH_ID],
    ]);
    const lookup: ReferenceLookup = {
      idOf: (reference) => names.get(reference.value.toLowerCase()) ?? reference.value,
      nameOf: (_type, id) => id,
    };
    for (const file of files) {
      const manifest = parseManifestText(file.path, file.text).manifests[0]!;
      const [desired] = registry.get(manifest.kind)!.expand(manifest, lookup);
      const original = objects.get(manifest.kind)!.find((o) => o.id === file.id)!;
      assert.deepEqual(desired!.state, original.state, file.path);
      assert.equal(desired!.pinnedId, original.id);
    }
  });

  it('keeps an id where its name would not resolve to one object', () => {
    const files = exportTenant(new Set([namingKey('group', 'Break glass')]));
    const text = files.find((f) => f.path.endsWith('require-keys.yaml'))!.text;
    assert.match(text, new RegExp(`excludeGroups: \\[${GROUP_ID}\\]`));
  });

  it('names a location by display name when its metadata.name is another location’s display name', () => {
    const objects = tenant();
    const other = canonicalNamedLocation({ displayName: 'head-office', countriesAndRegions: ['FR'] });
    objects.get('NamedLocation')!.push(live('NamedLocation', 'bbbbbbbb-0000-0000-0000-000000000001', other));
    const manifestNames = assignManifestNames(objects);
    const lookup = buildExportLookup({ live: objects, directory: directory(), manifestNames });
    assert.equal(lookup.nameOf('namedLocation', LOCATION_ID), 'Head office');
    assert.equal(lookup.nameOf('namedLocation', 'bbbbbbbb-0000-0000-0000-000000000001'), 'head-office-2');
    assert.equal(
      lookup.nameOf('user', '99999999-9999-9999-9999-999999999999'),
      '99999999-9999-9999-9999-999999999999',
    );
  });

  it('collects the directory ids to look up, skipping special values', () => {
    const wanted = collectDirectoryIds(tenant(), registry);
    assert.deepEqual([...wanted.get('user')!], [USER_ID]);
    assert.deepEqual([...wanted.get('group')!], [GROUP_ID]);
    assert.equal(wanted.has('application'), false);
  });

  it('writes the schema hint first when there is one, and flow lists for short scalar lists', () => {
    const text = renderManifest(
      {
        kind: 'NamedLocation',
        name: 'x',
        id: 'id-1',
        spec: { isTrusted: true, displayName: 'X', ipRanges: ['1.2.3.4/32'] },
      },
      '../../schemas/named-location.json',
    );
    assert.equal(
      text,
      [
        '# yaml-language-server: $schema=../../schemas/named-location.json',
        'apiVersion: accord.dev/v1alpha1',
        'kind: NamedLocation',
        'metadata:',
        '  name: x',
        '  annotations:',
        '    accord.dev/id: id-1',
        'spec:',
        '  displayName: X',
        '  isTrusted: true',
        '  ipRanges: [1.2.3.4/32]',
        '',
      ].join('\n'),
    );
  });

  it('reports display names the tenant uses twice', () => {
    const objects = tenant();
    const location = canonicalNamedLocation({ displayName: 'HEAD OFFICE', countriesAndRegions: ['FR'] });
    objects
      .get('NamedLocation')!
      .push(live('NamedLocation', 'cccccccc-0000-0000-0000-000000000001', location));
    const duplicates = findDuplicateDisplayNames([], objects);
    assert.equal(duplicates.length, 2);
  });
});
