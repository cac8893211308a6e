/**
 * computePlanImpact against the real local tenant over HTTP: the tenant read and the plan computed by the real
 * pipeline from the example repository's manifests, then the impact of the plan on the demo organisation. Adding
 * the example's guest-MFA policy on Windows Azure Service Management API: every guest and external user newly
 * needs MFA there (and on the Azure portal, which the API covers) and nowhere else, nobody is newly blocked, break-glass is unaffected. Switching the report-only
 * legacy-authentication block on: the legacy clients of everyone but break-glass are newly blocked.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { localClientCredential } from '../../src/cli/local-credential.ts';
import type { LiveObject } from '../../src/core/kind.ts';
import type { Manifest } from '../../src/core/manifest.ts';
import { GraphClient } from '../../src/graph/graph-client.ts';
import { computePlanImpact } from '../../src/impact/plan-impact.ts';
import { readImpactDirectory } from '../../src/impact/read-impact-directory.ts';
import { renderImpactText } from '../../src/impact/render-impact.ts';
import { registry } from '../../src/kinds/registry.ts';
import { computePlan } from '../../src/pipeline/compute-plan.ts';
import { parseManifestText } from '../../src/pipeline/load-manifests.ts';
import { readTenant } from '../../src/pipeline/read-tenant.ts';
import { EMERGENCY_ACCESS_GROUP } from '../../src/tenant/seed/demo.ts';
import { AZURE_MANAGEMENT_APP_ID } from '../../src/whatif/well-known-apps.ts';
import { startTestTenant, type TestTenant } from '../helpers/local-tenant.ts';

const EXAMPLES = new URL('../../policies/conditional-access/', import.meta.url);

function example(name: string): Manifest[] {
  const file = new URL(`${name}.yaml`, EXAMPLES);
  const { manifests, diagnostics } = parseManifestText(file.pathname, readFileSync(file, 'utf8'));
  assert.deepEqual(diagnostics, []);
  return manifests;
}

function readerPort(t: TestTenant): GraphClient {
  const reader = t.summary.apps.find((a) => a.displayName === 'accord-reader')!;
  return new GraphClient({
    baseUrl: t.tenant.graphUrl,
    credential: localClientCredential(t.summary.tokenEndpoint, reader.clientId, reader.clientSecret),
    conditionalAccessPerSecond: 1000,
    conditionalAccessBurst: 100,
  });
}

describe('computePlanImpact on the demo organisation', () => {
  let t: TestTenant;
  let port: GraphClient;
  let breakGlassGroup: string;
  let live: Map<string, LiveObject[]>;

  async function impactOf(manifests: Manifest[]) {
    const { plan } = await computePlan({
      manifests,
      registry,
      port,
      tenant: { name: 'local', id: t.tenantId },
      inventory: new Map(),
      prune: false,
      live,
    });
    assert.deepEqual(
      plan.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const report = await computePlanImpact(port, plan, live, {
      tenantId: t.tenantId,
      breakGlass: { groups: [breakGlassGroup] },
    });
    return { plan, report };
  }

  before(async () => {
    t = await startTestTenant();
    port = readerPort(t);
    const groups = await t.graph('GET', `/groups?$filter=displayName eq '${EMERGENCY_ACCESS_GROUP}'`);
    breakGlassGroup = groups.body.value[0].id;
    // The tenant already holds the legacy-authentication block, report-only, as the example repository has it.
    const [legacy] = example('block-legacy-authentication');
    const spec = structuredClone(legacy!.spec) as { conditions: { users: { excludeGroups: string[] } } };
    spec.conditions.users.excludeGroups = [breakGlassGroup];
    const created = await t.graph('POST', '/identity/conditionalAccess/policies', spec);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    live = await readTenant(port, registry);
  });
  after(() => t.close());

  it('adding MFA for guests on Azure management: the guests newly need MFA there, nobody blocked', async () => {
    const manifests = [
      ...example('block-legacy-authentication'),
      ...example('require-mfa-guests-azure-management'),
    ];
    const { plan, report } = await impactOf(manifests);
    assert.deepEqual(
      plan.changes.filter((c) => c.action !== 'no-op').map((c) => [c.action, c.name]),
      [['create', 'require-mfa-guests-azure-management']],
    );

    // Who the policy covers, from the directory as Graph gives it: every guest and external user.
    const { directory } = await readImpactDirectory(port, []);
    const externals = directory.users.filter((u) => u.externalUserType !== undefined);
    const byKind: Record<string, number> = {};
    for (const u of externals) byKind[u.externalUserType!] = (byKind[u.externalUserType!] ?? 0) + 1;
    assert.ok(Object.keys(byKind).length >= 3, JSON.stringify(byKind));

    // The API covers the Azure portal too (ca-evaluation §2.5): one change for each, the same users in both.
    assert.deepEqual(
      report.changes.map((c) => [c.kind, c.requirement, c.application.label]).sort(),
      [
        ['newlyRequires', 'MFA', 'Azure portal'],
        ['newlyRequires', 'MFA', 'Windows Azure Service Management API'],
      ],
      JSON.stringify(report.changes, null, 2),
    );
    const change = report.changes.find((c) => c.application.appId === AZURE_MANAGEMENT_APP_ID)!;
    for (const each of report.changes) {
      assert.equal(each.users, externals.length);
      assert.deepEqual(Object.entries(each.byUserKind).sort(), Object.entries(byKind).sort());
      assert.equal(each.breakGlassUsers, 0);
      assert.equal(each.contexts.length, report.contexts, 'in every context, legacy clients included');
      for (const example of each.examples)
        assert.ok(
          externals.some((u) => u.userPrincipalName === example),
          example,
        );
    }
    assert.match(
      change.summary,
      new RegExp(
        `^${externals.length} guests \\(.+\\) newly require MFA for Windows Azure Service Management API$`,
      ),
    );
    assert.deepEqual(report.totals, {
      usersAffected: externals.length,
      usersNewlyBlocked: 0,
      usersNoLongerBlocked: 0,
    });
    assert.deepEqual(report.breakGlass, { accounts: 2, affected: 0, changes: [] });
    assert.equal(report.directory.users, directory.users.length);
    assert.match(
      renderImpactText(report),
      /0 users newly blocked; 0 no longer blocked; break-glass unaffected/,
    );
  });

  it('enforcing the legacy-authentication block: legacy clients newly blocked, break-glass unaffected', async () => {
    const [legacy] = example('block-legacy-authentication');
    const enforced = { ...legacy!, spec: { ...legacy!.spec, state: 'enabled' } };
    const { report } = await impactOf([enforced]);
    const { directory } = await readImpactDirectory(port, []);
    const everyoneButBreakGlass = directory.users.length - 2;
    assert.equal(report.totals.usersNewlyBlocked, everyoneButBreakGlass);
    assert.ok(report.changes.every((c) => c.kind === 'newlyBlocked'));
    for (const change of report.changes) {
      assert.equal(change.users, everyoneButBreakGlass, change.summary);
      assert.ok(
        change.contexts.every((c) => /^(exchangeActiveSync|other) /.test(c)),
        `only legacy clients: ${change.contexts.join('; ')}`,
      );
    }
    assert.deepEqual(report.breakGlass, { accounts: 2, affected: 0, changes: [] });
  });
});
