/**
 * Network location (ca-evaluation §2.6): `All`, `AllTrusted` (trusted ip locations and the legacy MFA trusted IPs),
 * ip locations (IPv4/IPv6, CIDR or lower/upper bounds), country locations; include any / exclude any. A location
 * that cannot be decided from the input makes the policy `notEnoughInformation`.
 */
import { addNote, type ConditionCheck, type EvaluationContext } from './evaluation-context.ts';
import { type IpAddress, isInRange, parseIpAddress } from './ip-address.ts';
import type { PreparedLocation } from './prepare.ts';
import type { WhatIfNote } from './types.ts';

/** true / false, `unknown` when the input does not say, `invalid` for an id the tenant does not have. */
type LocationMatch = boolean | 'unknown' | 'invalid';

const LEGACY_TRUSTED_IPS = '00000000-0000-0000-0000-000000000000';

function isInTrustedLocation(ip: IpAddress, ctx: EvaluationContext): boolean {
  for (const location of ctx.tenant.locations.values()) {
    if (location.kind === 'ip' && location.isTrusted && location.ranges.some((r) => isInRange(ip, r)))
      return true;
  }
  return ctx.tenant.legacyTrustedRanges.some((r) => isInRange(ip, r));
}

/** `country` wins over the ip (no ip → country table offline): §2.6, §6 #8. */
function matchesCountry(
  location: Extract<PreparedLocation, { kind: 'country' }>,
  ctx: EvaluationContext,
  notes: WhatIfNote[],
): LocationMatch {
  const { country, ipAddress } = ctx.signIn.conditions;
  if (country !== undefined && country !== '') {
    if (ipAddress) {
      addNote(notes, {
        code: 'countryInputPreferred',
        message: "Both 'country' and 'ipAddress' given: 'country' decides country locations.",
      });
    }
    return location.countries.has(country.toUpperCase());
  }
  if (!ipAddress) return 'unknown';
  addNote(notes, {
    code: 'unknownCountry',
    message: 'Only an ip address was given and the engine has no ip→country table: the country is unknown.',
  });
  return location.includeUnknown;
}

function matchesLocation(
  id: string,
  ip: IpAddress | undefined,
  ctx: EvaluationContext,
  notes: WhatIfNote[],
): LocationMatch {
  if (id === 'all') return true;
  if (id === 'alltrusted') return ip ? isInTrustedLocation(ip, ctx) : 'unknown';
  if (id === LEGACY_TRUSTED_IPS)
    return ip ? ctx.tenant.legacyTrustedRanges.some((r) => isInRange(ip, r)) : 'unknown';
  const location = ctx.tenant.locations.get(id);
  if (!location) return 'invalid';
  if (location.kind === 'country') return matchesCountry(location, ctx, notes);
  return ip ? location.ranges.some((r) => isInRange(ip, r)) : 'unknown';
}

function matchesAny(ids: readonly string[], ctx: EvaluationContext, notes: WhatIfNote[]): LocationMatch {
  const text = ctx.signIn.conditions.ipAddress;
  const ip = text ? parseIpAddress(text) : undefined;
  const results = ids.map((id) => matchesLocation(id, ip, ctx, notes));
  if (results.includes('invalid')) return 'invalid';
  if (results.includes(true)) return true;
  return results.includes('unknown') ? 'unknown' : false;
}

export const checkLocation: ConditionCheck = (policy, ctx, notes) => {
  const locations = policy.locations;
  if (!locations) return undefined;
  const included = matchesAny(locations.include, ctx, notes);
  const excluded = matchesAny(locations.exclude, ctx, notes);
  if (included === 'invalid' || excluded === 'invalid') return 'invalidCondition';
  if (included === false || excluded === true) return 'location';
  if (included === 'unknown' || excluded === 'unknown') {
    addNote(notes, {
      code: 'missingLocationInput',
      message: 'The location condition needs an ip address or a country.',
    });
    return 'notEnoughInformation';
  }
  return undefined;
};
