import { describe, expect, it } from 'vitest';
import { checkGradient } from '../../src/blocks/gradcheck.js';
import { countParameters } from '../../src/blocks/parameters.js';
import {
  checkFinite,
  clearGradients,
  createLeNet5,
  evaluateLeNet5,
  LENET5_C3_CONNECTIONS,
  LENET5_PAPER,
  LENET5_QUICK,
  lenet5Forward,
  lenet5Loss,
  lenet5Predict,
  trainLeNet5,
  type DigitSource,
  type LeNet5Config,
} from '../../src/models/lenet5.js';
import { restoreCheckpoint, serializeCheckpoint } from '../../src/models/checkpoint.js';
import { TrainingDivergedError } from '../../src/primitives/errors.js';
import { createRng, type Rng } from '../../src/primitives/random.js';
import type { Matrix } from '../../src/primitives/shapes.js';

function randomDigit(rng: Rng): Matrix {
  return Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => rng.uniform()));
}

/** Ten digits, one per class, each a bright square at a class-specific place. */
function squaresSource(): DigitSource {
  return {
    count: 10,
    read(n, out) {
      for (const row of out) row.fill(0);
      const top = 2 + 6 * Math.floor(n / 4);
      const left = 2 + 6 * (n % 4);
      for (let y = top; y < top + 6; y++) {
        for (let x = left; x < left + 6; x++) out[y][x] = 1;
      }
      return n;
    },
  };
}

const TINY: LeNet5Config = {
  c1Maps: 2,
  c3Maps: 3,
  c3Connections: [[0], [1], [0, 1]],
  c5Maps: 4,
  f6Units: 5,
  trainableSubsampling: true,
};

describe('createLeNet5', () => {
  it('paper network has 60,850 parameters', () => {
    // 156 + 12 + 1,516 + 32 + 48,120 + 10,164 = 60,000, plus 84 * 10 + 10 = 850 output values.
    expect(countParameters(createLeNet5(LENET5_PAPER, createRng(1)).parameters)).toBe(60_850);
  });

  it('C3 table gives 1,516 parameters', () => {
    const model = createLeNet5(LENET5_PAPER, createRng(1));
    const c3 = model.parameters.filter((p) => p.name.startsWith('c3.'));
    // 60 connections * 25 + 16 biases = 1,516
    expect(countParameters(c3)).toBe(1516);
    expect(LENET5_C3_CONNECTIONS.flat().length).toBe(60);
  });

  it('quick network is smaller', () => {
    const count = countParameters(createLeNet5(LENET5_QUICK, createRng(1)).parameters);
    expect(count).toBeLessThan(10_000);
  });
});

describe('lenet5 checkpoint', () => {
  it('restores the paper network exactly', () => {
    const saved = createLeNet5(LENET5_PAPER, createRng(1));
    const text = serializeCheckpoint('lenet5', LENET5_PAPER, saved.parameters);
    const restored = createLeNet5(LENET5_PAPER, createRng(2));
    expect(restoreCheckpoint(text, 'lenet5', restored.parameters)).toEqual(LENET5_PAPER);
    const image = randomDigit(createRng(3));
    expect([...lenet5Forward(restored, image)]).toEqual([...lenet5Forward(saved, image)]);
  });
});

describe('lenet5Backward', () => {
  it('gradients match finite differences', () => {
    const rng = createRng(4);
    const model = createLeNet5(TINY, rng);
    for (const p of model.parameters) {
      if (p.name.endsWith('.bias'))
        (p.value as number[]).forEach((_, k, row) => (row[k] = rng.uniformIn(-0.5, 0.5)));
    }
    const image = randomDigit(rng);
    const label = 7;
    clearGradients(model);
    lenet5Loss(model, image, label, true);
    const loss = () => lenet5Loss(model, image, label, false).loss;
    for (const p of model.parameters) {
      const result = checkGradient(loss, p.value, p.grad, { maxChecks: 40 });
      expect(result.maxRelativeError, p.name).toBeLessThan(1e-6);
    }
  });
});

describe('trainLeNet5', () => {
  it('learns ten squares', () => {
    const rng = createRng(2);
    const model = createLeNet5(LENET5_QUICK, rng);
    const source = squaresSource();
    const epochs: number[] = [];
    const { history, test } = trainLeNet5(model, source, {
      epochs: 15,
      learningRate: () => 0.05,
      rng,
      test: source,
      onEpoch: (record) => epochs.push(record.epoch),
    });
    expect(epochs).toEqual(Array.from({ length: 15 }, (_, k) => k + 1));
    expect(history[14].trainLoss).toBeLessThan(history[0].trainLoss);
    expect(history[14].testAccuracy).toBe(1);
    expect(test?.accuracy).toBe(1);
  });

  it('stops on a non-finite loss', () => {
    const rng = createRng(2);
    const model = createLeNet5(TINY, rng);
    model.output.params.bias[0] = NaN;
    expect(() =>
      trainLeNet5(model, squaresSource(), { epochs: 1, learningRate: () => 0.01, rng }),
    ).toThrow('training diverged at step 1: the loss in output is NaN');
  });
});

describe('checkFinite', () => {
  it('names the layer of a non-finite gradient', () => {
    const model = createLeNet5(TINY, createRng(1));
    model.c3.grads.bias[1] = Infinity;
    expect(() => checkFinite(model, 12, 0.5)).toThrow(TrainingDivergedError);
    expect(() => checkFinite(model, 12, 0.5)).toThrow(
      'training diverged at step 12: the bias gradient in c3 is Infinity',
    );
  });
});

describe('evaluateLeNet5', () => {
  it('counts a confusion matrix', () => {
    const model = createLeNet5(TINY, createRng(1));
    const result = evaluateLeNet5(model, squaresSource());
    const total = result.confusion.flat().reduce((s, v) => s + v, 0);
    expect(total).toBe(10);
    expect(result.predictions).toHaveLength(10);
    result.confusion.forEach((row) => expect(row.reduce((s, v) => s + v, 0)).toBe(1));
  });
});

describe('lenet5Predict', () => {
  it('returns probabilities that sum to 1', () => {
    const model = createLeNet5(TINY, createRng(1));
    const { label, probabilities } = lenet5Predict(model, randomDigit(createRng(2)));
    expect(probabilities.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(label).toBe(probabilities.indexOf(Math.max(...probabilities)));
  });
});

describe('lenet5 errors', () => {
  it('lenet5Forward rejects a wrong image size', () => {
    const model = createLeNet5(TINY, createRng(1));
    expect(() => lenet5Forward(model, [[1, 2]])).toThrow(
      'lenet5Forward: image is (1, 2) but the network reads (28, 28); pass a 28x28 digit',
    );
  });
});
