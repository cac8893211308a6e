/** The sign-in impact of a plan as HTML, from the report's data (the text and Markdown renderers read the same). */
import type { ImpactReport } from '../../impact/impact-types.ts';
import { html, type Html } from '../html.ts';
import { badge } from './common.ts';

const SHOWN = 50;

function breakGlassLine(report: ImpactReport): Html {
  const bg = report.breakGlass;
  if (bg.accounts === 0) return html`${badge('No break-glass accounts configured', 'warn')}`;
  if (bg.affected === 0) return html`${badge('Break-glass unaffected', 'ok')}`;
  return html`${badge('Break-glass affected', 'bad')} ${bg.changes.join('; ')}`;
}

function contextsOf(contexts: readonly string[]): string {
  return contexts.length <= 2 ? contexts.join('; ') : `${contexts.length} contexts, e.g. ${contexts[0]}`;
}

export function renderImpact(report: ImpactReport, headingLevel: 'h3' | 'h4'): Html {
  const t = report.totals;
  const heading = headingLevel === 'h3' ? html`<h3>Sign-in impact</h3>` : html`<h4>Sign-in impact</h4>`;
  const rows = report.changes.slice(0, SHOWN).map(
    (c) =>
      html`<tr>
        <td>${c.summary}</td>
        <td class="num">${c.users}</td>
        <td>${contextsOf(c.contexts)}</td>
        <td>${c.examples.join(', ')}</td>
      </tr>`,
  );
  const table =
    report.changes.length === 0
      ? html`<p>No sign-in outcome changes.</p>`
      : html`<div class="table-wrap">
            <table>
              <caption>
                Sign-in outcomes that change
              </caption>
              <thead>
                <tr>
                  <th scope="col">Change</th>
                  <th scope="col" class="num">Users</th>
                  <th scope="col">Contexts</th>
                  <th scope="col">Examples</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>
          </div>
          ${report.changes.length > SHOWN ? html`<p>…and ${report.changes.length - SHOWN} more changes (see the JSON).</p>` : ''}`;
  return html`${heading}
    <ul class="figures">
      <li><strong>${t.usersAffected}</strong> users see a different sign-in outcome</li>
      <li><strong>${t.usersNewlyBlocked}</strong> newly blocked</li>
      <li><strong>${t.usersNoLongerBlocked}</strong> no longer blocked</li>
      <li>${breakGlassLine(report)}</li>
    </ul>
    <p class="small">
      Checked ${report.directory.users} users (${report.directory.equivalenceClasses} equivalence classes) ×
      ${report.applications} applications × ${report.contexts} contexts: ${report.evaluations.performed}
      evaluations per side for ${report.evaluations.represented} sign-ins.
    </p>
    ${table}
    ${
      report.notes.length > 0
        ? html`<ul class="notes">
            ${report.notes.map((n) => html`<li>${n}</li>`)}
          </ul>`
        : ''
    }`;
}
