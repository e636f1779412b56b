/**
 * CloudWatch metric math, as far as the control plane's alarms and queries use it, evaluated at
 * one timestamp: numbers, metric ids, + - * /, parentheses, MAX / MIN over a bracketed list
 * (`(waiting + active) / MAX([tasks, 1])`) and FILL(series, constant) (`1 - FILL(az1, 1)`). The twin evaluates the deployed expression texts
 * themselves (lib/config/scale-alerts.ts, lambdas/core/scaling/queries.ts), so an expression that
 * reads the wrong ids or divides wrongly misbehaves in the twin as it would in CloudWatch.
 * A timestamp where an id the expression reads has no datapoint has no result (null), nor does a
 * division by zero: the twin never invents a value that CloudWatch would not return.
 */
export type Lookup = (id: string) => number | null;

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\S))/y;

type Token =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'name' | 'symbol'; readonly text: string };

function tokenise(expression: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    const m = TOKEN.exec(expression);
    if (!m) break;
    if (m[1] !== undefined) tokens.push({ kind: 'number', value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'name', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'symbol', text: m[3] });
  }
  return tokens;
}

const FUNCTIONS: Readonly<Record<string, (values: number[]) => number>> = {
  MAX: (values) => Math.max(...values),
  MIN: (values) => Math.min(...values),
};

/** Evaluates `expression` with each id's datapoint from `lookup`; null when CloudWatch would have none. */
export function evaluateMetricMath(expression: string, lookup: Lookup): number | null {
  const tokens = tokenise(expression);
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`metric math "${expression}": ${what}`);
  };
  const peek = (): Token | undefined => tokens[at];
  const isSymbol = (text: string) => {
    const t = peek();
    return t?.kind === 'symbol' && t.text === text;
  };
  const expect = (text: string) => {
    if (!isSymbol(text)) fail(`expected "${text}" at token ${at + 1}`);
    at += 1;
  };

  // Recursive descent; null propagates (a missing operand makes a missing result).
  const sum = (): number | null => {
    let value = product();
    while (isSymbol('+') || isSymbol('-')) {
      const op = (tokens[at++] as { text: string }).text;
      const right = product();
      value = value === null || right === null ? null : op === '+' ? value + right : value - right;
    }
    return value;
  };
  const product = (): number | null => {
    let value = factor();
    while (isSymbol('*') || isSymbol('/')) {
      const op = (tokens[at++] as { text: string }).text;
      const right = factor();
      if (value === null || right === null) value = null;
      else if (op === '*') value = value * right;
      else value = right === 0 ? null : value / right;
    }
    return value;
  };
  const factor = (): number | null => {
    const t = peek();
    if (!t) return fail('ends too early');
    at += 1;
    if (t.kind === 'number') return t.value;
    if (t.kind === 'symbol') {
      if (t.text === '-') {
        const v = factor();
        return v === null ? null : -v;
      }
      if (t.text !== '(') return fail(`unexpected "${t.text}"`);
      const v = sum();
      expect(')');
      return v;
    }
    if (t.text === 'FILL' && isSymbol('(')) {
      // FILL(series, value): the value where the series has no datapoint at this timestamp.
      expect('(');
      const series = sum();
      expect(',');
      const filler = sum();
      expect(')');
      return series ?? filler;
    }
    const fn = FUNCTIONS[t.text];
    if (!isSymbol('(')) {
      if (fn) fail(`${t.text} needs arguments`);
      return lookup(t.text);
    }
    if (!fn) return fail(`the twin does not know the function ${t.text}`);
    expect('(');
    expect('[');
    const values = [sum()];
    while (isSymbol(',')) {
      at += 1;
      values.push(sum());
    }
    expect(']');
    expect(')');
    return values.some((v) => v === null) ? null : fn(values as number[]);
  };

  const result = sum();
  if (at !== tokens.length) fail(`unexpected token ${at + 1}`);
  return result;
}
