/**
 * Checks a person makes when reading a comment: on the Markdown source, the blank lines GitHub needs for Markdown
 * inside `<details>` and for tables to end; in the browser, what is visible, what is collapsed, what the tables and
 * diff blocks look like, and that nothing meant as text became markup.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { commentPage } from './comment-page.ts';
import type { TestBrowser } from '../helpers/browser.ts';

/**
 * GitHub ends an HTML block (such as `<details><summary>…</summary>`) only at a blank line, and a table only at a
 * blank line: without them the Markdown after `</summary>` shows as raw text and `</details>` becomes a table row.
 */
/**
 * The little of the DOM these checks use, typed here because the project compiles without the DOM library. Functions
 * passed to `page.evaluate` run in the page and reach it as `(globalThis as unknown as Window).document`.
 */
interface Element {
  innerText: string;
  textContent: string | null;
  open: boolean;
  children: { length: number };
  scrollWidth: number;
  clientWidth: number;
  querySelector(selector: string): Element | null;
  querySelectorAll(selector: string): Iterable<Element>;
}
export interface Window {
  document: Element;
}

export function assertGithubBlankLines(markdown: string): void {
  const lines = markdown.split('\n');
  lines.forEach((line, i) => {
    const next = lines[i + 1];
    const previous = lines[i - 1];
    const at = `line ${i + 1}: ${line.slice(0, 80)}`;
    if (line.endsWith('</summary>'))
      assert.equal(next ?? '', '', `a blank line must follow </summary> (${at})`);
    if (line === '</details>') assert.equal(previous, '', `a blank line must precede </details> (${at})`);
    const isRow = line.startsWith('|');
    if (isRow && !(previous ?? '').startsWith('|'))
      assert.equal(previous ?? '', '', `a blank line must precede a table (${at})`);
    if (isRow && next !== undefined && !next.startsWith('|'))
      assert.equal(next, '', `a blank line must follow a table (${at})`);
  });
}

export async function openComment(browser: TestBrowser, markdown: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 880, height: 700 } });
  await page.setContent(commentPage(markdown));
  return page;
}

/** Text as rendered, with every collapsible section opened (closed sections hide their text from innerText). */
export async function renderedTextOpen(page: Page): Promise<string> {
  return page.evaluate(() => {
    const all = [...(globalThis as unknown as Window).document.querySelectorAll('#body details')];
    const wasOpen = all.map((d) => d.open);
    for (const d of all) d.open = true;
    const text = (globalThis as unknown as Window).document.querySelector('#body')!.innerText;
    all.forEach((d, i) => (d.open = wasOpen[i]!));
    return text;
  });
}

export interface TableShape {
  headers: string[];
  /** Cells per body row. */
  rowWidths: number[];
  /** The table is wider than the comment and scrolls sideways. */
  overflows: boolean;
}

/** Every table, measured with all collapsible sections open (a closed one has no layout). */
export async function tableShapes(page: Page): Promise<TableShape[]> {
  return page.evaluate(() => {
    const document = (globalThis as unknown as Window).document;
    const all = [...document.querySelectorAll('#body details')];
    const wasOpen = all.map((d) => d.open);
    for (const d of all) d.open = true;
    const shapes = [...document.querySelectorAll('#body table')].map((table) => ({
      headers: [...table.querySelectorAll('thead th')].map((th) => th.innerText.trim()),
      rowWidths: [...table.querySelectorAll('tbody tr')].map((tr) => tr.children.length),
      overflows: table.scrollWidth > table.clientWidth + 1,
    }));
    all.forEach((d, i) => (d.open = wasOpen[i]!));
    return shapes;
  });
}

/** The lines of each ```diff block, exactly as shown. */
export async function diffBlocks(page: Page): Promise<string[][]> {
  return page.evaluate(() =>
    [...(globalThis as unknown as Window).document.querySelectorAll('#body code.language-diff')].map((code) =>
      (code.textContent ?? '').split('\n'),
    ),
  );
}

/**
 * What every comment must satisfy: markers hidden, no Markdown or HTML syntax visible as text, tables with a header
 * and full rows, diff lines that start with `+`, `-` or a space, no element that only an injection would create, and
 * nothing fetched from the network. `literals` are texts from the plan that must show as typed (and may contain `**`
 * or `<details>`): they are set aside before looking for syntax.
 */
export async function assertReadsCleanly(
  page: Page,
  markdown: string,
  browser: TestBrowser,
  literals: readonly string[] = [],
): Promise<void> {
  assertGithubBlankLines(markdown);
  let text = await renderedTextOpen(page);
  for (const literal of literals) text = text.split(literal).join(' ');
  assert.doesNotMatch(text, /accord:(plan|hash|drift|data)|<!--/, 'a hidden marker is visible');
  for (const raw of [/\*\*/, /<\/?(details|summary|code|b|br|i)>/, /\|\s*-{3}/, /^#{1,6} /m, /```/, /^>/m])
    assert.doesNotMatch(text, raw, `raw Markdown or HTML is visible: ${raw}`);
  assert.doesNotMatch(text, /\\[\\`*_[\]|~#!]/, 'an escaping backslash is visible');
  assert.doesNotMatch(text, /&(amp|lt|gt|quot|#\d+);/, 'an HTML entity is visible as text');
  for (const table of await tableShapes(page)) {
    assert.ok(
      table.headers.length > 0 && table.headers.every((h) => h !== ''),
      'a table without a header row',
    );
    for (const width of table.rowWidths)
      assert.equal(width, table.headers.length, 'a row with missing cells');
  }
  for (const lines of await diffBlocks(page))
    for (const line of lines) assert.match(line, /^[+\- ]/, `a diff line without +, - or space: ${line}`);
  const injected = await page
    .locator('#body :is(script, img, iframe, style, input, [onerror], [onclick])')
    .count();
  assert.equal(injected, 0, 'text from the plan became an element');
  assert.equal(await page.title(), 'comment', 'a script from the plan ran');
  assert.deepEqual(browser.blockedRequests, [], 'the page fetched something off loopback');
}

/** Each `<details>` in `#body`: its summary text and whether it is open. */
export async function collapsibles(page: Page): Promise<{ summary: string; open: boolean }[]> {
  return page.evaluate(() =>
    [...(globalThis as unknown as Window).document.querySelectorAll('#body details')].map((d) => ({
      summary: d.querySelector('summary')?.innerText.trim() ?? '',
      open: d.open,
    })),
  );
}
