import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropyFromLogit,
  binaryCrossEntropyFromLogitGradient,
  mse,
  mseGradient,
  softmaxCrossEntropy,
  softmaxCrossEntropyGradient,
} from '../../src/primitives/losses.js';

describe('mse', () => {
  it('mse averages squared errors', () => {
    // ((1 - 0)^2 + (2 - 4)^2) / 2 = (1 + 4) / 2 = 2.5
    expect(mse([1, 2], [0, 4])).toBe(2.5);
  });

  it('mseGradient is 2/n times the error', () => {
    // 2/2 * [1 - 0, 2 - 4] = [1, -2]
    expect(mseGradient([1, 2], [0, 4])).toEqual([1, -2]);
  });
});

describe('binary cross-entropy', () => {
  it('binary cross-entropy from logit 0', () => {
    // p = sigma(0) = 1/2, so -log(1/2) = log 2 for either target
    expect(binaryCrossEntropyFromLogit(0, 1)).toBeCloseTo(Math.LN2, 12);
    expect(binaryCrossEntropyFromLogit(0, 0)).toBeCloseTo(Math.LN2, 12);
  });

  it('binary cross-entropy matches the probability form', () => {
    // z = 2: p = 0.8807970780; -log p = 0.1269280110; -log(1 - p) = 2.1269280110
    expect(binaryCrossEntropyFromLogit(2, 1)).toBeCloseTo(0.126928011, 9);
    expect(binaryCrossEntropyFromLogit(2, 0)).toBeCloseTo(2.126928011, 9);
  });

  it('binary cross-entropy stays finite far from zero', () => {
    // p = sigma(-800) underflows to 0, yet the loss is exactly log(1 + e^-800) + 800 = 800
    expect(binaryCrossEntropyFromLogit(-800, 1)).toBe(800);
  });

  it('binary cross-entropy gradient is p minus t', () => {
    // sigma(2) - 1 = 0.8807970780 - 1 = -0.1192029220
    expect(binaryCrossEntropyFromLogitGradient(2, 1)).toBeCloseTo(-0.119202922, 9);
    const h = 1e-6;
    const numeric =
      (binaryCrossEntropyFromLogit(0.4 + h, 0.3) - binaryCrossEntropyFromLogit(0.4 - h, 0.3)) /
      (2 * h);
    expect(binaryCrossEntropyFromLogitGradient(0.4, 0.3)).toBeCloseTo(numeric, 8);
  });
});

describe('softmax cross-entropy', () => {
  it('softmax cross-entropy of equal logits', () => {
    // -log(1/3) = log 3 = 1.0986122887
    expect(softmaxCrossEntropy([5, 5, 5], 2)).toBeCloseTo(1.0986122887, 10);
  });

  it('softmax cross-entropy stays finite for huge logits', () => {
    // log(e^0 + e^-1000) - (-1000) = 1000
    expect(softmaxCrossEntropy([1000, 0], 1)).toBe(1000);
  });

  it('softmax cross-entropy gradient is p minus onehot', () => {
    // p = [0.0900305732, 0.2447284711, 0.6652409558]; target 1 subtracts 1 from p[1]
    const g = softmaxCrossEntropyGradient([0, 1, 2], 1);
    expect(g[0]).toBeCloseTo(0.0900305732, 9);
    expect(g[1]).toBeCloseTo(-0.7552715289, 9);
    expect(g[2]).toBeCloseTo(0.6652409558, 9);
  });
});

describe('loss errors', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'mse',
      () => mse([1, 2], [1]),
      'mse: prediction has length 2 but target has length 1; the lengths must be equal',
    ],
    ['mse empty', () => mse([], []), 'mse: prediction is empty; pass at least one element'],
    [
      'mseGradient',
      () => mseGradient([1], [1, 2]),
      'mseGradient: prediction has length 1 but target has length 2; the lengths must be equal',
    ],
    [
      'mseGradient empty',
      () => mseGradient([], []),
      'mseGradient: prediction is empty; pass at least one element',
    ],
    [
      'mseGradient out',
      () => mseGradient([1, 2], [1, 2], [0]),
      'mseGradient: out has length 1 but the result has length 2; ' +
        'pass an out of the same length as the result',
    ],
    [
      'binaryCrossEntropyFromLogit',
      () => binaryCrossEntropyFromLogit(0, 2),
      'binaryCrossEntropyFromLogit: target is 2; it must lie in [0, 1]',
    ],
    [
      'binaryCrossEntropyFromLogitGradient',
      () => binaryCrossEntropyFromLogitGradient(0, -1),
      'binaryCrossEntropyFromLogitGradient: target is -1; it must lie in [0, 1]',
    ],
    [
      'softmaxCrossEntropy',
      () => softmaxCrossEntropy([1, 2], 2),
      'softmaxCrossEntropy: targetIndex is 2 but there are 2 logits; ' +
        'it must be an integer in [0, 2)',
    ],
    [
      'softmaxCrossEntropy empty',
      () => softmaxCrossEntropy([], 0),
      'softmaxCrossEntropy: logits is empty; pass at least one element',
    ],
    [
      'softmaxCrossEntropyGradient',
      () => softmaxCrossEntropyGradient([1, 2], 0.5),
      'softmaxCrossEntropyGradient: targetIndex is 0.5 but there are 2 logits; ' +
        'it must be an integer in [0, 2)',
    ],
    [
      'softmaxCrossEntropyGradient empty',
      () => softmaxCrossEntropyGradient([], 0),
      'softmaxCrossEntropyGradient: logits is empty; pass at least one element',
    ],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
