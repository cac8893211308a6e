import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRegisteredRedirectUri, type OidcClient } from './clients.ts';
import { hashPassword, hashSeedPassword, verifyPassword } from './passwords.ts';

const client: OidcClient = {
  appId: 'a',
  displayName: 'App',
  redirectUris: ['http://localhost/cb', 'https://app.example/cb', 'http://127.0.0.1/t/cb'],
  isPublicClient: true,
  secrets: [],
};

describe('redirect URIs and passwords', () => {
  it('matches redirect URIs exactly, with any port on loopback hosts only', () => {
    assert.ok(isRegisteredRedirectUri(client, 'https://app.example/cb'));
    assert.ok(isRegisteredRedirectUri(client, 'http://localhost:3000/cb'));
    assert.ok(isRegisteredRedirectUri(client, 'http://127.0.0.1:4040/t/cb'));
    for (const uri of [
      'https://app.example:8443/cb',
      'https://app.example/cb/',
      'https://app.example/CB',
      'http://localhost:3000/cb?x=1',
      'http://localhost:3000/cb#frag',
      'http://localhost.evil.example/cb',
      'http://127.0.0.1:4040/t/cb/../other',
      'not a url',
    ]) {
      assert.ok(!isRegisteredRedirectUri(client, uri), uri);
    }
  });

  it('stores passwords as scrypt hashes that verify only the right password', async () => {
    const hash = hashPassword('Passw0rd!');
    assert.match(hash, /^scrypt\$16384\$8\$1\$/);
    assert.ok(!hash.includes('Passw0rd!'));
    assert.notEqual(hashPassword('Passw0rd!'), hash, 'a fresh salt each time');
    assert.ok(await verifyPassword('Passw0rd!', hash));
    assert.ok(!(await verifyPassword('passw0rd!', hash)));
    assert.ok(!(await verifyPassword('Passw0rd!', undefined)));
    assert.ok(!(await verifyPassword('Passw0rd!', 'scrypt$bad')));
    assert.equal(hashSeedPassword('Seed-1'), hashSeedPassword('Seed-1'), 'seed passwords hash once');
    assert.ok(await verifyPassword('Seed-1', hashSeedPassword('Seed-1')));
  });
});

describe('the demo password', () => {
  it('has a precomputed hash that verifies it (and nothing else)', async () => {
    const { DEMO_PASSWORD } = await import('../seed/demo.ts');
    const hash = hashSeedPassword(DEMO_PASSWORD);
    assert.match(hash, /^scrypt\$16384\$8\$1\$/);
    assert.ok(await verifyPassword(DEMO_PASSWORD, hash));
    assert.ok(!(await verifyPassword('Passw0rd?', hash)));
  });
});
