import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countryOf, deviceOf } from './network.ts';
import { DEFAULT_SIGN_IN_SETTINGS } from './settings.ts';

describe('sign-in network and device', () => {
  it('maps addresses to countries through the table, in order, single addresses included', () => {
    const settings = {
      loopbackAddress: '203.0.113.9',
      addressCountries: [
        { range: '203.0.113.9', country: 'CA' },
        { range: '203.0.113.0/24', country: 'US' },
        { range: '2001:db8::/32', country: 'DE' },
      ],
    };
    assert.equal(countryOf('203.0.113.9', settings), 'CA');
    assert.equal(countryOf('203.0.113.10', settings), 'US');
    assert.equal(countryOf('2001:db8::1', settings), 'DE');
    assert.equal(countryOf('192.0.2.1', settings), undefined);
    assert.equal(countryOf('not an address', settings), undefined);
    assert.equal(countryOf(DEFAULT_SIGN_IN_SETTINGS.loopbackAddress, DEFAULT_SIGN_IN_SETTINGS), 'NL');
  });

  it('reads the platform and browser from the User-Agent as Entra names them', () => {
    const cases: [string, string | undefined, string][] = [
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0',
        'windows',
        'Edge 124',
      ],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1',
        'iOS',
        'Safari 17',
      ],
      [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15',
        'macOS',
        'Safari 17',
      ],
      [
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36',
        'android',
        'Chrome 124',
      ],
      ['Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', 'linux', 'Firefox 125'],
      ['curl/8.5.0', undefined, 'Unknown'],
    ];
    for (const [ua, platform, browser] of cases) {
      const device = deviceOf(ua);
      assert.equal(device.platform, platform, ua);
      assert.equal(device.browser, browser, ua);
    }
    assert.equal(deviceOf(undefined).platform, undefined);
  });
});
