/**
 * Layer 0: activation functions f and their derivatives f', applied one element at a time,
 * plus softmax and log-softmax, which act on a whole vector.
 *
 * Every Activation takes the derivative from both z and a = f(z), because for most of them
 * a is the cheaper way in: the sigmoid's derivative is a (1 - a), tanh's is 1 - a^2. A
 * backward pass has both at hand in its cache.
 */
import { log1pExp, logistic } from './scalar.js';
import { assertNonEmpty, assertOutLength, assertSameVectorLength, type Vector } from './shapes.js';

/** The names an Activation can be chosen by, for example in a dense layer's config. */
export type ActivationName =
  'identity' | 'step' | 'sigmoid' | 'tanh' | 'relu' | 'silu' | 'softplus' | 'lecunTanh';

/** A scalar function applied elementwise, with its derivative. */
export interface Activation {
  name: ActivationName;
  /** Computes a = f(z). */
  apply(z: number): number;
  /** Computes f'(z), given z and a = f(z). */
  derivative(z: number, a: number): number;
}

/** f(z) = z, for output layers that emit logits or regression values. */
export const identity: Activation = {
  name: 'identity',
  apply: (z) => z,
  derivative: () => 1,
};

/**
 * Heaviside step: 1 when z >= 0, else 0, the threshold unit of Rosenblatt's perceptron.
 * Its derivative is 0 wherever it exists, so gradient descent cannot train it; the perceptron
 * rule does. `derivative` returns 0 at z = 0 as well, where the true derivative is undefined.
 */
export const step: Activation = {
  name: 'step',
  apply: (z) => (z >= 0 ? 1 : 0),
  derivative: () => 0,
};

/** Logistic sigmoid 1 / (1 + e^-z), computed without overflow; f' = a (1 - a). */
export const sigmoid: Activation = {
  name: 'sigmoid',
  apply: logistic,
  derivative: (_z, a) => a * (1 - a),
};

/** Hyperbolic tangent; f' = 1 - a^2. */
export const tanh: Activation = {
  name: 'tanh',
  apply: Math.tanh,
  derivative: (_z, a) => 1 - a * a,
};

/** Rectified linear unit max(0, z); f' is 1 for z > 0 and 0 otherwise, including at z = 0. */
export const relu: Activation = {
  name: 'relu',
  apply: (z) => (z > 0 ? z : 0),
  derivative: (z) => (z > 0 ? 1 : 0),
};

/** SiLU (swish) z * sigmoid(z); f' = s + z s (1 - s) with s = sigmoid(z). */
export const silu: Activation = {
  name: 'silu',
  apply: (z) => z * logistic(z),
  derivative: (z) => {
    const s = logistic(z);
    return s + z * s * (1 - s);
  },
};

/** Softplus log(1 + e^z), computed without overflow; f' = sigmoid(z). */
export const softplus: Activation = {
  name: 'softplus',
  apply: log1pExp,
  derivative: (z) => logistic(z),
};

/** The amplitude A of LeCun's scaled tanh A tanh(S z). */
const LECUN_A = 1.7159;
/** The slope S of LeCun's scaled tanh. */
const LECUN_S = 2 / 3;

/**
 * LeCun's scaled tanh 1.7159 tanh(2z/3) (LeCun et al., 1998, appendix A), chosen so that
 * f(1) is about 1 and f(-1) about -1. f' = S (A - a^2 / A) with A = 1.7159 and S = 2/3.
 */
export const lecunTanh: Activation = {
  name: 'lecunTanh',
  apply: (z) => LECUN_A * Math.tanh(LECUN_S * z),
  derivative: (_z, a) => LECUN_S * (LECUN_A - (a * a) / LECUN_A),
};

/** Every activation by name. */
export const activations: Record<ActivationName, Activation> = {
  identity,
  step,
  sigmoid,
  tanh,
  relu,
  silu,
  softplus,
  lecunTanh,
};

/**
 * Computes softmax(z)_i = e^(z_i - m) / sum_k e^(z_k - m), with m = max(z). Subtracting the
 * maximum leaves the result unchanged and keeps every exponent <= 0, so exp cannot overflow.
 * @param logits - (n)
 * @param out - receives the probabilities (n); may be logits; a new vector when omitted
 * @throws RangeError when logits is empty
 */
export function softmax(logits: Vector, out?: Vector): Vector {
  assertNonEmpty('softmax', 'logits', logits);
  const probabilities = prepareOut('softmax', out, logits.length);
  const m = maxOf(logits);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i] - m);
    probabilities[i] = e;
    total += e;
  }
  for (let i = 0; i < probabilities.length; i++) probabilities[i] /= total;
  return probabilities;
}

/**
 * Computes log softmax(z)_i = z_i - m - log sum_k e^(z_k - m), with m = max(z). Unlike
 * log(softmax(z)), it stays finite when a probability underflows to 0.
 * @param logits - (n)
 * @param out - receives the log-probabilities (n); may be logits; a new vector when omitted
 * @throws RangeError when logits is empty
 */
export function logSoftmax(logits: Vector, out?: Vector): Vector {
  assertNonEmpty('logSoftmax', 'logits', logits);
  const logProbabilities = prepareOut('logSoftmax', out, logits.length);
  const logNormalizer = logSumExp(logits);
  for (let i = 0; i < logits.length; i++) logProbabilities[i] = logits[i] - logNormalizer;
  return logProbabilities;
}

/**
 * Computes log sum_k e^(z_k) as m + log sum_k e^(z_k - m) with m = max(z), without overflow.
 * @throws RangeError when z is empty
 */
export function logSumExp(z: Vector): number {
  assertNonEmpty('logSumExp', 'z', z);
  const m = maxOf(z);
  let total = 0;
  for (let k = 0; k < z.length; k++) total += Math.exp(z[k] - m);
  return m + Math.log(total);
}

/**
 * Sends a gradient back through softmax: given p = softmax(z) and dP = dL/dp,
 * dZ_i = p_i (dP_i - sum_k p_k dP_k), the Jacobian-vector product without the n x n Jacobian.
 * @param probabilities - p (n), the softmax output
 * @param dProbabilities - dL/dp (n)
 * @param out - receives dL/dz (n); may be dProbabilities; a new vector when omitted
 * @throws RangeError when the lengths differ
 */
export function softmaxBackward(
  probabilities: Vector,
  dProbabilities: Vector,
  out?: Vector,
): Vector {
  assertSameVectorLength(
    'softmaxBackward',
    probabilities,
    dProbabilities,
    'probabilities',
    'dProbabilities',
  );
  let weighted = 0;
  for (let k = 0; k < probabilities.length; k++) weighted += probabilities[k] * dProbabilities[k];
  const dLogits = prepareOut('softmaxBackward', out, probabilities.length);
  for (let i = 0; i < probabilities.length; i++) {
    dLogits[i] = probabilities[i] * (dProbabilities[i] - weighted);
  }
  return dLogits;
}

function maxOf(v: Vector): number {
  let m = v[0];
  for (let i = 1; i < v.length; i++) if (v[i] > m) m = v[i];
  return m;
}

function prepareOut(fn: string, out: Vector | undefined, length: number): Vector {
  if (out === undefined) return new Array<number>(length).fill(0);
  assertOutLength(fn, out, length);
  return out;
}
