/**
 * HTML built from tagged templates that escape every interpolated value unless it is already `Html` (made by
 * `html` itself or `raw` for trusted constants). A display name holding `<script>` is text, never markup.
 */

export class Html {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map((v: HtmlValue) => render(v)).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Markup written in this code base (never user or tenant data). */
export function raw(text: string): Html {
  return new Html(text);
}

export function join(items: readonly HtmlValue[], separator: HtmlValue = ''): Html {
  return new Html(items.map(render).join(render(separator)));
}

/** `<time>` with the ISO value and a readable UTC time; `sameDayAs` drops the date when it is that one's. */
export function time(iso: string | undefined, sameDayAs?: string): Html {
  if (!iso) return html`<span class="muted">never</span>`;
  let shown = iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
    .replace(/Z$/, ' UTC');
  if (sameDayAs && sameDayAs.slice(0, 10) === iso.slice(0, 10)) shown = shown.slice(11);
  return html`<time datetime="${iso}">${shown}</time>`;
}
