import { describe, expect, it } from 'vitest';
import { checkGradient } from '../../src/blocks/gradcheck.js';
import {
  createLayerNorm,
  layerNormBackward,
  layerNormForward,
  layerNormParameters,
} from '../../src/blocks/layer-norm.js';
import { createRng, type Rng } from '../../src/primitives/random.js';
import type { Matrix } from '../../src/primitives/shapes.js';

function randomRows(rows: number, cols: number, rng: Rng): Matrix {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
}

/** L = sum of out * weight over the first seqLen rows, so dL/dOut = weight. */
function weightedSum(out: Matrix, weight: Matrix): number {
  let total = 0;
  weight.forEach((row, t) => row.forEach((w, j) => (total += w * out[t][j])));
  return total;
}

describe('layerNormForward', () => {
  it('standardizes a row, then applies gain and bias', () => {
    const layer = createLayerNorm({ dModel: 3, maxSeqLen: 2, epsilon: 1e-12 });
    layer.params.gain = [2, 1, 1];
    layer.params.bias = [0, 0, 5];
    const out = layerNormForward(layer, [[1, 2, 3]], 1);
    // mean 2, variance (1 + 0 + 1) / 3 = 2/3, xHat = [-1, 0, 1] / sqrt(2/3) = [-1.2247, 0, 1.2247]
    const xHat = 1 / Math.sqrt(2 / 3);
    expect(out[0][0]).toBeCloseTo(-2 * xHat, 9);
    expect(out[0][1]).toBeCloseTo(0, 9);
    expect(out[0][2]).toBeCloseTo(xHat + 5, 9);
  });

  it('keeps a constant row finite through epsilon', () => {
    const layer = createLayerNorm({ dModel: 2, maxSeqLen: 1 });
    expect(layerNormForward(layer, [[4, 4]], 1)[0]).toEqual([0, 0]);
  });

  it('rejects an input of the wrong width', () => {
    const layer = createLayerNorm({ dModel: 3, maxSeqLen: 2 });
    expect(() => layerNormForward(layer, [[1, 2]], 1)).toThrow(
      'layerNormForward: input is (1, 2) for seqLen 1 but the layer has dModel 3 and maxSeqLen ' +
        '2; input must have dModel columns and at least seqLen rows, and seqLen must not ' +
        'exceed maxSeqLen',
    );
  });

  it('rejects a negative epsilon', () => {
    expect(() => createLayerNorm({ dModel: 3, maxSeqLen: 2, epsilon: -1 })).toThrow(
      'createLayerNorm: epsilon is -1; it must be positive',
    );
  });

  it('rejects a zero dModel', () => {
    expect(() => createLayerNorm({ dModel: 0, maxSeqLen: 2 })).toThrow(
      'createLayerNorm: dModel is 0; it must be a positive integer',
    );
  });
});

describe('layerNormBackward', () => {
  it('matches finite differences', () => {
    const rng = createRng(5);
    const layer = createLayerNorm({ dModel: 5, maxSeqLen: 4 });
    layer.params.gain = layer.params.gain.map(() => rng.uniformIn(0.5, 1.5));
    layer.params.bias = layer.params.bias.map(() => rng.normal());
    const input = randomRows(3, 5, rng);
    const weight = randomRows(3, 5, rng);
    const loss = () => weightedSum(layerNormForward(layer, input, 3), weight);

    loss();
    const dInput = layerNormBackward(layer, weight, 3).slice(0, 3);
    for (const p of layerNormParameters(layer)) {
      expect(checkGradient(loss, p.value, p.grad).maxRelativeError, p.name).toBeLessThan(1e-7);
    }
    expect(checkGradient(loss, input, dInput).maxRelativeError).toBeLessThan(1e-6);
  });

  it('rejects dOut with too few rows', () => {
    const layer = createLayerNorm({ dModel: 2, maxSeqLen: 4 });
    expect(() => layerNormBackward(layer, [[1, 2]], 2)).toThrow(
      'layerNormBackward: dOut is (1, 2) for seqLen 2',
    );
  });
});
