/**
 * Layer 1: optimizers that turn gradients into parameter updates, gradient clipping, and the
 * warm-up learning-rate schedule of the transformer paper.
 *
 * Each optimizer is created once for a list of parameters (see parameters.ts). It keeps its
 * per-element state (velocities, moment estimates) in arrays of the same shape, allocated at
 * creation, and `step()` walks values, gradients and state row by row. Gradients are read, not
 * cleared: call `zeroGradients` before the next backward pass.
 *
 *   SGD with momentum (Polyak, 1964):     v <- mu*v - lr*g;            w <- w + v
 *   Adam (Kingma and Ba, 2015):           m <- b1*m + (1 - b1)*g
 *                                         v <- b2*v + (1 - b2)*g^2
 *                                         w <- w - lr * mHat / (sqrt(vHat) + eps)
 *     where mHat = m / (1 - b1^t) and vHat = v / (1 - b2^t) undo the zero start of m and v.
 *   AdamW (Loshchilov and Hutter, 2019):  Adam, then w <- w - lr*lambda*w, a decay applied to
 *     the weights directly instead of being added to the gradient, so the adaptive scaling
 *     does not weaken it.
 */
import type { Vector } from '../primitives/shapes.js';
import { leafRows, type Parameter } from './parameters.js';

export interface Optimizer {
  /**
   * Updates every parameter from its gradient.
   * @param learningRate overrides the rate given at creation, for schedules
   */
  step(learningRate?: number): void;
}

export interface SgdOptions {
  learningRate: number;
  /** Fraction of the previous update kept, in [0, 1). @default 0 (plain SGD) */
  momentum?: number;
}

export interface AdamOptions {
  learningRate: number;
  /** Decay of the first-moment (mean) estimate. @default 0.9 */
  beta1?: number;
  /** Decay of the second-moment (uncentred variance) estimate. @default 0.999 */
  beta2?: number;
  /** Added to the denominator so a zero variance does not divide by zero. @default 1e-8 */
  epsilon?: number;
  /** Decoupled weight decay lambda; above 0 this is AdamW. @default 0 */
  weightDecay?: number;
}

/** A value row, its gradient row and the optimizer's state rows, all the same length. */
interface RowState {
  value: Vector;
  grad: Vector;
  first: Vector;
  second: Vector;
}

/**
 * Creates stochastic gradient descent with optional momentum.
 * @throws RangeError when the learning rate is not positive or momentum is outside [0, 1)
 */
export function createSgd(parameters: readonly Parameter[], options: SgdOptions): Optimizer {
  const { learningRate, momentum = 0 } = options;
  checkLearningRate('createSgd', learningRate);
  checkUnitInterval('createSgd', 'momentum', momentum);
  const rows = createRowStates(parameters);

  return {
    step(rate = learningRate) {
      checkLearningRate('Optimizer.step', rate);
      for (const { value, grad, first: velocity } of rows) {
        if (momentum === 0) {
          // Plain SGD: the velocity would only hold -rate * grad, so skip it.
          for (let k = 0; k < value.length; k++) value[k] -= rate * grad[k];
          continue;
        }
        for (let k = 0; k < value.length; k++) {
          velocity[k] = momentum * velocity[k] - rate * grad[k];
          value[k] += velocity[k];
        }
      }
    },
  };
}

/**
 * Creates Adam, or AdamW when `weightDecay` is above 0.
 * @throws RangeError when the learning rate is not positive, a beta is outside [0, 1),
 *   epsilon is not positive or weight decay is negative
 */
export function createAdam(parameters: readonly Parameter[], options: AdamOptions): Optimizer {
  const { learningRate, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0 } = options;
  checkLearningRate('createAdam', learningRate);
  checkUnitInterval('createAdam', 'beta1', beta1);
  checkUnitInterval('createAdam', 'beta2', beta2);
  if (!(epsilon > 0)) {
    throw new RangeError(`createAdam: epsilon is ${epsilon}; it must be positive`);
  }
  if (!(weightDecay >= 0)) {
    throw new RangeError(`createAdam: weightDecay is ${weightDecay}; it must be 0 or more`);
  }
  const rows = createRowStates(parameters);
  let t = 0;

  return {
    step(rate = learningRate) {
      checkLearningRate('Optimizer.step', rate);
      t++;
      const correction1 = 1 - beta1 ** t;
      const correction2 = 1 - beta2 ** t;
      for (const { value, grad, first: m, second: v } of rows) {
        for (let k = 0; k < value.length; k++) {
          const g = grad[k];
          m[k] = beta1 * m[k] + (1 - beta1) * g;
          v[k] = beta2 * v[k] + (1 - beta2) * g * g;
          const mHat = m[k] / correction1;
          const vHat = v[k] / correction2;
          value[k] -= rate * (mHat / (Math.sqrt(vHat) + epsilon) + weightDecay * value[k]);
        }
      }
    },
  };
}

/**
 * Scales all gradients down together when their global norm exceeds `maxNorm`, keeping their
 * direction. Returns the norm before clipping.
 * @throws RangeError when maxNorm is not positive
 */
export function clipGradientNorm(parameters: readonly Parameter[], maxNorm: number): number {
  if (!(maxNorm > 0)) {
    throw new RangeError(`clipGradientNorm: maxNorm is ${maxNorm}; it must be positive`);
  }
  let sumOfSquares = 0;
  const gradRows = parameters.flatMap((p) => leafRows(p.grad));
  for (const row of gradRows) {
    for (const g of row) sumOfSquares += g * g;
  }
  const norm = Math.sqrt(sumOfSquares);
  if (norm > maxNorm) {
    const factor = maxNorm / norm;
    for (const row of gradRows) {
      for (let k = 0; k < row.length; k++) row[k] *= factor;
    }
  }
  return norm;
}

/**
 * Returns the learning-rate schedule of Vaswani et al. (2017), section 5.3:
 *
 *   rate(step) = scale * dModel^-0.5 * min(step^-0.5, step * warmupSteps^-1.5)
 *
 * It rises linearly for `warmupSteps` steps, while Adam's variance estimates are still
 * unreliable, then decays with the inverse square root of the step. Steps count from 1.
 * @throws RangeError when dModel, warmupSteps or scale is not positive
 */
export function warmupSchedule(
  dModel: number,
  warmupSteps: number,
  scale = 1,
): (step: number) => number {
  if (!(dModel > 0) || !(warmupSteps > 0) || !(scale > 0)) {
    throw new RangeError(
      `warmupSchedule: dModel ${dModel}, warmupSteps ${warmupSteps} and scale ${scale} ` +
        'must all be positive',
    );
  }
  return (step) => {
    const s = Math.max(step, 1);
    return scale * dModel ** -0.5 * Math.min(s ** -0.5, s * warmupSteps ** -1.5);
  };
}

function createRowStates(parameters: readonly Parameter[]): RowState[] {
  const rows: RowState[] = [];
  for (const p of parameters) {
    const values = leafRows(p.value);
    const grads = leafRows(p.grad);
    if (values.length !== grads.length) {
      throw new RangeError(
        `optimizer: parameter ${p.name} has ${values.length} value rows but ${grads.length} ` +
          'gradient rows; a gradient must have the shape of its value',
      );
    }
    for (let r = 0; r < values.length; r++) {
      const value = values[r];
      if (grads[r].length !== value.length) {
        throw new RangeError(
          `optimizer: parameter ${p.name} row ${r} has length ${value.length} but its ` +
            `gradient has length ${grads[r].length}; they must be equal`,
        );
      }
      const first = new Array<number>(value.length).fill(0);
      const second = new Array<number>(value.length).fill(0);
      rows.push({ value, grad: grads[r], first, second });
    }
  }
  return rows;
}

function checkLearningRate(fn: string, learningRate: number): void {
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
    throw new RangeError(`${fn}: learningRate is ${learningRate}; it must be a positive number`);
  }
}

function checkUnitInterval(fn: string, name: string, value: number): void {
  if (!(value >= 0 && value < 1)) {
    throw new RangeError(`${fn}: ${name} is ${value}; it must be in [0, 1)`);
  }
}
