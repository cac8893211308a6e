/** The page shell every console page shares: skip link, header with the navigation, main landmark, footer. */
import { html, type Html } from './html.ts';

export interface PageLink {
  path: string;
  label: string;
}

export const PAGES: readonly PageLink[] = [
  { path: '/', label: 'Status' },
  { path: '/plan', label: 'Plan' },
  { path: '/findings', label: 'Findings' },
  { path: '/drift', label: 'Drift history' },
  { path: '/whatif', label: 'What If' },
];

export interface PageInput {
  path: string;
  title: string;
  body: Html;
  /** State version for the refresh poll; absent disables it (forms). */
  version?: number;
  allowActions: boolean;
}

export function renderPage(input: PageInput): string {
  const nav = PAGES.map(
    (p) =>
      html`<li>
        <a href="${p.path}" ${p.path === input.path ? html` aria-current="page"` : ''}>${p.label}</a>
      </li>`,
  );
  const refresh = input.version === undefined ? '' : html` data-version="${input.version}"`;
  const mode = input.allowActions ? 'Actions enabled' : 'Read-only';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} — accord console</title>
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/console.js" defer></script>
</head>
<body${refresh}>
<a class="skip-link" href="#main">Skip to content</a>
<header class="top">
<p class="brand"><a href="/">accord console</a></p>
<nav aria-label="Console pages"><ul>${nav}</ul></nav>
<p class="mode">${mode}</p>
</header>
<main id="main" tabindex="-1">
<h1>${input.title}</h1>
${input.body}
</main>
<footer class="bottom">
<p>accord keeps the tenant's access policies in accord with their declared state. Times are UTC.
${input.version === undefined ? '' : html`This page refreshes itself when something changes.`}</p>
<p id="refresh-status" role="status" aria-live="polite"></p>
</footer>
</body>
</html>
`.text;
}
