/**
 * The bad-input corpus: every file under test/corpus/bad/ (or folder, for cases that need
 * two files) is a malformed policy repository whose first line says what accord must report:
 * `# expect: <code> line <n>`. Each case is copied alone into a temporary policy repository and `accord plan` runs
 * on it as a child process against ONE shared local tenant. Every case must exit 1, name `<file>:<line>:` and the
 * code, print no stack trace, and the tenant's state hash must be byte-for-byte the same after the whole corpus.
 * Two cases are generated here instead of committed: an oversize file (> 1 MiB) and one with non-UTF-8 bytes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ACCORD_BIN, fetchToken, spawnCliTenant, type CliTenant } from '../reliability/cli-tenant.ts';

const CORPUS = fileURLToPath(new URL('./bad/', import.meta.url));
const EXPECT = /^# expect: ([a-z-]+) line (\d+)\s*$/;
const STACK_FRAME = /^ {4}at /m;
const CONCURRENCY = 3;

interface BadCase {
  name: string;
  /** File name → contents, as copied into the temporary repository. */
  files: Map<string, Buffer>;
  /** The file the diagnostic must name. */
  file: string;
  code: string;
  line: number;
}

interface Outcome {
  badCase: BadCase;
  code: number | null;
  output: string;
}

function parseExpectation(name: string, text: string): { code: string; line: number } {
  const match = EXPECT.exec(text.split('\n', 1)[0] ?? '');
  if (!match) throw new Error(`${name}: the first line must be '# expect: <code> line <n>'`);
  return { code: match[1]!, line: Number(match[2]) };
}

function readCorpus(): BadCase[] {
  const out: BadCase[] = [];
  for (const entry of readdirSync(CORPUS).sort()) {
    const path = join(CORPUS, entry);
    if (statSync(path).isDirectory()) {
      const files = new Map(readdirSync(path).map((f) => [f, readFileSync(join(path, f))]));
      const expecting = [...files].find(([, bytes]) =>
        EXPECT.test(bytes.toString('utf8').split('\n', 1)[0]!),
      );
      if (!expecting) throw new Error(`${entry}: no file of the folder has an '# expect:' line`);
      out.push({
        name: entry,
        files,
        file: expecting[0],
        ...parseExpectation(entry, expecting[1].toString('utf8')),
      });
    } else if (entry.endsWith('.yaml')) {
      const bytes = readFileSync(path);
      out.push({
        name: entry,
        files: new Map([[entry, bytes]]),
        file: entry,
        ...parseExpectation(entry, bytes.toString('utf8')),
      });
    }
  }
  return out;
}

/** Cases that are not committed: a file over 1 MiB, and files with bytes that are not UTF-8. */
function generatedCases(): BadCase[] {
  const manifest =
    'apiVersion: accord.dev/v1alpha1\nkind: NamedLocation\nmetadata:\n  name: office\nspec:\n  displayName: Office\n  ipRanges: [198.51.100.0/24]\n';
  const padding = `# ${'x'.repeat(100)}\n`.repeat(11_000);
  const oversize = Buffer.from(`# expect: oversize line 1\n${manifest}${padding}`);
  const latin1 = Buffer.concat([
    Buffer.from(
      '# expect: encoding line 7\napiVersion: accord.dev/v1alpha1\nkind: NamedLocation\nmetadata:\n  name: office\nspec:\n  displayName: B',
    ),
    Buffer.from([0xfc]), // "ü" in Latin-1: not UTF-8
    Buffer.from('ro Zürich\n  ipRanges: [198.51.100.0/24]\n'),
  ]);
  const truncated = Buffer.concat([
    Buffer.from('# expect: encoding line 2\n'),
    Buffer.from([0xe2, 0x82]), // a UTF-8 sequence cut short
    Buffer.from('\napiVersion: accord.dev/v1alpha1\n'),
  ]);
  return [
    { name: 'generated-oversize.yaml', code: 'oversize', line: 1, bytes: oversize },
    { name: 'generated-latin1.yaml', code: 'encoding', line: 7, bytes: latin1 },
    { name: 'generated-truncated-utf8.yaml', code: 'encoding', line: 2, bytes: truncated },
  ].map((c) => ({
    name: c.name,
    files: new Map([[c.name, c.bytes]]),
    file: c.name,
    code: c.code,
    line: c.line,
  }));
}

function runPlan(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ACCORD_BIN, 'plan', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

async function runAll<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

describe('bad-input corpus', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'accord-bad-input-'));
  const dataDir = join(scratch, 'shared');
  let server: CliTenant;

  async function stateHash(): Promise<string> {
    const response = await fetch(`${server.ready.url}/_accord/tenants/${server.ready.tenantId}/state-hash`, {
      headers: { 'x-accord-admin-key': server.ready.adminKey },
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { hash: string }).hash;
  }

  async function graph(method: string, path: string, body: unknown): Promise<void> {
    const response = await fetch(`${server.ready.graphUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await fetchToken(server.ready)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.text()}`);
  }

  /** The demo directory has no duplicate names: make some, so ambiguous names can be tested. */
  async function makeDuplicates(): Promise<void> {
    await graph('POST', '/groups', {
      displayName: 'Sales',
      mailNickname: 'sales-emea',
      mailEnabled: false,
      securityEnabled: true,
    });
    for (const range of ['192.0.2.0/24', '198.51.100.0/24'])
      await graph('POST', '/identity/conditionalAccess/namedLocations', {
        '@odata.type': '#microsoft.graph.ipNamedLocation',
        displayName: 'Corpnet',
        ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: range }],
      });
    // Graph refuses two strengths of one name; a strength named like another manifest's metadata.name is ambiguous.
    await graph('POST', '/policies/authenticationStrengthPolicies', {
      displayName: 'hardware-keys',
      allowedCombinations: ['fido2'],
    });
  }

  before(async () => {
    mkdirSync(dataDir, { recursive: true });
    server = await spawnCliTenant({ dataDir });
    await makeDuplicates();
  });
  after(async () => {
    await server?.kill();
    rmSync(scratch, { recursive: true, force: true });
  });

  it(
    'every case exits 1 with file:line and its code, and the tenant is unchanged',
    { timeout: 300_000 },
    async () => {
      const cases = [...readCorpus(), ...generatedCases()];
      assert.ok(cases.length >= 150, `only ${cases.length} cases`);
      const hashBefore = await stateHash();
      const outcomes = await runAll(cases, CONCURRENCY, async (badCase): Promise<Outcome> => {
        const repo = join(scratch, 'cases', badCase.name.replace(/\.yaml$/, ''));
        mkdirSync(repo, { recursive: true });
        writeFileSync(join(repo, 'accord.yaml'), `localTenant:\n  dataDir: ${JSON.stringify(dataDir)}\n`);
        for (const [file, bytes] of badCase.files) writeFileSync(join(repo, file), bytes);
        const { code, output } = await runPlan(repo);
        return { badCase, code, output };
      });
      const hashAfter = await stateHash();

      const failures: string[] = [];
      let located = 0;
      for (const { badCase, code, output } of outcomes) {
        const where = `${basename(badCase.file)}:${badCase.line}:`;
        const problems: string[] = [];
        if (code !== 1) problems.push(`exit ${code}`);
        const diagnosticLines = output.split('\n').filter((l) => l.includes(`error[${badCase.code}]`));
        if (diagnosticLines.length === 0) problems.push(`no error[${badCase.code}]`);
        else if (!diagnosticLines.some((l) => l.includes(`/${where}`)))
          problems.push(`error[${badCase.code}] not at ${where}`);
        if (STACK_FRAME.test(output)) problems.push('a stack trace');
        if (problems.length > 0)
          failures.push(`${badCase.name}: ${problems.join(', ')}\n${output.trim().replace(/^/gm, '    ')}`);
        if (code === 1 && diagnosticLines.some((l) => l.includes(`/${where}`))) located++;
      }
      const wrote = hashAfter === hashBefore ? 0 : 1;
      console.log(
        `bad-input: ${cases.length} cases, ${located} exit 1 with file:line, ${wrote} wrote anything`,
      );
      assert.equal(hashAfter, hashBefore, 'the tenant changed');
      assert.deepEqual(failures, [], `${failures.length} cases failed:\n${failures.join('\n')}`);
    },
  );
});
