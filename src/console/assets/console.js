/* global document, window, fetch, DOMParser, setInterval -- runs in the browser */
// accord console: progressive enhancement only. Every page works without it.
// 1. Pages with data-version poll /api/version and swap in the new <main> when the state changed (unless the reader
//    is working inside it), announcing the refresh politely.
// 2. On the What-If page, the answer takes focus so keyboard and screen-reader users land on it.
(() => {
  'use strict';
  const body = document.body;
  // A notice such as "drift check requested" belongs to the moment of the request, not to later refreshes.
  const here = new URL(window.location.href);
  if (here.searchParams.has('requested')) {
    here.searchParams.delete('requested');
    window.history.replaceState(null, '', here.pathname + here.search);
  }
  const answer = document.getElementById('answer');
  if (answer) answer.focus();
  if (!body.dataset.version) return;
  let version = body.dataset.version;
  const status = document.getElementById('refresh-status');
  const refresh = async () => {
    try {
      const reply = await fetch('/api/version', { cache: 'no-store' });
      if (!reply.ok) return;
      const current = String((await reply.json()).version);
      if (current === version) return;
      const main = document.querySelector('main');
      if (main && main.contains(document.activeElement) && document.activeElement !== main) return;
      const page = await fetch(window.location.href, { cache: 'no-store' });
      if (!page.ok) return;
      const next = new DOMParser().parseFromString(await page.text(), 'text/html');
      const nextMain = next.querySelector('main');
      if (!main || !nextMain) return;
      main.replaceChildren(...nextMain.childNodes);
      version = next.body.dataset.version || current;
      if (status) status.textContent = `Updated at ${new Date().toISOString().slice(11, 19)} UTC.`;
    } catch {
      // The console went away (accord stopped); try again at the next tick.
    }
  };
  setInterval(refresh, 2000);
})();
