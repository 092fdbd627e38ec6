import { describe, expect, it } from 'vitest';
import { checkGradient } from '../../src/blocks/gradcheck.js';
import {
  averagePoolBackward,
  averagePoolForward,
  averagePoolParameters,
  createAveragePool,
  createMaxPool,
  maxPoolBackward,
  maxPoolForward,
} from '../../src/blocks/pool.js';
import { createRng, type Rng } from '../../src/primitives/random.js';
import type { Tensor3D } from '../../src/primitives/shapes.js';

function randomMaps(channels: number, rows: number, cols: number, rng: Rng): Tensor3D {
  return Array.from({ length: channels }, () =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.uniformIn(-1, 1))),
  );
}

/** L = sum of out * weight, so dL/dOut = weight. */
function weightedSum(out: Tensor3D, weight: Tensor3D): number {
  let total = 0;
  out.forEach((map, c) =>
    map.forEach((row, y) => row.forEach((v, x) => (total += v * weight[c][y][x]))),
  );
  return total;
}

function copyMaps(maps: Tensor3D): Tensor3D {
  return maps.map((map) => map.map((row) => [...row]));
}

describe('averagePoolForward', () => {
  it('averages, scales and shifts each window', () => {
    const layer = createAveragePool({
      channels: 1,
      inputRows: 2,
      inputCols: 4,
      size: 2,
      trainable: true,
    });
    layer.params.coefficient[0] = 2;
    layer.params.bias[0] = -1;
    // Windows [1, 2, 5, 6] and [3, 4, 7, 8] have means 3.5 and 5.5: 2*3.5 - 1 = 6, 2*5.5 - 1 = 10.
    const out = averagePoolForward(layer, [
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
    ]);
    expect(out).toEqual([[[6, 10]]]);
  });

  it('is plain averaging when not trainable', () => {
    const layer = createAveragePool({ channels: 1, inputRows: 2, inputCols: 2, size: 2 });
    expect(
      averagePoolForward(layer, [
        [
          [1, 2],
          [3, 6],
        ],
      ]),
    ).toEqual([[[3]]]);
    expect(averagePoolParameters(layer)).toEqual([]);
  });
});

describe('averagePoolBackward', () => {
  it('trainable gradients match finite differences on non-square maps', () => {
    const rng = createRng(5);
    const layer = createAveragePool({
      channels: 3,
      inputRows: 4,
      inputCols: 6,
      size: 2,
      trainable: true,
    });
    layer.params.coefficient.forEach(
      (_, c) => (layer.params.coefficient[c] = rng.uniformIn(0.5, 2)),
    );
    const input = randomMaps(3, 4, 6, rng);
    const dOut = randomMaps(3, 2, 3, rng);
    const loss = () => weightedSum(averagePoolForward(layer, input), dOut);

    averagePoolForward(layer, input);
    const dInput = copyMaps(averagePoolBackward(layer, dOut));
    for (const p of averagePoolParameters(layer)) {
      expect(checkGradient(loss, p.value, p.grad).maxRelativeError, p.name).toBeLessThan(1e-7);
    }
    expect(checkGradient(loss, input, dInput).maxRelativeError).toBeLessThan(1e-7);
  });

  it('gives each window input a quarter share', () => {
    const layer = createAveragePool({ channels: 1, inputRows: 2, inputCols: 2, size: 2 });
    averagePoolForward(layer, [
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    // dIn = dOut * coefficient / size^2 = 8 * 1 / 4 = 2 for every input in the window.
    expect(averagePoolBackward(layer, [[[8]]])).toEqual([
      [
        [2, 2],
        [2, 2],
      ],
    ]);
    expect(layer.grads.coefficient).toEqual([0]);
  });
});

describe('maxPoolForward', () => {
  it('takes each window maximum', () => {
    const layer = createMaxPool({ channels: 1, inputRows: 2, inputCols: 4, size: 2 });
    const out = maxPoolForward(layer, [
      [
        [1, -2, 3, 9],
        [5, 0, 7, 8],
      ],
    ]);
    expect(out).toEqual([[[5, 9]]]);
  });
});

describe('maxPoolBackward', () => {
  it('gradients match finite differences on non-square maps', () => {
    const rng = createRng(9);
    const layer = createMaxPool({ channels: 2, inputRows: 6, inputCols: 3, size: 3 });
    const input = randomMaps(2, 6, 3, rng);
    const dOut = randomMaps(2, 2, 1, rng);
    const loss = () => weightedSum(maxPoolForward(layer, input), dOut);

    maxPoolForward(layer, input);
    const dInput = copyMaps(maxPoolBackward(layer, dOut));
    expect(checkGradient(loss, input, dInput).maxRelativeError).toBeLessThan(1e-7);
  });

  it('sends a tied gradient to the first maximum only', () => {
    const layer = createMaxPool({ channels: 1, inputRows: 2, inputCols: 2, size: 2 });
    maxPoolForward(layer, [
      [
        [1, 4],
        [4, 4],
      ],
    ]);
    expect(maxPoolBackward(layer, [[[3]]])).toEqual([
      [
        [0, 3],
        [0, 0],
      ],
    ]);
  });

  it('clears the previous gradient', () => {
    const layer = createMaxPool({ channels: 1, inputRows: 1, inputCols: 2, size: 1 });
    maxPoolForward(layer, [[[1, 2]]]);
    maxPoolBackward(layer, [[[5, 6]]]);
    expect(maxPoolBackward(layer, [[[1, 0]]])).toEqual([[[1, 0]]]);
  });
});

describe('pool errors', () => {
  it('createAveragePool rejects a window that does not divide the input', () => {
    expect(() => createAveragePool({ channels: 1, inputRows: 5, inputCols: 4, size: 2 })).toThrow(
      'createAveragePool: input maps are (5, 4) but size is 2; ' +
        'the window size must divide the rows and the columns',
    );
  });

  it('createMaxPool rejects a size of 0', () => {
    expect(() => createMaxPool({ channels: 1, inputRows: 4, inputCols: 4, size: 0 })).toThrow(
      'createMaxPool: size is 0; it must be a whole number >= 1',
    );
  });

  it('averagePoolForward rejects a wrong input shape', () => {
    const layer = createAveragePool({ channels: 2, inputRows: 4, inputCols: 4, size: 2 });
    expect(() => averagePoolForward(layer, randomMaps(1, 4, 4, createRng(1)))).toThrow(
      'averagePoolForward: input is (1, 4, 4) but the layer expects (2, 4, 4); ' +
        'the shapes must be equal',
    );
  });

  it('averagePoolBackward rejects a wrong dOut shape', () => {
    const layer = createAveragePool({ channels: 2, inputRows: 4, inputCols: 4, size: 2 });
    expect(() => averagePoolBackward(layer, randomMaps(2, 4, 4, createRng(1)))).toThrow(
      'averagePoolBackward: dOut is (2, 4, 4) but the layer expects (2, 2, 2); ' +
        'the shapes must be equal',
    );
  });

  it('maxPoolForward rejects a wrong input shape', () => {
    const layer = createMaxPool({ channels: 1, inputRows: 4, inputCols: 4, size: 2 });
    expect(() => maxPoolForward(layer, randomMaps(1, 4, 2, createRng(1)))).toThrow(
      'maxPoolForward: input is (1, 4, 2) but the layer expects (1, 4, 4); ' +
        'the shapes must be equal',
    );
  });

  it('maxPoolBackward rejects a wrong dOut shape', () => {
    const layer = createMaxPool({ channels: 1, inputRows: 4, inputCols: 4, size: 2 });
    expect(() => maxPoolBackward(layer, randomMaps(1, 1, 2, createRng(1)))).toThrow(
      'maxPoolBackward: dOut is (1, 1, 2) but the layer expects (1, 2, 2); ' +
        'the shapes must be equal',
    );
  });
});
