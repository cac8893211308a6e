/** Where a Conditional Access policy names other objects (graph-contract §2.3–2.6), and the special values there. */
import type { GraphBody } from '../../core/graph-port.ts';
import type { Reference, ReferenceType } from '../../core/kind.ts';
import { escapePointer, getAtPointer } from '../common/canonical.ts';

interface ReferenceSite {
  pointer: string;
  type: ReferenceType;
  /** Values Graph gives a meaning of their own (compared case-insensitively). */
  special: readonly string[];
}

const USERS_SPECIAL = ['All', 'None', 'GuestsOrExternalUsers'];
const APPS_SPECIAL = ['All', 'None', 'Office365', 'MicrosoftAdminPortals'];
const LOCATIONS_SPECIAL = ['All', 'AllTrusted', '00000000-0000-0000-0000-000000000000'];
const SP_SPECIAL = ['ServicePrincipalsInMyTenant'];

export const REFERENCE_SITES: readonly ReferenceSite[] = [
  { pointer: '/conditions/users/includeUsers', type: 'user', special: USERS_SPECIAL },
  { pointer: '/conditions/users/excludeUsers', type: 'user', special: USERS_SPECIAL },
  { pointer: '/conditions/users/includeGroups', type: 'group', special: [] },
  { pointer: '/conditions/users/excludeGroups', type: 'group', special: [] },
  { pointer: '/conditions/users/includeRoles', type: 'role', special: [] },
  { pointer: '/conditions/users/excludeRoles', type: 'role', special: [] },
  { pointer: '/conditions/applications/includeApplications', type: 'application', special: APPS_SPECIAL },
  { pointer: '/conditions/applications/excludeApplications', type: 'application', special: APPS_SPECIAL },
  {
    pointer: '/conditions/clientApplications/includeServicePrincipals',
    type: 'servicePrincipal',
    special: SP_SPECIAL,
  },
  {
    pointer: '/conditions/clientApplications/excludeServicePrincipals',
    type: 'servicePrincipal',
    special: SP_SPECIAL,
  },
  { pointer: '/conditions/locations/includeLocations', type: 'namedLocation', special: LOCATIONS_SPECIAL },
  { pointer: '/conditions/locations/excludeLocations', type: 'namedLocation', special: LOCATIONS_SPECIAL },
];

export const STRENGTH_POINTER = '/grantControls/authenticationStrength/id';

function isSpecial(value: string, special: readonly string[]): boolean {
  const lower = value.toLowerCase();
  return special.some((s) => s.toLowerCase() === lower);
}

/** Every name or id in a policy spec that refers to another object. */
export function findPolicyReferences(spec: GraphBody): Reference[] {
  const references: Reference[] = [];
  for (const site of REFERENCE_SITES) {
    const values = getAtPointer(spec, site.pointer);
    if (!Array.isArray(values)) continue;
    values.forEach((value, index) => {
      if (typeof value !== 'string' || isSpecial(value, site.special)) return;
      references.push({ type: site.type, pointer: `${site.pointer}/${escapePointer(String(index))}`, value });
    });
  }
  const strength = getAtPointer(spec, STRENGTH_POINTER);
  if (typeof strength === 'string') {
    references.push({ type: 'authenticationStrength', pointer: STRENGTH_POINTER, value: strength });
  }
  return references;
}
