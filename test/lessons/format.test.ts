import { describe, expect, it } from 'vitest';
import {
  alignColumns,
  exponential,
  fixed,
  integer,
  padLeft,
  padRight,
  percent,
  signed,
} from '../../src/lessons/format.js';

describe('fixed', () => {
  it('rounds to the given decimals', () => {
    expect(fixed(0.12345, 3)).toBe('0.123');
    expect(fixed(2, 2)).toBe('2.00');
    expect(fixed(-1.5, 1)).toBe('-1.5');
  });

  it('drops the sign of a value that rounds to zero', () => {
    expect(fixed(-0.0001, 3)).toBe('0.000');
    expect(fixed(-0, 0)).toBe('0');
  });

  it('prints non-finite values by name', () => {
    expect(fixed(NaN, 2)).toBe('NaN');
    expect(fixed(-Infinity, 2)).toBe('-Infinity');
  });
});

describe('signed', () => {
  it('adds a plus sign to positive values', () => {
    expect(signed(0.25, 3)).toBe('+0.250');
    expect(signed(-1.5, 1)).toBe('-1.5');
  });

  it('prints zero without a sign', () => {
    expect(signed(0, 2)).toBe('0.00');
    expect(signed(-0.001, 2)).toBe('0.00');
  });
});

describe('percent', () => {
  it('scales a fraction by 100', () => {
    // 0.9534 * 100 = 95.34, one decimal: 95.3
    expect(percent(0.9534)).toBe('95.3%');
    expect(percent(1, 0)).toBe('100%');
  });
});

describe('exponential', () => {
  it('writes the exponent without a plus sign', () => {
    expect(exponential(0.000123, 2)).toBe('1.23e-4');
    expect(exponential(12345, 1)).toBe('1.2e4');
  });
});

describe('integer', () => {
  it('groups thousands with commas', () => {
    expect(integer(61706)).toBe('61,706');
    expect(integer(999)).toBe('999');
    expect(integer(-1234567)).toBe('-1,234,567');
    expect(integer(0)).toBe('0');
  });
});

describe('padding', () => {
  it('pads to the width and keeps longer text whole', () => {
    expect(padLeft('7', 3)).toBe('  7');
    expect(padRight('7', 3)).toBe('7  ');
    expect(padLeft('1234', 3)).toBe('1234');
  });
});

describe('alignColumns', () => {
  it('aligns left by default and right on request', () => {
    const lines = alignColumns(
      [
        ['gate', 'accuracy'],
        ['AND', '1.00'],
        ['XOR', '0.50'],
      ],
      ['left', 'right'],
    );
    expect(lines).toEqual(['gate  accuracy', 'AND       1.00', 'XOR       0.50']);
  });

  it('leaves no trailing spaces', () => {
    const lines = alignColumns([
      ['a', ''],
      ['long', 'b'],
    ]);
    expect(lines).toEqual(['a', 'long  b']);
  });

  it('pads short rows with empty cells', () => {
    expect(alignColumns([['x', 'y', 'z'], ['1']], ['right', 'right', 'right'], 1)).toEqual([
      'x y z',
      '1',
    ]);
  });
});
