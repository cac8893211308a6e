/**
 * The few Kubernetes API calls the controller makes, over node:https with the credentials of a
 * `@kubernetes/client-node` KubeConfig (kubeconfig file or in-cluster service account, whose token file is re-read
 * as it rotates). Plain JSON in and out, explicit patch types and a per-request timeout; a failed call throws
 * `KubeError` with the status and the API server's message (never a header or token).
 */
import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

export class KubeError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.name = 'KubeError';
    this.status = status;
    this.reason = reason;
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeError && err.status === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeError && err.status === 409;
}

export type PatchType = 'merge' | 'json';

const CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
};

export interface KubeRestOptions {
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Counts every request by verb and outcome (for metrics). */
  onRequest?: (method: string, status: number) => void;
}

export class KubeRest {
  readonly server: string;
  private readonly kubeConfig: KubeConfig;
  private readonly timeoutMs: number;
  private readonly onRequest: KubeRestOptions['onRequest'];
  private agent: Agent | undefined;

  constructor(kubeConfig: KubeConfig, options: KubeRestOptions = {}) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/+$/, '');
    this.kubeConfig = kubeConfig;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.onRequest = options.onRequest;
  }

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', path, body);
  }

  patch<T>(path: string, body: unknown, type: PatchType = 'merge'): Promise<T> {
    return this.send<T>('PATCH', path, body, CONTENT_TYPES[type]);
  }

  close(): void {
    this.agent?.destroy();
  }

  private async send<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const url = new URL(this.server + path);
    const options: RequestOptions = { method, headers: { accept: 'application/json' } };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = options.headers as Record<string, string>;
    if (payload !== undefined) {
      headers['content-type'] = contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const secure = url.protocol === 'https:';
    if (secure) {
      this.agent ??= new Agent({
        keepAlive: true,
        maxSockets: 16,
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.cert ? { cert: options.cert } : {}),
        ...(options.key ? { key: options.key } : {}),
        ...(options.rejectUnauthorized !== undefined
          ? { rejectUnauthorized: options.rejectUnauthorized }
          : {}),
      });
      options.agent = this.agent;
    } else {
      delete options.agent;
    }
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        { ...options, timeout: this.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
      req.on('error', reject);
      req.end(payload);
    }).catch((err: unknown) => {
      this.onRequest?.(method, 0);
      throw new KubeError(0, 'Unreachable', `${method} ${url.pathname}: ${(err as Error).message}`);
    });
    this.onRequest?.(method, status);
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (status >= 200 && status < 300) return parsed as T;
    const statusBody = (parsed ?? {}) as { reason?: string; message?: string };
    throw new KubeError(
      status,
      statusBody.reason ?? String(status),
      `${method} ${url.pathname}: ${status} ${statusBody.message ?? (typeof parsed === 'string' ? parsed.slice(0, 200) : '')}`,
    );
  }
}

/** `/apis/<group>/<version>[/namespaces/<ns>]/<plural>[/<name>[/<sub>]]` */
// eslint-disable-next-line max-params -- the path's own segments, in order
export function customPath(
  group: string,
  version: string,
  plural: string,
  namespace?: string,
  name?: string,
  sub?: string,
): string {
  let path = `/apis/${group}/${version}`;
  if (namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${plural}`;
  if (name) path += `/${encodeURIComponent(name)}`;
  if (sub) path += `/${sub}`;
  return path;
}
