/** A policy test run as JUnit XML (`testsuites` / `testsuite` / `testcase` / `failure` | `error`), for CI. */
import type { CaseResult, SuiteResult, TestRun } from '../whatif-app/run-tests.ts';

/** XML 1.0 allows tab, newline and carriage return, and no other control character. */
function isForbiddenInXml(code: number): boolean {
  return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .split('')
    .filter((ch) => !isForbiddenInXml(ch.charCodeAt(0)))
    .join('');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function renderCase(suite: SuiteResult, c: CaseResult): string[] {
  const open = `    <testcase${attrs({ name: c.name, classname: suite.name, file: c.location.file, line: c.location.line, time: seconds(c.durationMs) })}`;
  if (c.status === 'passed') return [`${open}/>`];
  const tag = c.status === 'failed' ? 'failure' : 'error';
  const body = escapeXml(c.messages.join('\n'));
  return [
    `${open}>`,
    `      <${tag}${attrs({ message: c.messages[0] ?? c.status, type: c.status === 'failed' ? 'ExpectationFailed' : 'ScenarioError' })}>${body}</${tag}>`,
    '    </testcase>',
  ];
}

function renderSuite(suite: SuiteResult): string[] {
  const count = (status: string): number => suite.cases.filter((c) => c.status === status).length;
  const time = suite.cases.reduce((sum, c) => sum + c.durationMs, 0);
  const head = attrs({
    name: suite.name,
    file: suite.file,
    tests: suite.cases.length,
    failures: count('failed'),
    errors: count('error'),
    skipped: 0,
    time: seconds(time),
  });
  return [`  <testsuite${head}>`, ...suite.cases.flatMap((c) => renderCase(suite, c)), '  </testsuite>'];
}

export function renderJunit(run: TestRun): string {
  const head = attrs({
    name: 'accord test',
    tests: run.counts.tests,
    failures: run.counts.failed,
    errors: run.counts.errors,
    time: seconds(run.durationMs),
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${head}>`,
    ...run.suites.flatMap(renderSuite),
    '</testsuites>',
    '',
  ].join('\n');
}
