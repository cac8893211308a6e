/**
 * The sign-in pages, each a function of what it shows. Forms post to the tenant's sign-in endpoint with the flow id
 * and the step; errors are announced (`role="alert"`) and tied to their field.
 */
import { html, type Html, renderPage } from './layout.ts';
import type { OutboxMessage } from './flow-state.ts';

export interface FlowPage {
  /** `/{tenantId}/_accord/signin` */
  action: string;
  flowId: string;
  tenantName: string;
  appName: string;
}

export interface TroubleshootingDetails {
  errorCode: number;
  correlationId: string;
  appName: string;
  appId: string;
  ipAddress: string;
  country: string | undefined;
  platform: string;
  userPrincipalName?: string;
}

function hidden(page: FlowPage, step: string): Html {
  return html`<input type="hidden" name="flow" value="${page.flowId}" /><input
      type="hidden"
      name="step"
      value="${step}"
    />`;
}

function errorLine(id: string, message: string | undefined): Html {
  return message ? html`<p class="error" id="${id}" role="alert">${message}</p>` : html``;
}

function textField(options: {
  id: string;
  label: string;
  type: string;
  autocomplete: string;
  value?: string;
  error?: string;
  inputmode?: string;
}): Html {
  const described = options.error ? `${options.id}-error` : '';
  return html`<label for="${options.id}">${options.label}</label>
    <input
      id="${options.id}"
      name="${options.id}"
      type="${options.type}"
      autocomplete="${options.autocomplete}"
      ${options.inputmode ? html`inputmode="${options.inputmode}"` : html``}
      value="${options.value ?? ''}"
      required
      autofocus
      ${described ? html`aria-invalid="true" aria-describedby="${described}"` : html``}
    />
    ${errorLine(`${options.id}-error`, options.error)}`;
}

export function usernamePage(
  page: FlowPage,
  options: { external: boolean; value?: string; error?: string },
): string {
  const label = options.external ? 'Email address' : 'Email or username';
  return renderPage({
    title: 'Sign in',
    organisation: page.tenantName,
    body: html`<h1>Sign in</h1>
      <p>to continue to <strong>${page.appName}</strong></p>
      <form method="post" action="${page.action}">
        ${hidden(page, 'username')}
        ${textField({ id: 'username', label, type: options.external ? 'email' : 'text', autocomplete: 'username', value: options.value, error: options.error })}
        <div class="actions"><button type="submit">Next</button></div>
      </form>`,
  });
}

export function passwordPage(page: FlowPage, options: { username: string; error?: string }): string {
  return renderPage({
    title: 'Enter password',
    organisation: page.tenantName,
    body: html`<div class="identity">${options.username}</div>
      <h1>Enter password</h1>
      <form method="post" action="${page.action}">
        ${hidden(page, 'password')}
        <input type="hidden" name="username" value="${options.username}" autocomplete="username" />
        ${textField({ id: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', error: options.error })}
        <div class="actions"><button type="submit">Sign in</button></div>
      </form>`,
  });
}

export function homePasswordPage(
  page: FlowPage,
  options: { username: string; homeName: string; homeDomain: string; requiresMfa: boolean; error?: string },
): string {
  const mfaChoice = options.requiresMfa
    ? html`<p class="notice">${options.homeName} asks for a verification code after your password.</p>`
    : html`<div class="checkbox">
        <input type="checkbox" id="homeMfa" name="homeMfa" value="yes" />
        <label for="homeMfa"
          >Also verify with a code sent to my email (multifactor authentication at ${options.homeName})</label
        >
      </div>`;
  return renderPage({
    title: 'Sign in at your home organisation',
    organisation: options.homeName,
    body: html`<div class="identity">${options.username}</div>
      <h1>Signing you in at your home organisation ${options.homeDomain}</h1>
      <p>
        You are a guest of <strong>${page.tenantName}</strong>. Your account belongs to
        <strong>${options.homeDomain}</strong>, so ${options.homeName} checks your password (simulated by the
        local tenant).
      </p>
      <form method="post" action="${page.action}">
        ${hidden(page, 'home-password')}
        <input type="hidden" name="username" value="${options.username}" autocomplete="username" />
        ${textField({ id: 'password', label: `Password at ${options.homeName}`, type: 'password', autocomplete: 'current-password', error: options.error })}
        ${mfaChoice}
        <div class="actions"><button type="submit">Sign in</button></div>
      </form>`,
  });
}

export function moreInformationPage(
  page: FlowPage,
  options: { username: string; policies: string[] },
): string {
  return renderPage({
    title: 'More information required',
    organisation: page.tenantName,
    body: html`<div class="identity">${options.username}</div>
      <h1>More information required</h1>
      <p>
        Your organisation needs more information to keep your account secure: a one-time passcode sent to your
        email.
      </p>
      <p>Required by Conditional Access:</p>
      <ul class="policies">
        ${options.policies.map((p) => html`<li>${p}</li>`)}
      </ul>
      <form method="post" action="${page.action}">
        ${hidden(page, 'send-code')}
        <div class="actions"><button type="submit">Next</button></div>
      </form>`,
  });
}

export function codePage(
  page: FlowPage,
  options: {
    username: string;
    sentTo: string;
    outboxUrl: string;
    organisation: string;
    firstFactor: boolean;
    /** Why the code is asked for, when it is a second factor (who asks for it). */
    purpose?: string;
    error?: string;
  },
): string {
  const heading = options.firstFactor ? 'Enter the code we emailed you' : 'Enter code';
  return renderPage({
    title: heading,
    organisation: options.organisation,
    body: html`<div class="identity">${options.username}</div>
      <h1>${heading}</h1>
      ${options.purpose ? html`<p>${options.purpose}</p>` : html``}
      <p>
        We emailed a one-time passcode to <strong>${options.sentTo}</strong>. The local tenant delivers it to
        its outbox: <a href="${options.outboxUrl}" target="_blank" rel="noopener">open the outbox</a> (a new
        tab) to read it.
      </p>
      <form method="post" action="${page.action}">
        ${hidden(page, 'code')}
        ${textField({ id: 'code', label: 'Code', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric', error: options.error })}
        <div class="actions"><button type="submit">Verify</button></div>
      </form>
      <form method="post" action="${page.action}">
        ${hidden(page, 'code')}<input type="hidden" name="resend" value="yes" />
        <p>Didn't get it? <button type="submit" class="link">Send a new code</button></p>
      </form>`,
  });
}

function details(d: TroubleshootingDetails): Html {
  return html`<h2>Troubleshooting details</h2>
    <dl class="details">
      <dt>Error code</dt>
      <dd>AADSTS${d.errorCode}</dd>
      ${
        d.userPrincipalName
          ? html`<dt>User</dt>
              <dd>${d.userPrincipalName}</dd>`
          : html``
      }
      <dt>App name</dt>
      <dd>${d.appName}</dd>
      <dt>App id</dt>
      <dd>${d.appId}</dd>
      <dt>IP address</dt>
      <dd>${d.ipAddress}${d.country ? ` (${d.country})` : ''}</dd>
      <dt>Device platform</dt>
      <dd>${d.platform}</dd>
      <dt>Correlation id</dt>
      <dd>${d.correlationId}</dd>
      <dt>Timestamp</dt>
      <dd>${new Date().toISOString()}</dd>
    </dl>`;
}

export function blockedPage(
  page: FlowPage,
  options: { policies: string[]; details: TroubleshootingDetails; returnUrl: string | undefined },
): string {
  return renderPage({
    title: 'You cannot access this right now',
    organisation: page.tenantName,
    wide: true,
    body: html`<h1>You cannot access this right now</h1>
      <p>
        Your sign-in was successful but does not meet the criteria to access <strong>${page.appName}</strong>.
      </p>
      <div class="blocked">
        <p><strong>Blocked by Conditional Access</strong></p>
        <ul class="policies">
          ${options.policies.map((p) => html`<li>${p}</li>`)}
        </ul>
      </div>
      ${options.returnUrl ? html`<div class="actions"><a class="button secondary" href="${options.returnUrl}">Back to ${page.appName}</a></div>` : html``}
      ${details(options.details)}`,
  });
}

export function cannotSatisfyPage(
  page: FlowPage,
  options: {
    requirement: string;
    reason: string;
    policies: string[];
    details: TroubleshootingDetails;
    returnUrl: string | undefined;
  },
): string {
  return renderPage({
    title: 'You cannot complete this sign-in',
    organisation: page.tenantName,
    wide: true,
    body: html`<h1>You cannot complete this sign-in</h1>
      <p>
        Access to <strong>${page.appName}</strong> requires <strong>${options.requirement}</strong>, which you
        cannot provide here.
      </p>
      <div class="blocked">
        <p><strong>Why</strong></p>
        <p>${options.reason}</p>
        <p>Conditional Access policies:</p>
        <ul class="policies">
          ${options.policies.map((p) => html`<li>${p}</li>`)}
        </ul>
      </div>
      ${options.returnUrl ? html`<div class="actions"><a class="button secondary" href="${options.returnUrl}">Back to ${page.appName}</a></div>` : html``}
      ${details(options.details)}`,
  });
}

export function errorPage(options: {
  organisation: string;
  title: string;
  errorCode: number;
  message: string;
}): string {
  return renderPage({
    title: options.title,
    organisation: options.organisation,
    wide: true,
    body: html`<h1>${options.title}</h1>
      <p>Sorry, but we're having trouble signing you in.</p>
      <div class="blocked">
        <p><strong>AADSTS${options.errorCode}</strong>: ${options.message}</p>
      </div>`,
  });
}

export function signedOutPage(options: { organisation: string; returnUrl: string | undefined }): string {
  return renderPage({
    title: 'Signed out',
    organisation: options.organisation,
    body: html`<h1>You signed out of your account</h1>
      <p>It's a good idea to close all browser windows.</p>
      ${options.returnUrl ? html`<div class="actions"><a class="button" href="${options.returnUrl}">Return to the application</a></div>` : html``}`,
  });
}

export function outboxPage(options: { organisation: string; messages: OutboxMessage[] }): string {
  const rows = options.messages.map(
    (m) =>
      html`<tr>
        <td>${new Date(m.sentAt).toLocaleTimeString('en-GB', { timeZone: 'UTC' })} UTC</td>
        <td>${m.from}</td>
        <td>${m.to}</td>
        <td>${m.subject}</td>
        <td><span class="code" aria-label="code ${m.code.split('').join(' ')}">${m.code}</span></td>
      </tr>`,
  );
  return renderPage({
    title: 'Outbox',
    organisation: options.organisation,
    wide: true,
    body: html`<h1>Outbox</h1>
      <p>
        Mail the local tenant "sent": the one-time passcodes of sign-ins in progress, newest first. Reload the
        page for new mail.
      </p>
      ${
        options.messages.length === 0
          ? html`<p>No mail yet.</p>`
          : html`<table>
              <caption class="sr-only">
                One-time passcodes
              </caption>
              <thead>
                <tr>
                  <th scope="col">Sent</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Code</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>`
      }
      <div class="actions"><a class="button secondary" href="">Reload</a></div>`,
  });
}
