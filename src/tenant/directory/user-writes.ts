/** Validation of `POST /users` and `PATCH /users/{id}` bodies, with the messages Graph's directory uses. */
import { randomUUID } from 'node:crypto';
import { GraphError } from '../errors.ts';
import type { TenantInfo } from '../graph-types.ts';
import type { Doc, Store } from '../store.ts';
import { duplicateValue, invalidPropertyValue, requestBadRequest } from './directory-errors.ts';
import { findUserByUpn } from './directory-store.ts';
import { hashPassword } from '../signin/passwords.ts';

const STRING_PROPERTIES = new Set([
  'displayName',
  'mailNickname',
  'userPrincipalName',
  'givenName',
  'surname',
  'jobTitle',
  'department',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'usageLocation',
  'companyName',
  'employeeId',
  'city',
  'country',
  'state',
  'streetAddress',
  'postalCode',
  'userType',
  'creationType',
]);
const BOOLEAN_PROPERTIES = new Set(['accountEnabled']);
const OTHER_PROPERTIES = new Set([
  'passwordProfile',
  'identities',
  'businessPhones',
  'otherMails',
  'passwordPolicies',
]);
const REQUIRED_ON_CREATE = [
  'accountEnabled',
  'displayName',
  'mailNickname',
  'userPrincipalName',
  'passwordProfile',
];

function checkProperty(key: string, value: unknown): void {
  if (key === '@odata.type') return;
  if (STRING_PROPERTIES.has(key)) {
    if (value !== null && typeof value !== 'string') throw invalidPropertyValue(key, 'User');
    return;
  }
  if (BOOLEAN_PROPERTIES.has(key)) {
    if (typeof value !== 'boolean') throw invalidPropertyValue(key, 'User');
    return;
  }
  if (OTHER_PROPERTIES.has(key)) return;
  throw new GraphError(
    400,
    'Request_BadRequest',
    `Property '${key}' does not exist on type 'microsoft.graph.user'.`,
  );
}

function checkUserType(value: unknown): void {
  if (value !== undefined && value !== 'Member' && value !== 'Guest')
    throw invalidPropertyValue('userType', 'User');
}

function checkPasswordProfile(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidPropertyValue('passwordProfile', 'User');
  }
  const password = (value as { password?: unknown }).password;
  if (typeof password !== 'string' || password === '') throw invalidPropertyValue('passwordProfile', 'User');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < 8 || password.length > 256 || classes < 3) {
    throw requestBadRequest(
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
    );
  }
  return password;
}

function checkIdentities(value: unknown): void {
  const ok =
    Array.isArray(value) &&
    value.every(
      (i) =>
        typeof i === 'object' &&
        i !== null &&
        typeof (i as Record<string, unknown>).signInType === 'string' &&
        typeof (i as Record<string, unknown>).issuer === 'string' &&
        typeof (i as Record<string, unknown>).issuerAssignedId === 'string',
    );
  if (!ok) throw invalidPropertyValue('identities', 'User');
}

/** Checks the UPN's shape, domain and uniqueness (ignoring `selfId`, the user being updated). */
function checkUpn(store: Store, tenant: TenantInfo, upn: string, selfId?: string): void {
  const at = upn.lastIndexOf('@');
  const local = upn.slice(0, at);
  if (at <= 0 || at === upn.length - 1 || /\s/.test(upn) || local.length > 113) {
    throw invalidPropertyValue('userPrincipalName', 'User');
  }
  if (upn.slice(at + 1).toLowerCase() !== tenant.domain.toLowerCase()) {
    throw requestBadRequest(
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    );
  }
  const existing = findUserByUpn(store, tenant.id, upn);
  if (existing && existing.id !== selfId?.toLowerCase()) throw duplicateValue('userPrincipalName');
}

function checkAll(body: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(body)) checkProperty(key, value);
  checkUserType(body.userType);
  if (body.identities !== undefined) checkIdentities(body.identities);
  for (const key of ['displayName', 'mailNickname'] as const) {
    if (body[key] !== undefined && (typeof body[key] !== 'string' || body[key].trim() === '')) {
      throw invalidPropertyValue(key, 'User');
    }
  }
}

/** Copies the writable properties onto a stored user (the password as a scrypt hash under `_passwordHash`). */
function applyProperties(doc: Doc, body: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(body)) {
    if (key === '@odata.type') continue;
    if (key === 'passwordProfile') {
      doc._passwordHash = hashPassword(checkPasswordProfile(value));
      const methods = Array.isArray(doc._authenticationMethods)
        ? (doc._authenticationMethods as string[])
        : [];
      if (!methods.includes('password')) doc._authenticationMethods = [...methods, 'password'];
      continue;
    }
    doc[key] = value;
  }
}

export function createUser(store: Store, tenant: TenantInfo, body: Record<string, unknown>): Doc {
  for (const key of REQUIRED_ON_CREATE) if (body[key] === undefined) throw invalidPropertyValue(key, 'User');
  checkAll(body);
  const upn = body.userPrincipalName as string;
  checkUpn(store, tenant, upn);
  const doc: Doc = {
    id: randomUUID(),
    businessPhones: [],
    displayName: null,
    givenName: null,
    jobTitle: null,
    mail: null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: null,
    userPrincipalName: upn,
    userType: 'Member',
    accountEnabled: true,
    department: null,
    creationType: null,
    externalUserState: null,
    identities: [{ signInType: 'userPrincipalName', issuer: tenant.domain, issuerAssignedId: upn }],
    createdDateTime: new Date().toISOString(),
    _authenticationMethods: [],
    _homeTenantId: null,
  };
  applyProperties(doc, body);
  return doc;
}

export function updateUser(
  store: Store,
  tenant: TenantInfo,
  existing: Doc,
  body: Record<string, unknown>,
): Doc {
  checkAll(body);
  if (body.accountEnabled === null) throw invalidPropertyValue('accountEnabled', 'User');
  const doc: Doc = { ...existing };
  if (body.userPrincipalName !== undefined) {
    if (typeof body.userPrincipalName !== 'string') throw invalidPropertyValue('userPrincipalName', 'User');
    checkUpn(store, tenant, body.userPrincipalName, existing.id);
  }
  applyProperties(doc, body);
  return doc;
}
