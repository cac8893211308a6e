/**
 * `$search` on directory collections (graph-contract §6, GC:concepts/aad-advanced-queries): clauses of the form
 * `"property:term"` joined by `AND` / `OR` (AND binds tighter). A term matches when each of its words starts a word
 * of the property's value, the way the directory tokenizes names (spaces, punctuation and camelCase split words),
 * case-insensitively. Pure.
 */
import { badRequest } from '../errors.ts';

export type SearchNode =
  | { kind: 'term'; property: string; words: string[] }
  | { kind: 'and' | 'or'; left: SearchNode; right: SearchNode };

const MAX_SEARCH_LENGTH = 1024;

function invalidSearch(detail: string) {
  return badRequest(`Syntax error in $search: ${detail}`, 'Request_UnsupportedQuery');
}

function splitWords(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function parseClause(clause: string): SearchNode {
  const colon = clause.indexOf(':');
  if (colon <= 0) throw invalidSearch(`expected "property:term", got "${clause.slice(0, 100)}".`);
  const property = clause.slice(0, colon).trim();
  const words = splitWords(clause.slice(colon + 1));
  if (!/^[A-Za-z][\w]*$/.test(property))
    throw invalidSearch(`'${property.slice(0, 100)}' is not a property.`);
  if (words.length === 0) throw invalidSearch(`the clause "${clause.slice(0, 100)}" has no term.`);
  return { kind: 'term', property, words };
}

/** Parses `"displayName:room" OR "mail:room"`; anything else is Graph's 400. */
export function parseSearch(raw: string): SearchNode {
  if (raw.length > MAX_SEARCH_LENGTH) throw invalidSearch('the expression is too long.');
  const tokens = raw.trim().match(/"[^"]*"|\S+/g) ?? [];
  if (tokens.length === 0) throw invalidSearch('the expression is empty.');
  const terms: SearchNode[][] = [[]];
  let expectClause = true;
  for (const token of tokens) {
    if (expectClause) {
      if (!/^"[^"]*"$/.test(token))
        throw invalidSearch(`expected a quoted clause, got ${token.slice(0, 100)}.`);
      terms[terms.length - 1]!.push(parseClause(token.slice(1, -1)));
    } else if (token.toUpperCase() === 'OR') {
      terms.push([]);
    } else if (token.toUpperCase() !== 'AND') {
      throw invalidSearch(`expected AND or OR, got ${token.slice(0, 100)}.`);
    }
    expectClause = !expectClause;
  }
  if (expectClause) throw invalidSearch('the expression ends with an operator.');
  const conjunctions = terms.map((group) =>
    group.reduce((left, right) => ({ kind: 'and', left, right }) as SearchNode),
  );
  return conjunctions.reduce((left, right) => ({ kind: 'or', left, right }) as SearchNode);
}

function readString(doc: Record<string, unknown>, property: string): string | undefined {
  const key = Object.keys(doc).find((k) => k.toLowerCase() === property.toLowerCase());
  const value = key === undefined ? undefined : doc[key];
  return typeof value === 'string' ? value : undefined;
}

export function matchesSearch(node: SearchNode, doc: Record<string, unknown>): boolean {
  if (node.kind !== 'term') {
    const left = matchesSearch(node.left, doc);
    return node.kind === 'and'
      ? left && matchesSearch(node.right, doc)
      : left || matchesSearch(node.right, doc);
  }
  const value = readString(doc, node.property);
  if (value === undefined) return false;
  const valueWords = splitWords(value);
  return node.words.every((word) => valueWords.some((candidate) => candidate.startsWith(word)));
}
