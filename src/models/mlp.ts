/**
 * Layer 2: the multilayer perceptron of Rumelhart, Hinton and Williams (1986), dense layers of
 * sigmoid (or other) units trained by backpropagation and gradient descent with momentum.
 *
 *   h_l = f(W_l h_{l-1} + b_l)     hidden layers l = 1..L, h_0 = x
 *   y   = g(W_out h_L + b_out)     g the output activation
 *
 * Training (the paper's "generalized delta rule"): for each batch, backpropagate the loss
 * (blocks/backprop.ts), then move every weight by
 *
 *   v <- momentum * v - learningRate * dL/dw,    w <- w + v
 *
 * Departures from the paper: the paper used squared error only. Here binary cross-entropy read
 * from the output logit is offered too. It learns faster, because its gradient does not shrink
 * when a sigmoid output saturates. Batches are drawn in a shuffled order each epoch.
 */
import { checkLossFitsNetwork, trainStep, type LossName, type Sample } from '../blocks/backprop.js';
import {
  createNetwork,
  networkForward,
  networkParameters,
  type LayerSpec,
  type Network,
} from '../blocks/network.js';
import { createSgd } from '../blocks/optimizers.js';
import type { ActivationName } from '../primitives/activations.js';
import type { Rng } from '../primitives/random.js';
import { logistic } from '../primitives/scalar.js';
import type { Vector } from '../primitives/shapes.js';
import { argmax } from '../primitives/vector.js';

export interface MlpConfig {
  inputs: number;
  /** Width of each hidden layer, input side first, for example [2] or [8]. */
  hidden: number[];
  outputs: number;
  hiddenActivation: ActivationName;
  /** Use `identity` with the cross-entropy losses, which read logits. */
  outputActivation: ActivationName;
  loss: LossName;
  /** Initial weights are drawn from [-initLimit, initLimit); default Glorot's limit per layer. */
  initLimit?: number;
  /** Initial biases are drawn from [-biasInitLimit, biasInitLimit). @default 0 */
  biasInitLimit?: number;
}

export interface Mlp {
  config: MlpConfig;
  /** The layers, named `hidden1`, `hidden2`, ... and `output`. */
  network: Network;
}

/** Labelled samples: inputs (samples, inputs) and targets (samples, outputs). */
export interface MlpData {
  inputs: Vector[];
  targets: Vector[];
}

/** The state after one pass over the training data. */
export interface MlpEpoch {
  epoch: number;
  /** Optimizer steps taken so far. */
  step: number;
  /** Mean training loss over the pass, each batch measured before its update. */
  loss: number;
  /** Training accuracy over the pass, each sample predicted before its batch's update. */
  accuracy: number;
  learningRate: number;
}

export interface MlpTrainOptions {
  epochs: number;
  learningRate: number;
  /** Fraction of the previous update kept, in [0, 1). @default 0.9 */
  momentum?: number;
  /** Samples per step; the data size gives full-batch gradient descent. @default 1 */
  batchSize?: number;
  /** Shuffles the order of the samples before every pass. */
  rng: Rng;
  /** Ends training after the first pass whose mean loss is below this value. @default 0 */
  stopBelowLoss?: number;
  onEpoch?: (record: MlpEpoch) => void;
}

/**
 * Creates the network from `rng`.
 * @throws RangeError when a size is not a whole number, or the loss reads logits but the
 *   output activation is not `identity`
 */
export function createMlp(config: MlpConfig, rng: Rng): Mlp {
  const layers: LayerSpec[] = config.hidden.map((outputs, l) => ({
    outputs,
    activation: config.hiddenActivation,
    name: `hidden${l + 1}`,
    initLimit: config.initLimit,
    biasInitLimit: config.biasInitLimit,
  }));
  layers.push({
    outputs: config.outputs,
    activation: config.outputActivation,
    name: 'output',
    initLimit: config.initLimit,
    biasInitLimit: config.biasInitLimit,
  });
  const network = createNetwork({ inputs: config.inputs, layers }, rng);
  checkLossFitsNetwork('createMlp', network, config.loss);
  return { config, network };
}

/**
 * Runs one input through the network.
 * @returns the output layer's buffer (outputs): logits for the cross-entropy losses, else the
 *   output activations; overwritten by the next call
 */
export function mlpForward(mlp: Mlp, x: Vector): Vector {
  return networkForward(mlp.network, x);
}

/**
 * Computes the probability of class 1 for a network with one output: the sigmoid of the logit
 * for binary cross-entropy, else the output itself (a sigmoid output trained with mse).
 */
export function mlpProbability(mlp: Mlp, x: Vector): number {
  const output = mlpForward(mlp, x)[0];
  return mlp.config.loss === 'binaryCrossEntropy' ? logistic(output) : output;
}

/**
 * Predicts a class: with one output, 1 when the probability of class 1 is >= 0.5, else 0;
 * with several, the index of the largest output.
 */
export function mlpPredict(mlp: Mlp, x: Vector): number {
  return classFromOutput(mlp, mlpForward(mlp, x));
}

/** Turns an output vector into a class as mlpPredict does. */
function classFromOutput(mlp: Mlp, output: Vector): number {
  if (output.length > 1) return argmax(output);
  // A logit of 0 and a sigmoid output of 0.5 both mean probability 0.5.
  const threshold = mlp.config.loss === 'binaryCrossEntropy' ? 0 : 0.5;
  return output[0] >= threshold ? 1 : 0;
}

/** Returns the class a target encodes: a 0/1 label, or the index of a one-hot vector. */
function classFromTarget(target: Vector): number {
  if (target.length > 1) return argmax(target);
  return target[0] >= 0.5 ? 1 : 0;
}

/** Computes the fraction of samples whose predicted class matches the target. */
export function mlpAccuracy(mlp: Mlp, data: MlpData): number {
  let correct = 0;
  for (let i = 0; i < data.inputs.length; i++) {
    if (mlpPredict(mlp, data.inputs[i]) === classFromTarget(data.targets[i])) correct++;
  }
  return correct / data.inputs.length;
}

/**
 * Trains by backpropagation and SGD with momentum for `epochs` passes over the data, or until
 * a pass's mean loss falls below `stopBelowLoss`.
 * @returns one record per pass
 * @throws RangeError when inputs and targets differ in count or batchSize is invalid
 * @throws TrainingDivergedError when the loss or a gradient becomes NaN or infinite
 */
export function trainMlp(mlp: Mlp, data: MlpData, options: MlpTrainOptions): MlpEpoch[] {
  const { epochs, learningRate, momentum = 0.9, rng, stopBelowLoss = 0 } = options;
  const batchSize = options.batchSize ?? 1;
  checkTrainingData(data, batchSize);

  const samples: Sample[] = data.inputs.map((input, i) => ({ input, target: data.targets[i] }));
  const optimizer = createSgd(networkParameters(mlp.network), { learningRate, momentum });
  const batch: Sample[] = [];
  const history: MlpEpoch[] = [];
  let step = 0;
  let correct = 0;
  const scoreOutput = (sample: Sample, output: Vector) => {
    if (classFromOutput(mlp, output) === classFromTarget(sample.target)) correct++;
  };

  for (let epoch = 1; epoch <= epochs; epoch++) {
    rng.shuffle(samples);
    let lossTotal = 0;
    let batches = 0;
    correct = 0;
    for (let start = 0; start < samples.length; start += batchSize) {
      // Refill one batch array instead of slicing, so a step allocates nothing.
      batch.length = 0;
      const end = Math.min(start + batchSize, samples.length);
      for (let s = start; s < end; s++) batch.push(samples[s]);
      step++;
      lossTotal += trainStep(mlp.network, optimizer, batch, mlp.config.loss, step, scoreOutput);
      batches++;
    }

    const record: MlpEpoch = {
      epoch,
      step,
      loss: lossTotal / batches,
      accuracy: correct / samples.length,
      learningRate,
    };
    history.push(record);
    options.onEpoch?.(record);
    if (record.loss < stopBelowLoss) break;
  }
  return history;
}

function checkTrainingData(data: MlpData, batchSize: number): void {
  if (data.inputs.length !== data.targets.length) {
    throw new RangeError(
      `trainMlp: ${data.inputs.length} inputs but ${data.targets.length} targets; ` +
        'pass one target per input',
    );
  }
  if (data.inputs.length === 0) {
    throw new RangeError('trainMlp: the data is empty; pass at least one sample');
  }
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`trainMlp: batchSize is ${batchSize}; it must be a whole number >= 1`);
  }
}
