import { describe, expect, it } from 'vitest';
import {
  add,
  addScaledInPlace,
  argmax,
  dot,
  hadamard,
  max,
  mean,
  norm,
  scale,
  subtract,
  sum,
  zeros,
} from '../../src/primitives/vector.js';

describe('vector values', () => {
  it('zeros has the requested length', () => {
    expect(zeros(3)).toEqual([0, 0, 0]);
    expect(zeros(0)).toEqual([]);
  });

  it('dot sums the products', () => {
    // 1*4 + 2*(-5) + 3*6 = 4 - 10 + 18 = 12
    expect(dot([1, 2, 3], [4, -5, 6])).toBe(12);
  });

  it('add, subtract and hadamard work elementwise', () => {
    expect(add([1, 2], [10, 20])).toEqual([11, 22]);
    expect(subtract([1, 2], [10, 20])).toEqual([-9, -18]);
    expect(hadamard([1, 2], [10, 20])).toEqual([10, 40]);
  });

  it('scale multiplies every element', () => {
    expect(scale([1, -2], 3)).toEqual([3, -6]);
  });

  it('out receives the result', () => {
    const out = [0, 0];
    expect(add([1, 2], [3, 4], out)).toBe(out);
    expect(out).toEqual([4, 6]);
  });

  it('out may be an input', () => {
    const a = [1, 2];
    add(a, [3, 4], a);
    expect(a).toEqual([4, 6]);
  });

  it('addScaledInPlace adds s times x', () => {
    // [1, 1] + 0.5 * [2, -4] = [1 + 1, 1 - 2] = [2, -1]
    const y = [1, 1];
    expect(addScaledInPlace(y, 0.5, [2, -4])).toBe(y);
    expect(y).toEqual([2, -1]);
  });

  it('sum, mean and norm', () => {
    expect(sum([1, 2, 3, 4])).toBe(10);
    expect(sum([])).toBe(0);
    // 10 / 4 = 2.5
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    // sqrt(3^2 + 4^2) = sqrt(25) = 5
    expect(norm([3, 4])).toBe(5);
  });

  it('argmax picks the first of ties', () => {
    expect(argmax([1, 5, 5, 2])).toBe(1);
    expect(max([1, 5, 5, 2])).toBe(5);
  });
});

describe('vector errors', () => {
  const cases: [string, () => unknown, string][] = [
    ['zeros', () => zeros(-1), 'zeros: n is -1; it must be a whole number >= 0'],
    [
      'dot',
      () => dot([1, 2], [1, 2, 3]),
      'dot: a has length 2 but b has length 3; the lengths must be equal',
    ],
    [
      'add',
      () => add([1], [1, 2]),
      'add: a has length 1 but b has length 2; the lengths must be equal',
    ],
    [
      'subtract',
      () => subtract([1], [1, 2]),
      'subtract: a has length 1 but b has length 2; the lengths must be equal',
    ],
    [
      'hadamard',
      () => hadamard([1], [1, 2]),
      'hadamard: a has length 1 but b has length 2; the lengths must be equal',
    ],
    [
      'addScaledInPlace',
      () => addScaledInPlace([1], 2, [1, 2]),
      'addScaledInPlace: y has length 1 but x has length 2; the lengths must be equal',
    ],
    [
      'scale out',
      () => scale([1, 2], 2, [0]),
      'scale: out has length 1 but the result has length 2; ' +
        'pass an out of the same length as the result',
    ],
    ['mean', () => mean([]), 'mean: v is empty; pass at least one element'],
    ['argmax', () => argmax([]), 'argmax: v is empty; pass at least one element'],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
