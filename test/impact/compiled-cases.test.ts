/**
 * Every case of the What-If case table (test/whatif/cases.ts) through the interpreter and the compiled engine: per
 * policy the same `policyApplies`, `analysisReasons` and `result`, and the same decision and deciding policies.
 * Named locations are created in a local tenant once, as cases.test.ts does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { shapePolicy } from '../../src/model/ca-policy-shape.ts';
import { parseEvaluateRequest } from '../../src/tenant/whatif/evaluate-request.ts';
import { buildWhatIfTenant } from '../../src/tenant/whatif/tenant-view.ts';
import { compileEngine } from '../../src/whatif/compiled/compiled-engine.ts';
import { evaluateSignIn } from '../../src/whatif/evaluate.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';
import type { Json } from '../whatif/case-builders.ts';
import { CASES, FIXTURE_LOCATIONS } from '../whatif/cases.ts';
import { compareResults } from './compare-results.ts';

function resolveLocations(value: unknown, ids: Record<string, string>): unknown {
  if (typeof value === 'string' && value.startsWith('@loc:')) return ids[value.slice(5)]!;
  if (Array.isArray(value)) return value.map((v) => resolveLocations(v, ids));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveLocations(v, ids)]));
  }
  return value;
}

describe('compiled engine on the What-If case table', () => {
  let t: TestTenant;
  const locationIds: Record<string, string> = {};

  before(async () => {
    t = await startTestTenant();
    for (const [key, body] of Object.entries(FIXTURE_LOCATIONS)) {
      const reply = await t.graph('POST', '/identity/conditionalAccess/namedLocations', body);
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      locationIds[key] = reply.body.id;
    }
  });
  after(() => t.close());

  it(`agrees with the interpreter on all ${CASES.length} cases`, () => {
    const tenant = buildWhatIfTenant(t.tenant.store, t.summary);
    let compared = 0;
    for (const c of CASES) {
      const policies = c.policies.map((p) => resolveLocations(p, locationIds) as Json);
      const docs = policies.map((p, i) => ({ ...shapePolicy(p), id: `case-policy-${i}` }));
      const { signIn } = parseEvaluateRequest(c.request, 'v1.0');
      const caseTenant = { ...tenant, policies: docs };
      compareResults(evaluateSignIn(caseTenant, signIn), compileEngine(caseTenant).evaluate(signIn), c.name);
      compared++;
    }
    assert.ok(compared >= 150, `${compared} cases`);
  });
});
