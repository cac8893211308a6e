/** Validation of `POST /groups` / `PATCH /groups/{id}` bodies and `members/$ref` references. */
import { randomUUID } from 'node:crypto';
import { GraphError } from '../errors.ts';
import type { Doc } from '../store.ts';
import { invalidPropertyValue, requestBadRequest, requireObjectBody } from './directory-errors.ts';

const STRING_PROPERTIES = new Set([
  'displayName',
  'description',
  'mailNickname',
  'visibility',
  'classification',
]);
const BOOLEAN_PROPERTIES = new Set(['mailEnabled', 'securityEnabled', 'isAssignableToRole']);
const REQUIRED_ON_CREATE = ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled'];
const BIND_PROPERTIES = new Set(['members@odata.bind', 'owners@odata.bind']);

function checkProperty(key: string, value: unknown): void {
  if (key === '@odata.type' || BIND_PROPERTIES.has(key)) return;
  if (STRING_PROPERTIES.has(key)) {
    if (value !== null && typeof value !== 'string') throw invalidPropertyValue(key, 'Group');
    return;
  }
  if (BOOLEAN_PROPERTIES.has(key)) {
    if (typeof value !== 'boolean') throw invalidPropertyValue(key, 'Group');
    return;
  }
  if (key === 'groupTypes') {
    if (!Array.isArray(value) || !value.every((t) => typeof t === 'string'))
      throw invalidPropertyValue(key, 'Group');
    return;
  }
  throw new GraphError(
    400,
    'Request_BadRequest',
    `Property '${key}' does not exist on type 'microsoft.graph.group'.`,
  );
}

function checkAll(body: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(body)) checkProperty(key, value);
  for (const key of ['displayName', 'mailNickname']) {
    const value = body[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === ''))
      throw invalidPropertyValue(key, 'Group');
  }
  if (typeof body.mailNickname === 'string' && !/^[\x21-\x7e]{1,64}$/.test(body.mailNickname)) {
    throw invalidPropertyValue('mailNickname', 'Group');
  }
}

function applyProperties(doc: Doc, body: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(body)) {
    if (key === '@odata.type' || BIND_PROPERTIES.has(key)) continue;
    doc[key] = value;
  }
}

export function createGroup(body: Record<string, unknown>): Doc {
  for (const key of REQUIRED_ON_CREATE) if (body[key] === undefined) throw invalidPropertyValue(key, 'Group');
  checkAll(body);
  const doc: Doc = {
    id: randomUUID(),
    displayName: null,
    description: null,
    mailNickname: null,
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
    mail: null,
    createdDateTime: new Date().toISOString(),
  };
  applyProperties(doc, body);
  return doc;
}

export function updateGroup(existing: Doc, body: Record<string, unknown>): Doc {
  checkAll(body);
  const doc: Doc = { ...existing };
  applyProperties(doc, body);
  return doc;
}

const REF_PATTERN = /\/(?:directoryObjects|users|groups|servicePrincipals|devices|contacts)\/([^/?#]+)\/?$/i;

/** The object id of an `@odata.id` reference URL (`https://graph.microsoft.com/v1.0/directoryObjects/{id}`). */
export function parseReference(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw requestBadRequest("Invalid value specified for property '@odata.id'.");
  }
  const match = REF_PATTERN.exec(value.trim());
  if (!match) throw requestBadRequest(`Invalid object identifier '${value}'.`);
  try {
    return decodeURIComponent(match[1]!).replace(/^'(.*)'$/, '$1');
  } catch {
    throw requestBadRequest(`Invalid object identifier '${value}'.`);
  }
}

export function referenceFromBody(body: unknown): string {
  return parseReference(requireObjectBody(body)['@odata.id']);
}

/** `members@odata.bind` on create: a list of reference URLs. */
export function bindReferences(body: Record<string, unknown>): string[] {
  const raw = body['members@odata.bind'];
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalidPropertyValue('members@odata.bind', 'Group');
  return raw.map(parseReference);
}
