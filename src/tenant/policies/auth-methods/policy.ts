/**
 * The authentication methods policy singleton (graph-contract §4.1): its defaults and PATCH rules. Only
 * `registrationEnforcement`, `reconfirmationInDays`, `policyMigrationState` and `authenticationMethodConfigurations`
 * are writable; the read-only properties are refused with 400.
 */
import { badRequest } from '../../errors.ts';
import {
  hasOwn,
  isRecord,
  rejectUnknown,
  requireArray,
  requireBoolean,
  requireEnum,
  requireInteger,
  requireObject,
  type Json,
} from './json-checks.ts';
import { methodKeyForType } from './method-config.ts';
import { parseBaseTarget, parseExcludeTargets, rejectDuplicateTargets, type TargetScope } from './targets.ts';

export const AUTH_METHODS_POLICY_ID = 'authenticationMethodsPolicy';
const READ_ONLY = ['id', 'displayName', 'description', 'lastModifiedDateTime', 'policyVersion'];
const WRITABLE = [
  'registrationEnforcement',
  'reconfirmationInDays',
  'policyMigrationState',
  'authenticationMethodConfigurations',
];
const MIGRATION_STATES = [
  'preMigration',
  'migrationInProgress',
  'migrationComplete',
  'unknownFutureValue',
] as const;
const CAMPAIGN_STATES = ['default', 'enabled', 'disabled', 'unknownFutureValue'] as const;
const CAMPAIGN_PROPERTIES = [
  'snoozeDurationInDays',
  'state',
  'excludeTargets',
  'includeTargets',
  'enforceRegistrationAfterAllowedSnoozes',
];

export function defaultAuthenticationMethodsPolicy(now: string): Json {
  return {
    id: AUTH_METHODS_POLICY_ID,
    displayName: 'Authentication Methods Policy',
    description:
      'The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings',
    lastModifiedDateTime: now,
    policyVersion: '1.5',
    policyMigrationState: 'migrationComplete',
    reconfirmationInDays: 0,
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1,
        state: 'default',
        excludeTargets: [],
        includeTargets: [
          { id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' },
        ],
      },
    },
  };
}

function parseCampaignIncludeTargets(scope: TargetScope, raw: unknown, name: string): Json[] {
  const targets = requireArray(raw, name).map((item, i) => {
    const at = `${name}[${i}]`;
    const body = requireObject(item, at);
    rejectUnknown(
      body,
      ['id', 'targetType', 'targetedAuthenticationMethod'],
      'authenticationMethodsRegistrationCampaignIncludeTarget',
    );
    const method = body.targetedAuthenticationMethod ?? 'microsoftAuthenticator';
    if (method !== 'microsoftAuthenticator') {
      throw badRequest(
        `Invalid value for '${at}.targetedAuthenticationMethod': only 'microsoftAuthenticator' is supported.`,
      );
    }
    return { ...parseBaseTarget(scope, body, at), targetedAuthenticationMethod: method };
  });
  rejectDuplicateTargets(targets, name);
  return targets;
}

function parseCampaign(scope: TargetScope, raw: unknown, previous: unknown): Json {
  const name = 'registrationEnforcement.authenticationMethodsRegistrationCampaign';
  const body = requireObject(raw, name);
  rejectUnknown(body, CAMPAIGN_PROPERTIES, 'authenticationMethodsRegistrationCampaign');
  const out: Json = isRecord(previous) ? { ...previous } : {};
  if (hasOwn(body, 'snoozeDurationInDays')) {
    out.snoozeDurationInDays = requireInteger(
      body.snoozeDurationInDays,
      `${name}.snoozeDurationInDays`,
      0,
      14,
    );
  }
  if (hasOwn(body, 'state')) out.state = requireEnum(body.state, `${name}.state`, CAMPAIGN_STATES);
  if (hasOwn(body, 'enforceRegistrationAfterAllowedSnoozes')) {
    out.enforceRegistrationAfterAllowedSnoozes = requireBoolean(
      body.enforceRegistrationAfterAllowedSnoozes,
      `${name}.enforceRegistrationAfterAllowedSnoozes`,
    );
  }
  if (hasOwn(body, 'excludeTargets')) {
    out.excludeTargets = parseExcludeTargets(scope, body.excludeTargets, `${name}.excludeTargets`);
  }
  if (hasOwn(body, 'includeTargets')) {
    out.includeTargets = parseCampaignIncludeTargets(scope, body.includeTargets, `${name}.includeTargets`);
  }
  return out;
}

function parseRegistrationEnforcement(scope: TargetScope, raw: unknown, previous: unknown): Json {
  const body = requireObject(raw, 'registrationEnforcement');
  rejectUnknown(body, ['authenticationMethodsRegistrationCampaign'], 'registrationEnforcement');
  const out: Json = isRecord(previous) ? { ...previous } : {};
  if (hasOwn(body, 'authenticationMethodsRegistrationCampaign')) {
    out.authenticationMethodsRegistrationCampaign = parseCampaign(
      scope,
      body.authenticationMethodsRegistrationCampaign,
      out.authenticationMethodsRegistrationCampaign,
    );
  }
  return out;
}

export interface PolicyPatch {
  policy: Json;
  /** Configuration bodies to apply, keyed by method key (from their `@odata.type`). */
  configurations: { key: string; body: Json }[];
}

function parseConfigurationList(raw: unknown): PolicyPatch['configurations'] {
  const items = requireArray(raw, 'authenticationMethodConfigurations');
  const seen = new Set<string>();
  return items.map((item, i) => {
    const body = requireObject(item, `authenticationMethodConfigurations[${i}]`);
    const key = methodKeyForType(body['@odata.type']);
    if (!key) {
      throw badRequest(
        `authenticationMethodConfigurations[${i}] needs the '@odata.type' of a known method configuration.`,
      );
    }
    if (seen.has(key)) throw badRequest(`authenticationMethodConfigurations lists '${key}' twice.`);
    seen.add(key);
    return { key, body };
  });
}

/** The policy after `rawBody`; the configurations it lists are returned for the caller to apply. */
export function applyPolicyPatch(
  scope: TargetScope,
  current: Json,
  rawBody: unknown,
  now: string,
): PolicyPatch {
  const body = requireObject(rawBody, 'authenticationMethodsPolicy');
  for (const key of Object.keys(body)) {
    if (READ_ONLY.includes(key)) throw badRequest(`Property '${key}' is read-only and cannot be set.`);
  }
  rejectUnknown(body, WRITABLE, 'microsoft.graph.authenticationMethodsPolicy');
  const policy: Json = { ...current, lastModifiedDateTime: now };
  if (hasOwn(body, 'policyMigrationState')) {
    policy.policyMigrationState = requireEnum(
      body.policyMigrationState,
      'policyMigrationState',
      MIGRATION_STATES,
    );
  }
  if (hasOwn(body, 'reconfirmationInDays')) {
    policy.reconfirmationInDays = requireInteger(body.reconfirmationInDays, 'reconfirmationInDays', 0, 730);
  }
  if (hasOwn(body, 'registrationEnforcement')) {
    policy.registrationEnforcement = parseRegistrationEnforcement(
      scope,
      body.registrationEnforcement,
      current.registrationEnforcement,
    );
  }
  const configurations = hasOwn(body, 'authenticationMethodConfigurations')
    ? parseConfigurationList(body.authenticationMethodConfigurations)
    : [];
  return { policy, configurations };
}
