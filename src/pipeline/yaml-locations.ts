/**
 * Maps JSON pointers inside a parsed YAML document to file:line:column, so that every diagnostic about a value
 * points at the line where the user wrote it. Aliases and `<<` merge keys are followed; a pointer to a node that does
 * not exist resolves to its nearest existing ancestor (a missing required property points at its parent object).
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { SourceLocation } from '../core/diagnostics.ts';

interface Located {
  node: Node;
  /** Where to point: the key for collections reached through a mapping key, else the node itself. */
  offset: number;
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolveAlias(doc: Document, node: unknown, depth = 0): unknown {
  if (isAlias(node) && depth < 32) return resolveAlias(doc, node.resolve(doc), depth + 1);
  return node;
}

/** With `merge: true` the yaml package gives merge keys a symbol value; plain `'<<'` is accepted too. */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<');
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

function findPair(doc: Document, map: unknown, key: string, depth = 0): Pair | undefined {
  const resolved = resolveAlias(doc, map);
  if (!isMap(resolved) || depth > 16) return undefined;
  for (const pair of resolved.items) {
    if (!isMergeKey(pair.key) && String(isScalar(pair.key) ? pair.key.value : pair.key) === key) return pair;
  }
  for (const pair of resolved.items) {
    if (!isMergeKey(pair.key)) continue;
    const sources = resolveAlias(doc, pair.value);
    const list = isSeq(sources) ? sources.items : [sources];
    for (const source of list) {
      const found = findPair(doc, source, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function step(doc: Document, current: Located, segment: string): Located | undefined {
  const container = resolveAlias(doc, current.node);
  if (isSeq(container)) {
    if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined;
    const item = container.items[Number(segment)];
    const start = startOf(item);
    return start === undefined ? undefined : { node: item as Node, offset: start };
  }
  const pair = findPair(doc, container, segment);
  if (!pair) return undefined;
  const value = resolveAlias(doc, pair.value);
  const keyStart = startOf(pair.key);
  const valueStart = startOf(pair.value);
  const pointAtValue = isScalar(value) && valueStart !== undefined;
  const offset = pointAtValue ? valueStart : (keyStart ?? valueStart);
  if (offset === undefined) return undefined;
  return { node: (pair.value ?? pair.key) as Node, offset };
}

/** Offset of the node a pointer names, or of its nearest existing ancestor. */
export function findPointerOffset(doc: Document, pointer: string): number {
  const root = doc.contents;
  let current: Located = { node: root as Node, offset: startOf(root) ?? 0 };
  for (const segment of parsePointer(pointer)) {
    const next = step(doc, current, segment);
    if (!next) break;
    current = next;
  }
  return current.offset;
}

/** A `locate(pointer)` for one document of a file. */
export function createLocator(
  file: string,
  doc: Document,
  lineCounter: LineCounter,
): (pointer: string) => SourceLocation {
  return (pointer) => {
    const { line, col } = lineCounter.linePos(findPointerOffset(doc, pointer));
    return { file, line, column: col, pointer };
  };
}
