/**
 * Test helper: the helm CLI built from its Go module by scripts/helm/build.sh (cached in ~/.cache/accord/bin/helm),
 * and `helm template` of charts/accord parsed into objects.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, runBuildScript } from './api-server.ts';

const execFileAsync = promisify(execFile);

export const CHART_DIR = join(REPO_ROOT, 'charts/accord');
export const TOOLS_DIR =
  process.env['ACCORD_TOOLS_DIR'] ??
  join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'accord/bin');
export const HELM = join(TOOLS_DIR, 'helm');
const BUILD_SCRIPT = join(REPO_ROOT, 'scripts/helm/build.sh');

/** A rendered Kubernetes object; the fields the tests read are typed loosely on purpose. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

function buildEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ACCORD_TOOLS_DIR: TOOLS_DIR };
}

/** Builds helm into the cache when it is missing or stale (idempotent; minutes on a cold Go build cache). */
export async function ensureHelm(): Promise<string> {
  try {
    await execFileAsync('bash', [BUILD_SCRIPT, '--check'], { env: buildEnv() });
    return HELM;
  } catch {
    // not current: build below
  }
  await runBuildScript(BUILD_SCRIPT, buildEnv());
  return HELM;
}

/** Runs helm with the given arguments; never throws on a non-zero exit (the result carries the code). */
export async function runHelm(args: string[]): Promise<HelmResult> {
  // helm writes its own caches and config; keep them out of the user's home.
  const home = mkdtempSync(join(tmpdir(), 'accord-helm-'));
  try {
    const { stdout, stderr } = await execFileAsync(HELM, args, {
      cwd: REPO_ROOT,
      maxBuffer: 32 * 1024 * 1024,
      env: {
        ...process.env,
        HELM_CACHE_HOME: join(home, 'cache'),
        HELM_CONFIG_HOME: join(home, 'config'),
        HELM_DATA_HOME: join(home, 'data'),
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export interface TemplateOptions {
  /** Values merged over values.yaml (written to a temporary file and passed with -f). */
  values?: Record<string, unknown>;
  release?: string;
  namespace?: string;
  /** Also render the chart's crds/ folder. */
  includeCrds?: boolean;
}

/** `helm template` of charts/accord; the result keeps helm's exit code and stderr for the refusal tests. */
export async function templateChart(
  options: TemplateOptions = {},
): Promise<HelmResult & { objects: K8sObject[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-values-'));
  try {
    const valuesFile = join(dir, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(options.values ?? {}));
    const result = await runHelm([
      'template',
      options.release ?? 'accord',
      CHART_DIR,
      '--namespace',
      options.namespace ?? 'accord-system',
      '-f',
      valuesFile,
      ...(options.includeCrds ? ['--include-crds'] : []),
    ]);
    return { ...result, objects: result.code === 0 ? parseManifests(result.stdout) : [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses a multi-document YAML stream into objects, failing on any YAML error. */
export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML from helm: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value as K8sObject);
  }
  return objects;
}

/** The rendered objects of one kind. */
export function ofKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((object) => object.kind === kind);
}

/** The one rendered object of a kind (throws when there are none or several). */
export function single(objects: K8sObject[], kind: string): K8sObject {
  const found = ofKind(objects, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, rendered ${found.length}`);
  return found[0] as K8sObject;
}
