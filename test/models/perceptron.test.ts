import { describe, expect, it } from 'vitest';
import { gateData } from '../../src/data/gates.js';
import {
  createPerceptron,
  perceptronAccuracy,
  perceptronPredict,
  perceptronUpdate,
  trainPerceptron,
  type Perceptron,
  type PerceptronStep,
} from '../../src/models/perceptron.js';
import { step } from '../../src/primitives/activations.js';
import { createRng } from '../../src/primitives/random.js';

function fixedPerceptron(): Perceptron {
  return { weights: [0.2, -0.4], bias: 0.1, activation: step };
}

describe('perceptron', () => {
  it('perceptron predicts with the step', () => {
    // z = 0.2*1 - 0.4*0 + 0.1 = 0.3 >= 0 gives 1; z = 0 - 0.4 + 0.1 = -0.3 gives 0
    expect(perceptronPredict(fixedPerceptron(), [1, 0])).toBe(1);
    expect(perceptronPredict(fixedPerceptron(), [0, 1])).toBe(0);
  });

  it('perceptron update by hand', () => {
    const perceptron = fixedPerceptron();
    // x = (0, 1), t = 1: z = -0.3, y = 0, error t - y = 1
    // w1 = 0.2 + 0.5*1*0 = 0.2; w2 = -0.4 + 0.5*1*1 = 0.1; b = 0.1 + 0.5*1 = 0.6
    const update = perceptronUpdate(perceptron, [0, 1], 1, 0.5);
    expect(update.weightedSum).toBeCloseTo(-0.3, 12);
    expect(update.prediction).toBe(0);
    expect(update.error).toBe(1);
    expect(update.weightsBefore).toEqual([0.2, -0.4]);
    expect(update.weightsAfter[0]).toBeCloseTo(0.2, 12);
    expect(update.weightsAfter[1]).toBeCloseTo(0.1, 12);
    expect(update.biasAfter).toBeCloseTo(0.6, 12);
    expect(perceptron.weights).toEqual(update.weightsAfter);
  });

  it('correct prediction leaves weights alone', () => {
    const perceptron = fixedPerceptron();
    const update = perceptronUpdate(perceptron, [1, 0], 1, 0.5);
    expect(update.error).toBe(0);
    expect(perceptron.weights).toEqual([0.2, -0.4]);
    expect(perceptron.bias).toBe(0.1);
  });

  it('perceptron learns the separable gates', () => {
    for (const gate of ['AND', 'OR', 'NAND'] as const) {
      const rng = createRng(1);
      const perceptron = createPerceptron({ inputs: 2 }, rng);
      const data = gateData(gate);
      const history = trainPerceptron(perceptron, data, { epochs: 50, learningRate: 0.1, rng });
      expect(history.converged, gate).toBe(true);
      expect(perceptronAccuracy(perceptron, data), gate).toBe(1);
    }
  });

  it('perceptron cannot learn XOR', () => {
    const rng = createRng(1);
    const perceptron = createPerceptron({ inputs: 2 }, rng);
    const data = gateData('XOR');
    const history = trainPerceptron(perceptron, data, { epochs: 50, learningRate: 0.1, rng });
    expect(history.converged).toBe(false);
    expect(history.epochs).toHaveLength(50);
    expect(perceptronAccuracy(perceptron, data)).toBeLessThan(1);
  });

  it('training reports every sample and pass', () => {
    const rng = createRng(2);
    const perceptron = createPerceptron({ inputs: 2 }, rng);
    const steps: PerceptronStep[] = [];
    const passes: number[] = [];
    const history = trainPerceptron(perceptron, gateData('OR'), {
      epochs: 50,
      learningRate: 0.1,
      rng,
      onUpdate: (s) => steps.push(s),
      onEpoch: (record) => passes.push(record.epoch),
    });
    expect(steps).toHaveLength(4 * history.epochs.length);
    expect(passes).toEqual(history.epochs.map((record) => record.epoch));
    const mistakes = steps.filter((s) => s.error !== 0).length;
    expect(mistakes).toBe(history.epochs.reduce((total, record) => total + record.mistakes, 0));
  });

  it('trainPerceptron error message', () => {
    const data = { inputs: [[0, 1]], targets: [] };
    const call = () =>
      trainPerceptron(fixedPerceptron(), data, {
        epochs: 1,
        learningRate: 0.1,
        rng: createRng(1),
      });
    expect(call).toThrow(
      new RangeError('trainPerceptron: 1 inputs but 0 targets; pass one target per input'),
    );
  });
});
