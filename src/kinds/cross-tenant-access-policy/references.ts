/**
 * Where cross-tenant settings name objects of this tenant: the users and groups of the outbound settings (our
 * people going out) and the applications of the inbound settings (our apps guests may use). The other sides name
 * objects in the partner's tenant, which cannot be resolved here, so they are taken as written. `AllUsers` and
 * `AllApplications` are Graph's own values.
 */
import type { GraphBody } from '../../core/graph-port.ts';
import type { Reference, ReferenceLookup, ReferenceType } from '../../core/kind.ts';
import { cloneJson, getAtPointer, isRecord, setAtPointer } from '../common/canonical.ts';

const SPECIAL = new Set(['allusers', 'allapplications']);

const LOCAL_SITES: readonly { setting: string; part: string }[] = [
  { setting: 'b2bCollaborationOutbound', part: 'usersAndGroups' },
  { setting: 'b2bDirectConnectOutbound', part: 'usersAndGroups' },
  { setting: 'b2bCollaborationInbound', part: 'applications' },
  { setting: 'b2bDirectConnectInbound', part: 'applications' },
];

function typeOf(targetType: unknown): ReferenceType | undefined {
  if (targetType === 'user') return 'user';
  if (targetType === 'group') return 'group';
  if (targetType === 'application') return 'application';
  return undefined;
}

/** References inside one configuration (the default or a partner), below `base`. */
export function findConfigurationReferences(config: unknown, base: string): Reference[] {
  const references: Reference[] = [];
  for (const site of LOCAL_SITES) {
    const targets = getAtPointer(config, `/${site.setting}/${site.part}/targets`);
    if (!Array.isArray(targets)) continue;
    targets.forEach((target, index) => {
      if (!isRecord(target) || typeof target.target !== 'string') return;
      const type = typeOf(target.targetType);
      if (!type || SPECIAL.has(target.target.toLowerCase())) return;
      const pointer = `${base}/${site.setting}/${site.part}/targets/${index}/target`;
      references.push({ type, pointer, value: target.target });
    });
  }
  return references;
}

export function findCrossTenantReferences(spec: GraphBody): Reference[] {
  const references = findConfigurationReferences(spec.default, '/default');
  const partners = Array.isArray(spec.partners) ? spec.partners : [];
  partners.forEach((partner, index) =>
    references.push(...findConfigurationReferences(partner, `/partners/${index}`)),
  );
  return references;
}

export function resolveCrossTenantSpec(spec: GraphBody, lookup: ReferenceLookup): GraphBody {
  const resolved = cloneJson(spec);
  for (const reference of findCrossTenantReferences(spec))
    setAtPointer(resolved, reference.pointer, lookup.idOf(reference));
  return resolved;
}

/** Ids back to names inside one configuration (for export). */
export function nameConfiguration(config: GraphBody, lookup: ReferenceLookup): GraphBody {
  const named = cloneJson(config);
  for (const reference of findConfigurationReferences(config, '')) {
    setAtPointer(named, reference.pointer, lookup.nameOf(reference.type, reference.value));
  }
  return named;
}
