import { describe, expect, it } from 'vitest';
import {
  attentionBackward,
  attentionForward,
  attentionParameters,
  createAttention,
  softmaxJacobian,
} from '../../src/blocks/attention.js';
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

const identity = () => [
  [1, 0],
  [0, 1],
];

describe('attentionForward', () => {
  it('computes one head by hand', () => {
    const layer = createAttention({ dModel: 2, numHeads: 1, maxSeqLen: 3 }, createRng(1));
    layer.params = { wQ: identity(), wK: identity(), wV: identity(), wO: identity() };
    const out = attentionForward(
      layer,
      [
        [1, 0],
        [0, 1],
      ],
      2,
    );
    // t = 0 sees only itself: out[0] = x[0] = [1, 0].
    // t = 1: scores = [x1.x0, x1.x1] / sqrt(2) = [0, 0.7071]; P = [0.3302, 0.6698];
    //        out[1] = 0.3302 [1, 0] + 0.6698 [0, 1]
    const p0 = 1 / (1 + Math.exp(Math.SQRT1_2));
    expect(out[0]).toEqual([1, 0]);
    expect(out[1][0]).toBeCloseTo(p0, 12);
    expect(out[1][1]).toBeCloseTo(1 - p0, 12);
    expect(layer.probabilities[0][0]).toEqual([1, 0, 0]);
  });

  it('never reads later positions', () => {
    const rng = createRng(2);
    const layer = createAttention({ dModel: 4, numHeads: 2, maxSeqLen: 4 }, rng);
    const input = randomRows(4, 4, rng);
    const before = attentionForward(layer, input, 4).map((row) => [...row]);
    input[3] = [5, -5, 5, -5];
    const after = attentionForward(layer, input, 4);
    expect(after.slice(0, 3)).toEqual(before.slice(0, 3));
    expect(after[3]).not.toEqual(before[3]);
  });

  it('extends a prefix without recomputing it', () => {
    const rng = createRng(3);
    const full = createAttention({ dModel: 4, numHeads: 2, maxSeqLen: 5 }, rng);
    const input = randomRows(5, 4, rng);
    const expected = attentionForward(full, input, 5).map((row) => [...row]);
    attentionForward(full, input, 3);
    const extended = attentionForward(full, input, 5, 3);
    for (let t = 0; t < 5; t++) {
      for (let j = 0; j < 4; j++) expect(extended[t][j]).toBeCloseTo(expected[t][j], 12);
    }
  });

  it('rejects numHeads that do not divide dModel', () => {
    expect(() => createAttention({ dModel: 6, numHeads: 4, maxSeqLen: 2 }, createRng(1))).toThrow(
      'createAttention: dModel 6 is not divisible by numHeads 4; each head takes ' +
        'dModel / numHeads columns',
    );
  });

  it('rejects a zero maxSeqLen', () => {
    expect(() => createAttention({ dModel: 4, numHeads: 2, maxSeqLen: 0 }, createRng(1))).toThrow(
      'createAttention: maxSeqLen is 0; it must be a positive integer',
    );
  });

  it('rejects a sequence longer than maxSeqLen', () => {
    const layer = createAttention({ dModel: 2, numHeads: 1, maxSeqLen: 1 }, createRng(1));
    expect(() =>
      attentionForward(
        layer,
        [
          [1, 0],
          [0, 1],
        ],
        2,
      ),
    ).toThrow(
      'attentionForward: input is (2, 2) for seqLen 2 but the layer takes 2 columns and at ' +
        'most maxSeqLen 1 rows; input must have 2 columns and at least seqLen rows, and seqLen ' +
        'must not exceed maxSeqLen',
    );
  });
});

describe('attentionBackward', () => {
  it('matches finite differences', () => {
    const rng = createRng(4);
    const layer = createAttention({ dModel: 6, numHeads: 3, maxSeqLen: 6 }, rng);
    const input = randomRows(5, 6, rng);
    const weight = randomRows(5, 6, rng);
    const loss = () => weightedSum(attentionForward(layer, input, 5), weight);

    loss();
    const dInput = attentionBackward(layer, weight, 5).slice(0, 5);
    for (const p of attentionParameters(layer)) {
      expect(checkGradient(loss, p.value, p.grad).maxRelativeError, p.name).toBeLessThan(1e-6);
    }
    expect(checkGradient(loss, input, dInput).maxRelativeError).toBeLessThan(1e-6);
  });

  it('rejects dOut with too few rows', () => {
    const layer = createAttention({ dModel: 2, numHeads: 1, maxSeqLen: 3 }, createRng(1));
    expect(() => attentionBackward(layer, [[1, 0]], 2)).toThrow(
      'attentionBackward: dOut is (1, 2) for seqLen 2',
    );
  });
});

describe('softmaxJacobian', () => {
  it('builds diag(p) - p p^T', () => {
    // p = [0.5, 0.25, 0.25]: J[0][0] = 0.5 * (1 - 0.5) = 0.25, J[0][1] = -0.5 * 0.25 = -0.125,
    // J[1][1] = 0.25 * 0.75 = 0.1875, J[1][2] = -0.25 * 0.25 = -0.0625.
    expect(softmaxJacobian([0.5, 0.25, 0.25])).toEqual([
      [0.25, -0.125, -0.125],
      [-0.125, 0.1875, -0.0625],
      [-0.125, -0.0625, 0.1875],
    ]);
  });

  it('has rows that sum to zero', () => {
    // The probabilities always sum to 1, so no change of the scores changes their sum.
    for (const row of softmaxJacobian([0.1, 0.2, 0.3, 0.4])) {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 15);
    }
  });
});
