/**
 * Checks the arithmetic of a lesson's worked examples on the printed digits, as a reader with a
 * calculator would. In every `a = b` where both sides are numbers, `b` must be `a` evaluated and
 * rounded to the decimals `b` is printed with.
 */
import { fixed } from '../../src/lessons/format.js';

/** Names of the functions a worked example may apply to a number. */
const FUNCTIONS: Record<string, (x: number) => number> = {
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  step: (x) => (x >= 0 ? 1 : 0),
};

/**
 * Evaluates an arithmetic expression of numbers, `+ - * / ^`, brackets and FUNCTIONS, left to
 * right within a precedence level, as the lessons compute it.
 * @returns undefined when the text is not such an expression
 */
export function evaluate(text: string): number | undefined {
  const tokens = text.match(/\d+(?:\.\d+)?|[a-z]+|[-+*/^()]|\S/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const next = () => tokens[position++];

  function primary(): number {
    const token = next();
    if (token === undefined) throw new SyntaxError('unexpected end');
    if (token === '-') return -primary();
    if (token === '(') {
      const value = sum();
      if (next() !== ')') throw new SyntaxError('missing )');
      return value;
    }
    if (token in FUNCTIONS) {
      if (next() !== '(') throw new SyntaxError('missing (');
      const value = FUNCTIONS[token](sum());
      if (next() !== ')') throw new SyntaxError('missing )');
      return value;
    }
    if (/^\d/.test(token)) return Number(token);
    throw new SyntaxError(`unexpected ${token}`);
  }
  function power(): number {
    const base = primary();
    if (peek() !== '^') return base;
    next();
    return base ** primary();
  }
  function product(): number {
    let value = power();
    while (peek() === '*' || peek() === '/')
      value = next() === '*' ? value * power() : value / power();
    return value;
  }
  function sum(): number {
    let value = product();
    while (peek() === '+' || peek() === '-')
      value = next() === '+' ? value + product() : value - product();
    return value;
  }

  try {
    const value = sum();
    return position === tokens.length ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns a message for each equation in the example lines whose printed result does not match
 * its printed operands. A line starting with `=` continues the line before it, and `x <- a` is
 * read as `a`. An equation with one side that is not a number, such as `z = w1*x1`, is skipped.
 */
export function arithmeticErrors(lines: readonly string[]): string[] {
  const joined: string[] = [];
  for (const line of lines) {
    if (line.trimStart().startsWith('= ') && joined.length > 0) {
      joined[joined.length - 1] += ` ${line.trim()}`;
    } else joined.push(line);
  }

  const errors: string[] = [];
  for (const line of joined) {
    const sides = line.split(' = ').map((side) => side.split('<-').pop()?.trim() ?? '');
    for (let k = 0; k + 1 < sides.length; k++) {
      const value = evaluate(sides[k]);
      const result = /^-?\d+(?:\.(\d+))?/.exec(sides[k + 1]);
      if (value === undefined || result === null) continue;
      const digits = result[1]?.length ?? 0;
      if (fixed(value, digits) !== result[0]) {
        errors.push(`${line}: ${sides[k]} is ${fixed(value, digits)}, not ${result[0]}`);
      }
    }
  }
  return errors;
}
