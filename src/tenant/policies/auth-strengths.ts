/**
 * Authentication strength policies (graph-contract §5): lookups that always include the three built-ins (whoever
 * seeds them), combination parsing in canonical order, and the shape of custom strengths.
 */
import { randomUUID } from 'node:crypto';
import { COLLECTIONS } from '../collections.ts';
import { badRequest, validationError } from '../errors.ts';
import type { TenantInfo } from '../graph-types.ts';
import { AUTHENTICATION_METHOD_MODES, BUILT_IN_AUTHENTICATION_STRENGTHS } from '../seed/well-known.ts';
import type { Doc, Store } from '../store.ts';
import { expectString, isRecord, type Json, schemaError } from '../../model/json-shape.ts';

export const MAX_CUSTOM_STRENGTHS = 15;
export const STRENGTH_CODES = {
  combination: 1201,
  displayName: 1202,
  limit: 1203,
  inUse: 1204,
  builtIn: 1205,
} as const;

/** Modes a combination may use: not the sentinel, and not guest email OTP (E:…/concept-authentication-strengths.md). */
const USABLE_MODES = AUTHENTICATION_METHOD_MODES.filter((m) => m !== 'unknownFutureValue' && m !== 'email');

const MODE_NAMES: Record<string, string> = {
  password: 'Password',
  voice: 'Voice call',
  hardwareOath: 'Hardware OATH token',
  softwareOath: 'Software OATH token',
  sms: 'SMS',
  fido2: 'FIDO2 security key',
  windowsHelloForBusiness: 'Windows Hello for Business',
  microsoftAuthenticatorPush: 'Microsoft Authenticator (push notification)',
  deviceBasedPush: 'Microsoft Authenticator (phone sign-in)',
  temporaryAccessPassOneTime: 'Temporary Access Pass (one-time use)',
  temporaryAccessPassMultiUse: 'Temporary Access Pass (multi-use)',
  email: 'Email one-time passcode',
  x509CertificateSingleFactor: 'Certificate-based authentication (single-factor)',
  x509CertificateMultiFactor: 'Certificate-based authentication (multifactor)',
  federatedSingleFactor: 'Federated single-factor',
  federatedMultiFactor: 'Federated multifactor',
  qrCodePin: 'QR code',
};

/** `GET …/authenticationStrength/authenticationMethodModes`. */
export function methodModeDetails(): Json[] {
  return AUTHENTICATION_METHOD_MODES.filter((m) => m !== 'unknownFutureValue').map((id) => ({
    id,
    displayName: MODE_NAMES[id] ?? id,
  }));
}

export function isBuiltInStrength(id: string): boolean {
  return BUILT_IN_AUTHENTICATION_STRENGTHS.some((s) => s.id === id.toLowerCase());
}

function builtInDoc(id: string, store: Store, tenant: TenantInfo): Doc | undefined {
  const stored = store.get(tenant.id, COLLECTIONS.authStrengths, id);
  if (stored) return stored;
  const builtIn = BUILT_IN_AUTHENTICATION_STRENGTHS.find((s) => s.id === id.toLowerCase());
  return builtIn
    ? { ...builtIn, description: builtIn.description, allowedCombinations: [...builtIn.allowedCombinations] }
    : undefined;
}

/** Every strength of the tenant: the built-ins first, then custom ones in creation order. */
export function listStrengths(store: Store, tenant: TenantInfo): Doc[] {
  const builtIns = BUILT_IN_AUTHENTICATION_STRENGTHS.map((s) => builtInDoc(s.id, store, tenant)!);
  const custom = store.all(tenant.id, COLLECTIONS.authStrengths).filter((d) => !isBuiltInStrength(d.id));
  return [...builtIns, ...custom];
}

export function findStrength(store: Store, tenant: TenantInfo, id: string): Doc | undefined {
  return isBuiltInStrength(id)
    ? builtInDoc(id, store, tenant)
    : store.get(tenant.id, COLLECTIONS.authStrengths, id);
}

/** Wire form of a strength, in Graph's property order. */
export function presentStrength(doc: Doc): Json {
  return {
    id: doc.id,
    createdDateTime: doc.createdDateTime ?? null,
    modifiedDateTime: doc.modifiedDateTime ?? null,
    displayName: doc.displayName,
    description: doc.description ?? null,
    policyType: doc.policyType,
    requirementsSatisfied: doc.requirementsSatisfied,
    allowedCombinations: doc.allowedCombinations,
  };
}

/** One combination: a comma-joined set of modes, echoed in canonical (CSDL) order. */
export function normaliseCombination(value: unknown, path: string): string {
  const text = expectString(value, path, 2000);
  const parts = text.split(',').map((p) => p.trim());
  const chosen = new Set<string>();
  for (const part of parts) {
    const mode = USABLE_MODES.find((m) => m.toLowerCase() === part.toLowerCase());
    if (!mode) {
      throw validationError(
        STRENGTH_CODES.combination,
        `'${path}' contains '${part.slice(0, 100)}', which is not a usable authentication method mode.`,
      );
    }
    chosen.add(mode);
  }
  return USABLE_MODES.filter((m) => chosen.has(m)).join(',');
}

export function normaliseCombinations(value: unknown, path = 'allowedCombinations'): string[] {
  if (!Array.isArray(value)) throw schemaError(path, 'expected an array of method-mode combinations.');
  if (value.length === 0) throw validationError(STRENGTH_CODES.combination, `'${path}' cannot be empty.`);
  if (value.length > 200)
    throw validationError(STRENGTH_CODES.combination, `'${path}' has too many combinations.`);
  const out = value.map((v, i) => normaliseCombination(v, `${path}[${i}]`));
  return [...new Set(out)];
}

function fieldOf(body: Json, name: string): { present: boolean; value: unknown } {
  const key = Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? { present: false, value: undefined } : { present: true, value: body[key] };
}

const WRITABLE = ['displayName', 'description', 'allowedCombinations'];
const READ_ONLY = [
  'id',
  'createdDateTime',
  'modifiedDateTime',
  'policyType',
  'requirementsSatisfied',
  'combinationConfigurations',
];

function checkKeys(body: Json, allowed: string[]): void {
  const known = new Set([...allowed, ...READ_ONLY].map((k) => k.toLowerCase()));
  for (const key of Object.keys(body)) {
    if (key.includes('@')) continue;
    if (!known.has(key.toLowerCase())) {
      throw schemaError(
        `authenticationStrengthPolicy.${key.slice(0, 100)}`,
        "the property does not exist on type 'authenticationStrengthPolicy'.",
      );
    }
  }
}

function checkDisplayName(value: unknown, store: Store, tenant: TenantInfo, selfId?: string): string {
  const name = expectString(value, 'authenticationStrengthPolicy.displayName', 256).trim();
  if (name === '') throw validationError(STRENGTH_CODES.displayName, "'displayName' is required.");
  const clash = listStrengths(store, tenant).find(
    (s) => s.id !== selfId && String(s.displayName).toLowerCase() === name.toLowerCase(),
  );
  if (clash) {
    throw validationError(
      STRENGTH_CODES.displayName,
      `An authentication strength policy named '${name}' already exists.`,
    );
  }
  return name;
}

function optionalDescription(value: unknown): string | null {
  return value === null || value === undefined
    ? null
    : expectString(value, 'authenticationStrengthPolicy.description', 1024);
}

/** A new custom strength from a POST body (not yet stored). */
export function shapeNewStrength(body: unknown, store: Store, tenant: TenantInfo): Doc {
  if (!isRecord(body))
    throw schemaError('authenticationStrengthPolicy', 'the request body must be an object.');
  checkKeys(body, WRITABLE);
  const custom = listStrengths(store, tenant).filter((s) => s.policyType !== 'builtIn').length;
  if (custom >= MAX_CUSTOM_STRENGTHS) {
    throw validationError(
      STRENGTH_CODES.limit,
      `The tenant has reached the limit of ${MAX_CUSTOM_STRENGTHS} custom authentication strengths.`,
    );
  }
  const displayName = checkDisplayName(fieldOf(body, 'displayName').value ?? '', store, tenant);
  const combos = fieldOf(body, 'allowedCombinations');
  if (!combos.present)
    throw validationError(STRENGTH_CODES.combination, "'allowedCombinations' is required.");
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    createdDateTime: now,
    modifiedDateTime: now,
    displayName,
    description: optionalDescription(fieldOf(body, 'description').value),
    policyType: 'custom',
    requirementsSatisfied: 'mfa',
    allowedCombinations: normaliseCombinations(combos.value),
  };
}

function refuseBuiltIn(doc: Doc): void {
  if (doc.policyType === 'builtIn' || isBuiltInStrength(doc.id)) {
    throw validationError(
      STRENGTH_CODES.builtIn,
      'Built-in authentication strength policies cannot be modified or deleted.',
    );
  }
}

/** PATCH: displayName and description only; combinations change through `updateAllowedCombinations`. */
export function patchStrength(doc: Doc, body: unknown, store: Store, tenant: TenantInfo): Doc {
  refuseBuiltIn(doc);
  if (!isRecord(body))
    throw schemaError('authenticationStrengthPolicy', 'the request body must be an object.');
  if (fieldOf(body, 'allowedCombinations').present) {
    throw validationError(
      STRENGTH_CODES.combination,
      "'allowedCombinations' cannot be updated with PATCH; use updateAllowedCombinations.",
    );
  }
  checkKeys(body, ['displayName', 'description']);
  const next: Doc = { ...doc, modifiedDateTime: new Date().toISOString() };
  const name = fieldOf(body, 'displayName');
  if (name.present) next.displayName = checkDisplayName(name.value, store, tenant, doc.id);
  const description = fieldOf(body, 'description');
  if (description.present) next.description = optionalDescription(description.value);
  return next;
}

export function checkDeletable(doc: Doc, usedBy: string[]): void {
  refuseBuiltIn(doc);
  if (usedBy.length > 0) {
    throw validationError(
      STRENGTH_CODES.inUse,
      `The authentication strength policy is used by Conditional Access policies (${usedBy.slice(0, 20).join(', ')}) and cannot be deleted.`,
    );
  }
}

export function combinationsFromBody(doc: Doc, body: unknown): string[] {
  refuseBuiltIn(doc);
  if (!isRecord(body)) throw badRequest('The request body must be an object with allowedCombinations.');
  checkKeys(body, ['allowedCombinations']);
  const combos = fieldOf(body, 'allowedCombinations');
  if (!combos.present)
    throw validationError(STRENGTH_CODES.combination, "'allowedCombinations' is required.");
  return normaliseCombinations(combos.value);
}
