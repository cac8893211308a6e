/** The table of bad manifests for validate-manifests.test.ts: each case is a repository and the errors it must give. */
import { MAX_MANIFEST_BYTES } from './load-manifests.ts';

const doc = (kind: string, name: string, spec: string): string =>
  `apiVersion: accord.dev/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

// Line numbers: the spec starts on line 6.
const CA_SPEC = `  displayName: P
  state: enabled
  conditions:
    users:
      includeUsers: [All]
    applications:
      includeApplications: [All]
    clientAppTypes: [all]
  grantControls:
    operator: OR
    builtInControls: [mfa]
`;
export const ca = (from = '', to = '', name = 'p'): string =>
  doc('ConditionalAccessPolicy', name, from === '' ? CA_SPEC : CA_SPEC.replace(from, to));
export const caPlus = (extra: string): string => doc('ConditionalAccessPolicy', 'p', `${CA_SPEC}${extra}`);

const NL_SPEC = `  displayName: Office
  ipRanges:
    - 10.0.0.0/16
`;
const nl = (from = '', to = '', name = 'office'): string =>
  doc('NamedLocation', name, from === '' ? NL_SPEC : NL_SPEC.replace(from, to));

const STRENGTH_SPEC = `  displayName: S
  allowedCombinations:
    - fido2
`;
const strength = (from = '', to = ''): string =>
  doc('AuthenticationStrengthPolicy', 's', STRENGTH_SPEC.replace(from, to));

const METHODS_SPEC = `  authenticationMethodConfigurations:
    email:
      state: enabled
      includeTargets:
        - id: all_users
          targetType: group
`;
const methods = (from = '', to = ''): string =>
  doc('AuthenticationMethodsPolicy', 'methods', METHODS_SPEC.replace(from, to));

const CROSS_SPEC = `  partners:
    - tenantId: 3f2504e0-4f89-11d3-9a0c-0305e82c3301
      inboundTrust:
        isMfaAccepted: true
`;
const cross = (from = '', to = ''): string =>
  doc('CrossTenantAccessPolicy', 'cross', CROSS_SPEC.replace(from, to));

/** `[code, line]` in m.yaml, or `[code, line, file]`. */
export type Expected = [string, number] | [string, number, string];

export interface Case {
  name: string;
  files: Record<string, string | Uint8Array>;
  expect: Expected[];
  summary?: RegExp;
}

/** `text` with the last character of `marker` replaced by a raw byte. */
function withByte(text: string, marker: string, byte: number): Buffer {
  const at = text.indexOf(marker) + marker.length - 1;
  return Buffer.concat([
    Buffer.from(text.slice(0, at)),
    Buffer.from([byte]),
    Buffer.from(text.slice(at + 1)),
  ]);
}

export const one = (text: string | Uint8Array): Record<string, string | Uint8Array> => ({ 'm.yaml': text });

export const cases: Case[] = [
  // Conditional Access: enums
  {
    name: 'bad state',
    files: one(ca('state: enabled', 'state: on')),
    expect: [['schema', 7]],
    summary:
      /^spec\.state: must be one of enabled, disabled, enabledForReportingButNotEnforced \(got 'on'\)$/,
  },
  {
    name: 'state in the wrong case',
    files: one(ca('state: enabled', 'state: Enabled')),
    expect: [['schema', 7]],
    summary: /did you mean 'enabled'/,
  },
  {
    name: 'clientAppTypes in the wrong case',
    files: one(ca('[all]', '[All]')),
    expect: [['schema', 13]],
    summary: /clientAppTypes\[0\]: must be one of all, browser/,
  },
  {
    name: 'bad grant control',
    files: one(ca('[mfa]', '[MFA]')),
    expect: [['schema', 16]],
    summary: /builtInControls\[0\].*did you mean 'mfa'/,
  },
  {
    name: 'lower-case operator',
    files: one(ca('operator: OR', 'operator: and')),
    expect: [['schema', 15]],
    summary: /must be one of AND, OR \(got 'and'\); did you mean 'AND'/,
  },
  {
    name: 'platform in the wrong case',
    files: one(
      ca(
        '    clientAppTypes: [all]',
        '    clientAppTypes: [all]\n    platforms: { includePlatforms: [Windows] }',
      ),
    ),
    expect: [['schema', 14]],
    summary: /did you mean 'windows'/,
  },
  {
    name: 'bad flags value',
    files: one(
      ca('    clientAppTypes: [all]', '    clientAppTypes: [all]\n    insiderRiskLevels: minor,huge'),
    ),
    expect: [['schema', 14]],
    summary: /must be one or more of minor, moderate, elevated, separated by commas \(got 'minor,huge'\)/,
  },
  {
    name: 'bad sign-in frequency unit',
    files: one(
      caPlus('  sessionControls:\n    signInFrequency:\n      isEnabled: true\n      type: weeks\n'),
    ),
    expect: [['schema', 20]],
    summary: /signInFrequency\.type: must be one of days, hours/,
  },
  // Conditional Access: required and unknown properties
  {
    name: 'missing state',
    files: one(ca('  state: enabled\n')),
    expect: [['schema', 5]],
    summary: /^spec: missing required property 'state'$/,
  },
  {
    name: 'missing displayName',
    files: one(ca('  displayName: P\n')),
    expect: [['schema', 5]],
    summary: /missing required property 'displayName'/,
  },
  {
    name: 'missing conditions',
    files: one(ca(CA_SPEC.slice(CA_SPEC.indexOf('  conditions'), CA_SPEC.indexOf('  grantControls')))),
    expect: [['schema', 5]],
    summary: /missing required property 'conditions'/,
  },
  {
    name: 'missing clientAppTypes',
    files: one(ca('    clientAppTypes: [all]\n')),
    expect: [['schema', 8]],
    summary: /^spec\.conditions: missing required property 'clientAppTypes'$/,
  },
  {
    name: 'typo in includeUsers',
    files: one(ca('includeUsers', 'includeUser')),
    expect: [['schema', 10]],
    summary: /^spec\.conditions\.users: unknown property 'includeUser' \(did you mean 'includeUsers'\?\)$/,
  },
  {
    name: 'typo in a session control',
    files: one(caPlus('  sessionControls:\n    signinFrequency: { isEnabled: true }\n')),
    expect: [['schema', 18]],
    summary: /did you mean 'signInFrequency'/,
  },
  {
    name: 'property from beta',
    files: one(ca('    clientAppTypes: [all]', '    clientAppTypes: [all]\n    times: {}')),
    expect: [['schema', 14]],
    summary: /unknown property 'times'/,
  },
  {
    name: 'guest types missing',
    files: one(
      ca(
        '      includeUsers: [All]',
        '      includeGuestsOrExternalUsers:\n        externalTenants: { membershipKind: all }',
      ),
    ),
    expect: [['schema', 10]],
    summary: /missing required property 'guestOrExternalUserTypes'/,
  },
  // Conditional Access: server-managed fields
  {
    name: 'id in spec',
    files: one(caPlus('  id: 6b5b1c1e-0000-0000-0000-000000000000\n')),
    expect: [['schema', 17]],
    summary: /'id' is managed by Graph/,
  },
  {
    name: 'createdDateTime in spec',
    files: one(caPlus("  createdDateTime: '2024-01-01T00:00:00Z'\n")),
    expect: [['schema', 17]],
    summary: /'createdDateTime' is managed by Graph/,
  },
  {
    name: 'modifiedDateTime in spec',
    files: one(caPlus('  modifiedDateTime: null\n')),
    expect: [['schema', 17]],
    summary: /managed by Graph/,
  },
  {
    name: '@odata.context in spec',
    files: one(caPlus("  '@odata.context': https://graph.microsoft.com/v1.0/$metadata#policies\n")),
    expect: [['schema', 17]],
    summary: /'@odata\.context' is managed by Graph/,
  },
  {
    name: 'templateId in spec',
    files: one(caPlus('  templateId: abc\n')),
    expect: [['schema', 17]],
    summary: /managed by Graph/,
  },
  // Conditional Access: types and limits
  {
    name: 'displayName is a number',
    files: one(ca('displayName: P', 'displayName: 42')),
    expect: [['schema', 6]],
    summary: /displayName: must be a string \(got number 42\)/,
  },
  {
    name: 'empty displayName',
    files: one(ca('displayName: P', "displayName: ''")),
    expect: [['schema', 6]],
    summary: /must not be empty/,
  },
  {
    name: 'users is a string',
    files: one(ca('    users:\n      includeUsers: [All]', '    users: All')),
    expect: [['schema', 9]],
    summary: /conditions\.users: must be a mapping \(got string 'All'\)/,
  },
  {
    name: 'grantControls is a list',
    files: one(
      ca('  grantControls:\n    operator: OR\n    builtInControls: [mfa]', '  grantControls: [mfa]'),
    ),
    expect: [['schema', 14]],
    summary: /must be a mapping \(got a list\)/,
  },
  {
    name: 'empty clientAppTypes',
    files: one(ca('[all]', '[]')),
    expect: [['schema', 13]],
    summary: /must list at least 1 item \(got 0\)/,
  },
  {
    name: 'authentication strength as a string',
    files: one(caPlus('    authenticationStrength: Phishing resistant MFA\n')),
    expect: [['schema', 17]],
    summary: /authenticationStrength: must be a mapping/,
  },
  {
    name: 'several errors at once',
    files: one(
      ca('state: enabled', 'state: on').replace('includeUsers', 'includeUser').replace('[mfa]', '[mfa, sms]'),
    ),
    expect: [
      ['schema', 7],
      ['schema', 10],
      ['schema', 16],
    ],
  },
  // Envelope
  {
    name: 'unknown kind (typo)',
    files: one(ca().replace('ConditionalAccessPolicy', 'ConditionalAccesPolicy')),
    expect: [['unknown-kind', 2]],
    summary: /unknown kind 'ConditionalAccesPolicy' \(did you mean 'ConditionalAccessPolicy'\?\)/,
  },
  {
    name: 'unknown kind',
    files: one(ca().replace('ConditionalAccessPolicy', 'Deployment')),
    expect: [['unknown-kind', 2]],
    summary: /^kind: unknown kind 'Deployment'$/,
  },
  {
    name: 'kind missing',
    files: one(ca().replace('kind: ConditionalAccessPolicy\n', '')),
    expect: [['schema', 1]],
    summary: /missing required property 'kind'/,
  },
  {
    name: 'wrong apiVersion',
    files: one(ca().replace('accord.dev/v1alpha1', 'accord.dev/v1')),
    expect: [['schema', 1]],
    summary: /^apiVersion: must be 'accord\.dev\/v1alpha1' \(got 'accord\.dev\/v1'\)$/,
  },
  {
    name: 'apiVersion missing',
    files: one(ca().replace('apiVersion: accord.dev/v1alpha1\n', '')),
    expect: [['schema', 1]],
    summary: /missing required property 'apiVersion'/,
  },
  {
    name: 'name not DNS-1123',
    files: one(ca('', '', 'Require_MFA')),
    expect: [['schema', 4]],
    summary: /metadata\.name: must be a DNS-1123 subdomain/,
  },
  {
    name: 'name too long',
    files: one(ca('', '', 'a'.repeat(254))),
    expect: [['schema', 4]],
    summary: /at most 253 characters/,
  },
  {
    name: 'name missing',
    files: one(ca().replace('  name: p', '  labels: { team: identity }')),
    expect: [['schema', 3]],
    summary: /^metadata: missing required property 'name'$/,
  },
  {
    name: 'annotation not a string',
    files: one(ca().replace('  name: p', '  name: p\n  annotations: { accord.dev/id: 5 }')),
    expect: [['schema', 5]],
    summary: /annotations\['accord\.dev\/id'\]: must be a string/,
  },
  {
    name: 'unknown metadata field',
    files: one(ca().replace('  name: p', '  name: p\n  uid: x')),
    expect: [['schema', 5]],
    summary: /unknown property 'uid'/,
  },
  {
    name: 'spec missing',
    files: one('apiVersion: accord.dev/v1alpha1\nkind: NamedLocation\nmetadata:\n  name: x\n'),
    expect: [['schema', 1]],
    summary: /missing required property 'spec'/,
  },
  {
    name: 'spec is a list',
    files: one('apiVersion: accord.dev/v1alpha1\nkind: NamedLocation\nmetadata:\n  name: x\nspec:\n  - a\n'),
    expect: [['schema', 5]],
    summary: /^spec: must be a mapping \(got a list\)$/,
  },
  {
    name: 'unknown top-level property',
    files: one(ca().replace('spec:\n', 'specs: {}\nspec:\n')),
    expect: [['schema', 5]],
    summary: /specs: unknown top-level property/,
  },
  // YAML
  {
    name: 'bad indentation',
    files: one(ca('    users:\n', '   users:\n')),
    expect: [
      ['yaml', 11],
      ['yaml', 13],
    ],
    summary: /same column/,
  },
  {
    name: 'tab indentation',
    files: one(ca('      includeUsers', '\tincludeUsers')),
    expect: [
      ['yaml', 10],
      ['yaml', 11],
      ['yaml', 13],
      ['yaml', 14],
    ],
    summary: /Tabs are not allowed/,
  },
  {
    name: 'duplicate key',
    files: one(ca('  state: enabled\n', '  state: enabled\n  state: disabled\n')),
    expect: [['yaml', 8]],
    summary: /Map keys must be unique/,
  },
  {
    name: 'unclosed quote',
    files: one(ca('displayName: P', "displayName: 'P")),
    expect: [['yaml', 17]],
    summary: /Missing closing 'quote/,
  },
  { name: 'unclosed flow sequence', files: one(ca('[mfa]', '[mfa')), expect: [['yaml', 17]] },
  {
    name: 'document is a list',
    files: one('- apiVersion: accord.dev/v1alpha1\n'),
    expect: [['not-a-mapping', 1]],
  },
  {
    name: 'document is a scalar',
    files: one(`${ca()}---\nhello\n`),
    expect: [['not-a-mapping', 18]],
    summary: /document 2 is a string/,
  },
  {
    name: 'error in the second document only',
    files: one(`${nl()}---\n${ca('state: enabled', 'state: off')}`),
    expect: [['schema', 16]],
  },
  // Files
  {
    name: 'oversize file',
    files: one(`${ca()}#${'x'.repeat(MAX_MANIFEST_BYTES)}\n`),
    expect: [['oversize', 1]],
    summary: /1 MiB/,
  },
  {
    name: 'not UTF-8',
    files: one(withByte(ca('displayName: P', 'displayName: Caf?'), 'Caf?', 0xe9)),
    expect: [['encoding', 6]],
  },
  // Duplicates
  {
    name: 'duplicate metadata.name across files',
    files: { 'a.yaml': ca(), 'b.yaml': ca('displayName: P', 'displayName: Q') },
    expect: [
      ['duplicate-name', 4, 'a.yaml'],
      ['duplicate-name', 4, 'b.yaml'],
    ],
    summary: /metadata\.name 'p' is used more than once \(also at .*b\.yaml:4:9\)/,
  },
  {
    name: 'duplicate displayName, different case',
    files: { 'a.yaml': ca(), 'b.yaml': ca('displayName: P', 'displayName: p', 'q') },
    expect: [
      ['duplicate-display-name', 6, 'a.yaml'],
      ['duplicate-display-name', 6, 'b.yaml'],
    ],
  },
  {
    name: 'same names in different kinds are fine',
    files: { 'a.yaml': ca('displayName: P', 'displayName: Office', 'office'), 'b.yaml': nl() },
    expect: [],
  },
  // Named locations
  {
    name: 'both ip ranges and countries',
    files: one(nl('  ipRanges:', '  countriesAndRegions: [NL]\n  ipRanges:')),
    expect: [['schema', 5]],
    summary: /spec: must be exactly one of: an IP location .*; or a country location/,
  },
  {
    name: 'neither ip ranges nor countries',
    files: one(nl('  ipRanges:\n    - 10.0.0.0/16\n')),
    expect: [['schema', 5]],
  },
  {
    name: 'isTrusted on a country location',
    files: one(nl('  ipRanges:\n    - 10.0.0.0/16\n', '  countriesAndRegions: [NL]\n  isTrusted: true\n')),
    expect: [['schema', 5]],
  },
  {
    name: 'CIDR without prefix',
    files: one(nl('10.0.0.0/16', '10.0.0.0')),
    expect: [['schema', 8]],
    summary: /ipRanges\[0\]: must be an IPv4 or IPv6 range in CIDR notation/,
  },
  {
    name: 'ipRange object with a typo',
    files: one(
      nl(
        '    - 10.0.0.0/16',
        "    - '@odata.type': '#microsoft.graph.iPv4CidrRange'\n      cidrAdress: 10.0.0.0/16",
      ),
    ),
    expect: [
      ['schema', 8],
      ['schema', 9],
    ],
    summary: /did you mean 'cidrAddress'/,
  },
  {
    name: 'lower-case country code',
    files: one(nl('  ipRanges:\n    - 10.0.0.0/16\n', '  countriesAndRegions: [nl]\n')),
    expect: [['schema', 7]],
    summary: /ISO 3166 alpha-2/,
  },
  {
    name: 'bad country lookup method',
    files: one(
      nl('  ipRanges:\n    - 10.0.0.0/16\n', '  countriesAndRegions: [NL]\n  countryLookupMethod: gps\n'),
    ),
    expect: [['schema', 8]],
  },
  {
    name: 'wrong @odata.type for the shape',
    files: one(
      nl(
        '  displayName: Office',
        "  '@odata.type': '#microsoft.graph.countryNamedLocation'\n  displayName: Office",
      ),
    ),
    expect: [['schema', 5]],
  },
  // Authentication strengths
  {
    name: 'unknown method in a combination',
    files: one(strength('- fido2', '- password,sms,carrierPigeon')),
    expect: [['schema', 8]],
    summary: /must be one or more of password, voice/,
  },
  {
    name: 'no combinations',
    files: one(strength('  allowedCombinations:\n    - fido2\n', '  allowedCombinations: []\n')),
    expect: [['schema', 7]],
  },
  {
    name: 'policyType in spec',
    files: one(strength('  displayName: S', '  displayName: S\n  policyType: custom')),
    expect: [['schema', 7]],
    summary: /'policyType' is managed by Graph/,
  },
  // Authentication methods policy
  {
    name: 'unknown method',
    files: one(methods('    email:', '    emial:')),
    expect: [['schema', 7]],
    summary: /unknown property 'emial' \(did you mean 'email'\?\)/,
  },
  {
    name: 'method without state',
    files: one(methods('      state: enabled\n')),
    expect: [['schema', 7]],
    summary: /missing required property 'state'/,
  },
  {
    name: 'target type in plural',
    files: one(methods('targetType: group', 'targetType: groups')),
    expect: [['schema', 11]],
    summary: /did you mean 'group'/,
  },
  {
    name: 'TAP length out of range',
    files: one(
      methods(
        '    email:',
        '    temporaryAccessPass:\n      state: enabled\n      defaultLength: 100\n    email:',
      ),
    ),
    expect: [['schema', 9]],
    summary: /must be at most 48 \(got 100\)/,
  },
  {
    name: '@odata.type in a method configuration',
    files: one(
      methods(
        '      state: enabled',
        "      '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration'\n      state: enabled",
      ),
    ),
    expect: [['schema', 8]],
  },
  // Cross-tenant access
  {
    name: 'partner without tenantId',
    files: one(
      cross(
        '    - tenantId: 3f2504e0-4f89-11d3-9a0c-0305e82c3301\n      inboundTrust:',
        '    - inboundTrust:',
      ),
    ),
    expect: [['schema', 7]],
    summary: /partners\[0\]: missing required property 'tenantId'/,
  },
  {
    name: 'trust flag not a boolean',
    files: one(cross('isMfaAccepted: true', 'isMfaAccepted: yes')),
    expect: [['schema', 9]],
    summary: /must be true or false \(got string 'yes'\)/,
  },
  {
    name: 'bad access type',
    files: one(
      cross(
        '      inboundTrust:',
        '      b2bCollaborationInbound:\n        usersAndGroups: { accessType: allow, targets: [{ target: AllUsers, targetType: user }] }\n      inboundTrust:',
      ),
    ),
    expect: [['schema', 9]],
    summary: /did you mean 'allowed'/,
  },
];
