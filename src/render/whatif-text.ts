/**
 * A What-If report as the admin center's What If tool shows it: the policies that will apply with their grant and
 * session controls, the policies that won't apply with the reason, the outcome, and the notes on the choices the
 * engine took where the reference is ambiguous (docs/adr/0006-what-if-ambiguities.md).
 */
import type { Outcome, ReportedPolicy, Target, WhatIfReport } from '../whatif-app/run-sign-in.ts';
import type { TestRun } from '../whatif-app/run-tests.ts';
import { PLAIN, type Style } from './style.ts';

const CONTROL_WORDS: Record<string, string> = {
  mfa: 'MFA',
  compliantDevice: 'a compliant device',
  domainJoinedDevice: 'a hybrid joined device',
  approvedApplication: 'an approved client app',
  compliantApplication: 'an app protection policy',
  passwordChange: 'a password change',
  riskRemediation: 'risk remediation',
};

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function describeControl(control: string): string {
  const [kind, detail] = control.split(/:(.*)/s);
  if (detail === undefined) return CONTROL_WORDS[control] ?? control;
  if (kind === 'authenticationStrength') return `authentication strength '${detail}'`;
  return kind === 'termsOfUse' ? `terms of use ${detail}` : `custom control ${detail}`;
}

function describeGrant(grant: unknown): string | undefined {
  const g = record(grant);
  const parts = Array.isArray(g.builtInControls) ? g.builtInControls.map(String) : [];
  const strength = record(g.authenticationStrength);
  if (strength.displayName || strength.id)
    parts.push(`authentication strength '${String(strength.displayName ?? strength.id)}'`);
  if (Array.isArray(g.termsOfUse)) parts.push(...g.termsOfUse.map((t) => `terms of use ${String(t)}`));
  if (Array.isArray(g.customAuthenticationFactors)) parts.push(...g.customAuthenticationFactors.map(String));
  if (parts.length === 0) return undefined;
  return parts.join(String(g.operator ?? 'OR').toUpperCase() === 'AND' ? ' AND ' : ' OR ');
}

function describeSessionControl(key: string, value: unknown): string | undefined {
  const v = record(value);
  if (typeof value === 'boolean') return value ? key : undefined;
  if (Object.keys(v).length === 0 || v.isEnabled === false) return undefined;
  if (key === 'signInFrequency')
    return v.frequencyInterval === 'everyTime'
      ? 'sign-in frequency: every time'
      : `sign-in frequency: ${String(v.value)} ${String(v.type)}`;
  if (key === 'persistentBrowser') return `persistent browser: ${String(v.mode)}`;
  if (key === 'cloudAppSecurity') return `app control: ${String(v.cloudAppSecurityType)}`;
  return key;
}

function describeSession(session: unknown): string | undefined {
  const parts = Object.entries(record(session)).flatMap(([k, v]) => describeSessionControl(k, v) ?? []);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function titleOf(policy: ReportedPolicy): string {
  const name = policy.name && policy.name !== policy.displayName ? ` [${policy.name}]` : '';
  const reportOnly =
    policy.state === 'enabledForReportingButNotEnforced' ? ' (report-only: evaluated, not enforced)' : '';
  return `${policy.displayName}${name}${reportOnly}`;
}

function applyingLines(policy: ReportedPolicy, style: Style): string[] {
  const lines = [`  ${style.green('✓')} ${titleOf(policy)}`];
  const grant = describeGrant(policy.grantControls);
  if (grant) lines.push(`      grant: ${grant}`);
  const session = describeSession(policy.sessionControls);
  if (session) lines.push(`      session: ${session}`);
  return lines;
}

function notApplyingLines(policy: ReportedPolicy, style: Style): string[] {
  return [`  ${style.dim('·')} ${titleOf(policy)}`, `      ${policy.reason ?? policy.analysisReasons}`];
}

function targetOf(target: Target): string {
  if (target.kind === 'application') return target.displayName;
  if (target.kind === 'userAction') return `user action ${target.userAction}`;
  return `authentication context ${target.value}`;
}

export function describeOutcome(outcome: Outcome): string {
  if (outcome.kind === 'granted') return 'granted (no control to satisfy)';
  if (outcome.kind === 'blocked') {
    if (outcome.cause === 'legacyClient')
      return `blocked: a legacy client cannot satisfy the controls of ${outcome.by.join(', ')}`;
    return `blocked by ${outcome.by.join(', ')}`;
  }
  const controls = outcome.requires.map(describeControl);
  return `${controls.join(', ')} required by ${outcome.by.join(', ')}`;
}

function conditionLine(report: WhatIfReport): string {
  const entries = Object.entries(report.conditions).map(
    ([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
  );
  return entries.length > 0 ? entries.join(', ') : 'none given';
}

export function renderWhatIfText(report: WhatIfReport, style: Style = PLAIN): string {
  const source = report.against === 'desired' ? "the repository's policies" : "the tenant's policies";
  const applying = report.policies.filter((p) => p.policyApplies);
  const notApplying = report.policies.filter((p) => !p.policyApplies);
  const lines = [
    style.bold(`What If: ${report.subject.name} → ${targetOf(report.target)}`),
    `Evaluated against ${source}; conditions: ${conditionLine(report)}`,
    '',
    style.bold(`Policies that will apply (${applying.length})`),
    ...(applying.length > 0 ? applying.flatMap((p) => applyingLines(p, style)) : ['  none']),
    '',
    style.bold(`Policies that won't apply (${notApplying.length})`),
    ...(notApplying.length > 0 ? notApplying.flatMap((p) => notApplyingLines(p, style)) : ['  none']),
    '',
  ];
  const outcome = describeOutcome(report.outcome);
  const paint =
    report.outcome.kind === 'blocked'
      ? style.red
      : report.outcome.kind === 'granted'
        ? style.green
        : style.yellow;
  lines.push(`Outcome: ${paint(outcome)}`);
  if (report.notes.length > 0) {
    lines.push('', 'Notes (docs/adr/0006-what-if-ambiguities.md):');
    for (const note of report.notes) lines.push(`  ${note.code}: ${note.message}`);
  }
  return lines.join('\n');
}

/** A policy test run like unit tests: one line per scenario, the reasons under a failure, then the counts. */
export function renderTestRunText(run: TestRun, style: Style = PLAIN): string {
  const lines: string[] = [];
  for (const suite of run.suites) {
    lines.push(style.bold(`${suite.name} (${suite.file})`));
    for (const c of suite.cases) {
      const mark = c.status === 'passed' ? style.green('✔') : style.red('✖');
      lines.push(`  ${mark} ${c.name}${c.status === 'error' ? style.red(' (error)') : ''}`);
      for (const message of c.messages)
        lines.push(`      ${style.dim(`${c.location.file}:${c.location.line}:`)} ${message}`);
    }
  }
  const { tests, passed, failed, errors } = run.counts;
  if (tests === 0) lines.push('No scenarios found (tests/*.yaml).');
  const summary = `${tests} scenario${tests === 1 ? '' : 's'}: ${passed} passed, ${failed} failed, ${errors} error${errors === 1 ? '' : 's'}`;
  lines.push('', failed + errors > 0 ? style.red(summary) : style.green(summary));
  return lines.join('\n');
}
