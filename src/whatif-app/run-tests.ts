/** Runs policy test files: each scenario one What-If, checked against its expectation. */
import type { SourceLocation } from '../core/diagnostics.ts';
import { runSignIn, type WhatIfSession } from './run-sign-in.ts';
import { checkExpectation } from './scenario-check.ts';
import type { PolicyTestFile } from './scenario-file.ts';

export type CaseStatus = 'passed' | 'failed' | 'error';

export interface CaseResult {
  name: string;
  status: CaseStatus;
  /** Why it failed (each unmet expectation) or the error (a name that does not resolve). */
  messages: string[];
  location: SourceLocation;
  durationMs: number;
}

export interface SuiteResult {
  name: string;
  file: string;
  cases: CaseResult[];
}

export interface TestRun {
  suites: SuiteResult[];
  counts: { tests: number; passed: number; failed: number; errors: number };
  durationMs: number;
}

async function runFile(session: WhatIfSession, file: PolicyTestFile): Promise<SuiteResult> {
  const cases: CaseResult[] = [];
  for (const scenario of file.scenarios) {
    const started = performance.now();
    const answer = await runSignIn(session, scenario.signIn);
    const messages = answer.ok ? checkExpectation(scenario.expect, answer.value) : [answer.message];
    const status: CaseStatus = !answer.ok ? 'error' : messages.length > 0 ? 'failed' : 'passed';
    const durationMs = performance.now() - started;
    cases.push({ name: scenario.name, status, messages, location: scenario.location, durationMs });
  }
  return { name: file.name, file: file.file, cases };
}

export async function runPolicyTests(
  session: WhatIfSession,
  files: readonly PolicyTestFile[],
): Promise<TestRun> {
  const started = performance.now();
  const suites: SuiteResult[] = [];
  for (const file of files) suites.push(await runFile(session, file));
  const all = suites.flatMap((s) => s.cases);
  const count = (status: CaseStatus): number => all.filter((c) => c.status === status).length;
  return {
    suites,
    counts: { tests: all.length, passed: count('passed'), failed: count('failed'), errors: count('error') },
    durationMs: performance.now() - started,
  };
}
