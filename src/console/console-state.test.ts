import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarize, type Plan, type ResourceChange } from '../core/plan.ts';
import { ConsoleState, statusWordOf, type PassReport } from './console-state.ts';
import { escapeHtml, html, raw } from './html.ts';
import { parseConsoleAddress } from './reconcile-feed.ts';
import { renderHtmlPage } from './routes.ts';
import { parseWhatIfForm } from './whatif-form.ts';

function change(
  name: string,
  action: ResourceChange['action'],
  extra: Partial<ResourceChange> = {},
): ResourceChange {
  return {
    kind: 'ConditionalAccessPolicy',
    name,
    displayName: `Policy ${name}`,
    action,
    reason: action === 'no-op' ? 'in accord' : 'differs',
    fields: action === 'no-op' ? [] : [{ path: 'state', before: 'disabled', after: 'enabled' }],
    ...extra,
  };
}

function plan(changes: ResourceChange[]): Plan {
  return {
    formatVersion: 1,
    tenant: { name: 'local', id: 't1' },
    fingerprint: 'f',
    createdAt: '2026-01-01T00:00:00.000Z',
    changes,
    diagnostics: [],
    summary: summarize(changes),
  };
}

function pass(extra: Partial<PassReport>): PassReport {
  return {
    tenant: { name: 'local' },
    source: '/repo',
    trigger: 'start',
    driftCheck: false,
    driftMode: 'warn',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    ...extra,
  };
}

describe('ConsoleState', () => {
  it('marks applied changes in sync with the time, pending ones as will create/update', () => {
    const state = new ConsoleState();
    const a = change('a', 'create');
    const b = change('b', 'update', { id: 'id-b' });
    state.recordPass(pass({ plan: plan([a, b]), applied: [a] }));
    const view = state.tenants()[0]!;
    assert.deepEqual(
      view.resources.map((r) => [r.name, r.state, r.lastApplied ?? null]),
      [
        ['a', 'inSync', '2026-01-01T00:00:01.000Z'],
        ['b', 'willUpdate', null],
      ],
    );
    assert.equal(statusWordOf(view), 'Pending');
  });

  it('keeps drift reported in warn mode until a pass finds the resource in accord', () => {
    const state = new ConsoleState();
    state.recordPass(pass({ plan: plan([change('a', 'no-op', { id: 'x' })]) }));
    state.recordPass(
      pass({
        trigger: 'drift check',
        driftCheck: true,
        plan: plan([change('a', 'update', { id: 'x' })]),
        applied: [],
      }),
    );
    assert.equal(state.tenants()[0]!.resources[0]!.state, 'drifted');
    assert.equal(statusWordOf(state.tenants()[0]!), 'Drifted');
    // A later non-drift pass (manifests changed) still knows it is drift, not a new manifest.
    state.recordPass(
      pass({ trigger: 'manifests changed', plan: plan([change('a', 'update', { id: 'x' })]) }),
    );
    assert.equal(state.tenants()[0]!.resources[0]!.state, 'drifted');
    const history = state.tenants()[0]!.driftHistory;
    assert.equal(history.length, 1);
    assert.equal(history[0]!.resolution, 'reported');
    assert.deepEqual(history[0]!.drifted[0]!.fields, ['state']);
  });

  it('merges consecutive clean checks and keeps a bounded history', () => {
    const state = new ConsoleState({ driftHistorySize: 3 });
    const clean = () =>
      pass({ driftCheck: true, trigger: 'drift check', plan: plan([change('a', 'no-op')]) });
    state.recordPass(clean());
    state.recordPass(clean());
    assert.equal(state.tenants()[0]!.driftHistory.length, 1);
    assert.equal(state.tenants()[0]!.driftHistory[0]!.count, 2);
    for (let i = 0; i < 5; i++) {
      const drifted = change('a', 'update');
      state.recordPass(
        pass({ driftCheck: true, driftMode: 'correct', plan: plan([drifted]), applied: [drifted] }),
      );
    }
    const history = state.tenants()[0]!.driftHistory;
    assert.equal(history.length, 3);
    assert.ok(history.every((h) => h.resolution === 'corrected'));
  });

  it('keeps the statuses when the plan has errors, and says nothing was applied', () => {
    const state = new ConsoleState();
    state.recordPass(pass({ plan: plan([change('a', 'no-op', { id: 'x' })]) }));
    const refused = plan([]);
    refused.diagnostics.push({ severity: 'error', code: 'break-glass-not-excluded', summary: 'no' });
    state.recordPass(pass({ plan: refused }));
    const view = state.tenants()[0]!;
    assert.equal(view.resources.length, 1);
    assert.equal(view.lastPass?.outcome, 'refused');
    assert.equal(statusWordOf(view), 'Stalled');
    assert.equal(view.findings.length, 1);
  });

  it('redacts tokens that reach it', () => {
    const state = new ConsoleState();
    state.recordPass(pass({ error: 'request failed: Authorization: Bearer abc.def.ghi' }));
    assert.doesNotMatch(JSON.stringify(state.tenants()), /abc\.def\.ghi/);
  });
});

describe('console helpers', () => {
  it('escapes every interpolated value', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(
      html`<p>${'<script>'}${raw('<b>')}${['<i>', 1]}</p>`.text,
      '<p>&lt;script&gt;<b>&lt;i&gt;1</p>',
    );
  });

  it('parses --console addresses', () => {
    assert.deepEqual(parseConsoleAddress(true), { host: '127.0.0.1', port: 4041 });
    assert.deepEqual(parseConsoleAddress('0.0.0.0:8080'), { host: '0.0.0.0', port: 8080 });
    assert.deepEqual(parseConsoleAddress(':5000'), { host: '127.0.0.1', port: 5000 });
    assert.deepEqual(parseConsoleAddress('[::1]:5000'), { host: '::1', port: 5000 });
    assert.deepEqual(parseConsoleAddress('5000'), { host: '127.0.0.1', port: 5000 });
    assert.throws(() => parseConsoleAddress('localhost'), /--console takes host:port/);
    assert.throws(() => parseConsoleAddress('x:70000'), /--console takes host:port/);
  });

  it('reads the What-If form and names the fields in its messages', () => {
    assert.deepEqual(parseWhatIfForm(new URLSearchParams()).problems, []);
    const ok = parseWhatIfForm(
      new URLSearchParams(
        'user=a@b.c&app=Office&platform=iOS&device=isCompliant=true,trustType=AzureAD&against=tenant',
      ),
    );
    assert.deepEqual(ok.request, {
      user: 'a@b.c',
      application: 'Office',
      platform: 'iOS',
      device: { isCompliant: true, trustType: 'AzureAD' },
    });
    assert.equal(ok.against, 'tenant');
    const bad = parseWhatIfForm(new URLSearchParams('user=a@b.c&country=XX&ip=nope&device=compliant'));
    assert.equal(bad.request, undefined);
    assert.deepEqual(
      bad.problems.map((p) => p.split(':')[0]!.split(' must')[0]),
      ['Device attributes', 'Application (display name or appId)', 'IP address', 'Country (two-letter code)'],
    );
    const misspelt = parseWhatIfForm(new URLSearchParams('user=a@b.c&app=Office&device=isCompliantt=true'));
    assert.equal(misspelt.request, undefined);
    assert.match(misspelt.problems.join('\n'), /^Device attributes\b.*isCompliantt/m);
  });

  it('What If with several tenants: the form asks which, and the evaluator is told', async () => {
    const state = new ConsoleState();
    state.addTenant({ name: 'team-a/contoso' }, 'namespace team-a', 'correct');
    state.addTenant({ name: 'team-b/fabrikam' }, 'namespace team-b', 'warn');
    state.setHost({ description: 'Served by replica r1.', desiredState: 'the custom resources' });
    const asked: string[] = [];
    state.setWhatIf({
      evaluate: (_request, against, tenant) => {
        asked.push(`${tenant} ${against}`);
        return Promise.resolve({ ok: false, message: `evaluated for ${tenant}` });
      },
    });
    const ctx = { state, allowActions: false, csrfToken: 't' };
    const form = await renderHtmlPage('whatif', '/whatif', new URLSearchParams(), ctx);
    assert.match(form, /<label for="f-tenant">Tenant<\/label>/);
    assert.match(form, /the desired state \(the custom resources\)/);
    const query = (extra: string) => new URLSearchParams(`user=a@b.c&app=Office${extra}`);
    const answered = await renderHtmlPage('whatif', '/whatif', query('&tenant=team-b%2Ffabrikam'), ctx);
    assert.match(answered, /evaluated for team-b\/fabrikam/);
    assert.match(answered, /<option value="team-b\/fabrikam"\s+selected>/);
    const unknown = await renderHtmlPage('whatif', '/whatif', query('&tenant=elsewhere%2Fx'), ctx);
    assert.match(unknown, /no tenant named &#39;elsewhere\/x&#39; is served by this console/);
    assert.deepEqual(asked, ['team-b/fabrikam desired']);
    // One tenant: no choice to make, the field is hidden.
    state.removeTenant('team-b/fabrikam');
    const single = await renderHtmlPage('whatif', '/whatif', new URLSearchParams(), ctx);
    assert.doesNotMatch(single, /f-tenant/);
    assert.match(single, /type="hidden" name="tenant" value="team-a\/contoso"/);
  });
});
