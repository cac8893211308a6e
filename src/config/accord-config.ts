/**
 * `accord.yaml` at the policy repo root: the tenants accord talks to and its safety settings. Missing file =
 * defaults (the embedded local tenant, no pruning). Secrets are never in the file: a client secret comes from the
 * environment variable named by `secretEnv`, certificates and federated tokens from files.
 *
 * ```yaml
 * tenants:
 *   production:                                   # the name given to --tenant
 *     graphUrl: https://graph.microsoft.com/v1.0   # default; the version root of Graph or a local tenant
 *     authorityHost: https://login.microsoftonline.com  # default (or AZURE_AUTHORITY_HOST)
 *     disableInstanceDiscovery: false             # true for a local tenant served by `accord tenant serve`
 *     tenantId: 72f988bf-…                        # or AZURE_TENANT_ID
 *     clientId: 0f3e…                             # or AZURE_CLIENT_ID; not needed for a system-assigned identity
 *     credential:
 *       kind: githubOidc        # clientSecret | certificate | workloadIdentity | managedIdentity | githubOidc | environment
 *       secretEnv: AZURE_CLIENT_SECRET   # clientSecret: the variable holding the secret (this is the default)
 *       certificatePath: certs/accord.pem  # certificate: PEM with key and certificate, relative to this file
 *                                          #   (or AZURE_CLIENT_CERTIFICATE_PATH)
 *       tokenFile: /var/run/secrets/azure/tokens/azure-identity-token  # workloadIdentity (or AZURE_FEDERATED_TOKEN_FILE)
 *     rateLimit:
 *       conditionalAccessPerSecond: 1    # client-side pacing of Conditional Access calls (Graph: 1/s per tenant)
 * defaultTenant: production   # used without --tenant; without it (and without --tenant) the embedded local tenant
 * safety:
 *   breakGlass:               # never blocked, never asked for a control they cannot satisfy (the lockout guard)
 *     users: [bg-admin-1@contoso.onmicrosoft.com]
 *     groups: [Emergency access accounts]
 * prune: false                # delete objects accord owns that left git (default false; --prune also turns it on)
 * ownership:
 *   inventory: .accord/inventory.json   # where accord records the ids of the objects it created (prune's scope)
 * localTenant:
 *   dataDir: .accord/local-tenant       # state of the embedded local tenant
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { error, type Diagnostic, type SourceLocation } from '../core/diagnostics.ts';
import type { CredentialKind, CredentialSettings } from '../graph/credentials.ts';
import { ACCORD_CONFIG_SCHEMA } from './config-schema.ts';

export const CONFIG_FILE = 'accord.yaml';
export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com/v1.0';
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const DEFAULT_SECRET_ENV = 'AZURE_CLIENT_SECRET';
/** The name `--tenant local` always means: the embedded local tenant. */
export const EMBEDDED_TENANT = 'local';

export interface TenantConfig {
  graphUrl?: string;
  authorityHost?: string;
  disableInstanceDiscovery?: boolean;
  tenantId?: string;
  clientId?: string;
  credential: {
    kind: Exclude<CredentialKind, 'clientAssertion'>;
    secretEnv?: string;
    certificatePath?: string;
    tokenFile?: string;
  };
  rateLimit?: { conditionalAccessPerSecond?: number };
}

export interface AccordConfig {
  tenants: Record<string, TenantConfig>;
  defaultTenant?: string;
  safety: { breakGlass: { users: string[]; groups: string[] } };
  prune: boolean;
  ownership: { inventory: string };
  localTenant: { dataDir: string };
  /** The policy repo root (where accord.yaml is or would be). */
  baseDir: string;
  /** The file it came from, and where each tenant is declared; undefined when there is no accord.yaml. */
  source?: { file: string; tenants: Record<string, SourceLocation> };
}

/** A tenant ready to connect to. */
export type TenantTarget =
  | { kind: 'embedded'; name: typeof EMBEDDED_TENANT; dataDir: string }
  | {
      kind: 'graph';
      name: string;
      graphUrl: string;
      credential: CredentialSettings;
      conditionalAccessPerSecond: number;
      /** Secret values to mask in logs (the client secret read from the environment). */
      secrets: string[];
    };

export function defaultConfig(baseDir: string): AccordConfig {
  return {
    tenants: {},
    safety: { breakGlass: { users: [], groups: [] } },
    prune: false,
    ownership: { inventory: '.accord/inventory.json' },
    localTenant: { dataDir: '.accord/local-tenant' },
    baseDir,
  };
}

type RawConfig = Partial<
  Omit<AccordConfig, 'safety' | 'baseDir' | 'source' | 'ownership' | 'localTenant'>
> & {
  safety?: { breakGlass?: { users?: string[]; groups?: string[] } };
  ownership?: { inventory?: string };
  localTenant?: { dataDir?: string };
};

const ajv = new Ajv({ allErrors: true, strict: true });
const validateConfig = ajv.compile<RawConfig>(ACCORD_CONFIG_SCHEMA);

/** Reads `<dir>/accord.yaml`; every problem is a diagnostic with file:line, and defaults fill the rest. */
export function loadConfig(dir: string): { config: AccordConfig; diagnostics: Diagnostic[] } {
  const baseDir = resolve(dir);
  const file = join(baseDir, CONFIG_FILE);
  if (!existsSync(file)) return { config: defaultConfig(baseDir), diagnostics: [] };
  return parseConfig(readFileSync(file, 'utf8'), file, baseDir);
}

/** Parses the text of an accord.yaml (exported for tests and for `accord init`'s check of what it writes). */
export function parseConfig(
  text: string,
  file: string,
  baseDir: string,
): { config: AccordConfig; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, pointer?: string): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col, ...(pointer !== undefined ? { pointer } : {}) };
  };
  const fallback = defaultConfig(baseDir);
  if (doc.errors.length > 0) {
    const diagnostics = doc.errors.map((e) =>
      error('config-yaml', `accord.yaml is not valid YAML: ${e.message.split('\n')[0]}`, {
        location: at(e.pos[0]),
      }),
    );
    return { config: fallback, diagnostics };
  }
  const raw: unknown = doc.toJS() ?? {};
  if (!validateConfig(raw)) {
    const diagnostics = (validateConfig.errors ?? []).map((e) => describeSchemaError(e, doc, at));
    return { config: fallback, diagnostics };
  }
  const config: AccordConfig = {
    ...fallback,
    tenants: raw.tenants ?? {},
    defaultTenant: raw.defaultTenant,
    safety: {
      breakGlass: {
        users: raw.safety?.breakGlass?.users ?? [],
        groups: raw.safety?.breakGlass?.groups ?? [],
      },
    },
    prune: raw.prune ?? false,
    ownership: { inventory: raw.ownership?.inventory ?? fallback.ownership.inventory },
    localTenant: { dataDir: raw.localTenant?.dataDir ?? fallback.localTenant.dataDir },
    source: { file, tenants: locateTenants(doc, at) },
  };
  const diagnostics: Diagnostic[] = [];
  if (
    config.defaultTenant !== undefined &&
    !(config.defaultTenant in config.tenants) &&
    config.defaultTenant !== EMBEDDED_TENANT
  ) {
    diagnostics.push(
      error('config-unknown-tenant', `defaultTenant '${config.defaultTenant}' is not one of the tenants`, {
        detail: `Declare it under tenants, or use one of: ${[EMBEDDED_TENANT, ...Object.keys(config.tenants)].join(', ')}.`,
        location: at(offsetOf(doc, ['defaultTenant']) ?? 0, '/defaultTenant'),
      }),
    );
  }
  return { config, diagnostics };
}

/**
 * Picks the tenant (`name`, else `defaultTenant`, else the embedded local tenant) and completes it from the usual
 * Azure variables: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_AUTHORITY_HOST`, the secret variable,
 * `AZURE_CLIENT_CERTIFICATE_PATH`, `AZURE_FEDERATED_TOKEN_FILE`. Values in accord.yaml win over the environment.
 */
export function resolveTenantConfig(
  config: AccordConfig,
  name: string | undefined,
  env: NodeJS.ProcessEnv,
): { target?: TenantTarget; diagnostics: Diagnostic[] } {
  const chosen = name ?? config.defaultTenant;
  if (chosen === undefined || (chosen === EMBEDDED_TENANT && !(chosen in config.tenants))) {
    const dataDir = resolvePath(config.baseDir, config.localTenant.dataDir);
    return { target: { kind: 'embedded', name: EMBEDDED_TENANT, dataDir }, diagnostics: [] };
  }
  const tenant = config.tenants[chosen];
  if (tenant === undefined) {
    const known = [EMBEDDED_TENANT, ...Object.keys(config.tenants)].join(', ');
    return {
      diagnostics: [
        error('config-unknown-tenant', `No tenant named '${chosen}' in accord.yaml`, {
          detail: `Known tenants: ${known}.`,
        }),
      ],
    };
  }
  const location = config.source?.tenants[chosen];
  const problems: string[] = [];
  const need = <T>(value: T | undefined, what: string): T | undefined => {
    if (value === undefined || value === '') problems.push(what);
    return value;
  };
  const tenantId = need(tenant.tenantId ?? env.AZURE_TENANT_ID, 'tenantId (or AZURE_TENANT_ID)');
  const clientId = tenant.clientId ?? env.AZURE_CLIENT_ID;
  const credential: CredentialSettings = {
    kind: tenant.credential.kind,
    tenantId: tenantId ?? '',
    clientId,
    authorityHost: tenant.authorityHost ?? env.AZURE_AUTHORITY_HOST ?? DEFAULT_AUTHORITY_HOST,
    disableInstanceDiscovery: tenant.disableInstanceDiscovery ?? false,
  };
  const kind = tenant.credential.kind;
  if (kind !== 'managedIdentity' && kind !== 'environment') need(clientId, 'clientId (or AZURE_CLIENT_ID)');
  const secrets = completeCredential(credential, tenant, { baseDir: config.baseDir, env, need });
  if (problems.length > 0) {
    return {
      diagnostics: problems.map((what) =>
        error('config-credential', `Tenant '${chosen}' (credential ${kind}) needs ${what}`, {
          ...(location ? { location } : {}),
        }),
      ),
    };
  }
  return {
    target: {
      kind: 'graph',
      name: chosen,
      graphUrl: (tenant.graphUrl ?? DEFAULT_GRAPH_URL).replace(/\/+$/, ''),
      credential,
      conditionalAccessPerSecond: tenant.rateLimit?.conditionalAccessPerSecond ?? 1,
      secrets,
    },
    diagnostics: [],
  };
}

/** Fills the kind-specific part of the credential from accord.yaml and the environment; returns secret values. */
function completeCredential(
  credential: CredentialSettings,
  tenant: TenantConfig,
  context: {
    baseDir: string;
    env: NodeJS.ProcessEnv;
    need: <T>(value: T | undefined, what: string) => T | undefined;
  },
): string[] {
  const { env, need } = context;
  const kind = tenant.credential.kind;
  const secrets: string[] = [];
  if (kind === 'clientSecret') {
    const secretEnv = tenant.credential.secretEnv ?? DEFAULT_SECRET_ENV;
    credential.clientSecret = need(
      env[secretEnv],
      `a client secret in the environment variable ${secretEnv}`,
    );
    if (credential.clientSecret) secrets.push(credential.clientSecret);
  } else if (kind === 'certificate') {
    const path = need(
      tenant.credential.certificatePath ?? env.AZURE_CLIENT_CERTIFICATE_PATH,
      'certificatePath',
    );
    if (path) credential.certificatePath = resolvePath(context.baseDir, path);
  } else if (kind === 'workloadIdentity') {
    credential.tokenFile = need(
      tenant.credential.tokenFile ?? env.AZURE_FEDERATED_TOKEN_FILE,
      'tokenFile (or AZURE_FEDERATED_TOKEN_FILE)',
    );
  } else if (kind === 'githubOidc') {
    need(
      env.ACTIONS_ID_TOKEN_REQUEST_URL,
      'ACTIONS_ID_TOKEN_REQUEST_URL (give the job `permissions: id-token: write`)',
    );
  } else if (kind === 'environment' && env.AZURE_CLIENT_SECRET) {
    secrets.push(env.AZURE_CLIENT_SECRET);
  }
  return secrets;
}

function resolvePath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function describeSchemaError(
  e: ErrorObject,
  doc: Document,
  at: (offset: number, pointer?: string) => SourceLocation,
): Diagnostic {
  const segments = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map(unescapePointer);
  let summary: string;
  let pointer = e.instancePath;
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    segments.push(extra);
    pointer = `${e.instancePath}/${extra}`;
    summary = `Unknown setting '${extra}'${e.instancePath ? ` in ${e.instancePath}` : ''}`;
  } else if (e.keyword === 'required') {
    summary = `${e.instancePath || 'accord.yaml'} needs '${String((e.params as { missingProperty: string }).missingProperty)}'`;
  } else if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.join(', ');
    summary = `${e.instancePath} must be one of: ${allowed}`;
  } else {
    summary = `${e.instancePath || 'accord.yaml'} ${e.message ?? 'is invalid'}`;
  }
  return error('config-schema', summary, {
    detail: 'See the accord.yaml reference in docs/cli.md.',
    location: at(offsetOf(doc, segments) ?? 0, pointer),
  });
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Offset of the key (for mappings) or item at a path, or of its nearest existing ancestor. */
function offsetOf(doc: Document, segments: readonly string[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as { range?: number[] } | null)?.range?.[0];
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      offset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      offset = (item as { range?: number[] }).range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function locateTenants(
  doc: Document,
  at: (offset: number, pointer?: string) => SourceLocation,
): Record<string, SourceLocation> {
  const tenants = doc.get('tenants', true);
  const out: Record<string, SourceLocation> = {};
  if (!isMap(tenants)) return out;
  for (const pair of tenants.items) {
    if (!isScalar(pair.key)) continue;
    const name = String(pair.key.value);
    out[name] = at(pair.key.range?.[0] ?? 0, `/tenants/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  }
  return out;
}
