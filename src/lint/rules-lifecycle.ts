/**
 * Rules about the change rather than the policy: a new policy should start report-only, and the tenant holds at
 * most 195 Conditional Access policies (graph-contract §7.6).
 */
import { error, warning, type Diagnostic } from '../core/diagnostics.ts';
import { createKey, desiredPolicies, type LintInput } from './lint-input.ts';
import { CA_POLICY_KIND, isEnabled } from './policy-view.ts';

export const POLICY_CAP = 195;

export function lintCreateEnabled(input: LintInput): Diagnostic[] {
  return desiredPolicies(input)
    .filter((p) => input.creates.has(createKey(CA_POLICY_KIND, p.name)) && isEnabled(p.state))
    .map((p) =>
      warning(
        'create-enabled',
        `'${p.displayName}' is created enforced (state: enabled) without a report-only period`,
        {
          detail:
            'Create it as enabledForReportingButNotEnforced first, check its impact in the sign-in logs, then switch it to enabled.',
          location: p.locate('/state'),
        },
      ),
    );
}

export function lintPolicyCap(input: LintInput): Diagnostic[] {
  if (input.policyCountAfter <= POLICY_CAP) return [];
  const firstCreate = desiredPolicies(input).find((p) =>
    input.creates.has(createKey(CA_POLICY_KIND, p.name)),
  );
  return [
    error(
      'policy-cap',
      `the tenant would hold ${input.policyCountAfter} Conditional Access policies; Entra allows ${POLICY_CAP}`,
      {
        detail:
          'Graph refuses the 196th policy. Merge policies that share conditions, or delete unused ones (apply with --prune).',
        ...(firstCreate ? { location: firstCreate.locate('') } : {}),
      },
    ),
  ];
}
