/**
 * CloudWatch Logs filter patterns and Contributor Insights rules, evaluated locally so that tests can
 * check a catalogue filter against the log lines the software really writes. It follows the documented
 * semantics (AWS docs "Filter pattern syntax for metric filters" / "Filter and Pattern Syntax", and
 * "Contributor Insights rule syntax") to the extent the catalogue uses them, and throws on syntax it
 * does not model (regular expressions, cross-field conditions), so a pattern it cannot judge fails a
 * test instead of passing it:
 * - text: terms and "quoted phrases" must all occur (case-sensitive substrings), `-term` must not,
 *   and of the `?term`s at least one must;
 * - JSON `{ ... }`: selectors `$.a.b[0]`, `=`/`!=` against strings (a leading or trailing `*` is a
 *   wildcard) or numbers, `<` `>` `<=` `>=`, `IS TRUE|FALSE|NULL`, `NOT EXISTS`, `&&`, `||`, parentheses;
 *   a missing field satisfies only NOT EXISTS, and a selector on an object or array matches nothing;
 * - space-delimited `[a, b = x, ...]`: the line's fields split on spaces, `[...]` and `"..."` each one
 *   field; `...` stands for any number of fields; conditions as in JSON, joined by `&&`/`||` on the
 *   same field.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const SELECTOR = /^\$((\.[A-Za-z0-9_-]+)(\[\d+\])*)+$/;

/** Does `message` match the metric filter `pattern`? */
export function matchesFilter(pattern: string, message: string): boolean {
  return evaluate(pattern, message) !== undefined;
}

/**
 * The number a metric filter with `metricValue` publishes for `message`, or undefined when the line
 * does not match or the field is not a number (CloudWatch then publishes nothing for it).
 */
export function metricValueOf(pattern: string, metricValue: string, message: string): number | undefined {
  const fields = evaluate(pattern, message);
  if (fields === undefined) return undefined;
  if (NUMBER.test(metricValue)) return Number(metricValue);
  if (metricValue.startsWith('$.')) {
    const value = select(parseJson(message), metricValue);
    return typeof value === 'number' ? value : undefined;
  }
  if (/^\$[A-Za-z0-9_]+$/.test(metricValue)) {
    const value = fields[metricValue];
    return value !== undefined && NUMBER.test(value) ? Number(value) : undefined;
  }
  throw new Error(`unsupported metric value ${metricValue}`);
}

/** A Contributor Insights rule over JSON logs, as the catalogue writes it (`In` filters only). */
export interface ContributorRule {
  readonly keys: readonly string[];
  readonly filters: readonly { readonly match: string; readonly in: readonly string[] }[];
}

/** The contributor (one value per key) a `LogFormat: JSON` rule counts `message` under, if any. */
export function contributorOf(rule: ContributorRule, message: string): string[] | undefined {
  const document = parseJson(message);
  if (document === undefined) return undefined;
  for (const filter of rule.filters) {
    const value = select(document, filter.match);
    if (!(typeof value === 'string' || typeof value === 'number') || !filter.in.includes(String(value))) {
      return undefined;
    }
  }
  const key: string[] = [];
  for (const selector of rule.keys) {
    const value = select(document, selector);
    if (!(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
      return undefined;
    }
    key.push(String(value));
  }
  return key;
}

/** Undefined: no match. Otherwise the extracted fields (`$name`, `$1`, ... for space-delimited). */
function evaluate(pattern: string, message: string): Record<string, string> | undefined {
  const trimmed = pattern.trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('{')) {
    if (!trimmed.endsWith('}')) throw new Error(`unbalanced JSON pattern: ${pattern}`);
    const document = parseJson(message);
    if (document === undefined || typeof document !== 'object' || document === null) return undefined;
    return new JsonExpression(trimmed.slice(1, -1)).matches(document) ? {} : undefined;
  }
  if (trimmed.startsWith('[')) {
    if (!trimmed.endsWith(']')) throw new Error(`unbalanced space-delimited pattern: ${pattern}`);
    return matchSpaceDelimited(trimmed.slice(1, -1), message);
  }
  return matchesText(trimmed, message) ? {} : undefined;
}

function parseJson(message: string): Json | undefined {
  try {
    return JSON.parse(message) as Json;
  } catch {
    return undefined;
  }
}

/** The value at `selector` (`$.a.b[0]`), or undefined when a step is missing. */
function select(document: Json | undefined, selector: string): Json | undefined {
  if (!SELECTOR.test(selector)) throw new Error(`invalid selector ${selector}`);
  let current: Json | undefined = document;
  for (const [, property, index] of selector.slice(1).matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    if (property !== undefined) {
      if (Array.isArray(current)) return undefined;
      current = Object.hasOwn(current, property) ? current[property] : undefined;
    } else {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(index)];
    }
  }
  return current;
}

// ----- text patterns -----

function matchesText(pattern: string, message: string): boolean {
  const required: string[] = [];
  const excluded: string[] = [];
  const optional: string[] = [];
  let pendingSign: '-' | '?' | undefined;
  for (const [token] of pattern.matchAll(/"(?:[^"\\]|\\.)*"|\S+/g)) {
    if (token === '-' || token === '?') {
      pendingSign = token;
      continue;
    }
    let sign = pendingSign;
    let term = token;
    pendingSign = undefined;
    if (sign === undefined && (term.startsWith('-') || term.startsWith('?'))) {
      sign = term[0] as '-' | '?';
      term = term.slice(1);
    }
    if (term.startsWith('"')) term = JSON.parse(term) as string;
    else if (!/^[A-Za-z0-9_]+$/.test(term)) {
      throw new Error(`term ${term} has characters other than letters, digits and _: quote it`);
    }
    (sign === '-' ? excluded : sign === '?' ? optional : required).push(term);
  }
  if (pendingSign !== undefined) throw new Error(`a lone ${pendingSign} ends the pattern ${pattern}`);
  return (
    required.every((t) => message.includes(t)) &&
    !excluded.some((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t)))
  );
}

// ----- shared value comparison -----

/** `*` at the start or end is a wildcard; one inside is a literal asterisk (per the JSON docs). */
function wildcardMatches(expected: string, actual: string): boolean {
  if (expected === '*') return true;
  const leading = expected.startsWith('*');
  const trailing = expected.length > 1 && expected.endsWith('*');
  const core = expected.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (leading && trailing) return actual.includes(core);
  if (leading) return actual.endsWith(core);
  if (trailing) return actual.startsWith(core);
  return actual === core;
}

interface Literal {
  readonly text: string;
  readonly quoted: boolean;
}

function compare(actual: string | number, operator: Operator, literal: Literal): boolean {
  const numeric = !literal.quoted && NUMBER.test(literal.text);
  if (operator === '=' || operator === '!=') {
    let equal: boolean;
    if (numeric && typeof actual === 'number') equal = actual === Number(literal.text);
    else if (numeric && NUMBER.test(String(actual))) equal = Number(actual) === Number(literal.text);
    else equal = wildcardMatches(literal.text, String(actual));
    return operator === '=' ? equal : !equal;
  }
  if (!numeric) throw new Error(`${operator} needs a number, not ${literal.text}`);
  const value = typeof actual === 'number' ? actual : NUMBER.test(actual) ? Number(actual) : undefined;
  if (value === undefined) return false;
  const bound = Number(literal.text);
  return operator === '<'
    ? value < bound
    : operator === '>'
      ? value > bound
      : operator === '<='
        ? value <= bound
        : value >= bound;
}

// ----- JSON patterns -----

type Token = { kind: 'punct'; text: string } | { kind: 'word'; text: string; quoted: boolean };

function tokenizeJsonPattern(source: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(&&|\|\||!=|<=|>=|[=<>()])|("(?:[^"\\]|\\.)*")|([^\s()&|=!<>"]+))/gy;
  let match: RegExpExecArray | null;
  let position = 0;
  while (position < source.length && (match = re.exec(source)) !== null) {
    position = re.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'punct', text: match[1] });
    else if (match[2] !== undefined)
      tokens.push({ kind: 'word', text: JSON.parse(match[2]) as string, quoted: true });
    else if (match[3] !== undefined) tokens.push({ kind: 'word', text: match[3], quoted: false });
  }
  if (source.slice(position).trim() !== '')
    throw new Error(`cannot read JSON pattern at: ${source.slice(position)}`);
  return tokens;
}

class JsonExpression {
  private readonly tokens: Token[];
  private position = 0;
  private document: Json = null;

  constructor(source: string) {
    this.tokens = tokenizeJsonPattern(source);
    if (this.tokens.length === 0) throw new Error('empty JSON pattern');
  }

  matches(document: Json): boolean {
    this.document = document;
    this.position = 0;
    const result = this.or();
    if (this.position !== this.tokens.length)
      throw new Error(`unexpected ${this.peek()?.text} in JSON pattern`);
    return result;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (token === undefined) throw new Error('JSON pattern ends too early');
    return token;
  }

  // Both sides are always parsed (and so validated); only then combined.
  private or(): boolean {
    let result = this.and();
    while (this.peek()?.text === '||') {
      this.next();
      const right = this.and();
      result = result || right;
    }
    return result;
  }

  private and(): boolean {
    let result = this.term();
    while (this.peek()?.text === '&&') {
      this.next();
      const right = this.term();
      result = result && right;
    }
    return result;
  }

  private term(): boolean {
    const token = this.next();
    if (token.kind === 'punct' && token.text === '(') {
      const result = this.or();
      if (this.next().text !== ')') throw new Error('missing ) in JSON pattern');
      return result;
    }
    if (token.kind !== 'word' || token.quoted || !SELECTOR.test(token.text)) {
      throw new Error(`expected a selector, found ${token.text}`);
    }
    const value = select(this.document, token.text);
    const operator = this.next();
    if (operator.kind === 'word' && (operator.text === 'IS' || operator.text === 'NOT')) {
      const keyword = this.next().text;
      const phrase = `${operator.text} ${keyword}`;
      if (phrase === 'NOT EXISTS') return value === undefined;
      if (phrase === 'IS TRUE') return value === true;
      if (phrase === 'IS FALSE') return value === false;
      if (phrase === 'IS NULL') return value === null;
      throw new Error(`unknown ${phrase}`);
    }
    if (operator.kind !== 'punct' || !['=', '!=', '<', '>', '<=', '>='].includes(operator.text)) {
      throw new Error(`expected an operator after ${token.text}, found ${operator.text}`);
    }
    const literal = this.next();
    if (literal.kind !== 'word') throw new Error(`expected a value after ${operator.text}`);
    // Only a string or number value node can be compared; missing fields, objects, arrays, booleans
    // and null match no comparison, != included.
    if (!(typeof value === 'string' || typeof value === 'number')) return false;
    return compare(value, operator.text as Operator, literal);
  }
}

// ----- space-delimited patterns -----

/** The line's fields: split on spaces, `[...]` and `"..."` each one field without their delimiters. */
function splitFields(message: string): string[] {
  const fields: string[] = [];
  for (const [token, bracketed, quoted] of message.matchAll(/\[([^\]]*)\]|"([^"]*)"|[^\s[\]"]+/g)) {
    fields.push(bracketed ?? quoted ?? token);
  }
  return fields;
}

interface FieldSpec {
  readonly ellipsis: boolean;
  readonly name: string | undefined;
  /** Alternatives (`||`) of conjunctions (`&&`) of conditions on this field. */
  readonly conditions: readonly (readonly { operator: Operator; literal: Literal }[])[];
}

function parseFieldSpec(source: string): FieldSpec {
  const text = source.trim();
  if (text === '...' || text === '…') return { ellipsis: true, name: undefined, conditions: [] };
  if (text === '') return { ellipsis: false, name: undefined, conditions: [] };
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return { ellipsis: false, name: text, conditions: [] };
  let name: string | undefined;
  const conditions = text.split('||').map((alternative) =>
    alternative.split('&&').map((condition) => {
      const match =
        /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(!=|<=|>=|=|<|>)\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))\s*$/.exec(condition);
      if (match === null) throw new Error(`cannot read the field condition ${condition}`);
      const [, field, operator, quoted, bare] = match;
      if (name !== undefined && field !== name) {
        throw new Error(`conditions across fields (${name}, ${field}) are not modelled`);
      }
      name = field;
      const literal =
        quoted !== undefined ? { text: quoted, quoted: true } : { text: bare ?? '', quoted: false };
      return { operator: operator as Operator, literal };
    }),
  );
  return { ellipsis: false, name, conditions };
}

function fieldMatches(spec: FieldSpec, value: string): boolean {
  if (spec.conditions.length === 0) return true;
  return spec.conditions.some((all) => all.every((c) => compare(value, c.operator, c.literal)));
}

function matchSpaceDelimited(source: string, message: string): Record<string, string> | undefined {
  const specs = splitTopLevelCommas(source).map(parseFieldSpec);
  const fields = splitFields(message);
  const assignment = new Array<number>(specs.length);
  // Backtracking over the ellipses: spec i is matched against fields from position p on.
  const walk = (i: number, p: number): boolean => {
    if (i === specs.length) return p === fields.length;
    const spec = specs[i] as FieldSpec;
    if (spec.ellipsis) {
      for (let q = p; q <= fields.length; q++) if (walk(i + 1, q)) return true;
      return false;
    }
    const value = fields[p];
    if (value === undefined || !fieldMatches(spec, value)) return false;
    assignment[i] = p;
    return walk(i + 1, p + 1);
  };
  if (!walk(0, 0)) return undefined;
  const extracted: Record<string, string> = {};
  fields.forEach((value, index) => (extracted[`$${index + 1}`] = value));
  specs.forEach((spec, i) => {
    const index = assignment[i];
    if (spec.name !== undefined && index !== undefined) extracted[`$${spec.name}`] = fields[index] as string;
  });
  return extracted;
}

function splitTopLevelCommas(source: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  for (const char of source) {
    if (char === '"') inQuotes = !inQuotes;
    if (char === ',' && !inQuotes) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}
