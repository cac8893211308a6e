import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShapeError } from '../../model/json-shape.ts';
import { GraphError } from '../errors.ts';
import { ISO_COUNTRY_CODES } from '../../model/countries.ts';
import { shapeNamedLocation } from './named-location-validation.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GraphError || err instanceof ShapeError);
    return (err.innerMessage ?? '').slice(0, 4);
  }
  assert.fail('expected a GraphError');
}

const ip = (cidrAddress: string) => ({
  '@odata.type': '#microsoft.graph.ipNamedLocation',
  displayName: 'x',
  ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress }],
});

describe('named-location-validation', () => {
  it('knows the 249 ISO 3166-1 alpha-2 codes', () => {
    assert.equal(ISO_COUNTRY_CODES.size, 249);
    assert.ok(ISO_COUNTRY_CODES.has('US') && !ISO_COUNTRY_CODES.has('XX'));
  });

  it('shapes an ip location with defaults', () => {
    assert.deepEqual(shapeNamedLocation(ip(' 1.2.3.0/24 ')), {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      displayName: 'x',
      ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '1.2.3.0/24' }],
      isTrusted: false,
    });
  });

  it('refuses prefixes of /8 and shorter, bad addresses and missing types', () => {
    assert.equal(
      code(() => shapeNamedLocation(ip('1.0.0.0/8'))),
      '1301',
    );
    assert.equal(
      code(() => shapeNamedLocation(ip('1.0.0.0/7'))),
      '1301',
    );
    assert.equal(
      code(() => shapeNamedLocation(ip('300.0.0.0/24'))),
      '1301',
    );
    assert.equal(
      code(() => shapeNamedLocation({ displayName: 'x' })),
      '1007',
    );
    assert.equal(shapeNamedLocation(ip('1.0.0.0/9')).displayName, 'x');
  });
});
