/**
 * Policy test files (`tests/*.yaml`, kind `PolicyTest`): scenarios of a sign-in and what should happen. The format
 * is small and strict — an unknown field, a wrong type or a bad enum value is a diagnostic at its file and line —
 * because a typo in a test must never turn into a test that silently checks nothing (docs/whatif.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { error, type Diagnostic, type SourceLocation } from '../core/diagnostics.ts';
import { createLocator } from '../pipeline/yaml-locations.ts';
import { checkSignInRequest, type DeviceValue, type SignInRequest } from './sign-in-request.ts';

export const TEST_API_VERSION = 'accord.dev/v1alpha1';
export const TEST_KIND = 'PolicyTest';

export type ExpectedOutcome = 'granted' | 'blocked' | 'interrupted';

export interface Expectation {
  outcome?: ExpectedOutcome;
  requires?: string[];
  applies?: string[];
  notApplies?: string[];
  blockedBy?: string[];
}

export interface Scenario {
  name: string;
  signIn: SignInRequest;
  expect: Expectation;
  location: SourceLocation;
}

export interface PolicyTestFile {
  file: string;
  name: string;
  scenarios: Scenario[];
}

export interface LoadedTests {
  files: PolicyTestFile[];
  diagnostics: Diagnostic[];
}

type Locate = (pointer: string) => SourceLocation;
type Json = Record<string, unknown>;

const STRING_FIELDS = [
  'user',
  'servicePrincipal',
  'application',
  'userAction',
  'authenticationContext',
  'platform',
  'clientApp',
  'ip',
  'country',
  'signInRisk',
  'userRisk',
  'servicePrincipalRisk',
  'insiderRisk',
  'authFlow',
] as const;
const SIGN_IN_FIELDS = [...STRING_FIELDS, 'device'];
const LIST_FIELDS = ['requires', 'applies', 'notApplies', 'blockedBy'] as const;
const EXPECT_FIELDS = ['outcome', ...LIST_FIELDS];
const OUTCOMES: readonly ExpectedOutcome[] = ['granted', 'blocked', 'interrupted'];
const SIGN_IN_HINT =
  'signIn says who signs in to what: exactly one of user / servicePrincipal and one of application / userAction / authenticationContext, e.g. { user: adele@contoso.com, application: Office 365 Exchange Online }.';
const EXPECT_HINT = `expect says what should happen: at least one of ${EXPECT_FIELDS.join(', ')}.`;

/** How a message names the field at a pointer: `signIn`, `scenario 2`, or the document itself. */
function fieldName(pointer: string): string {
  const last = pointer.split('/').pop() ?? '';
  if (last === '') return 'the document';
  return /^\d+$/.test(last) ? `scenario ${Number(last) + 1}` : `'${last}'`;
}

class FileChecker {
  readonly diagnostics: Diagnostic[] = [];
  readonly #locate: Locate;
  constructor(locate: Locate) {
    this.#locate = locate;
  }

  fail(pointer: string, summary: string, detail?: string): void {
    this.diagnostics.push(
      error('test-schema', summary, { location: this.#locate(pointer), ...(detail ? { detail } : {}) }),
    );
  }

  at(pointer: string): SourceLocation {
    return this.#locate(pointer);
  }

  /** A missing field and a field of the wrong type are different mistakes: say which. */
  #wrong(value: unknown, pointer: string, shape: string, detail?: string): void {
    const summary =
      value === undefined || value === null
        ? `missing field ${fieldName(pointer)} (${shape})`
        : `${fieldName(pointer)} must be ${shape}`;
    this.fail(pointer, summary, detail);
  }

  object(value: unknown, pointer: string, allowed: readonly string[], detail?: string): Json | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.#wrong(value, pointer, 'a mapping', detail);
      return undefined;
    }
    for (const key of Object.keys(value))
      if (!allowed.includes(key))
        this.fail(`${pointer}/${key}`, `unknown field '${key}'`, `Allowed here: ${allowed.join(', ')}.`);
    return value as Json;
  }

  string(value: unknown, pointer: string): string | undefined {
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.#wrong(value, pointer, 'a non-empty string');
    return undefined;
  }

  strings(value: unknown, pointer: string): string[] | undefined {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    this.#wrong(value, pointer, 'a list of strings', 'Write a YAML list, e.g. [require-mfa-all-users].');
    return undefined;
  }
}

function readDevice(
  check: FileChecker,
  value: unknown,
  pointer: string,
): Record<string, DeviceValue> | undefined {
  const device = check.object(value, pointer, Object.keys(value ?? {}));
  if (!device) return undefined;
  const out: Record<string, DeviceValue> = {};
  for (const [key, v] of Object.entries(device)) {
    const isList = Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (typeof v === 'string' || typeof v === 'boolean' || isList) out[key] = v as DeviceValue;
    else
      check.fail(
        `${pointer}/${key}`,
        `device attribute '${key}' must be a string, a boolean or a list of strings`,
      );
  }
  return out;
}

function readSignIn(check: FileChecker, value: unknown, pointer: string): SignInRequest | undefined {
  const body = check.object(value, pointer, SIGN_IN_FIELDS, SIGN_IN_HINT);
  if (!body) return undefined;
  const request: Record<string, unknown> = {};
  for (const field of STRING_FIELDS)
    if (body[field] !== undefined) request[field] = check.string(body[field], `${pointer}/${field}`);
  if (body.device !== undefined) request.device = readDevice(check, body.device, `${pointer}/device`);
  const signIn = request as SignInRequest;
  for (const problem of checkSignInRequest(signIn, (field) => `signIn.${field}`)) {
    const field = SIGN_IN_FIELDS.find((f) => problem.startsWith(`signIn.${f} `));
    check.fail(field ? `${pointer}/${field}` : pointer, problem);
  }
  return signIn;
}

function readExpect(check: FileChecker, value: unknown, pointer: string): Expectation | undefined {
  const body = check.object(value, pointer, EXPECT_FIELDS, EXPECT_HINT);
  if (!body) return undefined;
  const expect: Expectation = {};
  if (body.outcome !== undefined) {
    const outcome = OUTCOMES.find((o) => o === body.outcome);
    if (outcome) expect.outcome = outcome;
    else check.fail(`${pointer}/outcome`, `outcome must be one of ${OUTCOMES.join(', ')}`);
  }
  for (const field of LIST_FIELDS) {
    if (body[field] === undefined) continue;
    const list = check.strings(body[field], `${pointer}/${field}`);
    if (list) expect[field] = list;
  }
  if (Object.keys(body).length === 0) check.fail(pointer, 'expect is empty: say what should happen');
  return expect;
}

function readScenario(check: FileChecker, value: unknown, pointer: string): Scenario | undefined {
  const body = check.object(value, pointer, ['name', 'signIn', 'expect']);
  if (!body) return undefined;
  const name = check.string(body.name, `${pointer}/name`);
  const signIn = readSignIn(check, body.signIn, `${pointer}/signIn`);
  const expect = readExpect(check, body.expect, `${pointer}/expect`);
  if (!name || !signIn || !expect) return undefined;
  return { name, signIn, expect, location: check.at(pointer) };
}

function readScenarios(check: FileChecker, value: unknown): Scenario[] {
  const spec = check.object(value, '/spec', ['scenarios'], 'spec.scenarios lists the sign-ins to try.');
  if (!spec) return [];
  if (!Array.isArray(spec.scenarios) || spec.scenarios.length === 0) {
    check.fail('/spec/scenarios', 'spec.scenarios must be a non-empty list');
    return [];
  }
  const scenarios = spec.scenarios.flatMap((s, i) => readScenario(check, s, `/spec/scenarios/${i}`) ?? []);
  const seen = new Set<string>();
  scenarios.forEach((s, i) => {
    if (seen.has(s.name)) check.fail(`/spec/scenarios/${i}/name`, `duplicate scenario name '${s.name}'`);
    seen.add(s.name);
  });
  return scenarios;
}

function readDocument(check: FileChecker, value: unknown, file: string): PolicyTestFile | undefined {
  const body = check.object(
    value,
    '',
    ['apiVersion', 'kind', 'metadata', 'spec'],
    `A policy test file is a mapping with apiVersion: ${TEST_API_VERSION}, kind: ${TEST_KIND}, metadata.name and spec.scenarios (docs/whatif.md).`,
  );
  if (!body) return undefined;
  if (body.apiVersion !== TEST_API_VERSION)
    check.fail('/apiVersion', `apiVersion must be ${TEST_API_VERSION}`);
  if (body.kind !== TEST_KIND) check.fail('/kind', `kind must be ${TEST_KIND}`);
  const metadata = check.object(body.metadata, '/metadata', ['name']);
  const name = metadata ? check.string(metadata.name, '/metadata/name') : undefined;
  const scenarios = readScenarios(check, body.spec);
  return name ? { file, name, scenarios } : undefined;
}

/** Parses one file's text (each YAML document a PolicyTest). */
export function parsePolicyTests(file: string, text: string): LoadedTests {
  const lineCounter = new LineCounter();
  const files: PolicyTestFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter, prettyErrors: false })) {
    const locate = createLocator(file, doc, lineCounter);
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        diagnostics.push(error('yaml', e.message.split('\n')[0]!, { location: { file, line, column: col } }));
      }
      continue;
    }
    if (doc.contents === null) continue;
    const check = new FileChecker(locate);
    const loaded = readDocument(check, doc.toJS(), file);
    diagnostics.push(...check.diagnostics);
    if (loaded && check.diagnostics.length === 0) files.push(loaded);
  }
  return { files, diagnostics };
}

/** Relative to the working directory when inside it, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : resolve(path);
}

/** Every `tests/*.yaml` (and `.yml`) of the repository, in name order; no folder means no tests. */
export function loadPolicyTests(repoDir: string): LoadedTests {
  const dir = join(repoDir, 'tests');
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch {
    return { files: [], diagnostics: [] };
  }
  const out: LoadedTests = { files: [], diagnostics: [] };
  for (const name of names) {
    const path = join(dir, name);
    const loaded = parsePolicyTests(displayPath(path), readFileSync(path, 'utf8'));
    out.files.push(...loaded.files);
    out.diagnostics.push(...loaded.diagnostics);
  }
  return out;
}
