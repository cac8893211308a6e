/**
 * The What-If case table (the engine's correctness bar): each case cites the rule of ca-evaluation.md it checks and is
 * run through the engine and through the local tenant's evaluate endpoint (`cases.test.ts`).
 */
import type { Json, WhatIfCase } from './case-builders.ts';
import { COMBINED_CASES } from './cases-combined.ts';
import { DEVICE_NETWORK_CASES } from './cases-device-network.ts';
import { IDENTITY_CASES } from './cases-identity.ts';
import { REFERENCE_AUDIT_ASSIGNMENT_CASES } from './cases-audit-assignments.ts';
import { REFERENCE_AUDIT_CONDITION_CASES } from './cases-audit-conditions.ts';
import { REFERENCE_AUDIT_FILTER_GRANT_CASES } from './cases-audit-filters-grants.ts';
import { REGISTRATION_CASES } from './cases-registration.ts';
import { RESOURCE_CASES } from './cases-resources.ts';

export type { WhatIfCase } from './case-builders.ts';

/** Named locations every case may name as `@loc:<key>`. */
export const FIXTURE_LOCATIONS: Record<string, Json> = {
  HQ: {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    displayName: 'What-If HQ',
    isTrusted: true,
    ipRanges: [
      { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' },
      { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8:abcd::/48' },
    ],
  },
  Branch: {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    displayName: 'What-If Branch',
    isTrusted: false,
    ipRanges: [
      {
        '@odata.type': '#microsoft.graph.iPv4Range',
        lowerAddress: '198.51.100.10',
        upperAddress: '198.51.100.20',
      },
      {
        '@odata.type': '#microsoft.graph.iPv6Range',
        lowerAddress: '2001:db8:1::1',
        upperAddress: '2001:db8:1::ff',
      },
    ],
  },
  Sanctioned: {
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    displayName: 'What-If Sanctioned',
    countriesAndRegions: ['KP', 'IR'],
    includeUnknownCountriesAndRegions: false,
  },
  Unknown: {
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    displayName: 'What-If Unknown countries',
    countriesAndRegions: ['RU'],
    includeUnknownCountriesAndRegions: true,
  },
};

export const CASES: WhatIfCase[] = [
  ...IDENTITY_CASES,
  ...RESOURCE_CASES,
  ...DEVICE_NETWORK_CASES,
  ...COMBINED_CASES,
  ...REGISTRATION_CASES,
  ...REFERENCE_AUDIT_ASSIGNMENT_CASES,
  ...REFERENCE_AUDIT_CONDITION_CASES,
  ...REFERENCE_AUDIT_FILTER_GRANT_CASES,
];
