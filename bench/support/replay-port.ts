/**
 * A GraphPort that records what a real plan read (`RecordingPort`) and one that serves it again from memory
 * (`ReplayPort`), so the CPU benchmarks run the real pipeline with no I/O. Collections can be overridden (e.g. a
 * scaled-up policy list); `$batch` lookups are answered from the recorded directory objects by evaluating the
 * `prop in ('a','b')` filters the resolver sends, and cached per batch, so timed iterations only look up a map.
 */
import type { BatchItem, BatchResult, GraphBody, GraphPort } from '../../src/core/graph-port.ts';

export interface Recording {
  gets: Map<string, GraphBody | undefined>;
  lists: Map<string, GraphBody[]>;
  batches: { items: BatchItem[]; results: BatchResult[] }[];
}

export class RecordingPort implements GraphPort {
  readonly recording: Recording = { gets: new Map(), lists: new Map(), batches: [] };
  private readonly inner: GraphPort;

  constructor(inner: GraphPort) {
    this.inner = inner;
  }

  async get(path: string): Promise<GraphBody | undefined> {
    const body = await this.inner.get(path);
    this.recording.gets.set(path, body);
    return body;
  }

  async list(path: string): Promise<GraphBody[]> {
    const items = await this.inner.list(path);
    this.recording.lists.set(path, items);
    return items;
  }

  async batch(items: readonly BatchItem[]): Promise<BatchResult[]> {
    const results = await this.inner.batch(items);
    this.recording.batches.push({ items: [...items], results });
    return results;
  }

  post(): Promise<GraphBody> {
    throw new Error('the recording port is read-only');
  }

  patch(): Promise<GraphBody | undefined> {
    throw new Error('the recording port is read-only');
  }

  delete(): Promise<void> {
    throw new Error('the recording port is read-only');
  }
}

function collectionOf(path: string): string {
  return path.replace(/\?.*$/, '').toLowerCase();
}

/** `prop in ('a','b')` → the property and the lower-cased values. */
function parseInFilter(path: string): { property: string; values: Set<string> } {
  const query = new URLSearchParams(path.slice(path.indexOf('?') + 1));
  const filter = query.get('$filter') ?? '';
  const match = /^(\w+) in \((.*)\)$/.exec(filter);
  if (!match) throw new Error(`the replay port cannot answer the filter '${filter}'`);
  const values = new Set<string>();
  for (const quoted of match[2]!.matchAll(/'((?:[^']|'')*)'/g))
    values.add(quoted[1]!.replace(/''/g, "'").toLowerCase());
  return { property: match[1]!, values };
}

export class ReplayPort implements GraphPort {
  private readonly recording: Recording;
  private readonly lists: Map<string, GraphBody[]>;
  private readonly directory = new Map<string, GraphBody[]>();
  private readonly answered = new Map<string, BatchResult[]>();

  constructor(recording: Recording, listOverrides: ReadonlyMap<string, GraphBody[]> = new Map()) {
    this.recording = recording;
    this.lists = new Map([...recording.lists, ...listOverrides]);
    for (const { items, results } of recording.batches) {
      items.forEach((item, i) => {
        const value = (results[i]?.body as { value?: GraphBody[] } | undefined)?.value ?? [];
        const collection = collectionOf(item.path);
        const known = this.directory.get(collection) ?? [];
        for (const object of value) if (!known.some((k) => k.id === object.id)) known.push(object);
        this.directory.set(collection, known);
      });
    }
  }

  async get(path: string): Promise<GraphBody | undefined> {
    if (!this.recording.gets.has(path)) throw new Error(`nothing recorded for GET ${path}`);
    return this.recording.gets.get(path);
  }

  async list(path: string): Promise<GraphBody[]> {
    const items = this.lists.get(path);
    if (!items) throw new Error(`nothing recorded for the list ${path}`);
    return items;
  }

  async batch(items: readonly BatchItem[]): Promise<BatchResult[]> {
    const key = JSON.stringify(items);
    let results = this.answered.get(key);
    if (!results) {
      results = items.map((item) => {
        const { property, values } = parseInFilter(item.path);
        const objects = this.directory.get(collectionOf(item.path)) ?? [];
        const value = objects.filter((o) => values.has(String(o[property] ?? '').toLowerCase()));
        return { status: 200, body: { value } };
      });
      this.answered.set(key, results);
    }
    return results;
  }

  post(): Promise<GraphBody> {
    throw new Error('the replay port is read-only');
  }

  patch(): Promise<GraphBody | undefined> {
    throw new Error('the replay port is read-only');
  }

  delete(): Promise<void> {
    throw new Error('the replay port is read-only');
  }
}
