import { describe, expect, it } from 'vitest';
import {
  clipGradientNorm,
  createAdam,
  createSgd,
  warmupSchedule,
} from '../../src/blocks/optimizers.js';
import type { Parameter } from '../../src/blocks/parameters.js';

function parameter(value: number[], grad: number[]): Parameter {
  return { name: 'w', value, grad };
}

describe('createSgd', () => {
  it('plain step subtracts rate times gradient', () => {
    const p = parameter([1, -2], [0.5, -1]);
    createSgd([p], { learningRate: 0.1 }).step();
    // 1 - 0.1*0.5 = 0.95; -2 - 0.1*(-1) = -1.9
    expect(p.value[0]).toBeCloseTo(0.95, 12);
    expect(p.value[1]).toBeCloseTo(-1.9, 12);
  });

  it('momentum adds the previous update', () => {
    const p = parameter([1], [1]);
    const sgd = createSgd([p], { learningRate: 0.1, momentum: 0.9 });
    sgd.step(); // v = -0.1, w = 0.9
    sgd.step(); // v = 0.9*(-0.1) - 0.1 = -0.19, w = 0.71
    expect(p.value[0]).toBeCloseTo(0.71, 12);
  });

  it('step takes a scheduled rate', () => {
    const p = parameter([1], [1]);
    createSgd([p], { learningRate: 0.1 }).step(0.5);
    expect(p.value[0]).toBeCloseTo(0.5, 12);
  });

  it('updates nested parameters', () => {
    const p: Parameter = { name: 'm', value: [[1], [2]], grad: [[1], [1]] };
    createSgd([p], { learningRate: 1 }).step();
    expect(p.value).toEqual([[0], [1]]);
  });

  it('rejects a non-positive learning rate', () => {
    expect(() => createSgd([], { learningRate: 0 })).toThrow(
      'createSgd: learningRate is 0; it must be a positive number',
    );
  });

  it('rejects momentum of 1', () => {
    expect(() => createSgd([], { learningRate: 0.1, momentum: 1 })).toThrow(
      'createSgd: momentum is 1; it must be in [0, 1)',
    );
  });

  it('rejects a gradient of another shape', () => {
    const p = parameter([1, 2], [1]);
    expect(() => createSgd([p], { learningRate: 0.1 })).toThrow(
      'optimizer: parameter w row 0 has length 2 but its gradient has length 1; they must be equal',
    );
  });

  it('rejects a scheduled rate that is NaN', () => {
    const sgd = createSgd([parameter([1], [1])], { learningRate: 0.1 });
    expect(() => sgd.step(NaN)).toThrow(
      'Optimizer.step: learningRate is NaN; it must be a positive number',
    );
  });
});

describe('createAdam', () => {
  it('first step moves each weight by about the rate', () => {
    // t = 1: m = 0.1*g, v = 0.001*g^2, mHat = g, vHat = g^2, so the step is
    // lr * g / (|g| + eps) = lr * sign(g), whatever the gradient's size.
    const p = parameter([1, 1], [4, -0.01]);
    createAdam([p], { learningRate: 0.1, epsilon: 1e-12 }).step();
    expect(p.value[0]).toBeCloseTo(0.9, 9);
    expect(p.value[1]).toBeCloseTo(1.1, 9);
  });

  it('second step matches hand-worked moments', () => {
    // g1 = 1, g2 = 0: m1 = 0.1, v1 = 0.001, w1 = 1 - 0.1 = 0.9.
    // m2 = 0.09, v2 = 0.000999; mHat = 0.09/0.19, vHat = 0.000999/0.001999.
    const p = parameter([1], [1]);
    const adam = createAdam([p], { learningRate: 0.1, epsilon: 1e-12 });
    adam.step();
    p.grad[0] = 0;
    adam.step();
    const mHat = 0.09 / (1 - 0.9 ** 2);
    const vHat = 0.000999 / (1 - 0.999 ** 2);
    expect(p.value[0]).toBeCloseTo(0.9 - (0.1 * mHat) / Math.sqrt(vHat), 9);
  });

  it('weight decay shrinks weights with zero gradient', () => {
    // g = 0 so the Adam term is 0; AdamW subtracts lr * lambda * w = 0.1 * 0.5 * 2 = 0.1.
    const p = parameter([2], [0]);
    createAdam([p], { learningRate: 0.1, weightDecay: 0.5 }).step();
    expect(p.value[0]).toBeCloseTo(1.9, 12);
  });

  it('rejects beta1 of 1', () => {
    expect(() => createAdam([], { learningRate: 0.1, beta1: 1 })).toThrow(
      'createAdam: beta1 is 1; it must be in [0, 1)',
    );
  });

  it('rejects a zero epsilon', () => {
    expect(() => createAdam([], { learningRate: 0.1, epsilon: 0 })).toThrow(
      'createAdam: epsilon is 0; it must be positive',
    );
  });

  it('rejects negative weight decay', () => {
    expect(() => createAdam([], { learningRate: 0.1, weightDecay: -1 })).toThrow(
      'createAdam: weightDecay is -1; it must be 0 or more',
    );
  });
});

describe('clipGradientNorm', () => {
  it('scales gradients to the maximum norm', () => {
    const p = parameter([0, 0], [3, 4]); // norm 5
    expect(clipGradientNorm([p], 1)).toBe(5);
    expect(p.grad[0]).toBeCloseTo(0.6, 12);
    expect(p.grad[1]).toBeCloseTo(0.8, 12);
  });

  it('leaves small gradients alone', () => {
    const p = parameter([0, 0], [0.3, 0.4]);
    expect(clipGradientNorm([p], 1)).toBeCloseTo(0.5, 12);
    expect(p.grad).toEqual([0.3, 0.4]);
  });

  it('rejects a zero maximum', () => {
    expect(() => clipGradientNorm([], 0)).toThrow(
      'clipGradientNorm: maxNorm is 0; it must be positive',
    );
  });
});

describe('warmupSchedule', () => {
  it('peaks at the end of warm-up', () => {
    const rate = warmupSchedule(64, 100);
    // 64^-0.5 = 0.125; at step 100 both terms equal 100^-0.5 = 0.1, so the rate is 0.0125.
    expect(rate(100)).toBeCloseTo(0.0125, 12);
    expect(rate(50)).toBeCloseTo(0.00625, 12);
    expect(rate(400)).toBeCloseTo(0.00625, 12);
  });

  it('rejects zero warm-up steps', () => {
    expect(() => warmupSchedule(64, 0)).toThrow(
      'warmupSchedule: dModel 64, warmupSteps 0 and scale 1 must all be positive',
    );
  });
});
