import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepMerge, normaliseFlags, normaliseObject, type ObjectSchema, ShapeError } from './json-shape.ts';

const SCHEMA: ObjectSchema = {
  name: 'thing',
  fields: {
    name: { kind: 'string', nullable: false, required: true },
    tags: { kind: 'stringList', canonical: ['All'] },
    mode: { kind: 'enum', members: ['include', 'exclude'] },
    nested: { kind: 'object', schema: { name: 'inner', fields: { on: { kind: 'boolean' } } } },
  },
};

function innerMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ShapeError);
    return err.innerMessage ?? '';
  }
  assert.fail('expected a ShapeError');
}

describe('json-shape', () => {
  it('fills defaults and canonicalises', () => {
    assert.deepEqual(normaliseObject(SCHEMA, { NAME: 'x', tags: ['all', 'id'], mode: 'EXCLUDE' }, 'thing'), {
      name: 'x',
      tags: ['All', 'id'],
      mode: 'exclude',
      nested: null,
    });
  });

  it('refuses unknown properties, nulls in collections and wrong types with 1007 and the path', () => {
    assert.match(
      innerMessage(() => normaliseObject(SCHEMA, { name: 'x', extra: 1 }, 'thing')),
      /^1007: .*thing\.extra/,
    );
    assert.match(
      innerMessage(() => normaliseObject(SCHEMA, { name: 'x', tags: null }, 'thing')),
      /^1007: .*thing\.tags/,
    );
    assert.match(
      innerMessage(() => normaliseObject(SCHEMA, { name: 'x', nested: { on: 'y' } }, 'thing')),
      /thing\.nested\.on/,
    );
    assert.match(
      innerMessage(() => normaliseObject(SCHEMA, { tags: [] }, 'thing')),
      /thing\.name/,
    );
    assert.match(
      innerMessage(() => normaliseObject(SCHEMA, [], 'thing')),
      /^1007: /,
    );
  });

  it('orders flags canonically and refuses none with others', () => {
    assert.equal(normaliseFlags('c, A', ['none', 'a', 'b', 'c'], 'f'), 'a,c');
    assert.match(
      innerMessage(() => normaliseFlags('none,a', ['none', 'a'], 'f')),
      /none/,
    );
    assert.match(
      innerMessage(() => normaliseFlags('a,,b', ['a', 'b'], 'f')),
      /^1007: /,
    );
  });

  it('deep-merges complex values and replaces collections', () => {
    const merged = deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { A: { c: [3] }, e: null });
    assert.deepEqual(merged, { a: { b: 1, c: [3] }, d: 1, e: null });
    const retyped = deepMerge({ t: { '@odata.type': '#x.a', m: [1] } }, { t: { '@odata.type': '#x.b' } });
    assert.deepEqual(retyped, { t: { '@odata.type': '#x.b' } });
  });
});
