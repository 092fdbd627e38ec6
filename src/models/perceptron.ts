/**
 * Layer 2: Rosenblatt's perceptron (1958), one threshold neuron that learns from its mistakes.
 *
 *   y = step(w . x + b)          step(z) = 1 when z >= 0, else 0
 *
 * The learning rule, applied one sample at a time:
 *
 *   w <- w + lr * (t - y) * x
 *   b <- b + lr * (t - y)
 *
 * When the prediction y equals the target t nothing changes. A false 0 adds the input to the
 * weights, turning the boundary toward the sample; a false 1 subtracts it. When a straight line
 * separates the two classes, the rule reaches one in a finite number of mistakes (Novikoff's
 * convergence theorem, 1962). When none does, as for XOR, the weights cycle forever.
 *
 * Departure from the paper: Rosenblatt's Mark I had a layer of fixed random "association" units
 * between the retina and the trained unit; this perceptron trains the single unit directly on
 * its inputs, the form the convergence theorem and most textbooks use.
 */
import { createNeuron, weightedSum, type Neuron } from '../blocks/neuron.js';
import type { Rng } from '../primitives/random.js';
import type { Vector } from '../primitives/shapes.js';

export interface PerceptronConfig {
  inputs: number;
  /** Initial weights and bias are drawn uniformly from [-initLimit, initLimit). @default 0.5 */
  initLimit?: number;
}

/** A perceptron is a neuron with the step activation. */
export type Perceptron = Neuron;

/** Labelled samples; each target is (1), a 0 or a 1. */
export interface PerceptronData {
  inputs: Vector[];
  targets: Vector[];
}

/** One application of the learning rule, with everything needed to narrate it. */
export interface PerceptronUpdate {
  input: Vector;
  target: number;
  /** z = w . x + b with the weights before the update. */
  weightedSum: number;
  prediction: number;
  /** t - y: 0 for a correct prediction, else +1 or -1. */
  error: number;
  learningRate: number;
  weightsBefore: Vector;
  biasBefore: number;
  weightsAfter: Vector;
  biasAfter: number;
}

/** An update made during training: which pass and which sample it came from. */
export interface PerceptronStep extends PerceptronUpdate {
  epoch: number;
  /** Index of the sample in the data. */
  sample: number;
}

/** The state after one pass over the data. */
export interface PerceptronEpoch {
  epoch: number;
  /** Samples predicted wrongly during the pass, each of which changed the weights. */
  mistakes: number;
  /** Fraction of the data predicted correctly by the weights at the end of the pass. */
  accuracy: number;
  weights: Vector;
  bias: number;
}

export interface PerceptronTrainOptions {
  /** Maximum passes over the data; training stops early after a pass without mistakes. */
  epochs: number;
  learningRate: number;
  /** Shuffles the order of the samples before every pass. */
  rng: Rng;
  onEpoch?: (record: PerceptronEpoch) => void;
  /** Called for every sample presented, whether or not it changed the weights. */
  onUpdate?: (step: PerceptronStep) => void;
}

export interface PerceptronHistory {
  epochs: PerceptronEpoch[];
  /** True when the last pass made no mistakes, so every sample is classified correctly. */
  converged: boolean;
}

/**
 * Creates a perceptron with small random weights and bias from `rng`.
 * @throws RangeError when inputs is not a whole number
 */
export function createPerceptron(config: PerceptronConfig, rng: Rng): Perceptron {
  return createNeuron({ ...config, activation: 'step' }, rng);
}

/**
 * Computes the prediction step(w . x + b), 0 or 1.
 * @throws RangeError when x.length differs from the number of weights
 */
export function perceptronPredict(perceptron: Perceptron, x: Vector): number {
  return perceptron.activation.apply(weightedSum(perceptron, x));
}

/**
 * Applies the learning rule to one sample, changing the weights in place when the prediction
 * is wrong.
 * @param target - t, 0 or 1
 * @returns the update, with copies of the weights before and after
 * @throws RangeError when x.length differs from the number of weights
 */
export function perceptronUpdate(
  perceptron: Perceptron,
  x: Vector,
  target: number,
  learningRate: number,
): PerceptronUpdate {
  const weightsBefore = perceptron.weights.slice();
  const biasBefore = perceptron.bias;
  const z = weightedSum(perceptron, x);
  const prediction = perceptron.activation.apply(z);
  const error = target - prediction;

  const weights = perceptron.weights;
  for (let k = 0; k < weights.length; k++) weights[k] += learningRate * error * x[k];
  perceptron.bias += learningRate * error;

  return {
    input: x.slice(),
    target,
    weightedSum: z,
    prediction,
    error,
    learningRate,
    weightsBefore,
    biasBefore,
    weightsAfter: weights.slice(),
    biasAfter: perceptron.bias,
  };
}

/**
 * Trains with the perceptron rule, one sample at a time in a shuffled order, until a pass
 * makes no mistakes or `epochs` passes are done.
 * @returns one record per pass and whether training converged
 * @throws RangeError when the inputs and targets differ in count or a sample does not fit
 */
export function trainPerceptron(
  perceptron: Perceptron,
  data: PerceptronData,
  options: PerceptronTrainOptions,
): PerceptronHistory {
  const { inputs, targets } = data;
  if (inputs.length !== targets.length) {
    throw new RangeError(
      `trainPerceptron: ${inputs.length} inputs but ${targets.length} targets; ` +
        'pass one target per input',
    );
  }
  const order = inputs.map((_input, i) => i);
  const epochs: PerceptronEpoch[] = [];
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    options.rng.shuffle(order);
    let mistakes = 0;
    for (const i of order) {
      const update = perceptronUpdate(perceptron, inputs[i], targets[i][0], options.learningRate);
      if (update.error !== 0) mistakes++;
      options.onUpdate?.({ epoch, sample: i, ...update });
    }

    const record: PerceptronEpoch = {
      epoch,
      mistakes,
      accuracy: perceptronAccuracy(perceptron, data),
      weights: perceptron.weights.slice(),
      bias: perceptron.bias,
    };
    epochs.push(record);
    options.onEpoch?.(record);
    if (mistakes === 0) break;
  }
  const converged = epochs.length > 0 && epochs[epochs.length - 1].mistakes === 0;
  return { epochs, converged };
}

/** Computes the fraction of samples whose prediction equals the target. */
export function perceptronAccuracy(perceptron: Perceptron, data: PerceptronData): number {
  let correct = 0;
  for (let i = 0; i < data.inputs.length; i++) {
    if (perceptronPredict(perceptron, data.inputs[i]) === data.targets[i][0]) correct++;
  }
  return correct / data.inputs.length;
}
