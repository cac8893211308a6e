/**
 * Putting text from manifests and the tenant (display names, paths, values) into GitHub-flavoured Markdown so that it
 * reads literally: a `|` does not split a table cell, `**` does not turn bold, `<img …>` is not an element, a
 * backtick does not end a code span. Which escaping is right depends on where the text lands: inside raw HTML (a
 * `<summary>` line, where Markdown is not parsed), in Markdown prose, in a code span, or in a fenced block.
 */

/** Text for raw HTML: entities for `&`, `<`, `>` and `"`, one line. */
export function htmlText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

/** `<code>` for raw HTML (a `<summary>` line). */
export function htmlCode(text: string): string {
  return `<code>${htmlText(text)}</code>`;
}

/** Markdown punctuation that can start emphasis, links, code, tables, strikethrough or an escape. */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~#!]/g;

/**
 * Text for Markdown prose or a table cell: HTML entities, a backslash before Markdown punctuation (CommonMark treats
 * `\x` as a literal x for any ASCII punctuation; GFM tables also honour `\|`), one line.
 */
export function markdownText(text: string): string {
  return htmlText(text).replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/**
 * A Markdown code span that shows `text` exactly: delimited by more backticks than it contains, padded when it
 * starts or ends with one. `inTable` escapes `|`, which GFM splits cells on even inside code spans.
 */
export function codeSpan(text: string, options: { inTable?: boolean } = {}): string {
  let shown = text.replace(/\s*[\r\n]+\s*/g, ' ');
  if (options.inTable) shown = shown.replace(/\|/g, '\\|');
  const ticks = '`'.repeat(longestRun(shown, '`') + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || shown.trim() === '' ? ' ' : '';
  return `${ticks}${pad}${shown}${pad}${ticks}`;
}

/** A fenced code block (fence longer than any backtick run inside), ending with a newline. */
export function fencedBlock(text: string, language = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}${language}\n${text}\n${fence}\n`;
}

/** `1 warning`, `2 warnings`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
