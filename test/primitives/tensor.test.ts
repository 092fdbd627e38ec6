import { describe, expect, it } from 'vitest';
import { tensor4DShape } from '../../src/primitives/shapes.js';
import { flatten3D, unflatten3D, zeros3D, zeros4D } from '../../src/primitives/tensor.js';

describe('tensor', () => {
  it('zeros3D has the requested shape', () => {
    const t = zeros3D(2, 3, 4);
    expect(t.length).toBe(2);
    expect(t[1].length).toBe(3);
    expect(t[1][2]).toEqual([0, 0, 0, 0]);
  });

  it('zeros4D has the requested shape', () => {
    expect(tensor4DShape(zeros4D(6, 1, 5, 5))).toEqual([6, 1, 5, 5]);
  });

  it('flatten3D reads channel, row, col order', () => {
    const t = [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ];
    expect(flatten3D(t)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(unflatten3D(flatten3D(t), 2, 2, 2)).toEqual(t);
  });

  it('unflatten3D writes into out', () => {
    const out = zeros3D(1, 1, 2);
    expect(unflatten3D([3, 4], 1, 1, 2, out)).toBe(out);
    expect(out).toEqual([[[3, 4]]]);
  });
});

describe('tensor errors', () => {
  const cases: [string, () => unknown, string][] = [
    ['zeros3D', () => zeros3D(-2, 1, 1), 'zeros3D: channels is -2; it must be a whole number >= 0'],
    [
      'zeros4D',
      () => zeros4D(0.5, 1, 1, 1),
      'zeros4D: outChannels is 0.5; it must be a whole number >= 0',
    ],
    [
      'flatten3D out',
      () => flatten3D(zeros3D(1, 2, 2), [0, 0]),
      'flatten3D: out has length 2 but the result has length 4; ' +
        'pass an out of the same length as the result',
    ],
    [
      'unflatten3D',
      () => unflatten3D([1, 2, 3], 1, 2, 2),
      'unflatten3D: vector has length 3 but the shape (1, 2, 2) holds 4; ' +
        'the vector length must equal channels * rows * cols',
    ],
    [
      'unflatten3D out',
      () => unflatten3D([1, 2, 3, 4], 1, 2, 2, zeros3D(1, 1, 4)),
      'unflatten3D: out is (1, 1, 4) but the result is (1, 2, 2); ' +
        'pass an out of the same shape as the result',
    ],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
