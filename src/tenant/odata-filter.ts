/**
 * A small OData `$filter` parser and evaluator covering what Graph's directory and policy collections accept:
 * eq, ne, gt, ge, lt, le, in, has, and/or/not, parentheses, startsWith/endsWith, `isof('type')`, and lambda
 * `any(x: …)` over collections (e.g. `identities/any(c: c/issuer eq 'contoso.com')`). String comparisons are
 * case-insensitive, as they are in Graph's directory.
 */
import { badRequest } from './errors.ts';

type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'has'; path: string[]; value: Literal }
  | { kind: 'in'; path: string[]; values: Literal[] }
  | { kind: 'call'; fn: 'startswith' | 'endswith' | 'contains'; path: string[]; value: string }
  | { kind: 'isof'; type: string }
  | { kind: 'any'; path: string[]; variable: string; body: FilterNode | undefined };

interface Token {
  type: 'word' | 'string' | 'number' | 'punct';
  text: string;
}

/** The OData string literal opening at `start` ('' is an escaped quote); `end` is just past its closing quote. */
function readStringLiteral(input: string, start: number): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  for (;;) {
    if (i >= input.length) throw invalidFilter('unterminated string literal');
    if (input[i] !== "'") {
      text += input[i];
      i++;
    } else if (input[i + 1] === "'") {
      text += "'";
      i += 2;
    } else {
      return { text, end: i + 1 };
    }
  }
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      const literal = readStringLiteral(input, i);
      tokens.push({ type: 'string', text: literal.text });
      i = literal.end;
    } else if ('(),:'.includes(ch)) {
      tokens.push({ type: 'punct', text: ch });
      i++;
    } else if (/[-0-9]/.test(ch) && /^-?\d/.test(input.slice(i))) {
      const match = /^-?\d+(\.\d+)?(?![\w-])/.exec(input.slice(i));
      if (match) {
        tokens.push({ type: 'number', text: match[0] });
        i += match[0].length;
        continue;
      }
      const word = /^[\w.\-/#:]+/.exec(input.slice(i))![0];
      tokens.push({ type: 'word', text: word });
      i += word.length;
    } else if (/[\w$@.#/]/.test(ch)) {
      const word = /^[\w$@.#/-]+/.exec(input.slice(i))![0];
      tokens.push({ type: 'word', text: word });
      i += word.length;
    } else {
      throw invalidFilter(`unexpected character '${ch}'`);
    }
  }
  return tokens;
}

function invalidFilter(detail: string) {
  return badRequest(`Invalid filter clause: ${detail}`);
}

const MAX_DEPTH = 32;

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  parse(): FilterNode {
    const node = this.parseOr();
    if (this.pos < this.tokens.length) throw invalidFilter(`unexpected '${this.tokens[this.pos]!.text}'`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return t?.type === 'word' && t.text.toLowerCase() === text;
  }

  private expect(text: string): void {
    const t = this.tokens[this.pos++];
    if (!t || t.text !== text) throw invalidFilter(`expected '${text}'`);
  }

  private parseOr(): FilterNode {
    if (++this.depth > MAX_DEPTH) throw invalidFilter('the expression is nested too deeply');
    let left = this.parseAnd();
    while (this.isWord('or')) {
      this.pos++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    this.depth--;
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isWord('and')) {
      this.pos++;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isWord('not')) {
      this.pos++;
      if (++this.depth > MAX_DEPTH) throw invalidFilter('the expression is nested too deeply');
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'not', operand };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const t = this.peek();
    if (!t) throw invalidFilter('unexpected end of expression');
    if (t.text === '(') {
      this.pos++;
      const inner = this.parseOr();
      this.expect(')');
      return inner;
    }
    if (t.type !== 'word') throw invalidFilter(`unexpected '${t.text}'`);
    return this.parseFunctionCall(t) ?? this.parsePathExpression();
  }

  private parseFunctionCall(t: Token): FilterNode | undefined {
    const lower = t.text.toLowerCase();
    if (this.tokens[this.pos + 1]?.text !== '(') return undefined;
    if (lower === 'startswith' || lower === 'endswith' || lower === 'contains') {
      this.pos += 2;
      const path = this.parsePath();
      this.expect(',');
      const value = this.parseLiteral();
      this.expect(')');
      if (typeof value !== 'string') throw invalidFilter(`${t.text} needs a string`);
      return { kind: 'call', fn: lower, path, value };
    }
    if (lower === 'isof') {
      this.pos += 2;
      const type = this.parseLiteral();
      this.expect(')');
      if (typeof type !== 'string') throw invalidFilter('isof needs a type name');
      return { kind: 'isof', type: type.replace(/^#/, '') };
    }
    return undefined;
  }

  private parsePathExpression(): FilterNode {
    const path = this.parsePath();
    if (path[path.length - 1]?.toLowerCase() === 'any' && this.peek()?.text === '(') {
      path.pop();
      return this.parseLambda(path);
    }
    const opToken = this.tokens[this.pos++];
    const op = opToken?.text.toLowerCase();
    if (op === 'in') return { kind: 'in', path, values: this.parseList() };
    if (
      op === 'eq' ||
      op === 'ne' ||
      op === 'gt' ||
      op === 'ge' ||
      op === 'lt' ||
      op === 'le' ||
      op === 'has'
    ) {
      return { kind: 'compare', op, path, value: this.parseLiteral() };
    }
    throw invalidFilter(`unknown operator '${opToken?.text ?? ''}'`);
  }

  private parseLambda(path: string[]): FilterNode {
    this.pos++;
    if (this.peek()?.text === ')') {
      this.pos++;
      return { kind: 'any', path, variable: '', body: undefined };
    }
    const variable = this.tokens[this.pos++];
    if (variable?.type !== 'word') throw invalidFilter('expected a lambda variable');
    this.expect(':');
    const body = this.parseOr();
    this.expect(')');
    return { kind: 'any', path, variable: variable.text, body };
  }

  private parseList(): Literal[] {
    this.expect('(');
    const values: Literal[] = [];
    while (this.peek()?.text !== ')') {
      values.push(this.parseLiteral());
      if (this.peek()?.text !== ',') break;
      this.pos++;
    }
    this.expect(')');
    return values;
  }

  private parsePath(): string[] {
    const t = this.tokens[this.pos++];
    if (!t || t.type !== 'word') throw invalidFilter('expected a property');
    return t.text.split('/').filter((s) => s.length > 0);
  }

  private parseLiteral(): Literal {
    const t = this.tokens[this.pos++];
    if (!t) throw invalidFilter('expected a value');
    if (t.type === 'string') return t.text;
    if (t.type === 'number') return Number(t.text);
    if (t.type === 'word') {
      const lower = t.text.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      if (lower === 'null') return null;
      // Unquoted GUIDs, enum-like words and DateTimeOffset literals are accepted by Graph.
      if (/^[A-Za-z0-9][\w.-]*$/.test(t.text) || DATE_TIME.test(t.text)) return t.text;
    }
    throw invalidFilter(`unexpected '${t.text}'`);
  }
}

export function parseFilter(input: string): FilterNode {
  if (input.length > 4096) throw invalidFilter('the expression is too long');
  return new Parser(tokenize(input)).parse();
}

function readProperty(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

function resolvePath(target: unknown, path: string[], scope: Map<string, unknown>): unknown {
  const head = path[0];
  let current: unknown = target;
  let rest = path;
  if (head !== undefined && scope.has(head)) {
    current = scope.get(head);
    rest = path.slice(1);
  }
  for (const segment of rest) {
    // Type casts such as microsoft.graph.countryNamedLocation narrow; a mismatch yields undefined.
    if (segment.startsWith('microsoft.graph.')) {
      if (!isOfType(current, segment)) return undefined;
      continue;
    }
    current = readProperty(current, segment);
  }
  return current;
}

function isOfType(value: unknown, type: string): boolean {
  const odataType = readProperty(value, '@odata.type');
  return typeof odataType === 'string' && odataType.replace(/^#/, '').toLowerCase() === type.toLowerCase();
}

function normalize(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/i;

/**
 * Both sides as epoch milliseconds when both are DateTimeOffset values (e.g. `createdDateTime ge
 * 2019-09-01T00:00:00Z`): stored values carry milliseconds and literals often don't, so strings would misorder.
 */
function asDates(left: unknown, right: Literal): [number, number] | undefined {
  if (typeof left !== 'string' || typeof right !== 'string') return undefined;
  if (!DATE_TIME.test(left) || !DATE_TIME.test(right)) return undefined;
  const l = Date.parse(left);
  const r = Date.parse(right);
  return Number.isNaN(l) || Number.isNaN(r) ? undefined : [l, r];
}

function compare(op: string, left: unknown, right: Literal): boolean {
  if (op === 'has') {
    if (typeof left !== 'string' || typeof right !== 'string') return false;
    const members = left
      .toLowerCase()
      .split(',')
      .map((s) => s.trim());
    return right
      .toLowerCase()
      .split(',')
      .map((s) => s.trim())
      .every((m) => members.includes(m));
  }
  const dates = asDates(left, right);
  const l = dates ? dates[0] : normalize(left === undefined ? null : left);
  const r = dates ? dates[1] : normalize(right);
  switch (op) {
    case 'eq':
      return l === r;
    case 'ne':
      return l !== r;
    default: {
      if (l === null || r === null) return false;
      const a = l as string | number | boolean;
      const b = r as string | number | boolean;
      if (op === 'gt') return a > b;
      if (op === 'ge') return a >= b;
      if (op === 'lt') return a < b;
      return a <= b;
    }
  }
}

export function evaluateFilter(
  node: FilterNode,
  target: unknown,
  scope = new Map<string, unknown>(),
): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateFilter(node.left, target, scope) && evaluateFilter(node.right, target, scope);
    case 'or':
      return evaluateFilter(node.left, target, scope) || evaluateFilter(node.right, target, scope);
    case 'not':
      return !evaluateFilter(node.operand, target, scope);
    case 'compare':
      return compare(node.op, resolvePath(target, node.path, scope), node.value);
    case 'in': {
      const value = normalize(resolvePath(target, node.path, scope));
      return node.values.some((v) => normalize(v) === value);
    }
    case 'call': {
      const value = resolvePath(target, node.path, scope);
      if (typeof value !== 'string') return false;
      const v = value.toLowerCase();
      const needle = node.value.toLowerCase();
      if (node.fn === 'startswith') return v.startsWith(needle);
      if (node.fn === 'endswith') return v.endsWith(needle);
      return v.includes(needle);
    }
    case 'isof':
      return isOfType(target, node.type);
    case 'any': {
      const collection = resolvePath(target, node.path, scope);
      if (!Array.isArray(collection)) return false;
      if (!node.body) return collection.length > 0;
      const body = node.body;
      return collection.some((item) => {
        const inner = new Map(scope);
        inner.set(node.variable, item);
        return evaluateFilter(body, target, inner);
      });
    }
  }
}

/** The top-level properties a filter refers to (for "property not filterable" checks). */
export function filterProperties(node: FilterNode): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...filterProperties(node.left), ...filterProperties(node.right)];
    case 'not':
      return filterProperties(node.operand);
    case 'isof':
      return [];
    case 'any':
      return node.path.slice(0, 1);
    default:
      return node.path.slice(0, 1);
  }
}
