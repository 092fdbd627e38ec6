import { describe, expect, it } from 'vitest';
import { checkGradient } from '../../src/blocks/gradcheck.js';
import {
  createDense,
  denseBackward,
  denseForward,
  denseParameters,
  type DenseLayer,
} from '../../src/blocks/dense.js';
import type { ActivationName } from '../../src/primitives/activations.js';
import { createRng } from '../../src/primitives/random.js';
import { dot } from '../../src/primitives/vector.js';

/** A layer with fixed weights W = [[1, -1], [0.5, 2]] and b = [0.5, -1]. */
function fixedLayer(activation: ActivationName): DenseLayer {
  const layer = createDense({ inputs: 2, outputs: 2, activation, name: 'fixed' }, createRng(1));
  layer.params.weights[0] = [1, -1];
  layer.params.weights[1] = [0.5, 2];
  layer.params.bias[0] = 0.5;
  layer.params.bias[1] = -1;
  return layer;
}

describe('dense forward', () => {
  it('dense forward computes W x + b', () => {
    const layer = fixedLayer('identity');
    // z = [1*2 + (-1)*1 + 0.5, 0.5*2 + 2*1 - 1] = [1.5, 2]
    expect(denseForward(layer, [2, 1])).toEqual([1.5, 2]);
  });

  it('dense forward applies relu', () => {
    const layer = fixedLayer('relu');
    // z = [1*0 + (-1)*1 + 0.5, 0.5*0 + 2*1 - 1] = [-0.5, 1]; relu gives [0, 1]
    expect(denseForward(layer, [0, 1])).toEqual([0, 1]);
    expect(layer.z).toEqual([-0.5, 1]);
  });

  it('dense forward reuses its buffer', () => {
    const layer = fixedLayer('identity');
    const first = denseForward(layer, [2, 1]);
    expect(denseForward(layer, [0, 0])).toBe(first);
    expect(first).toEqual([0.5, -1]);
  });
});

describe('dense backward', () => {
  it('dense backward by hand', () => {
    const layer = fixedLayer('identity');
    denseForward(layer, [2, 1]);
    const dInput = denseBackward(layer, [1, -1]);
    // dZ = dOut = [1, -1]; dW = dZ x^T = [[2, 1], [-2, -1]]; db = [1, -1]
    expect(layer.grads.weights).toEqual([
      [2, 1],
      [-2, -1],
    ]);
    expect(layer.grads.bias).toEqual([1, -1]);
    // dX = W^T dZ = [1*1 + 0.5*(-1), -1*1 + 2*(-1)] = [0.5, -3]
    expect(dInput).toEqual([0.5, -3]);
  });

  it('dense backward accumulates gradients', () => {
    const layer = fixedLayer('identity');
    denseForward(layer, [2, 1]);
    denseBackward(layer, [1, -1]);
    denseBackward(layer, [1, -1]);
    expect(layer.grads.bias).toEqual([2, -2]);
  });

  const cases: ActivationName[] = ['identity', 'sigmoid', 'tanh', 'relu', 'silu', 'lecunTanh'];
  it.each(cases)('dense backward matches finite differences (%s)', (activation) => {
    const rng = createRng(4);
    const layer = createDense({ inputs: 4, outputs: 3, activation }, rng);
    for (let i = 0; i < 3; i++) layer.params.bias[i] = rng.uniformIn(-0.5, 0.5);
    const x = [0.3, -0.8, 1.1, 0.45];
    // L = c . a, so dL/da = c
    const c = [0.7, -1.3, 0.4];
    const loss = () => dot(c, denseForward(layer, x));

    denseForward(layer, x);
    const dInput = denseBackward(layer, c).slice();
    for (const p of denseParameters(layer)) {
      const result = checkGradient(loss, p.value, p.grad);
      expect(result.maxRelativeError, p.name).toBeLessThan(1e-6);
    }
    expect(checkGradient(loss, x, dInput).maxRelativeError).toBeLessThan(1e-6);
  });
});

describe('dense parameters', () => {
  it('dense parameters are named and shaped', () => {
    const layer = createDense(
      { inputs: 3, outputs: 2, activation: 'tanh', name: 'h' },
      createRng(1),
    );
    const [weights, bias] = denseParameters(layer);
    expect(weights.name).toBe('h.weights');
    expect(weights.value).toBe(layer.params.weights);
    expect(weights.grad).toBe(layer.grads.weights);
    expect(bias.name).toBe('h.bias');
    expect(layer.params.weights).toHaveLength(2);
    expect(layer.params.weights[0]).toHaveLength(3);
  });

  it('createDense uses the Glorot limit', () => {
    // sqrt(6 / (3 + 2)) = sqrt(1.2) = 1.0954
    const layer = createDense({ inputs: 3, outputs: 2, activation: 'tanh' }, createRng(2));
    for (const row of layer.params.weights) {
      for (const w of row) expect(Math.abs(w)).toBeLessThanOrEqual(Math.sqrt(1.2));
    }
    expect(layer.params.bias).toEqual([0, 0]);
  });

  it('createDense draws biases when asked', () => {
    const config = { inputs: 3, outputs: 4, activation: 'tanh', biasInitLimit: 0.2 } as const;
    const layer = createDense(config, createRng(2));
    for (const b of layer.params.bias) expect(Math.abs(b)).toBeLessThanOrEqual(0.2);
    expect(layer.params.bias.some((b) => b !== 0)).toBe(true);
  });
});

describe('dense errors', () => {
  const layer = fixedLayer('identity');
  const cases: [string, () => unknown, string][] = [
    [
      'denseForward',
      () => denseForward(layer, [1, 2, 3]),
      'denseForward: layer fixed is (2, 2) but input has length 3; ' +
        "the input length must equal the layer's input count",
    ],
    [
      'denseBackward',
      () => denseBackward(layer, [1]),
      'denseBackward: layer fixed has 2 outputs but dOut has length 1; ' +
        'dOut must have one element per output',
    ],
    [
      'createDense inputs',
      () => createDense({ inputs: 1.5, outputs: 2, activation: 'relu' }, createRng(1)),
      'createDense: inputs is 1.5; it must be a whole number >= 0',
    ],
    [
      'createDense initLimit',
      () => createDense({ inputs: 1, outputs: 2, activation: 'relu', initLimit: -1 }, createRng(1)),
      'createDense: initLimit is -1; it must be a finite number >= 0',
    ],
    [
      'createDense biasInitLimit',
      () =>
        createDense(
          { inputs: 1, outputs: 2, activation: 'relu', biasInitLimit: NaN },
          createRng(1),
        ),
      'createDense: biasInitLimit is NaN; it must be a finite number >= 0',
    ],
    [
      'createDense outputs',
      () => createDense({ inputs: 1, outputs: -2, activation: 'relu' }, createRng(1)),
      'createDense: outputs is -2; it must be a whole number >= 0',
    ],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
