/**
 * Runs every What-If case twice — through the engine on the case's own documents and through the local tenant's
 * `POST /identity/conditionalAccess/evaluate` after creating the policies via Graph — and expects the same
 * reasons from both, equal to the case's expectation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { shapePolicy } from '../../src/model/ca-policy-shape.ts';
import { COLLECTIONS } from '../../src/tenant/collections.ts';
import { parseEvaluateRequest } from '../../src/tenant/whatif/evaluate-request.ts';
import { buildWhatIfTenant } from '../../src/tenant/whatif/tenant-view.ts';
import { evaluateSignIn, evaluateWithSession } from '../../src/whatif/evaluate.ts';
import type { WhatIfResult } from '../../src/whatif/types.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';
import type { Json } from './case-builders.ts';
import { CASES, FIXTURE_LOCATIONS, type WhatIfCase } from './cases.ts';

function resolveLocations(value: unknown, ids: Record<string, string>): unknown {
  if (typeof value === 'string' && value.startsWith('@loc:')) return ids[value.slice(5)]!;
  if (Array.isArray(value)) return value.map((v) => resolveLocations(v, ids));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveLocations(v, ids)]));
  }
  return value;
}

/** displayName → the labels of the controls its requirement lists. */
function requirementsOf(result: WhatIfResult): Record<string, string[]> {
  if (result.decision.kind !== 'interrupted') return {};
  return Object.fromEntries(
    result.decision.requirements.map((r) => [
      r.displayName,
      r.controls.map((c) =>
        c.kind === 'builtIn' ? c.control : c.kind === 'authenticationStrength' ? c.displayName : c.id,
      ),
    ]),
  );
}

/** For the policies a case names: their note codes (engine `notes`, endpoint `@accord.notes`). */
function notesOf(entries: readonly Json[], wanted: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of entries) {
    const name = String(e.displayName);
    if (!(name in wanted)) continue;
    const notes = (e.notes ?? e['@accord.notes'] ?? []) as { code: string }[];
    out[name] = notes.map((n) => n.code);
  }
  return out;
}

function reasonsOf(entries: { displayName: string; analysisReasons: string }[]): Record<string, string> {
  return Object.fromEntries(entries.map((e) => [e.displayName, e.analysisReasons]));
}

describe('What-If case table', () => {
  let t: TestTenant;
  const locationIds: Record<string, string> = {};
  let createdPolicyIds: string[] = [];

  before(async () => {
    t = await startTestTenant();
    for (const doc of t.tenant.store.all(t.tenantId, COLLECTIONS.caPolicies)) {
      await t.graph('DELETE', `/identity/conditionalAccess/policies/${doc.id}`);
    }
    for (const [key, body] of Object.entries(FIXTURE_LOCATIONS)) {
      const reply = await t.graph('POST', '/identity/conditionalAccess/namedLocations', body);
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      locationIds[key] = reply.body.id;
    }
  });
  after(() => t.close());

  it(`has at least 150 cases, each citing a rule`, () => {
    assert.ok(CASES.length >= 150, `${CASES.length} cases`);
    for (const c of CASES) assert.match(c.rule, /§|how-to/, c.name);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, 'case names are unique');
  });

  function engineTenant(policies: Json[]) {
    const tenant = buildWhatIfTenant(t.tenant.store, t.summary);
    const docs = policies.map((p, i) => ({ ...shapePolicy(p), id: `case-policy-${i}` }));
    return { ...tenant, policies: docs };
  }

  function runEngine(c: WhatIfCase, policies: Json[]) {
    const { signIn } = parseEvaluateRequest(c.request, 'v1.0');
    return evaluateSignIn(engineTenant(policies), signIn);
  }

  async function runEndpoint(policies: Json[], body: Json) {
    for (const id of createdPolicyIds) await t.graph('DELETE', `/identity/conditionalAccess/policies/${id}`);
    createdPolicyIds = [];
    for (const p of policies) {
      const reply = await t.graph('POST', '/identity/conditionalAccess/policies', p);
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      createdPolicyIds.push(reply.body.id);
    }
    const reply = await t.graph('POST', '/identity/conditionalAccess/evaluate', body, { app: 'reader' });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body.value as (Json & {
      displayName: string;
      analysisReasons: string;
      policyApplies: boolean;
    })[];
  }

  for (const c of CASES) {
    it(`${c.name} (${c.rule})`, async () => {
      const policies = c.policies.map((p) => resolveLocations(p, locationIds) as Json);
      const engine = runEngine(c, policies);
      const endpoint = await runEndpoint(policies, c.request);
      assert.deepEqual(reasonsOf(engine.policies), c.expect, 'engine');
      assert.deepEqual(reasonsOf(endpoint), c.expect, 'endpoint');
      for (const e of endpoint) assert.equal(e.policyApplies, e.analysisReasons === 'notSet');
      if (c.decision) assert.equal(engine.decision.kind, c.decision, 'decision');
      if (c.requirements) assert.deepEqual(requirementsOf(engine), c.requirements, 'requirements');
      if (c.notes) {
        assert.deepEqual(notesOf(engine.policies as unknown as Json[], c.notes), c.notes, 'engine notes');
        assert.deepEqual(notesOf(endpoint, c.notes), c.notes, 'endpoint notes');
      }
      if (c.session) {
        const outcome = evaluateWithSession(
          engineTenant(policies),
          parseEvaluateRequest(c.request, 'v1.0').signIn,
          c.session.state,
        );
        assert.equal(outcome.granted, c.session.granted, 'granted with the session');
      }
    });
  }
});
