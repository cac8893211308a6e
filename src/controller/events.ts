/**
 * Kubernetes Events (events.k8s.io/v1) about accord's resources: what was created, updated or deleted in the
 * tenant, drift, refusals and failures. The same event repeated within ten minutes is sent once (with a count in
 * the note's log line instead of a new object each resync). Events are best-effort: a failure is logged, never
 * retried. Notes carry messages built by the controller, never a secret.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log/log-port.ts';
import type { KubeRest } from './kube/kube-rest.ts';
import { truncateMessage } from './conditions.ts';

export interface EventTarget {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; uid: string; resourceVersion?: string };
}

export type EventType = 'Normal' | 'Warning';

const REPEAT_WINDOW_MS = 10 * 60_000;

function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class EventRecorder {
  private readonly rest: KubeRest;
  private readonly logger: Logger;
  private readonly instance: string;
  private readonly recent = new Map<string, number>();

  constructor(rest: KubeRest, logger: Logger, instance: string) {
    this.rest = rest;
    this.logger = logger;
    this.instance = instance;
  }

  record(target: EventTarget, type: EventType, reason: string, action: string, note: string): void {
    const key = `${target.metadata.uid}|${type}|${reason}|${note}`;
    const now = Date.now();
    const last = this.recent.get(key);
    if (last !== undefined && now - last < REPEAT_WINDOW_MS) return;
    this.recent.set(key, now);
    if (this.recent.size > 10_000) {
      for (const [k, at] of this.recent) if (now - at > REPEAT_WINDOW_MS) this.recent.delete(k);
    }
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: {
        name: `${target.metadata.name}.${now.toString(16)}${randomBytes(3).toString('hex')}`.slice(-253),
        namespace: target.metadata.namespace,
      },
      eventTime: microTime(new Date(now)),
      reportingController: 'accord.dev/controller',
      reportingInstance: this.instance.slice(0, 128),
      action,
      reason,
      type,
      note: truncateMessage(note).slice(0, 1024),
      regarding: {
        apiVersion: target.apiVersion,
        kind: target.kind,
        name: target.metadata.name,
        namespace: target.metadata.namespace,
        uid: target.metadata.uid,
      },
    };
    this.rest
      .post(
        `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(target.metadata.namespace)}/events`,
        event,
      )
      .catch((err: unknown) =>
        this.logger.debug('could not record an event', { reason, error: (err as Error).message }),
      );
  }
}
