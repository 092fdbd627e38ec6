import { describe, expect, it } from 'vitest';
import { clamp, log1pExp, logistic } from '../../src/primitives/scalar.js';

describe('logistic', () => {
  it('logistic of 0 is one half', () => {
    expect(logistic(0)).toBe(0.5);
  });

  it('logistic matches the formula', () => {
    // 1 / (1 + e^-2) = 1 / 1.1353352832 = 0.8807970780
    expect(logistic(2)).toBeCloseTo(0.880797078, 9);
    // 1 - 0.8807970780 = 0.1192029220, by symmetry sigma(-z) = 1 - sigma(z)
    expect(logistic(-2)).toBeCloseTo(0.119202922, 9);
  });

  it('logistic stays finite for large inputs', () => {
    expect(logistic(1000)).toBe(1);
    expect(logistic(-1000)).toBe(0);
    expect(Number.isNaN(logistic(-1000))).toBe(false);
  });
});

describe('log1pExp', () => {
  it('log1pExp matches the formula', () => {
    // log(1 + e^0) = log 2 = 0.6931471806
    expect(log1pExp(0)).toBeCloseTo(0.6931471806, 10);
    // log(1 + e^1) = log 3.7182818285 = 1.3132616875
    expect(log1pExp(1)).toBeCloseTo(1.3132616875, 10);
  });

  it('log1pExp does not overflow', () => {
    // log(1 + e^1000) = 1000 + log(1 + e^-1000) = 1000
    expect(log1pExp(1000)).toBe(1000);
    expect(log1pExp(-1000)).toBe(0);
  });
});

describe('clamp', () => {
  it('clamp limits to the range', () => {
    expect(clamp(5, 0, 1)).toBe(1);
    expect(clamp(-5, 0, 1)).toBe(0);
    expect(clamp(0.25, 0, 1)).toBe(0.25);
  });

  it('clamp rejects low above high', () => {
    expect(() => clamp(0, 2, 1)).toThrow(
      new RangeError('clamp: low is 2 but high is 1; low must be <= high'),
    );
  });
});
