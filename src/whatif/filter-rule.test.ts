import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateFilter, FilterError, parseFilterRule } from './filter-rule.ts';
import { DEVICE_FILTER_SCHEMA, deviceAttributes } from './filter-schemas.ts';
import { isInRange, parseBounds, parseCidr, parseIpAddress } from './ip-address.ts';

const matches = (rule: string, device?: Record<string, string | boolean | string[]>) =>
  evaluateFilter(parseFilterRule(rule, DEVICE_FILTER_SCHEMA), deviceAttributes(device));

describe('device filter rules (§2.10)', () => {
  it('parses -and/-or precedence and parentheses', () => {
    const d = { trustType: 'Workplace', isCompliant: false };
    assert.equal(
      matches(
        'device.trustType -eq "Workplace" -or device.trustType -eq "AzureAD" -and device.isCompliant -eq True',
        d,
      ),
      true,
    );
    assert.equal(
      matches(
        '(device.trustType -eq "Workplace" -or device.trustType -eq "AzureAD") -and device.isCompliant -eq True',
        d,
      ),
      false,
    );
    assert.equal(matches('-not device.isCompliant -eq True', d), true);
  });
  it('applies null-device semantics', () => {
    for (const op of ['-eq', '-startsWith', '-endsWith', '-contains'])
      assert.equal(matches(`device.model ${op} "x"`), false);
    for (const op of ['-ne', '-notStartsWith', '-notEndsWith', '-notContains'])
      assert.equal(matches(`device.model ${op} "x"`), true);
    assert.equal(matches('device.model -in ["x"]'), false);
    assert.equal(matches('device.model -notIn ["x"]'), true);
  });
  it('rejects bad rules', () => {
    for (const rule of [
      '',
      'device.model -eq',
      'device.model -like "x"',
      'user.model -eq "x"',
      'device.trustType -contains "A"',
      '(device.model -eq "x"',
      'device.model -eq "x" garbage',
    ]) {
      assert.throws(() => parseFilterRule(rule, DEVICE_FILTER_SCHEMA), FilterError, rule);
    }
  });
});

describe('ip ranges (§2.6)', () => {
  it('matches IPv4 and IPv6 CIDRs and bounds', () => {
    assert.ok(isInRange(parseIpAddress('10.1.2.3')!, parseCidr('10.0.0.0/9')!));
    assert.ok(!isInRange(parseIpAddress('10.128.0.1')!, parseCidr('10.0.0.0/9')!));
    assert.ok(isInRange(parseIpAddress('2001:db8::5')!, parseCidr('2001:db8::/32')!));
    assert.ok(!isInRange(parseIpAddress('2001:db8::5')!, parseCidr('10.0.0.0/9')!));
    assert.ok(isInRange(parseIpAddress('1.1.1.5')!, parseBounds('1.1.1.1', '1.1.1.9')!));
    assert.equal(parseIpAddress('1.2.3'), undefined);
    assert.equal(parseIpAddress('1::2::3'), undefined);
  });
});
