import { describe, expect, it } from 'vitest';
import {
  backpropSample,
  computeLoss,
  computeLossGradient,
  layerGradientNorms,
  trainStep,
  type LossName,
  type Sample,
} from '../../src/blocks/backprop.js';
import { checkGradient } from '../../src/blocks/gradcheck.js';
import {
  createNetwork,
  networkForward,
  networkParameters,
  type Network,
} from '../../src/blocks/network.js';
import { createSgd } from '../../src/blocks/optimizers.js';
import { zeroGradients } from '../../src/blocks/parameters.js';
import { TrainingDivergedError } from '../../src/primitives/errors.js';
import { createRng } from '../../src/primitives/random.js';

function network(outputActivation: 'identity' | 'sigmoid', outputs = 1): Network {
  return createNetwork(
    {
      inputs: 2,
      layers: [
        { outputs: 3, activation: 'tanh', name: 'hidden' },
        { outputs, activation: outputActivation, name: 'output' },
      ],
    },
    createRng(3),
  );
}

const XOR: Sample[] = [
  { input: [0, 0], target: [0] },
  { input: [0, 1], target: [1] },
  { input: [1, 0], target: [1] },
  { input: [1, 1], target: [0] },
];

describe('losses by name', () => {
  it('computeLoss by hand', () => {
    // mse: ((0.5 - 1)^2 + (2 - 0)^2) / 2 = (0.25 + 4) / 2 = 2.125
    expect(computeLoss([0.5, 2], [1, 0], 'mse')).toBe(2.125);
    // binary cross-entropy of logit 0 is log 2 whatever the target
    expect(computeLoss([0, 0], [1, 0], 'binaryCrossEntropy')).toBeCloseTo(Math.LN2, 12);
    // softmax cross-entropy of equal logits over 4 classes: log 4
    expect(computeLoss([1, 1, 1, 1], [0, 0, 1, 0], 'softmaxCrossEntropy')).toBeCloseTo(
      Math.log(4),
      12,
    );
  });

  const losses: [LossName, number[]][] = [
    ['mse', [0.3, 0.9]],
    ['binaryCrossEntropy', [1, 0]],
    ['softmaxCrossEntropy', [0, 1]],
  ];
  it.each(losses)('%s gradient matches finite differences', (loss, target) => {
    const output = [0.4, -1.2];
    const analytic = computeLossGradient(output, target, loss, 0.5, [0, 0]);
    const result = checkGradient(() => 0.5 * computeLoss(output, target, loss), output, analytic);
    expect(result.maxRelativeError).toBeLessThan(1e-7);
  });
});

describe('backprop', () => {
  it('backprop through the loss matches finite differences', () => {
    for (const [loss, activation] of [
      ['mse', 'sigmoid'],
      ['binaryCrossEntropy', 'identity'],
    ] as const) {
      const net = network(activation);
      const parameters = networkParameters(net);
      zeroGradients(parameters);
      backpropSample(net, XOR[1], loss);
      const sampleLoss = () => computeLoss(networkForward(net, XOR[1].input), XOR[1].target, loss);
      for (const p of parameters) {
        const result = checkGradient(sampleLoss, p.value, p.grad);
        expect(result.maxRelativeError, `${loss} ${p.name}`).toBeLessThan(1e-6);
      }
    }
  });

  it('trainStep averages the batch gradient', () => {
    // One SGD step with rate 1 on a batch moves the weights by minus the mean gradient.
    const net = network('sigmoid');
    const parameters = networkParameters(net);
    const before = net.layers[1].params.weights[0].slice();
    zeroGradients(parameters);
    for (const sample of XOR) backpropSample(net, sample, 'mse', 1 / XOR.length);
    const meanGradient = net.layers[1].grads.weights[0].slice();

    trainStep(net, createSgd(parameters, { learningRate: 1 }), XOR, 'mse', 1);
    const after = net.layers[1].params.weights[0];
    for (let j = 0; j < before.length; j++) {
      expect(after[j]).toBeCloseTo(before[j] - meanGradient[j], 12);
    }
  });

  it('trainStep lowers the loss', () => {
    const net = network('identity');
    const optimizer = createSgd(networkParameters(net), { learningRate: 0.5, momentum: 0.9 });
    const first = trainStep(net, optimizer, XOR, 'binaryCrossEntropy', 1);
    let last = first;
    for (let step = 2; step <= 200; step++) {
      last = trainStep(net, optimizer, XOR, 'binaryCrossEntropy', step);
    }
    expect(last).toBeLessThan(first / 2);
  });

  it('layerGradientNorms measures each layer', () => {
    const net = network('sigmoid');
    zeroGradients(networkParameters(net));
    backpropSample(net, XOR[1], 'mse');
    const norms = layerGradientNorms(net);
    expect(norms.map((n) => n.layer)).toEqual(['hidden', 'output']);
    const bias = net.layers[1].grads.bias[0];
    expect(norms[1].bias).toBeCloseTo(Math.abs(bias), 15);
    expect(norms[0].weights).toBeGreaterThan(0);
  });
});

describe('training divergence', () => {
  it('NaN loss stops training with the step', () => {
    const net = network('identity');
    net.layers[1].params.weights[0][0] = NaN;
    const optimizer = createSgd(networkParameters(net), { learningRate: 0.1 });
    const call = () => trainStep(net, optimizer, XOR, 'binaryCrossEntropy', 7);
    expect(call).toThrow(TrainingDivergedError);
    expect(call).toThrow(
      'training diverged at step 7: loss in output is NaN; ' +
        'try a smaller learning rate or another seed',
    );
  });

  it('infinite gradient names the layer', () => {
    // A finite loss can still send an infinite gradient down: an input of 1e308 times a
    // hidden dZ of about 2,900 overflows dW while every activation stays finite.
    const net = createNetwork(
      {
        inputs: 1,
        layers: [
          { outputs: 1, activation: 'sigmoid', name: 'hidden' },
          { outputs: 1, activation: 'identity', name: 'output' },
        ],
      },
      createRng(1),
    );
    net.layers[0].params.weights[0][0] = 1e-308; // z = 1e-308 * 1e308 = 1
    net.layers[1].params.weights[0][0] = 100;
    const optimizer = createSgd(networkParameters(net), { learningRate: 0.1 });
    const batch = [{ input: [1e308], target: [0] }];
    const call = () => trainStep(net, optimizer, batch, 'mse', 3);
    expect(call).toThrow(
      'training diverged at step 3: a weight gradient in hidden is Infinity; ' +
        'try a smaller learning rate or another seed',
    );
  });
});

describe('backprop errors', () => {
  const net = network('sigmoid');
  const optimizer = createSgd(networkParameters(net), { learningRate: 0.1 });
  const cases: [string, () => unknown, string][] = [
    [
      'trainStep empty',
      () => trainStep(net, optimizer, [], 'mse', 1),
      'trainStep: batch is empty; pass at least one sample',
    ],
    [
      'trainStep logits',
      () => trainStep(net, optimizer, XOR, 'binaryCrossEntropy', 1),
      'trainStep: loss binaryCrossEntropy reads logits but layer output has activation ' +
        'sigmoid; give the last layer the identity activation',
    ],
    [
      'computeLoss',
      () => computeLoss([1, 2], [1], 'mse'),
      'computeLoss: output has length 2 but target has length 1; ' +
        'the target must have one element per output',
    ],
    [
      'computeLossGradient',
      () => computeLossGradient([1], [1, 0], 'mse', 1, [0]),
      'computeLossGradient: output has length 1 but target has length 2; ' +
        'the target must have one element per output',
    ],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
