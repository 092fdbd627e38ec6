import { describe, expect, it } from 'vitest';
import { createFlatten, flattenBackward, flattenForward } from '../../src/blocks/flatten.js';
import { checkGradient } from '../../src/blocks/gradcheck.js';

describe('flattenForward', () => {
  it('orders by channel, then row, then column', () => {
    const layer = createFlatten({ channels: 2, rows: 1, cols: 2 });
    expect(flattenForward(layer, [[[1, 2]], [[3, 4]]])).toEqual([1, 2, 3, 4]);
  });

  it('reuses its output buffer', () => {
    const layer = createFlatten({ channels: 1, rows: 1, cols: 1 });
    expect(flattenForward(layer, [[[1]]])).toBe(flattenForward(layer, [[[2]]]));
  });
});

describe('flattenBackward', () => {
  it('gradient matches finite differences', () => {
    const layer = createFlatten({ channels: 2, rows: 2, cols: 3 });
    const input = [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [7, 8, 9],
        [10, 11, 12],
      ],
    ];
    const weight = [3, -1, 2, 0.5, 4, -2, 1, 1, -3, 2, 0.25, 5];
    const loss = () => flattenForward(layer, input).reduce((s, v, k) => s + v * weight[k], 0);
    const dInput = flattenBackward(layer, weight).map((map) => map.map((row) => [...row]));
    expect(checkGradient(loss, input, dInput).maxRelativeError).toBeLessThan(1e-8);
  });
});

describe('flatten errors', () => {
  it('createFlatten rejects a size of 0', () => {
    expect(() => createFlatten({ channels: 0, rows: 1, cols: 1 })).toThrow(
      'createFlatten: channels is 0; it must be a whole number >= 1',
    );
  });

  it('flattenForward rejects a wrong input shape', () => {
    const layer = createFlatten({ channels: 1, rows: 1, cols: 2 });
    expect(() => flattenForward(layer, [[[1], [2]]])).toThrow(
      'flattenForward: input is (1, 2, 1) but the layer expects (1, 1, 2); the shapes must be equal',
    );
  });

  it('flattenBackward rejects a wrong dOut length', () => {
    const layer = createFlatten({ channels: 1, rows: 1, cols: 2 });
    expect(() => flattenBackward(layer, [1, 2, 3])).toThrow(
      "flattenBackward: dOut has length 3 but the layer's output has length 2; " +
        'the lengths must be equal',
    );
  });
});
