/**
 * The frame of the local tenant's sign-in pages: plain HTML and CSS, no scripts, no external resources. It looks like
 * a sign-in page and says plainly that it is accord's local tenant, not Microsoft's.
 */

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += renderValue(value) + strings[i + 1]!;
  });
  return new Html(out);
}

function renderValue(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

const STYLE = `
*{box-sizing:border-box}
html{font-size:100%}
body{margin:0;min-height:100vh;font-family:"Segoe UI","Helvetica Neue",Arial,sans-serif;color:#1b1b1b;
  background:#eef2f6;display:flex;flex-direction:column;align-items:center}
.banner{width:100%;background:#1b1b1b;color:#fff;padding:.5rem 1rem;font-size:.875rem;text-align:center}
.banner strong{color:#fff}
main{width:100%;max-width:27.5rem;margin:2.5rem 1rem;background:#fff;padding:2.25rem 2.5rem 2rem;
  box-shadow:0 2px 6px rgba(0,0,0,.2)}
main.wide{max-width:60rem}
select{font:inherit;font-size:1rem;padding:.4rem;min-width:20rem;max-width:100%;border:1px solid #605e5c;background:#fff}
.brand{display:flex;align-items:center;gap:.5rem;font-weight:600;font-size:1rem;color:#1b1b1b;margin-bottom:1rem}
.logo{display:inline-flex;align-items:center;justify-content:center;width:1.6rem;height:1.6rem;color:#fff;
  font-weight:700;font-size:.95rem;border-radius:3px}
h1{font-size:1.5rem;font-weight:600;margin:.25rem 0 1rem}
h2{font-size:1.125rem;margin:1.5rem 0 .5rem}
p{line-height:1.45;margin:.5rem 0}
.identity{display:inline-block;margin-bottom:.75rem;font-size:.9375rem}
label{display:block;font-size:.9375rem;margin:.75rem 0 .25rem}
input[type=text],input[type=email],input[type=password],input[type=number]{width:100%;font:inherit;font-size:1rem;
  padding:.45rem .1rem;border:0;border-bottom:1px solid #605e5c;background:transparent}
input:focus{outline:none;border-bottom:2px solid #0067b8}
.checkbox{display:flex;gap:.5rem;align-items:flex-start;margin:1rem 0}
.checkbox input{margin-top:.2rem;width:1.1rem;height:1.1rem}
.checkbox label{margin:0}
.actions{display:flex;justify-content:flex-end;gap:.5rem;margin-top:1.5rem;flex-wrap:wrap}
button,.button{font:inherit;font-size:.9375rem;min-width:6.75rem;padding:.45rem 1rem;border:1px solid #0067b8;
  background:#0067b8;color:#fff;cursor:pointer;text-decoration:none;text-align:center}
button.secondary,.button.secondary{background:#fff;color:#1b1b1b;border-color:#8a8886}
button:hover,.button:hover{background:#005da6;color:#fff}
button.secondary:hover,.button.secondary:hover{background:#f3f2f1;color:#1b1b1b}
a{color:#0067b8}
button.link{background:none;border:0;padding:0;min-width:0;color:#0067b8;text-decoration:underline;font-size:inherit}
button.link:hover{background:none;color:#004e8c}
:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}
.error{color:#a4262c;font-size:.9375rem;margin:.5rem 0}
.notice{background:#fff4ce;border-left:4px solid #8a6d00;padding:.6rem .8rem;margin:1rem 0}
.blocked{background:#fde7e9;border-left:4px solid #a4262c;padding:.6rem .8rem;margin:1rem 0}
ul.policies{margin:.5rem 0;padding-left:1.25rem}
ul.policies li{margin:.25rem 0}
dl.details{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;font-size:.8125rem;color:#323130;
  margin:1rem 0 0;word-break:break-all}
dl.details dt{font-weight:600}
dl.details dd{margin:0}
.code{font-family:Consolas,"Courier New",monospace;font-size:1.5rem;letter-spacing:.15em;font-weight:600;white-space:nowrap}
table{border-collapse:collapse;width:100%;font-size:.9375rem}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #c8c6c4;vertical-align:top}
pre{background:#f3f2f1;padding:.75rem;overflow:auto;font-size:.8125rem;white-space:pre-wrap;word-break:break-all}

.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{font-size:.8125rem;color:#323130;margin-bottom:2rem;text-align:center;padding:0 1rem}
`;

export interface PageOptions {
  title: string;
  /** The organisation the page speaks for (the tenant, or a guest's home organisation). */
  organisation: string;
  body: Html;
  wide?: boolean;
  /** The sample app's pages get their own colour, so the hand-over between app and tenant is visible. */
  kind?: 'tenant' | 'app';
}

function logo(organisation: string, kind: 'tenant' | 'app'): Html {
  const colour = kind === 'app' ? '#107c10' : '#0067b8';
  return html`<span class="logo" style="background:${colour}" aria-hidden="true"
    >${organisation.charAt(0).toUpperCase()}</span
  >`;
}

export function renderPage(options: PageOptions): string {
  return `<!doctype html>${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${options.title} · ${options.organisation}</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <div class="banner" role="note">
          <strong>accord local tenant</strong> — a development tenant on this computer, not Microsoft Entra
          ID.
        </div>
        <main class="${options.wide ? 'wide' : ''}">
          <div class="brand">
            ${logo(options.organisation, options.kind ?? 'tenant')}<span>${options.organisation}</span>
          </div>
          ${options.body}
        </main>
        <footer>
          Served by accord's local tenant. Passwords and codes here are for trying policies only.
        </footer>
      </body>
    </html>`.text
  }`;
}
