/**
 * The plan comment's Markdown, as golden files under test/github/golden/ (`.md.golden`: Prettier must not reflow them) (ACCORD_UPDATE_GOLDEN=1 rewrites them;
 * review the diff), and its truncation.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { COMMENT_LIMIT, renderPlanComment } from '../../src/github/plan-comment-markdown.ts';
import { readHashMarker } from '../../src/github/markers.ts';
import { FIXTURES, hugePlan, locationCreate, planWith, REPO_ROOT } from './plan-fixtures.ts';

const UPDATE = process.env.ACCORD_UPDATE_GOLDEN === '1';
const golden = (name: string): URL => new URL(`golden/${name}.md.golden`, import.meta.url);

describe('plan comment Markdown', () => {
  for (const [name, plan] of Object.entries(FIXTURES)) {
    it(`${name} matches its golden file`, () => {
      const { body } = renderPlanComment(plan, { repoRoot: REPO_ROOT, runUrl: 'https://github.test/r/1' });
      if (UPDATE) writeFileSync(golden(name), body);
      assert.ok(existsSync(golden(name)), `no golden file for ${name}: run with ACCORD_UPDATE_GOLDEN=1`);
      assert.equal(body, readFileSync(golden(name), 'utf8'));
    });
  }

  it('starts with the tenant marker and records the content hash', () => {
    const comment = renderPlanComment(FIXTURES['mixed-changes']!);
    assert.ok(comment.body.startsWith('<!-- accord:plan tenant=production -->\n'));
    assert.equal(readHashMarker(comment.body), comment.hash);
  });

  it('is the same for the same plan, whatever the run', () => {
    const a = renderPlanComment(FIXTURES['mixed-changes']!, { runUrl: 'https://github.test/r/1' });
    const b = renderPlanComment(
      { ...FIXTURES['mixed-changes']!, createdAt: '2030-01-01T00:00:00Z' },
      { runUrl: 'x' },
    );
    assert.equal(a.hash, b.hash);
  });

  it('shows the impact placeholder, findings with relative paths, and fields as a YAML diff', () => {
    const { body } = renderPlanComment(FIXTURES['mixed-changes']!, { repoRoot: REPO_ROOT });
    assert.match(body, /#### Sign-in impact\n\n> The sign-in impact was not computed/);
    assert.match(body, /`policies\/conditional-access\/require-mfa-guests\.yaml:7` · `report-only`/);
    assert.match(body, /```diff\n- state: enabledForReportingButNotEnforced\n\+ state: enabled\n/);
    assert.match(body, /\n\+ {3}- IT \| Ops <admins>\n/);
    assert.doesNotMatch(body, new RegExp(REPO_ROOT));
  });

  it('escapes names for where they land: raw HTML, table cells, code spans', () => {
    const odd = '<b>x</b> | *y* `z`';
    const plan = planWith([{ ...locationCreate, name: 'odd', displayName: odd }]);
    plan.diagnostics = [{ severity: 'error', code: 'c|d', summary: odd }];
    const { body } = renderPlanComment(plan);
    assert.match(
      body,
      /<code>odd<\/code> “&lt;b&gt;x&lt;\/b&gt; \| \*y\* `z`”/,
      'summary line: HTML entities only',
    );
    assert.match(
      body,
      /\| &lt;b&gt;x&lt;\/b&gt; \\\| \\\*y\\\* \\`z\\`<br>`c\\\|d` \|/,
      'table cell: entities and escapes',
    );
  });

  it('cuts a plan too long for a comment at a section boundary, pointing to the job summary', () => {
    const plan = hugePlan();
    const comment = renderPlanComment(plan, {
      runUrl: 'https://github.test/contoso/policies/actions/runs/7',
    });
    assert.ok(comment.full.length > 3 * COMMENT_LIMIT, 'the fixture must be far over the limit');
    assert.equal(comment.truncated, true);
    assert.ok(comment.body.length <= COMMENT_LIMIT, `${comment.body.length} characters`);
    assert.match(comment.body, /too long for a comment\*\*: \d+ changes not shown here/);
    assert.match(comment.body, /\n> ✂️ Not shown here: \d+ changes\. The full plan is in the \[job summary/);
    assert.match(
      comment.body,
      /\[job summary of this run\]\(https:\/\/github\.test\/contoso\/policies\/actions\/runs\/7\)/,
    );
    assert.equal(comment.body.split('<details>').length, comment.body.split('</details>').length, 'balanced');
  });
});
