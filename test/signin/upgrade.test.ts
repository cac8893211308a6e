/**
 * A data directory written by an accord without interactive sign-in (plain `_password`, no sample app) is upgraded on
 * start: the password becomes a scrypt hash and still signs in, and the sample app is registered.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COLLECTIONS } from '../../src/tenant/collections.ts';
import { DEMO_PASSWORD } from '../../src/tenant/seed/demo.ts';
import { DEMO_APP_ID } from '../../src/tenant/signin/settings.ts';
import { Store } from '../../src/tenant/store.ts';
import { startTestTenant } from '../helpers/local-tenant.ts';
import { signInWithPassword } from './http-sign-in.ts';

const MEMBER = 'noah.johansson@contoso.onmicrosoft.com';

describe('upgrading stored tenants for sign-in', { timeout: 60_000 }, () => {
  it('hashes plain passwords and registers the sample app on start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'accord-signin-upgrade-'));
    try {
      const first = await startTestTenant({ dataDir });
      const tenantId = first.tenantId;
      await first.close();

      // Make the state look like an earlier accord's.
      const store = new Store({ path: join(dataDir, 'tenant.db') });
      const user = store.all(tenantId, COLLECTIONS.users).find((u) => u.userPrincipalName === MEMBER)!;
      const { _passwordHash: _hash, ...old } = user;
      store.put(tenantId, COLLECTIONS.users, { ...old, _password: DEMO_PASSWORD });
      const demoApp = store
        .all(tenantId, COLLECTIONS.servicePrincipals)
        .find((sp) => sp.appId === DEMO_APP_ID)!;
      store.remove(tenantId, COLLECTIONS.servicePrincipals, demoApp.id);
      store.setMeta('signInReady', '0');
      store.close();

      const again = await startTestTenant({ dataDir });
      try {
        const upgraded = again.tenant.store
          .all(tenantId, COLLECTIONS.users)
          .find((u) => u.userPrincipalName === MEMBER)!;
        assert.equal(upgraded._password, undefined);
        assert.match(String(upgraded._passwordHash), /^scrypt\$/);
        const { response } = await signInWithPassword(again, MEMBER, DEMO_PASSWORD);
        assert.equal(response.status, 302);
        assert.match(response.headers.get('location')!, /[?&]code=/);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
