/** The kinds accord manages: one line per kind. Order of application comes from `dependsOn`, never from numbers. */
import type { KindModule } from '../core/kind.ts';
import { authenticationMethodsPolicyKind } from './authentication-methods-policy/index.ts';
import { authenticationStrengthPolicyKind } from './authentication-strength/index.ts';
import { conditionalAccessPolicyKind } from './conditional-access-policy/index.ts';
import { crossTenantAccessPolicyKind } from './cross-tenant-access-policy/index.ts';
import { namedLocationKind } from './named-location/index.ts';

export class KindRegistry {
  private readonly byName: Map<string, KindModule>;

  constructor(kinds: readonly KindModule[]) {
    this.byName = new Map(kinds.map((k) => [k.kind, k]));
  }

  get(kind: string): KindModule | undefined {
    return this.byName.get(kind);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Dependencies first: the order to create and update in (deletes run in reverse). */
  ordered(): KindModule[] {
    const out: KindModule[] = [];
    const seen = new Set<string>();
    const visit = (kind: KindModule, path: string[]): void => {
      if (seen.has(kind.kind)) return;
      if (path.includes(kind.kind))
        throw new Error(`kind dependency cycle: ${[...path, kind.kind].join(' → ')}`);
      for (const dep of kind.dependsOn) {
        const module = this.byName.get(dep);
        if (module) visit(module, [...path, kind.kind]);
      }
      seen.add(kind.kind);
      out.push(kind);
    };
    for (const kind of [...this.byName.values()].sort((a, b) => (a.kind < b.kind ? -1 : 1))) visit(kind, []);
    return out;
  }
}

export const registry = new KindRegistry([
  conditionalAccessPolicyKind,
  namedLocationKind,
  authenticationStrengthPolicyKind,
  authenticationMethodsPolicyKind,
  crossTenantAccessPolicyKind,
]);
