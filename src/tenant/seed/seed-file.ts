/**
 * Seed files: a YAML description of a tenant's directory (docs/seed-file.md), validated against a JSON Schema
 * and cross-checked (member and principal names resolve, role names exist). Every problem is reported at once,
 * each as `file:line:column: field: what is wrong`.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { demoDirectory } from './demo.ts';
import { SEED_FILE_SCHEMA } from './seed-schema.ts';
import { parseCidr, parseIpAddress } from '../../whatif/ip-address.ts';
import type { DirectorySeed } from './seed-types.ts';
import { findRoleTemplate } from './well-known.ts';

export class SeedFileError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid seed file:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'SeedFileError';
    this.problems = problems;
  }
}

type Segment = string | number;

interface Located {
  file: string;
  doc: Document;
  lines: LineCounter;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(SEED_FILE_SCHEMA);

function fieldName(path: Segment[]): string {
  let out = '';
  for (const segment of path)
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  return out === '' ? '(root)' : out;
}

/** `file:line:column` of a path in the document; for `keyOf`, the key of that property in the map at `path`. */
function position(at: Located, path: Segment[], keyOf?: string): string {
  let offset = 0;
  const node = path.length === 0 ? at.doc.contents : at.doc.getIn(path, true);
  if (keyOf !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === keyOf);
    offset = (isScalar(pair?.key) ? pair.key.range?.[0] : undefined) ?? node.range?.[0] ?? 0;
  } else if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
    offset = node.range[0] as number;
  } else if (path.length > 0) {
    return position(at, path.slice(0, -1), String(path[path.length - 1]));
  }
  const { line, col } = at.lines.linePos(offset);
  return `${at.file}:${line}:${col}`;
}

function pointerToPath(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describeSchemaError(at: Located, error: ErrorObject): string {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    const missing = String(params.missingProperty);
    return `${position(at, path)}: ${fieldName([...path, missing])}: is required`;
  }
  if (error.keyword === 'additionalProperties') {
    const extra = String(params.additionalProperty);
    return `${position(at, path, extra)}: ${fieldName([...path, extra])}: is not a known property`;
  }
  const allowed = Array.isArray(params.allowedValues)
    ? ` (${params.allowedValues.map(String).join(', ')})`
    : '';
  return `${position(at, path)}: ${fieldName(path)}: ${error.message ?? 'is invalid'}${allowed}`;
}

function crossCheck(at: Located, raw: Partial<DirectorySeed>): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const seenUpn = new Set<string>();
  (raw.users ?? []).forEach((u, i) => {
    const upn = u.userPrincipalName.toLowerCase();
    if (seenUpn.has(upn))
      problems.push(
        `${position(at, ['users', i, 'userPrincipalName'])}: users[${i}].userPrincipalName: duplicate '${u.userPrincipalName}'`,
      );
    seenUpn.add(upn);
    names.add(upn);
  });
  (raw.groups ?? []).forEach((g) => names.add(g.displayName.toLowerCase()));
  (raw.groups ?? []).forEach((g, i) =>
    (g.members ?? []).forEach((m, j) => {
      if (!names.has(m.toLowerCase())) {
        problems.push(
          `${position(at, ['groups', i, 'members', j])}: groups[${i}].members[${j}]: '${m}' is neither a user nor a group in this file`,
        );
      }
    }),
  );
  (raw.roleAssignments ?? []).forEach((a, i) => {
    if (!findRoleTemplate(a.role))
      problems.push(
        `${position(at, ['roleAssignments', i, 'role'])}: roleAssignments[${i}].role: unknown built-in role '${a.role}'`,
      );
    if (!names.has(a.principal.toLowerCase())) {
      problems.push(
        `${position(at, ['roleAssignments', i, 'principal'])}: roleAssignments[${i}].principal: '${a.principal}' is neither a user nor a group in this file`,
      );
    }
  });
  problems.push(...checkSignInSettings(at, raw));
  return problems;
}

/** The sign-in network settings must name addresses and ranges the sign-in can be matched against. */
function checkSignInSettings(at: Located, raw: Partial<DirectorySeed>): string[] {
  const problems: string[] = [];
  const signIn = raw.signIn;
  if (!signIn) return problems;
  if (signIn.loopbackAddress !== undefined && !parseIpAddress(signIn.loopbackAddress)) {
    problems.push(
      `${position(at, ['signIn', 'loopbackAddress'])}: signIn.loopbackAddress: '${signIn.loopbackAddress}' is not an IPv4 or IPv6 address`,
    );
  }
  (signIn.addressCountries ?? []).forEach((entry, i) => {
    const range = entry.range.includes('/') ? parseCidr(entry.range) : parseIpAddress(entry.range);
    if (!range) {
      problems.push(
        `${position(at, ['signIn', 'addressCountries', i, 'range'])}: signIn.addressCountries[${i}].range: '${entry.range}' is not an address or a CIDR range`,
      );
    }
  });
  return problems;
}

function withDefaults(raw: Partial<DirectorySeed>): DirectorySeed {
  const flavor = raw.tenant?.flavor ?? 'workforce';
  const demo = demoDirectory({ flavor });
  return {
    tenant: {
      ...(raw.tenant?.id ? { id: raw.tenant.id } : {}),
      displayName: raw.tenant?.displayName ?? demo.tenant.displayName,
      domain: (raw.tenant?.domain ?? demo.tenant.domain).toLowerCase(),
      flavor,
    },
    users: raw.users ?? [],
    groups: raw.groups ?? [],
    roleAssignments: raw.roleAssignments ?? [],
    applications: raw.applications ?? [],
    appRegistrations: raw.appRegistrations ?? demo.appRegistrations,
    externalTenants: raw.externalTenants ?? [],
    userFlows: raw.userFlows ?? [],
    ...(raw.signIn ? { signIn: raw.signIn } : {}),
    ...(raw.namedLocations ? { namedLocations: raw.namedLocations } : {}),
    ...(raw.conditionalAccessPolicies ? { conditionalAccessPolicies: raw.conditionalAccessPolicies } : {}),
  };
}

/** Parses and validates seed text; `file` names it in error messages. */
export function parseSeedFile(text: string, file: string): DirectorySeed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at: Located = { file, doc, lines };
  if (doc.errors.length > 0) {
    throw new SeedFileError(
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return `${file}:${line}:${col}: (yaml): ${e.message.split('\n')[0]}`;
      }),
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  if (!validate(raw)) throw new SeedFileError((validate.errors ?? []).map((e) => describeSchemaError(at, e)));
  const seed = raw as Partial<DirectorySeed>;
  const problems = crossCheck(at, seed);
  if (problems.length > 0) throw new SeedFileError(problems);
  return withDefaults(seed);
}

/** Loads a seed file (YAML); throws {@link SeedFileError} listing every problem with its line and column. */
export function loadSeedFile(path: string): DirectorySeed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SeedFileError([`${path}:1:1: (file): cannot be read (${(err as Error).message})`]);
  }
  return parseSeedFile(text, path);
}
