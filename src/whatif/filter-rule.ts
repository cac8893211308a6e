/**
 * The rule language of `conditionalAccessFilter` (ca-evaluation §2.10): `device.<attr> -<op> "value"` (or
 * `CustomSecurityAttribute.<Set>_<Attr>` for application and service principal filters), combined with
 * `-and` / `-or` (`-and` binds tighter), `-not` and parentheses. A real parser: a rule it cannot read, an unknown
 * attribute or an operator the attribute does not support is a `FilterError` (→ `invalidCondition`).
 */

export type FilterOperator =
  | 'eq'
  | 'ne'
  | 'startswith'
  | 'notstartswith'
  | 'endswith'
  | 'notendswith'
  | 'contains'
  | 'notcontains'
  | 'in'
  | 'notin';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; attribute: string; operator: FilterOperator; values: string[] };

/** Which attributes a filter may name and the operators each supports. */
export interface FilterSchema {
  /** Lower-case prefix before the first dot, e.g. `device`. */
  prefix: string;
  /** Lower-case attribute → operators; `undefined` accepts any attribute with `anyAttributeOperators`. */
  attributes?: ReadonlyMap<string, ReadonlySet<FilterOperator>>;
  anyAttributeOperators?: ReadonlySet<FilterOperator>;
}

export class FilterError extends Error {}

/** An attribute's value: a string, a string collection, or null when the object does not have it. */
export type AttributeValue = string | readonly string[] | null;

const OPERATORS = new Set<string>([
  'eq',
  'ne',
  'startswith',
  'notstartswith',
  'endswith',
  'notendswith',
  'contains',
  'notcontains',
  'in',
  'notin',
]);
const NEGATIVE: ReadonlySet<FilterOperator> = new Set([
  'ne',
  'notstartswith',
  'notendswith',
  'notcontains',
  'notin',
]);
const POSITIVE_OF: Record<FilterOperator, FilterOperator> = {
  eq: 'eq',
  ne: 'eq',
  startswith: 'startswith',
  notstartswith: 'startswith',
  endswith: 'endswith',
  notendswith: 'endswith',
  contains: 'contains',
  notcontains: 'contains',
  in: 'in',
  notin: 'in',
};

type Token =
  { kind: 'string' | 'word' | 'dash'; text: string } | { kind: 'punct'; text: '(' | ')' | '[' | ']' | ',' };

const TOKEN = /\s*(?:"([^"]*)"|'([^']*)'|(-[A-Za-z]+)|([()[\],])|([A-Za-z0-9_.]+))/y;

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < rule.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(rule);
    if (!m) {
      if (rule.slice(start).trim() === '') break;
      throw new FilterError(`unexpected text at position ${start}: '${rule.slice(start, start + 20)}'`);
    }
    if (m[1] !== undefined || m[2] !== undefined) tokens.push({ kind: 'string', text: m[1] ?? m[2]! });
    else if (m[3] !== undefined) tokens.push({ kind: 'dash', text: m[3].slice(1).toLowerCase() });
    else if (m[4] !== undefined) tokens.push({ kind: 'punct', text: m[4] as '(' });
    else tokens.push({ kind: 'word', text: m[5]! });
  }
  return tokens;
}

class Parser {
  private position = 0;
  private readonly tokens: Token[];
  private readonly schema: FilterSchema;

  constructor(tokens: Token[], schema: FilterSchema) {
    this.tokens = tokens;
    this.schema = schema;
  }

  parseRule(): FilterNode {
    const node = this.parseOr();
    if (this.position < this.tokens.length) throw new FilterError(`unexpected '${this.peek()?.text}'`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw new FilterError('the rule ends too early');
    return token;
  }

  private isDash(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'dash' && token.text === word;
  }

  private expectPunct(text: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text) throw new FilterError(`expected '${text}'`);
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isDash('or')) {
      this.position++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isDash('and')) {
      this.position++;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isDash('not')) {
      this.position++;
      return { kind: 'not', operand: this.parseUnary() };
    }
    const token = this.peek();
    if (token?.kind === 'punct' && token.text === '(') {
      this.position++;
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): FilterNode {
    const attributeToken = this.next();
    if (attributeToken.kind !== 'word')
      throw new FilterError(`expected an attribute, got '${attributeToken.text}'`);
    const attribute = this.checkAttribute(attributeToken.text);
    const operatorToken = this.next();
    if (operatorToken.kind !== 'dash' || !OPERATORS.has(operatorToken.text)) {
      throw new FilterError(`unknown operator '${operatorToken.text}'`);
    }
    const operator = operatorToken.text as FilterOperator;
    this.checkOperator(attribute, operator);
    const values = this.parseValues(operator);
    return { kind: 'compare', attribute, operator, values };
  }

  private checkAttribute(text: string): string {
    const dot = text.indexOf('.');
    const prefix = text.slice(0, dot).toLowerCase();
    const name = text.slice(dot + 1).toLowerCase();
    if (dot < 0 || prefix !== this.schema.prefix || name === '') {
      throw new FilterError(`'${text}' is not a ${this.schema.prefix} attribute`);
    }
    if (this.schema.attributes && !this.schema.attributes.has(name)) {
      throw new FilterError(`unknown attribute '${text}'`);
    }
    return name;
  }

  private checkOperator(attribute: string, operator: FilterOperator): void {
    const allowed = this.schema.attributes?.get(attribute) ?? this.schema.anyAttributeOperators;
    if (!allowed?.has(operator)) throw new FilterError(`'-${operator}' is not supported for '${attribute}'`);
  }

  private parseValues(operator: FilterOperator): string[] {
    const isList = operator === 'in' || operator === 'notin';
    if (!isList) return [this.parseScalar()];
    this.expectPunct('[');
    const values = [this.parseScalar()];
    while (this.peek()?.text === ',') {
      this.position++;
      values.push(this.parseScalar());
    }
    this.expectPunct(']');
    return values;
  }

  private parseScalar(): string {
    const token = this.next();
    if (token.kind === 'string') return token.text;
    // Booleans are written bare in the portal's samples: `device.isCompliant -eq True`.
    if (token.kind === 'word' && /^(true|false)$/i.test(token.text)) return token.text;
    throw new FilterError(`expected a quoted value, got '${token.text}'`);
  }
}

/** The longest rule Entra accepts (§2.10). */
export const MAX_RULE_LENGTH = 3072;

export function parseFilterRule(rule: string, schema: FilterSchema): FilterNode {
  if (rule.length > MAX_RULE_LENGTH)
    throw new FilterError(`the rule is longer than ${MAX_RULE_LENGTH} characters`);
  const tokens = tokenize(rule);
  if (tokens.length === 0) throw new FilterError('the rule is empty');
  return new Parser(tokens, schema).parseRule();
}

function isPositiveMatch(operator: FilterOperator, actual: string, values: readonly string[]): boolean {
  const a = actual.toLowerCase();
  const v = values[0]!.toLowerCase();
  switch (operator) {
    case 'eq':
      return a === v;
    case 'startswith':
      return a.startsWith(v);
    case 'endswith':
      return a.endsWith(v);
    case 'contains':
      return a.includes(v);
    default:
      return values.some((value) => value.toLowerCase() === a);
  }
}

/** Null attributes: positive operators are false, negative ones true (§2.10). */
function evaluateComparison(node: Extract<FilterNode, { kind: 'compare' }>, actual: AttributeValue): boolean {
  const positive = POSITIVE_OF[node.operator];
  let matched: boolean;
  if (actual === null) matched = false;
  else if (typeof actual === 'string') matched = isPositiveMatch(positive, actual, node.values);
  else
    matched = actual.some((item) =>
      isPositiveMatch(positive === 'contains' ? 'eq' : positive, item, node.values),
    );
  return NEGATIVE.has(node.operator) ? !matched : matched;
}

export function evaluateFilter(node: FilterNode, lookup: (attribute: string) => AttributeValue): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateFilter(node.left, lookup) && evaluateFilter(node.right, lookup);
    case 'or':
      return evaluateFilter(node.left, lookup) || evaluateFilter(node.right, lookup);
    case 'not':
      return !evaluateFilter(node.operand, lookup);
    case 'compare':
      return evaluateComparison(node, lookup(node.attribute));
  }
}
