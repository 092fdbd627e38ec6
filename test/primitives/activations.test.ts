import { describe, expect, it } from 'vitest';
import {
  activations,
  identity,
  lecunTanh,
  logSoftmax,
  logSumExp,
  relu,
  sigmoid,
  silu,
  softmax,
  softmaxBackward,
  softplus,
  step,
  tanh,
  type Activation,
} from '../../src/primitives/activations.js';

/** Central difference of f at z, an independent check on each derivative formula. */
function numericDerivative(activation: Activation, z: number): number {
  const h = 1e-6;
  return (activation.apply(z + h) - activation.apply(z - h)) / (2 * h);
}

describe('activation values', () => {
  it('step is 1 from zero up', () => {
    expect(step.apply(-0.001)).toBe(0);
    expect(step.apply(0)).toBe(1);
    expect(step.apply(3)).toBe(1);
    expect(step.derivative(0, 1)).toBe(0);
  });

  it('sigmoid and its derivative', () => {
    // sigma(0) = 1/2; sigma'(0) = 1/2 * (1 - 1/2) = 1/4
    expect(sigmoid.apply(0)).toBe(0.5);
    expect(sigmoid.derivative(0, 0.5)).toBe(0.25);
  });

  it('tanh and its derivative', () => {
    // tanh(1) = (e^2 - 1) / (e^2 + 1) = 6.3890561 / 8.3890561 = 0.7615941560
    const a = tanh.apply(1);
    expect(a).toBeCloseTo(0.761594156, 9);
    // 1 - 0.7615941560^2 = 1 - 0.5800256584 = 0.4199743416
    expect(tanh.derivative(1, a)).toBeCloseTo(0.4199743416, 9);
  });

  it('relu derivative is 0 at zero', () => {
    expect(relu.apply(-2)).toBe(0);
    expect(relu.apply(2)).toBe(2);
    expect(relu.derivative(0, 0)).toBe(0);
    expect(relu.derivative(2, 2)).toBe(1);
  });

  it('silu and softplus at zero', () => {
    // silu(0) = 0 * 1/2 = 0; silu'(0) = 1/2 + 0 = 1/2
    expect(silu.apply(0)).toBe(0);
    expect(silu.derivative(0, 0)).toBe(0.5);
    // softplus(0) = log 2; softplus'(0) = sigma(0) = 1/2
    expect(softplus.apply(0)).toBeCloseTo(Math.LN2, 12);
    expect(softplus.derivative(0, Math.LN2)).toBe(0.5);
  });

  it('lecunTanh maps 1 to about 1', () => {
    // 1.7159 * tanh(2/3) = 1.7159 * 0.5827829453 = 0.9999972558
    expect(lecunTanh.apply(1)).toBeCloseTo(0.9999972558, 9);
    // at 0: S * A = 2/3 * 1.7159 = 1.1439333333
    expect(lecunTanh.derivative(0, 0)).toBeCloseTo(1.1439333333, 9);
  });

  it('identity passes values through', () => {
    expect(identity.apply(-3.5)).toBe(-3.5);
    expect(identity.derivative(-3.5, -3.5)).toBe(1);
  });

  it('every derivative matches finite differences', () => {
    const smooth = [identity, sigmoid, tanh, silu, softplus, lecunTanh];
    for (const activation of smooth) {
      for (const z of [-2.5, -0.3, 0.7, 3]) {
        const a = activation.apply(z);
        expect(activation.derivative(z, a), `${activation.name} at ${z}`).toBeCloseTo(
          numericDerivative(activation, z),
          6,
        );
      }
    }
    // relu is smooth away from zero
    expect(relu.derivative(0.7, 0.7)).toBeCloseTo(numericDerivative(relu, 0.7), 6);
  });

  it('activations lists each by its name', () => {
    for (const [name, activation] of Object.entries(activations)) {
      expect(activation.name).toBe(name);
    }
  });
});

describe('softmax', () => {
  it('softmax matches the formula', () => {
    // e^0, e^1, e^2 = 1, 2.7182818, 7.3890561; sum 11.1073379
    // 1 / 11.1073379 = 0.0900305732, 2.7182818 / 11.1073379 = 0.2447284711, rest 0.6652409558
    const p = softmax([0, 1, 2]);
    expect(p[0]).toBeCloseTo(0.0900305732, 9);
    expect(p[1]).toBeCloseTo(0.2447284711, 9);
    expect(p[2]).toBeCloseTo(0.6652409558, 9);
  });

  it('softmax survives huge logits', () => {
    // without subtracting the max, e^1000 is Infinity and the result NaN
    const p = softmax([1000, 1001, 1002]);
    expect(p[2]).toBeCloseTo(0.6652409558, 9);
  });

  it('softmax may write over its input', () => {
    const z = [0, 0];
    expect(softmax(z, z)).toBe(z);
    expect(z).toEqual([0.5, 0.5]);
  });

  it('logSoftmax stays finite where softmax underflows', () => {
    // log softmax([0, -1000])_1 = -1000 - log(1 + e^-1000) = -1000
    const logP = logSoftmax([0, -1000]);
    expect(logP[1]).toBe(-1000);
    expect(logP[0]).toBe(0);
  });

  it('logSumExp matches the formula', () => {
    // log(e^1 + e^1) = 1 + log 2 = 1.6931471806
    expect(logSumExp([1, 1])).toBeCloseTo(1.6931471806, 10);
  });

  it('softmaxBackward matches finite differences', () => {
    // L = sum_i w_i softmax(z)_i, so dL/dp = w
    const z = [0.3, -1.2, 2.0];
    const w = [1.5, -0.5, 0.25];
    const dZ = softmaxBackward(softmax(z), w);
    const h = 1e-6;
    for (let i = 0; i < z.length; i++) {
      const plus = z.slice();
      plus[i] += h;
      const minus = z.slice();
      minus[i] -= h;
      const loss = (v: number[]) => softmax(v).reduce((s, p, k) => s + w[k] * p, 0);
      expect(dZ[i]).toBeCloseTo((loss(plus) - loss(minus)) / (2 * h), 7);
    }
  });
});

describe('activation errors', () => {
  const cases: [string, () => unknown, string][] = [
    ['softmax', () => softmax([]), 'softmax: logits is empty; pass at least one element'],
    ['logSoftmax', () => logSoftmax([]), 'logSoftmax: logits is empty; pass at least one element'],
    ['logSumExp', () => logSumExp([]), 'logSumExp: z is empty; pass at least one element'],
    [
      'softmax out',
      () => softmax([1, 2], [0]),
      'softmax: out has length 1 but the result has length 2; ' +
        'pass an out of the same length as the result',
    ],
    [
      'softmaxBackward',
      () => softmaxBackward([0.5, 0.5], [1]),
      'softmaxBackward: probabilities has length 2 but dProbabilities has length 1; ' +
        'the lengths must be equal',
    ],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
