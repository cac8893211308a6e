/**
 * An accessibility audit that runs inside the page (no external tools): labels on every field, alt on images,
 * headings in order, tables with captions and header cells, landmarks, the skip link first, unique ids, names on
 * links and buttons, and the contrast of every piece of text against its background computed from the styles the
 * browser applied (WCAG 2 relative luminance; 4.5:1, or 3:1 for large text).
 *
 * Written as a string so the test code needs no DOM types; `page.evaluate(A11Y_AUDIT)` returns an `AuditResult`.
 */

export interface AuditResult {
  problems: string[];
  checked: { fields: number; headings: number; tables: number; texts: number; links: number };
  /** The lowest contrast ratio found, and where. */
  lowestContrast: { ratio: number; text: string };
}

export const A11Y_AUDIT = `(() => {
  const problems = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
  const fields = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')];
  for (const f of fields) {
    const named = (f.labels && f.labels.length > 0 && f.labels[0].textContent.trim() !== '') || f.getAttribute('aria-label') || f.getAttribute('aria-labelledby');
    if (!named) problems.push('field without a label: ' + describe(f));
  }
  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push('image without alt: ' + img.src);
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => ({ level: Number(h.tagName[1]), text: h.textContent.trim() }));
  if (headings.filter((h) => h.level === 1).length !== 1) problems.push('expected exactly one h1');
  if (headings[0] && headings[0].level !== 1) problems.push('the first heading is not h1');
  for (let i = 1; i < headings.length; i++)
    if (headings[i].level > headings[i - 1].level + 1) problems.push('heading level skipped before: ' + headings[i].text);
  const tables = [...document.querySelectorAll('table')];
  for (const t of tables) {
    if (!t.querySelector('caption') && !t.getAttribute('aria-label')) problems.push('table without caption');
    const heads = [...t.querySelectorAll('thead th')];
    if (heads.length === 0) problems.push('table without header cells');
    for (const th of heads) if (th.getAttribute('scope') !== 'col') problems.push('column header without scope: ' + th.textContent);
  }
  if (document.querySelectorAll('main').length !== 1) problems.push('expected one main landmark');
  if (!document.querySelector('body > header')) problems.push('no banner (header) landmark');
  if (!document.querySelector('nav[aria-label]')) problems.push('no labelled navigation landmark');
  if (!document.querySelector('body > footer')) problems.push('no contentinfo (footer) landmark');
  if (!document.documentElement.lang) problems.push('no lang on html');
  const focusable = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')];
  const first = focusable[0];
  if (!first || first.getAttribute('href') !== '#main' || !document.getElementById('main')) problems.push('the first focusable element is not a skip link to #main');
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dupes.length > 0) problems.push('duplicate ids: ' + [...new Set(dupes)].join(', '));
  const links = [...document.querySelectorAll('a[href], button')];
  for (const l of links) if (l.textContent.trim() === '' && !l.getAttribute('aria-label')) problems.push('link or button without a name: ' + describe(l));

  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null; const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const channel = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; }
    }
    let colour = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  let texts = 0;
  let lowest = { ratio: 99, text: '' };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || seen.has(el) || node.textContent.trim() === '') continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || rect.width === 0 || rect.bottom < -100) continue;
    if (el.closest('datalist, option, script, style')) continue;
    const fg = parse(style.color);
    const bg = background(el);
    const l1 = luminance(over(fg, bg));
    const l2 = luminance(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    texts++;
    if (ratio < lowest.ratio) lowest = { ratio: Math.round(ratio * 100) / 100, text: node.textContent.trim().slice(0, 40) };
    if (ratio < (large ? 3 : 4.5)) problems.push('contrast ' + ratio.toFixed(2) + ':1 for "' + node.textContent.trim().slice(0, 40) + '" (' + describe(el) + ')');
  }
  return { problems, checked: { fields: fields.length, headings: headings.length, tables: tables.length, texts, links: links.length }, lowestContrast: lowest };
})()`;

/** Describes the focused element and whether its focus indicator is visible (an outline of at least 2px). */
export const FOCUS_PROBE = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { id: '', tag: 'body', visible: false, name: '' };
  const style = getComputedStyle(el);
  const width = parseFloat(style.outlineWidth);
  return { id: el.id, tag: el.tagName.toLowerCase(), name: (el.getAttribute('name') || el.textContent || '').trim().slice(0, 40), visible: style.outlineStyle !== 'none' && width >= 2 };
})()`;
