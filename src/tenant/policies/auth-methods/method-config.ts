/**
 * Applying a PATCH to one authentication method configuration (graph-contract §4.2): the body must carry the
 * configuration's `@odata.type`; `state`, targets and the type's own properties are checked; unknown properties
 * are refused; `includeTargets` and `excludeTargets` are replaced as a whole.
 */
import { badRequest } from '../../errors.ts';
import { METHOD_CONFIGURATION_TYPES } from '../../seed/well-known.ts';
import { hasOwn, rejectUnknown, requireArray, requireEnum, requireObject, type Json } from './json-checks.ts';
import { METHOD_SPECS, type MethodSpec } from './method-specs.ts';
import { parseBaseTarget, parseExcludeTargets, rejectDuplicateTargets, type TargetScope } from './targets.ts';

const STATES = ['enabled', 'disabled'] as const;
const COMMON_PROPERTIES = ['@odata.type', 'id', 'state', 'includeTargets', 'excludeTargets'];

/** The `METHOD_CONFIGURATION_TYPES` key for a URL segment or returned id, in any case (`Email`, `email`). */
export function methodKey(segment: string): string | undefined {
  const lower = segment.toLowerCase();
  return Object.keys(METHOD_CONFIGURATION_TYPES).find(
    (key) => key.toLowerCase() === lower || METHOD_CONFIGURATION_TYPES[key]!.id.toLowerCase() === lower,
  );
}

/** The key of the configuration a body's `@odata.type` names (with or without the leading `#`). */
export function methodKeyForType(odataType: unknown): string | undefined {
  if (typeof odataType !== 'string') return undefined;
  const wanted = odataType.replace(/^#/, '').toLowerCase();
  return Object.keys(METHOD_CONFIGURATION_TYPES).find(
    (key) => METHOD_CONFIGURATION_TYPES[key]!.odataType.replace(/^#/, '').toLowerCase() === wanted,
  );
}

function parseIncludeTargets(scope: TargetScope, spec: MethodSpec, raw: unknown): Json[] {
  const allowed = ['id', 'targetType', 'isRegistrationRequired', ...Object.keys(spec.targetExtras)];
  const targets = requireArray(raw, 'includeTargets').map((item, i) => {
    const at = `includeTargets[${i}]`;
    const body = requireObject(item, at);
    rejectUnknown(body, allowed, 'authenticationMethodTarget');
    const target: Json = { ...parseBaseTarget(scope, body, at), isRegistrationRequired: false };
    if (body.isRegistrationRequired !== undefined) {
      if (typeof body.isRegistrationRequired !== 'boolean') {
        throw badRequest(
          `Invalid value for property '${at}.isRegistrationRequired': expected true or false.`,
        );
      }
      target.isRegistrationRequired = body.isRegistrationRequired;
    }
    for (const [name, extra] of Object.entries(spec.targetExtras)) {
      if (body[name] !== undefined) target[name] = extra.check(body[name], `${at}.${name}`);
      else if (extra.fallback !== undefined) target[name] = extra.fallback;
    }
    return target;
  });
  rejectDuplicateTargets(targets, 'includeTargets');
  return targets;
}

function checkOdataType(key: string, body: Json): void {
  const expected = METHOD_CONFIGURATION_TYPES[key]!.odataType;
  if (body['@odata.type'] === undefined) {
    throw badRequest(`The request body must include '@odata.type': '${expected}'.`);
  }
  if (methodKeyForType(body['@odata.type']) !== key) {
    throw badRequest(
      `The '@odata.type' '${String(body['@odata.type'])}' does not match this configuration; expected '${expected}'.`,
    );
  }
}

function checkId(key: string, body: Json): void {
  if (body.id === undefined) return;
  if (typeof body.id !== 'string' || methodKey(body.id) !== key) {
    throw badRequest(`Property 'id' is read-only and cannot be changed to '${String(body.id)}'.`);
  }
}

/** The configuration after `rawBody` is applied to `current`; throws a 400 for anything invalid. */
export function applyMethodConfigPatch(
  scope: TargetScope,
  key: string,
  current: Json,
  rawBody: unknown,
): Json {
  const spec = METHOD_SPECS[key];
  if (!spec) throw badRequest(`The authentication method configuration '${key}' cannot be updated.`);
  const body = requireObject(rawBody, 'authenticationMethodConfiguration');
  checkOdataType(key, body);
  checkId(key, body);
  rejectUnknown(
    body,
    [...COMMON_PROPERTIES, ...Object.keys(spec.properties)],
    METHOD_CONFIGURATION_TYPES[key]!.odataType.slice(1),
  );
  const next: Json = { ...current };
  if (hasOwn(body, 'state')) next.state = requireEnum(body.state, 'state', STATES);
  if (hasOwn(body, 'excludeTargets')) {
    next.excludeTargets = parseExcludeTargets(scope, body.excludeTargets);
    rejectDuplicateTargets(next.excludeTargets as Json[], 'excludeTargets');
  }
  if (hasOwn(body, 'includeTargets'))
    next.includeTargets = parseIncludeTargets(scope, spec, body.includeTargets);
  for (const [name, check] of Object.entries(spec.properties)) {
    if (hasOwn(body, name)) next[name] = check(body[name], name, current);
  }
  spec.finalCheck?.(next);
  return next;
}
