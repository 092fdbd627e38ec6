/**
 * Layer 0: loss functions L and their gradients dL/d(prediction).
 *
 * Cross-entropy is computed from logits (the values before the sigmoid or softmax), never from
 * probabilities, so no log ever sees a probability that rounded to 0, and nothing is clamped.
 */
import { logSumExp, softmax } from './activations.js';
import { log1pExp, logistic } from './scalar.js';
import { assertNonEmpty, assertOutLength, assertSameVectorLength, type Vector } from './shapes.js';

/**
 * Computes the mean squared error (1/n) sum_i (prediction_i - target_i)^2.
 * @throws RangeError when the lengths differ or the vectors are empty
 */
export function mse(prediction: Vector, target: Vector): number {
  assertSameVectorLength('mse', prediction, target, 'prediction', 'target');
  assertNonEmpty('mse', 'prediction', prediction);
  let total = 0;
  for (let i = 0; i < prediction.length; i++) {
    const error = prediction[i] - target[i];
    total += error * error;
  }
  return total / prediction.length;
}

/**
 * Computes the gradient of mse with respect to the prediction: (2/n) (prediction - target).
 * @param out - receives the gradient (n); may be prediction; a new vector when omitted
 * @throws RangeError when the lengths differ or the vectors are empty
 */
export function mseGradient(prediction: Vector, target: Vector, out?: Vector): Vector {
  assertSameVectorLength('mseGradient', prediction, target, 'prediction', 'target');
  assertNonEmpty('mseGradient', 'prediction', prediction);
  const dPrediction = prepareOut('mseGradient', out, prediction.length);
  const factor = 2 / prediction.length;
  for (let i = 0; i < prediction.length; i++) {
    dPrediction[i] = factor * (prediction[i] - target[i]);
  }
  return dPrediction;
}

/**
 * Computes binary cross-entropy -[t log p + (1 - t) log(1 - p)] with p = sigmoid(logit),
 * rewritten as log(1 + e^z) - t z, which is exact and cannot overflow.
 * @param logit - z, the value before the sigmoid
 * @param target - t in [0, 1], usually 0 or 1
 * @throws RangeError when target lies outside [0, 1]
 */
export function binaryCrossEntropyFromLogit(logit: number, target: number): number {
  assertProbability('binaryCrossEntropyFromLogit', target);
  return log1pExp(logit) - target * logit;
}

/**
 * Computes the gradient of binaryCrossEntropyFromLogit with respect to the logit:
 * sigmoid(z) - t.
 * @throws RangeError when target lies outside [0, 1]
 */
export function binaryCrossEntropyFromLogitGradient(logit: number, target: number): number {
  assertProbability('binaryCrossEntropyFromLogitGradient', target);
  return logistic(logit) - target;
}

/**
 * Computes categorical cross-entropy -log softmax(z)_target = logSumExp(z) - z_target.
 * @param logits - z (numClasses)
 * @param targetIndex - the true class, an integer in [0, numClasses)
 * @throws RangeError when logits is empty or targetIndex is out of range
 */
export function softmaxCrossEntropy(logits: Vector, targetIndex: number): number {
  assertNonEmpty('softmaxCrossEntropy', 'logits', logits);
  assertClassIndex('softmaxCrossEntropy', targetIndex, logits.length);
  return logSumExp(logits) - logits[targetIndex];
}

/**
 * Computes the gradient of softmaxCrossEntropy with respect to the logits:
 * softmax(z) - onehot(target).
 * @param out - receives the gradient (numClasses); may be logits; a new vector when omitted
 * @throws RangeError when logits is empty or targetIndex is out of range
 */
export function softmaxCrossEntropyGradient(
  logits: Vector,
  targetIndex: number,
  out?: Vector,
): Vector {
  assertNonEmpty('softmaxCrossEntropyGradient', 'logits', logits);
  assertClassIndex('softmaxCrossEntropyGradient', targetIndex, logits.length);
  const dLogits = softmax(logits, prepareOut('softmaxCrossEntropyGradient', out, logits.length));
  dLogits[targetIndex] -= 1;
  return dLogits;
}

function assertProbability(fn: string, target: number): void {
  if (!(target >= 0 && target <= 1)) {
    throw new RangeError(`${fn}: target is ${target}; it must lie in [0, 1]`);
  }
}

function assertClassIndex(fn: string, targetIndex: number, numClasses: number): void {
  if (!Number.isInteger(targetIndex) || targetIndex < 0 || targetIndex >= numClasses) {
    throw new RangeError(
      `${fn}: targetIndex is ${targetIndex} but there are ${numClasses} logits; ` +
        `it must be an integer in [0, ${numClasses})`,
    );
  }
}

function prepareOut(fn: string, out: Vector | undefined, length: number): Vector {
  if (out === undefined) return new Array<number>(length).fill(0);
  assertOutLength(fn, out, length);
  return out;
}
