import { describe, expect, it } from 'vitest';
import { gateData } from '../../src/data/gates.js';
import {
  createMlp,
  mlpAccuracy,
  mlpForward,
  mlpPredict,
  mlpProbability,
  trainMlp,
  type MlpConfig,
  type MlpEpoch,
} from '../../src/models/mlp.js';
import { createRng } from '../../src/primitives/random.js';
import { logistic } from '../../src/primitives/scalar.js';

const XOR_CONFIG: MlpConfig = {
  inputs: 2,
  hidden: [2],
  outputs: 1,
  hiddenActivation: 'sigmoid',
  outputActivation: 'sigmoid',
  loss: 'mse',
  initLimit: 0.5,
  biasInitLimit: 0.5,
};

describe('mlp', () => {
  it('createMlp names the layers', () => {
    const mlp = createMlp({ ...XOR_CONFIG, hidden: [3, 2] }, createRng(1));
    expect(mlp.network.layers.map((layer) => layer.name)).toEqual(['hidden1', 'hidden2', 'output']);
    for (const layer of mlp.network.layers) {
      for (const b of layer.params.bias) expect(Math.abs(b)).toBeLessThanOrEqual(0.5);
    }
  });

  it('mlpProbability applies the sigmoid to a logit', () => {
    const mlp = createMlp(
      { ...XOR_CONFIG, outputActivation: 'identity', loss: 'binaryCrossEntropy' },
      createRng(1),
    );
    const logit = mlpForward(mlp, [1, 0])[0];
    expect(mlpProbability(mlp, [1, 0])).toBe(logistic(logit));
    expect(mlpPredict(mlp, [1, 0])).toBe(logistic(logit) >= 0.5 ? 1 : 0);
  });

  it('mlpPredict takes argmax for several outputs', () => {
    const mlp = createMlp(
      { ...XOR_CONFIG, outputs: 3, outputActivation: 'identity', loss: 'softmaxCrossEntropy' },
      createRng(1),
    );
    const output = mlpForward(mlp, [0.5, -0.5]);
    expect(mlpPredict(mlp, [0.5, -0.5])).toBe(output.indexOf(Math.max(...output)));
  });

  it('trained mlp solves XOR', () => {
    const rng = createRng(1);
    const mlp = createMlp(XOR_CONFIG, rng);
    const data = gateData('XOR');
    const records: MlpEpoch[] = [];
    const history = trainMlp(mlp, data, {
      epochs: 1000,
      learningRate: 2,
      momentum: 0.9,
      batchSize: 4,
      rng,
      onEpoch: (record) => records.push(record),
    });
    expect(mlpAccuracy(mlp, data)).toBe(1);
    expect(records).toEqual(history);
    expect(history[999].step).toBe(1000);
    expect(history[999].loss).toBeLessThan(history[0].loss / 10);
  });

  it('training stops below stopBelowLoss', () => {
    const rng = createRng(1);
    const mlp = createMlp(XOR_CONFIG, rng);
    const history = trainMlp(mlp, gateData('XOR'), {
      epochs: 1000,
      learningRate: 2,
      momentum: 0.9,
      batchSize: 4,
      rng,
      stopBelowLoss: 0.01,
    });
    const last = history[history.length - 1];
    expect(history.length).toBeLessThan(1000);
    expect(last.loss).toBeLessThan(0.01);
    for (const record of history.slice(0, -1)) expect(record.loss).toBeGreaterThanOrEqual(0.01);
  });

  it('batches split the data per step', () => {
    const rng = createRng(2);
    const mlp = createMlp(XOR_CONFIG, rng);
    const history = trainMlp(mlp, gateData('XOR'), {
      epochs: 2,
      learningRate: 0.5,
      batchSize: 3,
      rng,
    });
    // 4 samples in batches of 3 and 1 make 2 steps per pass
    expect(history.map((record) => record.step)).toEqual([2, 4]);
  });
});

describe('mlp errors', () => {
  const mlp = createMlp(XOR_CONFIG, createRng(1));
  const options = { epochs: 1, learningRate: 0.1, rng: createRng(1) };
  const cases: [string, () => unknown, string][] = [
    [
      'createMlp logits',
      () => createMlp({ ...XOR_CONFIG, loss: 'binaryCrossEntropy' }, createRng(1)),
      'createMlp: loss binaryCrossEntropy reads logits but layer output has activation ' +
        'sigmoid; give the last layer the identity activation',
    ],
    [
      'trainMlp counts',
      () => trainMlp(mlp, { inputs: [[0, 0]], targets: [] }, options),
      'trainMlp: 1 inputs but 0 targets; pass one target per input',
    ],
    [
      'trainMlp empty',
      () => trainMlp(mlp, { inputs: [], targets: [] }, options),
      'trainMlp: the data is empty; pass at least one sample',
    ],
    [
      'trainMlp batchSize',
      () => trainMlp(mlp, gateData('XOR'), { ...options, batchSize: 0 }),
      'trainMlp: batchSize is 0; it must be a whole number >= 1',
    ],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
