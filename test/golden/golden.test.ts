/**
 * Golden plan cases: one folder per case under test/golden/ with `desired.yaml` (the policy repository, multi-
 * document), `tenant.json` (the live objects as Graph returns them, a small directory for name resolution, and the
 * ownership inventory), and the expected `plan.json` (the plan minus `createdAt`) and `plan.txt` (the text
 * rendering). The real kinds and the real pipeline run against a small in-memory GraphPort.
 *
 * ACCORD_UPDATE_GOLDEN=1 rewrites plan.json and plan.txt from what the code produces now; review the diff.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import type { BatchItem, BatchResult, GraphBody, GraphPort } from '../../src/core/graph-port.ts';
import { registry } from '../../src/kinds/registry.ts';
import { computePlan } from '../../src/pipeline/compute-plan.ts';
import { parseManifestText } from '../../src/pipeline/load-manifests.ts';
import { validateManifests } from '../../src/pipeline/validate-manifests.ts';
import { renderPlanText } from '../../src/render/plan-text.ts';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const UPDATE = process.env.ACCORD_UPDATE_GOLDEN === '1';
const TENANT = { name: 'local', id: '8c3d2f6e-1b4a-4c5d-9e7f-0a1b2c3d4e5f' };

/** The directory collections name resolution reads (`$filter … in (…)` through `$batch`). */
const DIRECTORY_COLLECTIONS = ['users', 'groups', 'servicePrincipals', 'directoryRoleTemplates'] as const;
type DirectoryCollection = (typeof DIRECTORY_COLLECTIONS)[number];

interface TenantFixture {
  /** Graph path → a collection's `value` items (array) or a single object. */
  graph: Record<string, GraphBody | GraphBody[]>;
  directory: Partial<Record<DirectoryCollection, GraphBody[]>>;
  /** What accord created (kind → ids): the only objects prune may delete. */
  inventory?: Record<string, string[]>;
  prune?: boolean;
}

function pathOf(path: string): string {
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}

function isDirectoryCollection(name: string): name is DirectoryCollection {
  return (DIRECTORY_COLLECTIONS as readonly string[]).includes(name);
}

/** `userPrincipalName in ('a','b')` → the property and the values. */
function parseInFilter(filter: string): { property: string; values: string[] } {
  const match = /^(\w+) in \((.*)\)$/.exec(filter.trim());
  if (!match) throw new Error(`the fake supports only '<property> in (…)' filters, got: ${filter}`);
  const values = [...match[2]!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
  return { property: match[1]!, values };
}

/** A small read-only GraphPort over a fixture; writes are defects here (plan never writes). */
class FixturePort implements GraphPort {
  private readonly fixture: TenantFixture;
  constructor(fixture: TenantFixture) {
    this.fixture = fixture;
  }
  async get(path: string): Promise<GraphBody | undefined> {
    const value = this.fixture.graph[pathOf(path)];
    return value === undefined || Array.isArray(value) ? undefined : structuredClone(value);
  }
  async list(path: string): Promise<GraphBody[]> {
    const bare = pathOf(path);
    const name = bare.slice(1);
    if (isDirectoryCollection(name)) return structuredClone(this.fixture.directory[name] ?? []);
    const value = this.fixture.graph[bare];
    return Array.isArray(value) ? structuredClone(value) : [];
  }
  async post(path: string): Promise<GraphBody> {
    throw new Error(`plan must not write (POST ${path})`);
  }
  async patch(path: string): Promise<GraphBody | undefined> {
    throw new Error(`plan must not write (PATCH ${path})`);
  }
  async delete(path: string): Promise<void> {
    throw new Error(`plan must not write (DELETE ${path})`);
  }
  private getByIds(body: GraphBody | undefined): BatchResult {
    const ids = new Set(((body?.ids as string[] | undefined) ?? []).map((id) => id.toLowerCase()));
    const all = [
      ...(this.fixture.directory.users ?? []),
      ...(this.fixture.directory.groups ?? []),
      ...(this.fixture.directory.servicePrincipals ?? []),
    ];
    return {
      status: 200,
      body: { value: structuredClone(all.filter((o) => ids.has(String(o.id).toLowerCase()))) },
    };
  }

  async batch(items: readonly BatchItem[]): Promise<BatchResult[]> {
    return items.map((item) => {
      const name = pathOf(item.path).slice(1);
      if (item.method === 'POST' && name === 'directoryObjects/getByIds') return this.getByIds(item.body);
      if (item.method !== 'GET' || !isDirectoryCollection(name)) return { status: 400, body: null };
      const query = new URLSearchParams(item.path.slice(item.path.indexOf('?') + 1));
      const filter = query.get('$filter');
      if (filter === null)
        return { status: 200, body: { value: structuredClone(this.fixture.directory[name] ?? []) } };
      const { property, values } = parseInFilter(filter);
      const wanted = new Set(values.map((v) => v.toLowerCase()));
      const value = (this.fixture.directory[name] ?? []).filter((o) =>
        wanted.has(String(o[property] ?? '').toLowerCase()),
      );
      return { status: 200, body: { value: structuredClone(value) } };
    });
  }
}

interface GoldenOutput {
  json: string;
  text: string;
  /** No create, update, delete or diagnostic. */
  zeroDrift: boolean;
}

async function runCase(name: string): Promise<GoldenOutput> {
  const dir = join(ROOT, name);
  const fixture = JSON.parse(readFileSync(join(dir, 'tenant.json'), 'utf8')) as TenantFixture;
  const file = `${name}/desired.yaml`;
  const loaded = parseManifestText(file, readFileSync(join(dir, 'desired.yaml'), 'utf8'));
  const diagnostics = [...loaded.diagnostics, ...validateManifests(loaded.manifests)];
  const inventory = new Map(
    Object.entries(fixture.inventory ?? {}).map(([kind, ids]) => [
      kind,
      new Set(ids.map((i) => i.toLowerCase())),
    ]),
  );
  const { plan } = await computePlan({
    manifests: loaded.manifests,
    registry,
    port: new FixturePort(fixture),
    tenant: TENANT,
    inventory,
    prune: fixture.prune ?? false,
    diagnostics,
  });
  const { createdAt: _createdAt, ...stable } = plan;
  return {
    json: `${JSON.stringify(stable, null, 2)}\n`,
    text: `${renderPlanText(plan)}\n`,
    zeroDrift:
      plan.summary.create + plan.summary.update + plan.summary.delete === 0 && plan.diagnostics.length === 0,
  };
}

const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(ROOT, e.name, 'desired.yaml')))
  .map((e) => e.name)
  .sort();

describe('golden plans', () => {
  it('has the cases', () => assert.ok(cases.length >= 25, `only ${cases.length} golden cases`));
  for (const name of cases) {
    it(name, async () => {
      const actual = await runCase(name);
      // `noop-` cases prove zero false drift: no update of the expectations may turn them into changes.
      if (name.startsWith('noop-')) assert.ok(actual.zeroDrift, `${name}: false drift\n${actual.text}`);
      const jsonPath = join(ROOT, name, 'plan.json');
      const textPath = join(ROOT, name, 'plan.txt');
      if (UPDATE) {
        // Written as the repository's formatter would, so `npm run format:check` stays clean after an update.
        writeFileSync(jsonPath, await format(actual.json, { filepath: jsonPath }));
        writeFileSync(textPath, actual.text);
        return;
      }
      assert.ok(existsSync(jsonPath), `${name}: no plan.json (run with ACCORD_UPDATE_GOLDEN=1)`);
      assert.equal(actual.text, readFileSync(textPath, 'utf8'), `${name}: plan.txt differs`);
      assert.deepEqual(
        JSON.parse(actual.json),
        JSON.parse(readFileSync(jsonPath, 'utf8')),
        `${name}: plan.json`,
      );
    });
  }
});
