import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AmbiguousWriteError,
  GraphRequestError,
  type GraphBody,
  type GraphPort,
} from '../core/graph-port.ts';
import type { KindModule, LiveObject, WriteRequest } from '../core/kind.ts';
import { PLAN_FORMAT_VERSION, summarize, type Plan, type ResourceChange } from '../core/plan.ts';
import { KindRegistry } from '../kinds/registry.ts';
import { applyPlan, checkWritePermissions, orderChanges } from './apply-plan.ts';
import { InventoryStore } from './inventory.ts';

/** A kind over an in-memory collection, with scripted failures. */
function memoryKind(
  name: string,
  dependsOn: string[],
  store: Map<string, GraphBody>,
  failures: string[] = [],
): KindModule {
  let next = 1;
  return {
    kind: name,
    description: name,
    specSchema: {},
    dependsOn,
    lifecycle: 'full',
    references: () => [],
    expand: () => [],
    async read(): Promise<LiveObject[]> {
      return [...store.entries()].map(([id, body]) => ({
        kind: name,
        id,
        displayName: String(body.displayName),
        state: body,
      }));
    },
    async create(_port: GraphPort, request: WriteRequest): Promise<string> {
      const id = `${name}-${next++}`;
      store.set(id, request.state);
      const failure = failures.shift();
      if (failure === 'ambiguous-after-write') throw new AmbiguousWriteError('POST', '/x', 'test');
      if (failure === 'ambiguous-before-write') {
        store.delete(id);
        throw new AmbiguousWriteError('POST', '/x', 'test');
      }
      return id;
    },
    async update(_port: GraphPort, id: string, request: WriteRequest): Promise<void> {
      store.set(id, request.state);
    },
    async delete(_port: GraphPort, id: string): Promise<void> {
      if (!store.delete(id)) throw new GraphRequestError(404, 'ResourceNotFound', 'gone');
    },
    exportSpec: (live) => live.state,
  };
}

function planOf(changes: ResourceChange[]): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    tenant: { name: 'test', id: 't' },
    fingerprint: '',
    createdAt: '',
    changes,
    diagnostics: [],
    summary: summarize(changes),
  };
}

const port = {} as GraphPort;
const inventory = (): InventoryStore =>
  new InventoryStore(join(mkdtempSync(join(tmpdir(), 'accord-inv-')), 'inventory.json'), 't');

describe('applyPlan', () => {
  it('orders creates by dependency and deletes in reverse', () => {
    const registry = new KindRegistry([
      memoryKind('Policy', ['Location'], new Map()),
      memoryKind('Location', [], new Map()),
    ]);
    const order = orderChanges(
      planOf([
        {
          kind: 'Policy',
          name: 'p',
          displayName: 'P',
          action: 'create',
          reason: '',
          fields: [],
          payload: {},
        },
        {
          kind: 'Location',
          name: 'old',
          displayName: 'Old',
          action: 'delete',
          reason: '',
          fields: [],
          id: 'l0',
        },
        {
          kind: 'Policy',
          name: 'gone',
          displayName: 'Gone',
          action: 'delete',
          reason: '',
          fields: [],
          id: 'p0',
        },
        {
          kind: 'Location',
          name: 'l',
          displayName: 'L',
          action: 'create',
          reason: '',
          fields: [],
          payload: {},
        },
      ]),
      registry,
    );
    assert.deepEqual(
      order.map((c) => `${c.action} ${c.kind}`),
      ['create Location', 'create Policy', 'delete Policy', 'delete Location'],
    );
  });

  it('substitutes the ids of objects created earlier in the same apply', async () => {
    const policies = new Map<string, GraphBody>();
    const locations = new Map<string, GraphBody>();
    const registry = new KindRegistry([
      memoryKind('Policy', ['Location'], policies),
      memoryKind('Location', [], locations),
    ]);
    const result = await applyPlan({
      plan: planOf([
        {
          kind: 'Policy',
          name: 'p',
          displayName: 'P',
          action: 'create',
          reason: '',
          fields: [],
          payload: { displayName: 'P', locations: ['pending:Location/hq'] },
        },
        {
          kind: 'Location',
          name: 'hq',
          displayName: 'HQ',
          action: 'create',
          reason: '',
          fields: [],
          payload: { displayName: 'HQ' },
        },
      ]),
      registry,
      port,
      inventory: inventory(),
    });
    assert.equal(result.failed, undefined);
    const [locationId] = [...locations.keys()];
    assert.deepEqual([...policies.values()][0]!.locations, [locationId]);
  });

  it('adopts the object after an ambiguous create that did happen: no duplicate', async () => {
    const store = new Map<string, GraphBody>();
    const registry = new KindRegistry([memoryKind('Policy', [], store, ['ambiguous-after-write'])]);
    const inv = inventory();
    const progress: string[] = [];
    const result = await applyPlan({
      plan: planOf([
        {
          kind: 'Policy',
          name: 'p',
          displayName: 'P',
          action: 'create',
          reason: '',
          fields: [],
          payload: { displayName: 'P' },
        },
      ]),
      registry,
      port,
      inventory: inv,
      onProgress: (p) => progress.push(p.outcome),
    });
    assert.equal(result.failed, undefined);
    assert.equal(store.size, 1);
    assert.deepEqual(progress, ['adopted-after-ambiguous-write']);
    assert.deepEqual(
      [...(inv.snapshot().get('Policy') ?? [])],
      [...store.keys()].map((k) => k.toLowerCase()),
    );
  });

  it('creates again after an ambiguous create that did not happen', async () => {
    const store = new Map<string, GraphBody>();
    const registry = new KindRegistry([memoryKind('Policy', [], store, ['ambiguous-before-write'])]);
    const result = await applyPlan({
      plan: planOf([
        {
          kind: 'Policy',
          name: 'p',
          displayName: 'P',
          action: 'create',
          reason: '',
          fields: [],
          payload: { displayName: 'P' },
        },
      ]),
      registry,
      port,
      inventory: inventory(),
    });
    assert.equal(result.failed, undefined);
    assert.equal(store.size, 1);
  });

  it('treats a delete of an object already gone as done, and stops at the first failure', async () => {
    const store = new Map<string, GraphBody>([['keep', { displayName: 'Keep' }]]);
    const registry = new KindRegistry([memoryKind('Policy', [], store)]);
    const result = await applyPlan({
      plan: planOf([
        {
          kind: 'Policy',
          name: 'gone',
          displayName: 'Gone',
          action: 'delete',
          reason: '',
          fields: [],
          id: 'missing',
        },
        {
          kind: 'Policy',
          name: 'bad',
          displayName: 'Bad',
          action: 'update',
          reason: '',
          fields: [],
          id: 'keep',
          payload: { displayName: 'Keep 2' },
        },
      ]),
      registry,
      port,
      inventory: inventory(),
    });
    assert.equal(result.failed, undefined);
    assert.equal(result.applied.length, 2);
    assert.equal(store.get('keep')!.displayName, 'Keep 2');
  });
});

describe('checkWritePermissions', () => {
  const change = (kind: string): ResourceChange =>
    ({ kind, name: kind.toLowerCase(), action: 'update' }) as ResourceChange;
  const portWith = (permissions: string[] | undefined) =>
    ({ grantedPermissions: async () => permissions }) as unknown as GraphPort;
  const refusal = async (kinds: string[], permissions: string[] | undefined): Promise<string | undefined> => {
    try {
      await checkWritePermissions(kinds.map(change), portWith(permissions));
      return undefined;
    } catch (err) {
      assert.ok(err instanceof GraphRequestError);
      assert.equal(err.status, 403);
      return err.message;
    }
  };

  it('writing policies and named locations takes Policy.Read.All (or Application.Read.All) beside the write permission', async () => {
    const message = await refusal(
      ['ConditionalAccessPolicy', 'NamedLocation'],
      ['Policy.ReadWrite.ConditionalAccess'],
    );
    assert.match(message ?? '', /Policy\.Read\.All \(to change ConditionalAccessPolicy, NamedLocation\)/);
    assert.match(message ?? '', /nothing was applied/);
    assert.equal(
      await refusal(['ConditionalAccessPolicy'], ['Policy.ReadWrite.ConditionalAccess', 'Policy.Read.All']),
      undefined,
    );
    assert.equal(
      await refusal(['NamedLocation'], ['Policy.ReadWrite.ConditionalAccess', 'Application.Read.All']),
      undefined,
    );
  });

  it('authentication strengths need the write permission alone; a reader lacks it; an opaque token proceeds', async () => {
    assert.equal(
      await refusal(['AuthenticationStrengthPolicy'], ['Policy.ReadWrite.ConditionalAccess']),
      undefined,
    );
    const reader = await refusal(
      ['ConditionalAccessPolicy', 'AuthenticationMethodsPolicy'],
      ['Policy.Read.All'],
    );
    assert.match(reader ?? '', /Policy\.ReadWrite\.ConditionalAccess \(to change ConditionalAccessPolicy\)/);
    assert.match(
      reader ?? '',
      /Policy\.ReadWrite\.AuthenticationMethod \(to change AuthenticationMethodsPolicy\)/,
    );
    assert.equal(await refusal(['ConditionalAccessPolicy'], undefined), undefined);
  });
});
