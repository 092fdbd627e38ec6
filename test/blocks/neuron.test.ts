import { describe, expect, it } from 'vitest';
import { step } from '../../src/primitives/activations.js';
import { createNeuron, neuronForward, weightedSum } from '../../src/blocks/neuron.js';
import { createRng } from '../../src/primitives/random.js';

describe('neuron', () => {
  const neuron = { weights: [0.5, -1], bias: 0.25, activation: step };

  it('weightedSum adds the bias', () => {
    // 0.5*2 + (-1)*1 + 0.25 = 1 - 1 + 0.25 = 0.25
    expect(weightedSum(neuron, [2, 1])).toBe(0.25);
  });

  it('neuronForward applies the activation', () => {
    // z = 0.25 >= 0, so step gives 1; z = 0.5*0 - 1*1 + 0.25 = -0.75 gives 0
    expect(neuronForward(neuron, [2, 1])).toBe(1);
    expect(neuronForward(neuron, [0, 1])).toBe(0);
  });

  it('createNeuron draws within the limit', () => {
    const created = createNeuron(
      { inputs: 3, activation: 'sigmoid', initLimit: 0.1 },
      createRng(1),
    );
    expect(created.weights).toHaveLength(3);
    for (const w of created.weights) expect(Math.abs(w)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(created.bias)).toBeLessThanOrEqual(0.1);
    expect(created.activation.name).toBe('sigmoid');
  });

  it('createNeuron repeats per seed', () => {
    const a = createNeuron({ inputs: 2, activation: 'step' }, createRng(5));
    const b = createNeuron({ inputs: 2, activation: 'step' }, createRng(5));
    expect(a.weights).toEqual(b.weights);
    expect(a.bias).toBe(b.bias);
  });
});

describe('neuron errors', () => {
  const neuron = { weights: [0.5, -1], bias: 0, activation: step };
  const cases: [string, () => unknown, string][] = [
    [
      'weightedSum',
      () => weightedSum(neuron, [1, 2, 3]),
      'weightedSum: neuron has 2 weights but input has length 3; ' +
        'the input length must equal the weight count',
    ],
    [
      'createNeuron inputs',
      () => createNeuron({ inputs: -1, activation: 'step' }, createRng(1)),
      'createNeuron: inputs is -1; it must be a whole number >= 0',
    ],
    [
      'createNeuron initLimit',
      () => createNeuron({ inputs: 2, activation: 'step', initLimit: -1 }, createRng(1)),
      'createNeuron: initLimit is -1; it must be a finite number >= 0',
    ],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
