import { describe, expect, it } from 'vitest';
import {
  countParameters,
  findNonFiniteGradient,
  gradientNorm,
  leafRows,
  shapeOf,
  zeroGradients,
  type Parameter,
} from '../../src/blocks/parameters.js';

const kernel = () => [
  [
    [
      [1, 2],
      [3, 4],
    ],
  ],
  [
    [
      [5, 6],
      [7, 8],
    ],
  ],
]; // (2, 1, 2, 2)

describe('parameters', () => {
  it('leafRows walks a 4-D array in order', () => {
    expect(leafRows(kernel())).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
  });

  it('shapeOf reads every level', () => {
    expect(shapeOf(kernel())).toEqual([2, 1, 2, 2]);
    expect(shapeOf([1, 2, 3])).toEqual([3]);
  });

  it('countParameters sums the sizes', () => {
    const ps: Parameter[] = [
      { name: 'k', value: kernel(), grad: kernel() },
      { name: 'b', value: [0, 0], grad: [0, 0] },
    ];
    expect(countParameters(ps)).toBe(10);
  });

  it('zeroGradients clears every gradient', () => {
    const p: Parameter = { name: 'k', value: kernel(), grad: kernel() };
    zeroGradients([p]);
    expect(leafRows(p.grad).flat()).toEqual(new Array(8).fill(0));
  });

  it('gradientNorm is the global L2 norm', () => {
    const ps: Parameter[] = [
      { name: 'a', value: [0], grad: [3] },
      { name: 'b', value: [[0]], grad: [[4]] },
    ];
    expect(gradientNorm(ps)).toBe(5);
  });

  it('findNonFiniteGradient names the parameter', () => {
    const ps: Parameter[] = [
      { name: 'a', value: [0], grad: [1] },
      { name: 'b', value: [0, 0], grad: [0, NaN] },
    ];
    expect(findNonFiniteGradient(ps)).toBe('b');
    expect(findNonFiniteGradient(ps.slice(0, 1))).toBeUndefined();
  });
});
