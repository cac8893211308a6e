/**
 * Small fixtures for the kind unit tests: a manifest builder, a name table acting as the reference lookup, and an
 * in-memory GraphPort that records writes and serves canned reads.
 */
import type { BatchItem, BatchResult, GraphBody, GraphPort } from '../../src/core/graph-port.ts';
import type { DesiredObject, LiveObject, ReferenceLookup } from '../../src/core/kind.ts';
import { API_VERSION, type Manifest } from '../../src/core/manifest.ts';
import { diffStates } from '../../src/pipeline/diff.ts';

export function buildManifest(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
): Manifest {
  const location = { file: `${name}.yaml`, line: 1, column: 1 };
  return {
    apiVersion: API_VERSION,
    kind,
    metadata: annotations ? { name, annotations } : { name },
    spec,
    source: { file: location.file, document: 0, location, locate: () => location },
  };
}

/** A lookup over a fixed table of `[type, name, id]`. */
export function buildLookup(entries: readonly [string, string, string][] = []): ReferenceLookup {
  return {
    idOf(reference) {
      const hit = entries.find(
        ([t, n, id]) =>
          t === reference.type &&
          (n.toLowerCase() === reference.value.toLowerCase() || id === reference.value.toLowerCase()),
      );
      if (!hit) throw new Error(`unresolved ${reference.type} '${reference.value}'`);
      return hit[2];
    },
    nameOf(type, id) {
      return entries.find(([t, , i]) => t === type && i === id.toLowerCase())?.[1] ?? id;
    },
  };
}

export interface RecordedCall {
  method: 'GET' | 'LIST' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: GraphBody;
}

/** Answers reads from `objects` (path → body or collection), records every call. */
export class FakeGraphPort implements GraphPort {
  readonly calls: RecordedCall[] = [];
  readonly objects = new Map<string, GraphBody | GraphBody[]>();
  nextId = 'created-1';

  async get(path: string): Promise<GraphBody | undefined> {
    this.calls.push({ method: 'GET', path });
    const value = this.objects.get(path);
    return Array.isArray(value) ? undefined : value;
  }
  async list(path: string): Promise<GraphBody[]> {
    this.calls.push({ method: 'LIST', path });
    const value = this.objects.get(path);
    return Array.isArray(value) ? value : [];
  }
  async post(path: string, body: GraphBody): Promise<GraphBody> {
    this.calls.push({ method: 'POST', path, body });
    return { id: this.nextId, ...body };
  }
  async patch(path: string, body: GraphBody): Promise<GraphBody | undefined> {
    this.calls.push({ method: 'PATCH', path, body });
    return undefined;
  }
  async delete(path: string): Promise<void> {
    this.calls.push({ method: 'DELETE', path });
  }
  async batch(items: readonly BatchItem[]): Promise<BatchResult[]> {
    return items.map(() => ({ status: 501, body: null }));
  }
  writes(): RecordedCall[] {
    return this.calls.filter((c) => c.method !== 'GET' && c.method !== 'LIST');
  }
}

/** The field changes the plan would show between a live object and a desired one (partial: owned keys only). */
export function changesBetween(
  live: LiveObject | undefined,
  desired: DesiredObject,
): ReturnType<typeof diffStates> {
  if (!live) return diffStates(null, desired.state);
  const current = desired.partial
    ? Object.fromEntries(Object.keys(desired.state).map((k) => [k, live.state[k] ?? null]))
    : live.state;
  return diffStates(current, desired.state);
}
