import { describe, expect, it } from 'vitest';
import {
  createFeedForward,
  feedForwardBackward,
  feedForwardForward,
  feedForwardParameters,
  positionwiseBackward,
  positionwiseForward,
} from '../../src/blocks/feed-forward.js';
import { checkGradient } from '../../src/blocks/gradcheck.js';
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

describe('positionwiseForward', () => {
  it('applies W x + b to each row from a start position', () => {
    const out = [
      [9, 9],
      [9, 9],
    ];
    const weights = [
      [1, 2],
      [0, -1],
    ];
    positionwiseForward(
      weights,
      [10, 20],
      [
        [1, 1],
        [3, 4],
      ],
      out,
      2,
      1,
    );
    // row 0 untouched; row 1: [1*3 + 2*4 + 10, 0*3 - 1*4 + 20] = [21, 16]
    expect(out).toEqual([
      [9, 9],
      [21, 16],
    ]);
  });

  it('accumulates into dInput when asked', () => {
    const dInput = [[1, 1]];
    const dWeights = [[0, 0]];
    positionwiseBackward([[2, 3]], dWeights, null, [[5, 7]], [[1]], dInput, 1, true);
    // dInput += 1 * [2, 3]; dWeights += 1 * [5, 7]
    expect(dInput).toEqual([[3, 4]]);
    expect(dWeights).toEqual([[5, 7]]);
  });
});

describe('feedForwardBackward', () => {
  it('matches finite differences', () => {
    const rng = createRng(11);
    const layer = createFeedForward({ dModel: 4, dFF: 6, maxSeqLen: 5 }, rng);
    const biases = [layer.params.ffExpandBias, layer.params.ffContractBias];
    for (const bias of biases) bias.forEach((_, i) => (bias[i] = rng.uniformIn(-0.5, 0.5)));
    const input = randomRows(3, 4, rng);
    const weight = randomRows(3, 4, rng);
    const loss = () => weightedSum(feedForwardForward(layer, input, 3), weight);

    loss();
    const dInput = feedForwardBackward(layer, weight, 3).slice(0, 3);
    for (const p of feedForwardParameters(layer)) {
      expect(checkGradient(loss, p.value, p.grad).maxRelativeError, p.name).toBeLessThan(1e-6);
    }
    expect(checkGradient(loss, input, dInput).maxRelativeError).toBeLessThan(1e-6);
  });

  it('rejects dOut of the wrong width', () => {
    const layer = createFeedForward({ dModel: 4, dFF: 6, maxSeqLen: 5 }, createRng(1));
    expect(() => feedForwardBackward(layer, [[1, 2]], 1)).toThrow(
      'feedForwardBackward: dOut is (1, 2) for seqLen 1 but the layer takes 4 columns and at ' +
        'most maxSeqLen 5 rows; dOut must have 4 columns and at least seqLen rows, and seqLen ' +
        'must not exceed maxSeqLen',
    );
  });

  it('rejects a zero dFF', () => {
    expect(() => createFeedForward({ dModel: 4, dFF: 0, maxSeqLen: 5 }, createRng(1))).toThrow(
      'createFeedForward: dFF is 0; it must be a positive integer',
    );
  });
});

describe('feedForwardForward', () => {
  it('zeroes negative hidden units', () => {
    const layer = createFeedForward({ dModel: 1, dFF: 2, maxSeqLen: 1 }, createRng(1));
    layer.params.ffExpand = [[1], [-1]];
    layer.params.ffContract = [[1, 10]];
    // x = 2: hidden = [max(0, 2), max(0, -2)] = [2, 0]; out = 1*2 + 10*0 = 2
    expect(feedForwardForward(layer, [[2]], 1)[0]).toEqual([2]);
    expect(layer.hidden[0]).toEqual([2, 0]);
  });
});
