/**
 * The What-If form's query string ↔ a `SignInRequest`: the same fields and checks as `accord whatif` (the request's
 * own `checkSignInRequest`), with the form's labels in the messages.
 */
import type { PolicySource } from '../whatif-app/policy-sets.ts';
import {
  checkSignInRequest,
  SIGN_IN_ENUMS,
  type DeviceValue,
  type SignInRequest,
} from '../whatif-app/sign-in-request.ts';

/** The form's fields, in display order: query name, label, request field. */
export const TEXT_FIELDS = {
  user: 'User (userPrincipalName or id)',
  app: 'Application (display name or appId)',
  ip: 'IP address',
  country: 'Country (two-letter code)',
  device: 'Device attributes',
} as const;

export const SELECT_FIELDS = {
  platform: { label: 'Device platform', values: SIGN_IN_ENUMS.platform },
  clientApp: { label: 'Client app', values: SIGN_IN_ENUMS.clientApp },
  signInRisk: { label: 'Sign-in risk', values: SIGN_IN_ENUMS.signInRisk },
  userRisk: { label: 'User risk', values: SIGN_IN_ENUMS.userRisk },
} as const;

export type FormValues = Partial<
  Record<keyof typeof TEXT_FIELDS | keyof typeof SELECT_FIELDS | 'against' | 'tenant', string>
>;

export interface ParsedForm {
  values: FormValues;
  against: PolicySource;
  /** Present when the form was submitted and is valid. */
  request?: SignInRequest;
  problems: string[];
}

const LABELS: Record<string, string> = {
  user: TEXT_FIELDS.user,
  servicePrincipal: TEXT_FIELDS.user,
  application: TEXT_FIELDS.app,
  userAction: TEXT_FIELDS.app,
  authenticationContext: TEXT_FIELDS.app,
  ip: TEXT_FIELDS.ip,
  country: TEXT_FIELDS.country,
  platform: SELECT_FIELDS.platform.label,
  clientApp: SELECT_FIELDS.clientApp.label,
  signInRisk: SELECT_FIELDS.signInRisk.label,
  userRisk: SELECT_FIELDS.userRisk.label,
  device: TEXT_FIELDS.device,
};

function parseDevice(text: string, problems: string[]): Record<string, DeviceValue> | undefined {
  const pairs = text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (pairs.length === 0) return undefined;
  const device: Record<string, DeviceValue> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      problems.push(`${TEXT_FIELDS.device}: write key=value pairs, e.g. isCompliant=true (got '${pair}')`);
      continue;
    }
    const value = pair.slice(at + 1).trim();
    device[pair.slice(0, at).trim()] = value === 'true' ? true : value === 'false' ? false : value;
  }
  return device;
}

/** Reads the query; an empty query (the first visit) is not an error. */
export function parseWhatIfForm(query: URLSearchParams): ParsedForm {
  const values: FormValues = {};
  for (const key of [
    ...Object.keys(TEXT_FIELDS),
    ...Object.keys(SELECT_FIELDS),
    'against',
    'tenant',
  ] as const) {
    const value = query.get(key)?.trim();
    if (value) values[key as keyof FormValues] = value.slice(0, 500);
  }
  const against: PolicySource = values.against === 'tenant' ? 'tenant' : 'desired';
  if (!values.user && !values.app) return { values, against, problems: [] };
  const problems: string[] = [];
  const device = values.device ? parseDevice(values.device, problems) : undefined;
  const request: SignInRequest = Object.fromEntries(
    Object.entries({
      user: values.user,
      application: values.app,
      platform: values.platform,
      clientApp: values.clientApp,
      ip: values.ip,
      country: values.country,
      signInRisk: values.signInRisk,
      userRisk: values.userRisk,
      device,
    }).filter(([, v]) => v !== undefined),
  );
  if (!request.user) problems.push(`${TEXT_FIELDS.user}: enter the user who signs in`);
  if (!request.application) problems.push(`${TEXT_FIELDS.app}: enter the application signed in to`);
  // The two messages above say it better than the request's "give exactly one of …".
  const checked = checkSignInRequest(request, (field) => LABELS[field] ?? field);
  problems.push(...checked.filter((p) => !p.startsWith('give exactly one of')));
  return problems.length > 0 ? { values, against, problems } : { values, against, request, problems };
}
