/**
 * The plan comment, the job summary and the drift issue as a person reads them on GitHub: posted through the same
 * code as `accord github plan-comment` / `drift-issue` (to the fake GitHub server), the stored Markdown rendered as
 * GitHub renders comments (test/github/comment-page.ts) and opened in headless Chromium. Screenshots go to
 * test-output/screenshots/comment-*.png for a person to look at.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Diagnostic } from '../../src/core/diagnostics.ts';
import type { ImpactReport } from '../../src/impact/impact-types.ts';
import { summarize, type Plan, type ResourceChange } from '../../src/core/plan.ts';
import { runDriftIssue, runPlanComment } from '../../src/github/github-runs.ts';
import { COMMENT_LIMIT } from '../../src/github/plan-comment-markdown.ts';
import { launchBrowser, SCREENSHOT_DIR, type TestBrowser } from '../helpers/browser.ts';
import { copyExampleRepository, runAccord } from '../helpers/cli.ts';
import {
  assertReadsCleanly,
  collapsibles,
  type Window,
  diffBlocks,
  openComment,
  renderedTextOpen,
  tableShapes,
} from './comment-reader.ts';
import { startFakeGithub, type FakeGithub } from './fake-github-server.ts';
import { actionsEnv, FAST_THROTTLE } from './github-test-client.ts';
import { FIXTURES, hugePlan, legacyDelete, mfaUpdate, planWith, REPO_ROOT } from './plan-fixtures.ts';

const REPO = 'contoso/policies';
const RUN_URL = 'https://github.test/contoso/policies/actions/runs/4242';

/** Text that must show exactly as typed: HTML, Markdown emphasis, a table pipe, a backtick. */
const HOSTILE_NAME = '<img src=x onerror="document.title=1"> **not bold** | not a cell `tick` <details>';
const HOSTILE_VALUE = '<script>document.title="pwned"</script>';

const hostileChange: ResourceChange = {
  ...mfaUpdate,
  name: 'odd-names',
  displayName: HOSTILE_NAME,
  reason: '1 field differs from git',
  file: `${REPO_ROOT}/policies/conditional-access/odd-names.yaml`,
  fields: [
    {
      path: 'conditions.users.excludeGroups',
      before: ['A | B', 'Emergency access accounts'],
      after: ['A | B', HOSTILE_VALUE, '**x** _y_'],
    },
  ],
};

const hostileFinding: Diagnostic = {
  severity: 'error',
  code: 'unresolved-name',
  summary: "Group '<b>Ops</b> | *admins*' matches no group in the tenant",
  detail: 'Use the group’s exact display name or its object id.',
  location: { file: `${REPO_ROOT}/policies/conditional-access/odd-names.yaml`, line: 12, column: 9 },
};

const unmanagedHostile: ResourceChange = {
  kind: 'ConditionalAccessPolicy',
  name: 'Helpdesk <b>exception</b> | *x*',
  displayName: 'Helpdesk <b>exception</b> | *x*',
  action: 'unmanaged',
  reason: 'in the tenant, not in git; accord leaves it alone',
  fields: [],
};

function mixedPlan(): Plan {
  const base = FIXTURES['mixed-changes']!;
  const changes = [...base.changes, hostileChange, unmanagedHostile];
  return {
    ...base,
    changes,
    diagnostics: [hostileFinding, ...base.diagnostics],
    summary: summarize(changes),
  };
}

describe('the plan comment as a person reads it', () => {
  let browser: TestBrowser;
  let github: FakeGithub;
  let work: string;
  let pr: number;
  let summaryFile: string;

  before(async () => {
    browser = await launchBrowser();
    github = await startFakeGithub();
    work = mkdtempSync(join(tmpdir(), 'accord-comment-'));
    summaryFile = join(work, 'step-summary.md');
    pr = github.addIssue(REPO, { isPullRequest: true, title: 'Require MFA' }).number;
  });
  after(async () => {
    await browser.close();
    await github.close();
    rmSync(work, { recursive: true, force: true });
  });

  const ctx = () => ({
    env: actionsEnv(github, { GITHUB_STEP_SUMMARY: summaryFile }),
    client: { throttle: FAST_THROTTLE, warn: () => undefined },
  });

  /** `accord github plan-comment` on a saved plan; returns the comment body GitHub stored. */
  async function postPlan(plan: Plan, name: string, repoRoot = REPO_ROOT): Promise<string> {
    const file = join(work, `${name}.json`);
    writeFileSync(file, JSON.stringify(plan));
    writeFileSync(summaryFile, '');
    await runPlanComment({ plan: file, pr: String(pr), repoRoot, tenantName: name }, ctx());
    const mine = github.commentsOn(REPO, pr).filter((c) => c.body.includes(`tenant=${name} -->`));
    assert.equal(mine.length, 1);
    return mine[0]!.body;
  }

  async function shootOpen(page: Page, name: string): Promise<void> {
    await page.evaluate(() => {
      for (const d of (globalThis as unknown as Window).document.querySelectorAll('details')) d.open = true;
    });
    await browser.screenshot(page, `comment-${name}-open`);
  }

  /** As first seen, then with every section open. */
  async function shoot(page: Page, name: string): Promise<void> {
    await browser.screenshot(page, `comment-${name}`);
    await shootOpen(page, name);
  }

  it('shows a mixed plan: summary first, findings open, each change collapsed until clicked', async () => {
    const body = await postPlan(mixedPlan(), 'production');
    const page = await openComment(browser, body);
    await assertReadsCleanly(page, body, browser, [
      HOSTILE_NAME,
      HOSTILE_VALUE,
      '**x** _y_',
      'Helpdesk <b>exception</b> | *x*',
      '<b>Ops</b> | *admins*',
    ]);

    const heading = page.locator('#body > *').first();
    assert.equal(await heading.innerText(), 'accord plan — production');
    const summary = page.locator('#body p').first();
    assert.match(
      await summary.innerText(),
      /^Plan for tenant production .*1 to create, 2 to update, 1 to delete/,
    );
    const firstDetails = page.locator('#body details').first();
    assert.ok(
      (await summary.boundingBox())!.y < (await firstDetails.boundingBox())!.y,
      'the summary comes first',
    );

    await browser.screenshot(page, 'comment-mixed');
    const sections = await collapsibles(page);
    assert.deepEqual(
      sections.map((s) => s.open),
      [true, false, false, false, false, false],
      JSON.stringify(sections),
    );
    assert.equal(sections[0]!.summary, '1 error, 1 warning, 1 info');
    assert.match(
      sections[1]!.summary,
      /update ConditionalAccessPolicy require-mfa-all-users “Require MFA for all users” — 2 fields differ/,
    );
    assert.ok(sections[4]!.summary.includes(HOSTILE_NAME), `shown literally: ${sections[4]!.summary}`);
    assert.match(sections[5]!.summary, /^2 tenant objects not in git: accord leaves them alone$/);

    const [findings] = await tableShapes(page);
    assert.deepEqual(findings!.headers, ['Severity', 'Finding']);
    assert.equal(findings!.rowWidths.length, 3);
    assert.equal(findings!.overflows, false, 'the findings table fits the comment');
    const firstRow = await page.locator('#body table tbody tr').first().innerText();
    assert.equal(
      firstRow.replace(/\s*\n\s*/g, '\n').replace(/[\t\u00a0]/g, ' '),
      [
        "❌ error Group '<b>Ops</b> | *admins*' matches no group in the tenant",
        'Use the group’s exact display name or its object id.',
        'policies/conditional-access/odd-names.yaml:12 · unresolved-name',
      ].join('\n'),
    );

    // A closed change hides its diff; a click shows it, with +/- lines and YAML indentation kept.
    const update = page.locator('#body details').nth(1);
    assert.equal(await update.locator('pre').isVisible(), false);
    await update.locator('summary').click();
    assert.equal(await update.locator('pre').isVisible(), true);
    assert.deepEqual((await diffBlocks(page))[0], [
      '- state: enabledForReportingButNotEnforced',
      '+ state: enabled',
      '  conditions.users.excludeGroups:',
      '    - Emergency access accounts',
      '+   - IT | Ops <admins>',
    ]);
    const hostile = page.locator('#body details').nth(4);
    await hostile.locator('summary').click();
    assert.deepEqual((await hostile.locator('code.language-diff').textContent())!.split('\n'), [
      '  conditions.users.excludeGroups:',
      '    - A | B',
      '-   - Emergency access accounts',
      `+   - ${HOSTILE_VALUE}`,
      '+   - "**x** _y_"',
    ]);
    const unmanaged = page.locator('#body details').nth(5);
    await unmanaged.locator('summary').click();
    assert.match(
      await unmanaged.innerText(),
      /ConditionalAccessPolicy Helpdesk <b>exception<\/b> \| \*x\* — in the tenant/,
    );
    await shootOpen(page, 'mixed');
  });

  it('shows the job summary (the whole plan) the same way', async () => {
    await postPlan(mixedPlan(), 'production');
    const summary = readFileSync(summaryFile, 'utf8');
    assert.ok(!summary.includes('accord:plan'), 'the job summary carries no marker');
    const page = await openComment(browser, summary);
    await assertReadsCleanly(page, summary, browser, [
      HOSTILE_NAME,
      HOSTILE_VALUE,
      '**x** _y_',
      'Helpdesk <b>exception</b> | *x*',
      '<b>Ops</b> | *admins*',
    ]);
    assert.equal((await collapsibles(page)).length, 6);
  });

  it('shows a plan computed by `accord plan` on the example repository, with its impact and findings', async () => {
    const repo = copyExampleRepository({ into: join(work, 'repo') });
    const planFile = join(work, 'real-plan.json');
    const run = await runAccord(['plan', '--dir', repo, '--out', planFile]);
    assert.equal(run.code, 2, run.stderr);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    assert.ok(plan.impact, 'the example plan has a sign-in impact');
    const body = await postPlan(plan, 'local', repo);
    const page = await openComment(browser, body);
    await assertReadsCleanly(page, body, browser);

    const text = await renderedTextOpen(page);
    assert.match(text, /Sign-in impact\n+\d+ users see a different sign-in outcome/);
    const tables = await tableShapes(page);
    assert.deepEqual(
      tables.map((t) => t.headers),
      [
        ['Change', 'Users', 'Contexts', 'Examples'],
        ['Severity', 'Finding'],
      ],
    );
    assert.ok(
      tables.every((t) => !t.overflows),
      'no table scrolls sideways',
    );
    const changes = (await collapsibles(page)).filter((s) => s.summary.includes('create'));
    assert.equal(changes.length, 4);
    assert.ok(changes.every((c) => !c.open));
    // Paths are relative to the repository, never the runner's absolute paths.
    assert.ok(!text.includes(work), 'an absolute path leaked');
    const diffs = await diffBlocks(page);
    assert.equal(diffs.length, 4);
    assert.ok(
      diffs.every((lines) => lines.every((l) => l.startsWith('+ '))),
      'a create shows only added lines',
    );
    await shoot(page, 'example-repository');
  });

  it('shows names from the sign-in impact as text', async () => {
    const label = '<img src=x> **Payroll** app';
    const impact: ImpactReport = {
      directory: { users: 10, equivalenceClasses: 2, breakGlassAccounts: 0 },
      applications: 1,
      contexts: 1,
      evaluations: { performed: 2, represented: 10 },
      totals: { usersAffected: 3, usersNewlyBlocked: 0, usersNoLongerBlocked: 0 },
      breakGlass: { accounts: 0, affected: 0, changes: [] },
      changes: [
        {
          kind: 'newlyRequires',
          requirement: 'MFA',
          application: { appId: '11111111-2222-3333-4444-555555555555', label },
          users: 3,
          byUserKind: { member: 3 },
          breakGlassUsers: 0,
          contexts: ['browser on windows'],
          examples: ['bob_smith@contoso.test'],
          summary: `3 members newly require MFA for ${label}`,
        },
      ],
      notes: [],
    };
    const body = await postPlan({ ...planWith([mfaUpdate]), impact }, 'impact');
    const page = await openComment(browser, body);
    await assertReadsCleanly(page, body, browser, [label]);
    assert.match(await renderedTextOpen(page), /newly require MFA for <img src=x> \*\*Payroll\*\* app/);
  });

  it('shows a plan with nothing to do in a few lines', async () => {
    const body = await postPlan(FIXTURES['no-changes']!, 'quiet');
    const page = await openComment(browser, body);
    await assertReadsCleanly(page, body, browser);
    const text = await renderedTextOpen(page);
    assert.match(text, /0 to create, 0 to update, 0 to delete/);
    assert.match(text, /No lint findings\./);
    assert.match(text, /No changes: the tenant matches git\./);
    assert.equal((await collapsibles(page)).length, 0);
    await browser.screenshot(page, 'comment-no-changes');
  });

  it('cuts a plan too long for a comment between sections and points to the job summary', async () => {
    const plan = hugePlan();
    const body = await postPlan(plan, 'huge');
    assert.ok(body.length <= COMMENT_LIMIT, `${body.length} characters`);
    const page = await openComment(browser, body);
    await assertReadsCleanly(page, body, browser);
    const shown = (await collapsibles(page)).length;
    assert.ok(shown > 10 && shown < plan.changes.length, `${shown} of ${plan.changes.length} changes shown`);
    const omitted = plan.changes.length - shown;
    // Told before scrolling: the notice sits right under the summary, above the sections.
    const top = page.locator('#body > blockquote').first();
    assert.match(
      await top.innerText(),
      new RegExp(
        `^✂️ This plan is too long for a comment: ${omitted} changes not shown here\\. The full plan is in the job summary of this run, or run accord plan locally\\.$`,
      ),
    );
    const topBox = (await top.boundingBox())!;
    assert.ok(topBox.y < (await page.locator('#body details').first().boundingBox())!.y);
    // The page is tens of thousands of pixels tall: its start and its end, one screen each.
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'comment-truncated-start.png') });
    // And where the list stops.
    const pointer = page.locator('#body > blockquote').last();
    assert.equal(
      await pointer.innerText(),
      `✂️ Not shown here: ${omitted} changes. The full plan is in the job summary of this run.`,
    );
    for (const link of [top, pointer]) assert.equal(await link.locator('a').getAttribute('href'), RUN_URL);
    // The last kept change is whole: it opens and shows its diff.
    const last = page.locator('#body details').last();
    await last.locator('summary').click();
    assert.ok(await last.locator('code.language-diff').isVisible());
    await pointer.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'comment-truncated-end.png') });
    // The job summary holds every change.
    const summary = readFileSync(summaryFile, 'utf8');
    const full = await openComment(browser, summary);
    assert.equal((await collapsibles(full)).length, plan.changes.length);
  });

  it('shows the drift issue and the comment saying how the drift changed', async () => {
    const file = join(work, 'drift.json');
    const drift = async (changes: ResourceChange[]): Promise<void> => {
      writeFileSync(file, JSON.stringify(planWith(changes)));
      await runDriftIssue({ plan: file, repo: REPO, repoRoot: REPO_ROOT }, ctx());
    };
    await drift([mfaUpdate]);
    await drift([mfaUpdate, legacyDelete]);
    const issue = github.issues.get(REPO)!.find((i) => i.title === 'accord: drift in tenant production')!;
    const page = await openComment(browser, issue.body);
    await assertReadsCleanly(page, issue.body, browser);
    assert.equal(await page.locator('#body > *').first().innerText(), 'accord drift — production');
    assert.match(
      await page.locator('#body p').first().innerText(),
      /^The tenant production no longer matches git: 2 resources differ\./,
    );
    assert.equal((await collapsibles(page)).filter((s) => !s.open).length, 2);
    await shoot(page, 'drift-issue');

    const [note] = github.commentsOn(REPO, issue.number);
    const notePage = await openComment(browser, note!.body);
    await assertReadsCleanly(notePage, note!.body, browser);
    const noteText = await renderedTextOpen(notePage);
    assert.match(
      noteText,
      /Newly drifted\n+ConditionalAccessPolicy old-block-legacy \(apply would delete it\)/,
    );
    await browser.screenshot(notePage, 'comment-drift-changed');

    // One resource back in accord with git: named, with nothing for apply to do.
    await drift([legacyDelete]);
    const resolved = github.commentsOn(REPO, issue.number)[1]!.body;
    const resolvedPage = await openComment(browser, resolved);
    await assertReadsCleanly(resolvedPage, resolved, browser);
    assert.match(
      await renderedTextOpen(resolvedPage),
      /Back in accord with git\n+ConditionalAccessPolicy require-mfa-all-users\n+The issue description shows/,
    );
  });
});
