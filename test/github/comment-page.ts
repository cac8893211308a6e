/**
 * A comment body as GitHub shows it: GitHub-flavoured Markdown rendered by `marked` the way GitHub renders issue and
 * pull-request comments (tables, task lists, autolinks, fenced code, raw HTML such as `<details>`, and a single line
 * break kept as a break), inside a page whose CSS follows GitHub's light theme for comments. No external resources:
 * the page is self-contained.
 *
 * GitHub also sanitizes the HTML (it drops `<script>`, event handlers, `style`…); this page does not, on purpose: an
 * injection that GitHub would neutralise still shows up here as a real element, so a test can catch it.
 */
import { Marked, type Tokens } from 'marked';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** GitHub colours `diff` blocks line by line: additions green, deletions red, the rest plain. */
function renderCode({ text, lang }: Tokens.Code): string {
  const language = (lang ?? '').trim().split(/\s+/)[0] ?? '';
  const lines = text.split('\n').map((line) => {
    const escaped = escapeHtml(line);
    if (language !== 'diff') return escaped;
    if (line.startsWith('+')) return `<span class="pl-mi1">${escaped}</span>`;
    if (line.startsWith('-')) return `<span class="pl-md">${escaped}</span>`;
    return escaped;
  });
  const cls = language ? ` class="language-${escapeHtml(language)}"` : '';
  return `<div class="highlight"><pre><code${cls}>${lines.join('\n')}</code></pre></div>\n`;
}

const marked = new Marked({ gfm: true, breaks: true, async: false });
marked.use({ renderer: { code: renderCode } });

/** The comment's Markdown as HTML (what GitHub puts inside `.markdown-body`). */
export function renderCommentHtml(markdown: string): string {
  return marked.parse(markdown) as string;
}

const CSS = `
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: #f6f8fa; color: #1f2328;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.comment { width: 800px; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
.comment-header { padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0; font-size: 14px;
  color: #59636e; border-radius: 6px 6px 0 0; }
.comment-header b { color: #1f2328; }
.markdown-body { padding: 16px; font-size: 14px; line-height: 1.5; word-wrap: break-word; }
.markdown-body > *:first-child { margin-top: 0 !important; }
.markdown-body > *:last-child { margin-bottom: 0 !important; }
.markdown-body h1, .markdown-body h2, .markdown-body h3, .markdown-body h4 { margin-top: 24px; margin-bottom: 16px;
  font-weight: 600; line-height: 1.25; }
.markdown-body h3 { font-size: 1.25em; }
.markdown-body h4 { font-size: 1em; }
.markdown-body p, .markdown-body blockquote, .markdown-body ul, .markdown-body ol, .markdown-body table,
.markdown-body pre, .markdown-body details, .markdown-body .highlight { margin-top: 0; margin-bottom: 16px; }
.markdown-body blockquote { margin-left: 0; margin-right: 0; padding: 0 1em; color: #59636e;
  border-left: .25em solid #d1d9e0; }
.markdown-body blockquote > :last-child { margin-bottom: 0; }
.markdown-body details { display: block; }
.markdown-body summary { display: list-item; cursor: pointer; }
.markdown-body table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content;
  max-width: 100%; overflow: auto; font-variant: tabular-nums; }
.markdown-body table th { font-weight: 600; }
.markdown-body table th, .markdown-body table td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body table tr { background: #fff; border-top: 1px solid #d1d9e0b3; }
.markdown-body table tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body code, .markdown-body pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas,
  "Liberation Mono", monospace; }
.markdown-body code { padding: .2em .4em; margin: 0; font-size: 85%; white-space: break-spaces;
  background: #818b981f; border-radius: 6px; }
.markdown-body pre { padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45; background: #f6f8fa;
  border-radius: 6px; margin: 0; }
.markdown-body pre code { display: inline; padding: 0; margin: 0; background: transparent; border: 0;
  white-space: pre; font-size: 100%; word-wrap: normal; }
.markdown-body .pl-mi1 { color: #116329; background: #dafbe1; }
.markdown-body .pl-md { color: #82071e; background: #ffebe9; }
.markdown-body ul, .markdown-body ol { padding-left: 2em; }
.markdown-body .contains-task-list { list-style: none; }
.markdown-body a { color: #0969da; text-decoration: none; }
`;

/** A whole page: one comment box, headed like GitHub's, holding the rendered body. */
export function commentPage(markdown: string, author = 'github-actions[bot]'): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>comment</title>',
    `<style>${CSS}</style></head><body>`,
    `<div class="comment"><div class="comment-header"><b>${escapeHtml(author)}</b> commented</div>`,
    `<div class="markdown-body" id="body">${renderCommentHtml(markdown)}</div></div>`,
    '</body></html>',
  ].join('\n');
}
