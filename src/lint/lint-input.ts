/** What every semantic lint rule reads: the desired objects, the tenant's objects, the plan's creates, the facts. */
import type { Diagnostic, SourceLocation } from '../core/diagnostics.ts';
import type { GraphBody } from '../core/graph-port.ts';
import type { DesiredObject, LiveObject } from '../core/kind.ts';
import { CA_POLICY_KIND } from './policy-view.ts';
import type { TenantFacts } from './tenant-facts.ts';

export interface LintInput {
  desired: readonly DesiredObject[];
  live: ReadonlyMap<string, readonly LiveObject[]>;
  /** `kind/name` of the desired objects the plan creates. */
  creates: ReadonlySet<string>;
  /** How many Conditional Access policies the tenant holds once the plan is applied. */
  policyCountAfter: number;
  facts: TenantFacts;
  /** Readable names of ids (the resolution's), for messages. */
  names?: ReadonlyMap<string, string>;
}

export type LintRule = (input: LintInput) => Diagnostic[];

/** One desired Conditional Access policy with a way to point at its manifest. */
export interface PolicyUnderLint {
  name: string;
  displayName: string;
  state: GraphBody;
  locate(pointer: string): SourceLocation;
  object: DesiredObject;
}

export function createKey(kind: string, name: string): string {
  return `${kind}/${name}`;
}

export function desiredPolicies(input: Pick<LintInput, 'desired'>): PolicyUnderLint[] {
  return input.desired
    .filter((d) => d.kind === CA_POLICY_KIND)
    .map((d) => ({
      name: d.name,
      displayName: d.displayName,
      state: d.state,
      locate: (pointer: string) => d.manifest.source.locate(`/spec${pointer}`),
      object: d,
    }));
}
