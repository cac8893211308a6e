/**
 * The semantic lint: every rule over the desired state, in one list (docs/lint-rules.md documents each code).
 * Pure: the tenant facts are read beforehand by `readTenantFacts`.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { LintInput, LintRule } from './lint-input.ts';
import { lintBlockEveryone, lintBreakGlassExcluded, lintBreakGlassUnresolved } from './rules-break-glass.ts';
import {
  lintMfaWithStrength,
  lintPasswordChange,
  lintPersistentBrowser,
  lintRegisterDevice,
} from './rules-grant.ts';
import { lintCreateEnabled, lintPolicyCap } from './rules-lifecycle.ts';
import { lintMfaNoUsableMethod, lintMfaOtpFirstFactor } from './rules-mfa-methods.ts';
import { lintReferences } from './rules-references.ts';

export const LINT_RULES: readonly LintRule[] = [
  lintBreakGlassUnresolved,
  lintBreakGlassExcluded,
  lintBlockEveryone,
  lintMfaNoUsableMethod,
  lintMfaOtpFirstFactor,
  lintMfaWithStrength,
  lintPasswordChange,
  lintRegisterDevice,
  lintPersistentBrowser,
  lintCreateEnabled,
  lintPolicyCap,
  lintReferences,
];

export function lintPolicies(input: LintInput): Diagnostic[] {
  return LINT_RULES.flatMap((rule) => rule(input));
}
