/** The facts edge reads the service principals the policies name in one `$batch`, keyed as the policies name them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchItem, GraphBody, GraphPort } from '../../src/core/graph-port.ts';
import { readTenantFacts } from '../../src/lint/read-tenant-facts.ts';

const APP_ID = '0f0f0f0f-0000-4000-8000-000000000001';
const MISSING_APP_ID = '0f0f0f0f-0000-4000-8000-000000000002';
const WORKLOAD_SP = '5a5a5a5a-0000-4000-8000-000000000001';

/** A directory with no users or groups; the service principals answer in `$batch`. */
function fakePort(batches: string[][]): GraphPort {
  const fail = (): never => {
    throw new Error('unexpected write');
  };
  const servicePrincipals: Record<string, GraphBody> = {
    [`/servicePrincipals(appId='${APP_ID}')`]: {
      id: 'sp-app',
      appId: APP_ID,
      displayName: 'Payroll',
      accountEnabled: false,
    },
    [`/servicePrincipals/${WORKLOAD_SP}`]: { id: WORKLOAD_SP, appId: 'a2', displayName: 'Nightly job' },
  };
  return {
    get: async () => undefined,
    list: async () => [],
    batch: async (items: readonly BatchItem[]) => {
      batches.push(items.map((i) => i.path));
      return items.map((i) => {
        const body = servicePrincipals[i.path.slice(0, i.path.indexOf('?'))];
        return body ? { status: 200, body } : { status: 404, body: { error: { code: 'NotFound' } } };
      });
    },
    post: fail,
    patch: fail,
    delete: fail,
  };
}

describe('readTenantFacts: service principals the policies name', () => {
  it('reads applications by appId and workload identities by id, in one batch, skipping All and names', async () => {
    const batches: string[][] = [];
    const policy: GraphBody = {
      conditions: {
        users: { includeUsers: ['None'] },
        applications: { includeApplications: ['All', APP_ID.toUpperCase(), MISSING_APP_ID] },
        clientApplications: {
          includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
          excludeServicePrincipals: [WORKLOAD_SP],
        },
      },
    };
    const facts = await readTenantFacts(fakePort(batches), {
      tenantId: 't',
      breakGlass: { users: [], groups: [] },
      policies: [policy],
    });
    const spBatches = batches.filter((b) => b.some((p) => p.startsWith('/servicePrincipals')));
    assert.equal(spBatches.length, 1);
    assert.equal(spBatches[0]!.length, 3);
    assert.deepEqual(facts.namedServicePrincipals.get(APP_ID), {
      id: 'sp-app',
      appId: APP_ID,
      displayName: 'Payroll',
      accountEnabled: false,
    });
    assert.equal(facts.namedServicePrincipals.get(WORKLOAD_SP)?.accountEnabled, true);
    assert.equal(facts.namedServicePrincipals.has(MISSING_APP_ID), false);
  });
});
