/**
 * The What-If page: a GET form (user, application, conditions; desired or tenant policies) and its answer as the
 * admin center's What If tool shows it: policies that will apply with their controls, policies that won't apply
 * with the reason, and the outcome.
 */
import { describeControl, describeOutcome } from '../../render/whatif-text.ts';
import type { ReportedPolicy, Target, WhatIfReport } from '../../whatif-app/run-sign-in.ts';
import { html, type Html } from '../html.ts';
import { SELECT_FIELDS, TEXT_FIELDS, type FormValues, type ParsedForm } from '../whatif-form.ts';
import { badge, type Tone } from './common.ts';

export interface WhatIfPageInput {
  form: ParsedForm;
  available: boolean;
  suggestions: { users: string[]; applications: string[] };
  /** The console's tenants; a choice is offered when there are several. */
  tenants?: readonly string[];
  /** The tenant evaluated. */
  tenant?: string;
  /** What the desired state is, in words (default "the policies in git"). */
  desiredState?: string;
  answer?: { ok: true; value: WhatIfReport } | { ok: false; message: string };
}

const HINTS: Partial<Record<keyof FormValues, string>> = {
  user: 'e.g. lena.fischer_fabrikam.com#EXT#@contoso.onmicrosoft.com',
  app: 'e.g. Windows Azure Service Management API',
  ip: 'optional; named locations match on it',
  country: 'optional, e.g. DE',
  device:
    'optional, for device filters: key=value pairs separated by commas, e.g. isCompliant=true, trustType=AzureAD',
};

/** Marks a field invalid when a problem names it (messages start with the field's label). */
function invalid(label: string, problems: readonly string[]): Html | string {
  return problems.some((p) => p.startsWith(label)) ? html` aria-invalid="true"` : '';
}

function textField(
  name: keyof typeof TEXT_FIELDS,
  values: FormValues,
  problems: readonly string[],
  list?: string,
): Html {
  const hint = HINTS[name];
  const hintId = `${name}-hint`;
  const required = name === 'user' || name === 'app' ? html` required aria-required="true"` : '';
  return html`<div class="field">
    <label for="f-${name}">${TEXT_FIELDS[name]}</label>
    <input
      id="f-${name}"
      name="${name}"
      type="text"
      value="${values[name] ?? ''}"
      ${list ? html` list="${list}"` : ''}${required}
      autocomplete="off"
      spellcheck="false"
      ${hint ? html` aria-describedby="${hintId}"` : ''}${invalid(TEXT_FIELDS[name], problems)}
    />
    ${hint ? html`<p class="hint" id="${hintId}">${hint}</p>` : ''}
  </div>`;
}

function selectField(
  name: keyof typeof SELECT_FIELDS,
  values: FormValues,
  problems: readonly string[],
): Html {
  const field = SELECT_FIELDS[name];
  const options = field.values.map(
    (v) => html`<option value="${v}" ${values[name] === v ? html` selected` : ''}>${v}</option>`,
  );
  return html`<div class="field">
    <label for="f-${name}">${field.label}</label>
    <select id="f-${name}" name="${name}" ${invalid(field.label, problems)}>
      <option value="">not given</option>
      ${options}
    </select>
  </div>`;
}

/** A choice of tenant when the console serves several; with one, it is named in a hidden field. */
function tenantField(input: WhatIfPageInput): Html | string {
  const tenants = input.tenants ?? [];
  if (tenants.length === 0) return '';
  if (tenants.length === 1) return html`<input type="hidden" name="tenant" value="${tenants[0]}" />`;
  const options = tenants.map(
    (t) => html`<option value="${t}" ${t === input.tenant ? html` selected` : ''}>${t}</option>`,
  );
  return html`<div class="field">
    <label for="f-tenant">Tenant</label>
    <select id="f-tenant" name="tenant">
      ${options}
    </select>
  </div>`;
}

function renderForm(input: WhatIfPageInput): Html {
  const v = input.form.values;
  const p = [...input.form.problems, ...(input.answer && !input.answer.ok ? [input.answer.message] : [])];
  const against = input.form.against;
  const datalists = html`<datalist id="users-list">
      ${input.suggestions.users.map((u) => html`<option value="${u}"></option>`)}
    </datalist>
    <datalist id="apps-list">
      ${input.suggestions.applications.map((a) => html`<option value="${a}"></option>`)}
    </datalist>`;
  return html`<form method="get" action="/whatif" class="whatif" aria-labelledby="form-heading">
    <h2 id="form-heading">Simulate a sign-in</h2>
    <fieldset>
      <legend>Who signs in to what</legend>
      ${tenantField(input)} ${textField('user', v, p, 'users-list')} ${textField('app', v, p, 'apps-list')}
    </fieldset>
    <fieldset>
      <legend>Conditions</legend>
      <div class="grid">
        ${selectField('platform', v, p)} ${selectField('clientApp', v, p)} ${textField('ip', v, p)}
        ${textField('country', v, p)} ${selectField('signInRisk', v, p)} ${selectField('userRisk', v, p)}
      </div>
      ${textField('device', v, p)}
    </fieldset>
    <fieldset>
      <legend>Evaluate against</legend>
      <div class="radio">
        <input
          type="radio"
          id="against-desired"
          name="against"
          value="desired"
          ${against === 'desired' ? html` checked` : ''}
        />
        <label for="against-desired"
          >the desired state (${input.desiredState ?? 'the policies in git'})</label
        >
      </div>
      <div class="radio">
        <input
          type="radio"
          id="against-tenant"
          name="against"
          value="tenant"
          ${against === 'tenant' ? html` checked` : ''}
        />
        <label for="against-tenant">the tenant as it is now</label>
      </div>
    </fieldset>
    ${datalists}
    <p><button type="submit">Run What If</button></p>
  </form>`;
}

function grantOf(grant: unknown): string {
  const g = (typeof grant === 'object' && grant !== null ? grant : {}) as Record<string, unknown>;
  const parts = Array.isArray(g.builtInControls)
    ? g.builtInControls.map((c) => describeControl(String(c)))
    : [];
  const strength = g.authenticationStrength as Record<string, unknown> | null | undefined;
  if (strength && (strength.displayName || strength.id))
    parts.push(describeControl(`authenticationStrength:${String(strength.displayName ?? strength.id)}`));
  if (Array.isArray(g.termsOfUse))
    parts.push(...g.termsOfUse.map((t) => describeControl(`termsOfUse:${String(t)}`)));
  if (parts.length === 0) return 'no grant control';
  return parts.join(String(g.operator ?? 'OR').toUpperCase() === 'AND' ? ' and ' : ' or ');
}

function sessionOf(session: unknown): string {
  const s = (typeof session === 'object' && session !== null ? session : {}) as Record<string, unknown>;
  const used = Object.entries(s).filter(([, value]) => {
    if (value === null || value === false || value === undefined) return false;
    return !(typeof value === 'object' && (value as Record<string, unknown>).isEnabled === false);
  });
  return used.length === 0 ? 'none' : used.map(([key]) => key).join(', ');
}

function policyTitle(p: ReportedPolicy): Html {
  const name =
    p.name && p.name !== p.displayName ? html` <span class="small">(<code>${p.name}</code>)</span>` : '';
  const reportOnly =
    p.state === 'enabledForReportingButNotEnforced'
      ? html` ${badge('Report-only: not enforced', 'neutral')}`
      : '';
  return html`<strong>${p.displayName}</strong>${name}${reportOnly}`;
}

function targetOf(target: Target): string {
  if (target.kind === 'application') return target.displayName;
  if (target.kind === 'userAction') return `user action ${target.userAction}`;
  return `authentication context ${target.value}`;
}

function outcomeTone(report: WhatIfReport): Tone {
  return report.outcome.kind === 'blocked' ? 'bad' : report.outcome.kind === 'granted' ? 'ok' : 'warn';
}

function outcomeWord(report: WhatIfReport): string {
  if (report.outcome.kind === 'blocked') return 'Blocked';
  if (report.outcome.kind === 'granted') return 'Granted';
  return 'Controls required';
}

function renderAnswer(report: WhatIfReport, input: WhatIfPageInput): Html {
  const applying = report.policies.filter((p) => p.policyApplies);
  const notApplying = report.policies.filter((p) => !p.policyApplies);
  const desired = `the desired state (${input.desiredState ?? 'git'})`;
  const source = report.against === 'desired' ? desired : 'the tenant as it is';
  const tenant = (input.tenants?.length ?? 0) > 1 && input.tenant ? ` of tenant ${input.tenant}` : '';
  const applyRows = applying.map(
    (p) =>
      html`<tr>
        <td>${policyTitle(p)}</td>
        <td>${grantOf(p.grantControls)}</td>
        <td>${sessionOf(p.sessionControls)}</td>
      </tr>`,
  );
  const notRows = notApplying.map(
    (p) =>
      html`<tr>
        <td>${policyTitle(p)}</td>
        <td>${p.reason ?? p.analysisReasons}</td>
      </tr>`,
  );
  return html`<section aria-labelledby="answer-heading" class="answer" id="answer" tabindex="-1">
    <h2 id="answer-heading">What If: ${report.subject.name} → ${targetOf(report.target)}</h2>
    <p class="outcome outcome-${outcomeTone(report)}">
      <strong>Outcome: ${outcomeWord(report)}.</strong> ${describeOutcome(report.outcome)}
    </p>
    <p class="small">Evaluated against ${source}${tenant}.</p>
    <h3>Policies that will apply (${applying.length})</h3>
    ${
      applying.length === 0
        ? html`<p>None.</p>`
        : html`<div class="table-wrap">
            <table>
              <caption class="visually-hidden">
                Policies that will apply
              </caption>
              <thead>
                <tr>
                  <th scope="col">Policy</th>
                  <th scope="col">Grant controls</th>
                  <th scope="col">Session controls</th>
                </tr>
              </thead>
              <tbody>
                ${applyRows}
              </tbody>
            </table>
          </div>`
    }
    <h3>Policies that won't apply (${notApplying.length})</h3>
    ${
      notApplying.length === 0
        ? html`<p>None.</p>`
        : html`<div class="table-wrap">
            <table>
              <caption class="visually-hidden">
                Policies that won't apply
              </caption>
              <thead>
                <tr>
                  <th scope="col">Policy</th>
                  <th scope="col">Why not</th>
                </tr>
              </thead>
              <tbody>
                ${notRows}
              </tbody>
            </table>
          </div>`
    }
    ${
      report.notes.length > 0
        ? html`<h3>Notes</h3>
            <ul class="notes">
              ${report.notes.map((n) => html`<li><code>${n.code}</code>: ${n.message}</li>`)}
            </ul>`
        : ''
    }
  </section>`;
}

function renderProblems(problems: readonly string[]): Html {
  return html`<div class="problems" role="alert" id="answer" tabindex="-1">
    <h2>The sign-in could not be simulated</h2>
    <ul>
      ${problems.map((p) => html`<li>${p}</li>`)}
    </ul>
  </div>`;
}

export function renderWhatIfBody(input: WhatIfPageInput): Html {
  if (!input.available) return html`<p class="empty">What If is not available from this host.</p>`;
  const intro = html`<p>
    Which Conditional Access policies apply to a sign-in, with which controls, and the outcome — like the What
    If tool of the admin center, evaluated by accord offline.
  </p>`;
  let result: Html | string = '';
  if (input.form.problems.length > 0) result = renderProblems(input.form.problems);
  else if (input.answer && !input.answer.ok) result = renderProblems([input.answer.message]);
  else if (input.answer?.ok) result = renderAnswer(input.answer.value, input);
  return html`${intro}${result}${renderForm(input)}`;
}
