import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tenantWellKnown from '../tenant/seed/well-known.ts';
import { ADMIN_PORTAL_APP_IDS, OFFICE_365_APP_IDS } from './well-known-apps.ts';

it("the engine's app groups match the local tenant's well-known applications", () => {
  assert.deepEqual([...OFFICE_365_APP_IDS].sort(), [...tenantWellKnown.OFFICE_365_APP_IDS].sort());
  assert.deepEqual([...ADMIN_PORTAL_APP_IDS].sort(), [...tenantWellKnown.ADMIN_PORTAL_APP_IDS].sort());
});
