/**
 * Lockout findings as diagnostics: each names the policy, the account and the way out, and points at the policy's
 * manifest when accord manages it. Always errors: there is no override, the fix is in the manifests.
 */
import { error, type Diagnostic, type SourceLocation } from '../core/diagnostics.ts';
import type { BreakGlassFacts } from '../lint/tenant-facts.ts';
import type { LockoutFinding } from './check-lockout.ts';
import type { PolicyAfterPlan } from './tenant-after-plan.ts';

function locationOf(policy: PolicyAfterPlan): SourceLocation | undefined {
  return policy.file ? { file: policy.file, line: policy.line ?? 1, column: 1 } : undefined;
}

function unmanagedNote(policy: PolicyAfterPlan): string {
  return policy.file
    ? ''
    : ` '${policy.displayName}' is not managed by accord: change it in the tenant, or adopt it ('accord adopt') and fix its manifest.`;
}

function breakGlassWayOut(policy: PolicyAfterPlan, account: string, breakGlass: BreakGlassFacts): string {
  const group = breakGlass.groups[0];
  const first = group
    ? `exclude the ${group.displayName} group from '${policy.displayName}' (conditions.users.excludeGroups)`
    : `exclude ${account} from '${policy.displayName}' (conditions.users.excludeUsers)`;
  return `Way out: ${first}, or narrow the policy so it does not cover the account.${unmanagedNote(policy)}`;
}

function withLocation(policy: PolicyAfterPlan): { location?: SourceLocation } {
  const location = locationOf(policy);
  return location ? { location } : {};
}

export function lockoutDiagnostic(finding: LockoutFinding, breakGlass: BreakGlassFacts): Diagnostic {
  switch (finding.kind) {
    case 'breakGlass': {
      const { policy, account, example } = finding;
      const what = finding.unmet.includes('block')
        ? 'would be blocked by'
        : `would face a control it cannot satisfy (${finding.unmet.join(', ')}) required by`;
      return error(
        'lockout-break-glass',
        `lockout: break-glass account ${account} ${what} '${policy.displayName}' (signing in to ${example.app.label}, ${example.context})`,
        { detail: breakGlassWayOut(policy, account, breakGlass), ...withLocation(policy) },
      );
    }
    case 'caller':
      return error(
        'lockout-caller',
        `lockout: '${finding.policy.displayName}' would block ${finding.caller}, the identity running accord (${finding.example.context})`,
        {
          detail: `Way out: exclude the service principal ${finding.caller} from '${finding.policy.displayName}' (conditions.clientApplications.excludeServicePrincipals), or accord could never change the tenant again.${unmanagedNote(finding.policy)}`,
          ...withLocation(finding.policy),
        },
      );
    case 'admins': {
      const names = finding.policies.map((p) => `'${p.displayName}'`).join(', ');
      const first = finding.policies[0];
      return error(
        'lockout-admins',
        `lockout: none of the ${finding.admins} administrators (Global / Conditional Access Administrator) could reach ${finding.apps.map((a) => a.label).join(', ')}: blocked by ${names || 'the policies'} in every sign-in tried`,
        {
          detail: `Way out: exclude the break-glass group or an administrators' group from ${names || 'the blocking policies'}, or allow a trusted location.`,
          ...(first ? withLocation(first) : {}),
        },
      );
    }
  }
}
