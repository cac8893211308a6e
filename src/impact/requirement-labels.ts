/**
 * A grant's controls as a requirement a reader understands ("MFA", "MFA or a compliant device"), interned across
 * the tenant's and the desired state's policies so that an outcome is a bitmask of requirements: the same
 * requirement from two different policies is the same bit, and a renamed policy changes nothing.
 */
import type { PreparedPolicy } from '../whatif/prepare.ts';
import type { GrantControl } from '../whatif/types.ts';

const BUILT_IN_LABELS: Record<string, string> = {
  mfa: 'MFA',
  compliantDevice: 'a compliant device',
  domainJoinedDevice: 'a hybrid-joined device',
  approvedApplication: 'an approved client app',
  compliantApplication: 'an app protection policy',
  passwordChange: 'a password change',
  riskRemediation: 'risk remediation',
};

/** 31 distinct requirements fit a bitmask; any further ones share the last bit (a note says so). */
export const MAX_REQUIREMENTS = 31;
export const OTHER_REQUIREMENTS = 'other controls';

export function labelControl(control: GrantControl): string {
  switch (control.kind) {
    case 'builtIn':
      return BUILT_IN_LABELS[control.control] ?? control.control;
    case 'authenticationStrength':
      return `authentication strength "${control.displayName}"`;
    case 'termsOfUse':
      return 'terms of use';
    case 'customFactor':
      return `custom control ${control.id}`;
  }
}

export function labelGrant(policy: PreparedPolicy): string | undefined {
  const grant = policy.grant;
  if (!grant || grant.controls.length === 0) return undefined;
  return grant.controls.map(labelControl).join(grant.operator === 'OR' ? ' or ' : ' and ');
}

export class RequirementTable {
  readonly labels: string[] = [];
  readonly #bits = new Map<string, number>();
  overflowed = false;

  bitOf(label: string): number {
    let index = this.#bits.get(label);
    if (index === undefined) {
      if (this.labels.length >= MAX_REQUIREMENTS - 1 && this.labels.length > 0) {
        this.overflowed = true;
        index = MAX_REQUIREMENTS - 1;
        if (this.labels.length === MAX_REQUIREMENTS - 1) this.labels.push(OTHER_REQUIREMENTS);
      } else {
        index = this.labels.length;
        this.labels.push(label);
      }
      this.#bits.set(label, index);
    }
    return 1 << index;
  }

  /** Per policy position, the bit of its requirement (0 when it has no controls). */
  bitsFor(policies: readonly PreparedPolicy[]): Int32Array {
    return Int32Array.from(policies, (p) => {
      const label = labelGrant(p);
      return label === undefined ? 0 : this.bitOf(label);
    });
  }

  labelOf(bit: number): string {
    return this.labels[bit] ?? OTHER_REQUIREMENTS;
  }
}
