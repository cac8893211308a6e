/**
 * The device of the sign-in (ca-evaluation §2.7, §2.8, §2.10): platform, client app type and the device filter.
 * An input of `all` (the API's default) means "unknown": it matches an include of `all` and cannot be excluded,
 * and is not enough information for a policy that lists specific values (§6 #5).
 */
import { addNote, type ConditionCheck } from './evaluation-context.ts';
import { evaluateFilter } from './filter-rule.ts';
import { deviceAttributes } from './filter-schemas.ts';

function isUnknown(value: string): boolean {
  return value === 'all' || value === 'unknownfuturevalue' || value === '';
}

export const checkPlatform: ConditionCheck = (policy, ctx, notes) => {
  const platforms = policy.platforms;
  if (!platforms) return undefined;
  const platform = (ctx.signIn.conditions.devicePlatform ?? 'all').toLowerCase();
  const includesAll = platforms.include.has('all');
  if (isUnknown(platform)) {
    if (includesAll && platforms.exclude.size === 0) return undefined;
    addNote(notes, {
      code: 'unknownPlatform',
      message:
        "Device platform not given ('all'): treated as unknown; it matches 'all' and cannot be excluded.",
    });
    return includesAll ? undefined : 'notEnoughInformation';
  }
  const included = includesAll || platforms.include.has(platform);
  return included && !platforms.exclude.has(platform) ? undefined : 'devicePlatform';
};

export const checkDeviceFilter: ConditionCheck = (policy, ctx, notes) => {
  const filter = policy.deviceFilter;
  if (!filter) return undefined;
  if (!filter.rule) return 'invalidCondition';
  const device = ctx.signIn.conditions.deviceInfo;
  if (!device && ctx.options.missingDeviceInfo === 'notEnoughInformation') {
    addNote(notes, {
      code: 'missingDeviceInfo',
      message: 'No deviceInfo given for a policy with a device filter.',
    });
    return 'notEnoughInformation';
  }
  if (!device) {
    addNote(notes, {
      code: 'missingDeviceInfoAsUnregistered',
      message: 'No deviceInfo given: the device is treated as unregistered (every attribute null).',
    });
  }
  const matched = evaluateFilter(filter.rule, deviceAttributes(device));
  return (filter.mode === 'include') === matched ? undefined : 'devices';
};

export const checkClientApp: ConditionCheck = (policy, ctx, notes) => {
  const types = policy.clientAppTypes;
  if (types.size === 0 || types.has('all')) return undefined;
  const clientApp = (ctx.signIn.conditions.clientAppType ?? 'all').toLowerCase();
  if (isUnknown(clientApp)) {
    addNote(notes, {
      code: 'unknownClientApp',
      message:
        "Client app not given ('all'): not enough information for a policy that lists client app types.",
    });
    return 'notEnoughInformation';
  }
  // Exchange ActiveSync covers the narrower "EAS on supported platforms".
  const isEasCovered = clientApp === 'eassupported' && types.has('exchangeactivesync');
  return types.has(clientApp) || isEasCovered ? undefined : 'clientApps';
};
