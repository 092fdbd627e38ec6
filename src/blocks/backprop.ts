/**
 * Layer 1: backpropagation, one training step of a sequential network.
 *
 * A step runs each sample of a batch forward, measures the loss, sends dL/d(output) back
 * through the layers (network.ts) so every layer adds its gradient, then lets the optimizer
 * move the parameters against the mean gradient:
 *
 *   L = (1/B) sum_s loss(network(x_s), t_s)        B samples in the batch
 *   w <- optimizer(w, dL/dw)
 *
 * The loss of every step and the gradients of every layer are checked, and a NaN or an
 * infinity stops training with a TrainingDivergedError that names the step and the layer.
 */
import { activations } from '../primitives/activations.js';
import { TrainingDivergedError } from '../primitives/errors.js';
import {
  binaryCrossEntropyFromLogit,
  binaryCrossEntropyFromLogitGradient,
  mse,
  mseGradient,
  softmaxCrossEntropy,
  softmaxCrossEntropyGradient,
} from '../primitives/losses.js';
import type { Vector } from '../primitives/shapes.js';
import { argmax } from '../primitives/vector.js';
import type { DenseLayer } from './dense.js';
import { networkBackward, networkForward, type Network } from './network.js';
import type { Optimizer } from './optimizers.js';

/**
 * The loss that scores an output against its target:
 * - `mse`: mean squared error of the last layer's activations.
 * - `binaryCrossEntropy`: each output is a logit, scored with a sigmoid; targets in [0, 1].
 * - `softmaxCrossEntropy`: the outputs are logits of one softmax; the target is one-hot.
 * The two cross-entropies read logits, so the last layer must use the identity activation.
 */
export type LossName = 'mse' | 'binaryCrossEntropy' | 'softmaxCrossEntropy';

/** One training example. */
export interface Sample {
  /** x (inputs) */
  input: Vector;
  /** t (outputs): the wanted output, 0/1 labels or a one-hot class vector. */
  target: Vector;
}

/**
 * Computes the loss of one output against its target.
 * @throws RangeError when the lengths differ
 */
export function computeLoss(output: Vector, target: Vector, loss: LossName): number {
  checkTarget('computeLoss', output, target);
  switch (loss) {
    case 'mse':
      return mse(output, target);
    case 'binaryCrossEntropy': {
      let total = 0;
      for (let i = 0; i < output.length; i++) {
        total += binaryCrossEntropyFromLogit(output[i], target[i]);
      }
      return total / output.length;
    }
    case 'softmaxCrossEntropy':
      return softmaxCrossEntropy(output, argmax(target));
  }
}

/**
 * Writes scale * dL/d(output) into `out`, the gradient of computeLoss.
 * @param scale - multiplies the gradient, 1/B to average over a batch of B samples
 * @throws RangeError when the lengths differ
 */
export function computeLossGradient(
  output: Vector,
  target: Vector,
  loss: LossName,
  scale: number,
  out: Vector,
): Vector {
  checkTarget('computeLossGradient', output, target);
  switch (loss) {
    case 'mse':
      mseGradient(output, target, out);
      break;
    case 'binaryCrossEntropy':
      for (let i = 0; i < output.length; i++) {
        out[i] = binaryCrossEntropyFromLogitGradient(output[i], target[i]) / output.length;
      }
      break;
    case 'softmaxCrossEntropy':
      softmaxCrossEntropyGradient(output, argmax(target), out);
      break;
  }
  for (let i = 0; i < out.length; i++) out[i] *= scale;
  return out;
}

/**
 * Runs one sample forward and backward, adding its gradients (times `scale`) to every layer's
 * `grads`. Gradients are not cleared first.
 * @returns the sample's loss, before scaling
 * @throws RangeError when the sample does not fit the network
 */
export function backpropSample(
  network: Network,
  sample: Sample,
  loss: LossName,
  scale = 1,
): number {
  const output = networkForward(network, sample.input);
  const value = computeLoss(output, sample.target, loss);
  computeLossGradient(output, sample.target, loss, scale, network.dOutput);
  networkBackward(network, network.dOutput);
  return value;
}

/**
 * Performs one training step on a batch: clears the gradients, backpropagates each sample
 * with weight 1/B, checks the loss and every layer's gradients, then steps the optimizer.
 * @param optimizer - created for networkParameters(network)
 * @param batch - B samples, B >= 1
 * @param step - the step number, reported if training diverges
 * @param onOutput - called with each sample and the network's output for it, before the
 *   update, so a caller can score predictions without a second forward pass
 * @returns the mean loss over the batch, measured before the update
 * @throws RangeError when the batch is empty or the loss needs logits the network does not emit
 * @throws TrainingDivergedError when the loss or a gradient is NaN or infinite
 */
export function trainStep(
  network: Network,
  optimizer: Optimizer,
  batch: readonly Sample[],
  loss: LossName,
  step: number,
  onOutput?: (sample: Sample, output: Vector) => void,
): number {
  if (batch.length === 0) {
    throw new RangeError('trainStep: batch is empty; pass at least one sample');
  }
  checkLossFitsNetwork('trainStep', network, loss);
  const outputLayer = network.layers[network.layers.length - 1];
  zeroNetworkGradients(network);

  let total = 0;
  for (const sample of batch) {
    const value = backpropSample(network, sample, loss, 1 / batch.length);
    onOutput?.(sample, network.layers[network.layers.length - 1].output);
    if (!Number.isFinite(value)) {
      throw new TrainingDivergedError(step, outputLayer.name, 'loss', value);
    }
    total += value;
  }
  for (const layer of network.layers) {
    assertFiniteGradients(layer, step);
  }

  optimizer.step();
  return total / batch.length;
}

/**
 * Throws a RangeError when `loss` reads logits but the last layer applies an activation, so
 * a sigmoid or softmax would be applied twice.
 */
export function checkLossFitsNetwork(fn: string, network: Network, loss: LossName): void {
  const last = network.layers[network.layers.length - 1];
  if (loss !== 'mse' && last.activation !== activations.identity) {
    throw new RangeError(
      `${fn}: loss ${loss} reads logits but layer ${last.name} has activation ` +
        `${last.activation.name}; give the last layer the identity activation`,
    );
  }
}

/** One layer's gradient sizes, for showing how gradients shrink or grow with depth. */
export interface LayerGradientNorm {
  layer: string;
  /** Euclidean norm of dL/dW. */
  weights: number;
  /** Euclidean norm of dL/db. */
  bias: number;
}

/** Measures the Euclidean norm of each layer's current weight and bias gradients. */
export function layerGradientNorms(network: Network): LayerGradientNorm[] {
  return network.layers.map((layer) => {
    let weightSquares = 0;
    for (const row of layer.grads.weights) {
      for (const g of row) weightSquares += g * g;
    }
    let biasSquares = 0;
    for (const g of layer.grads.bias) biasSquares += g * g;
    return { layer: layer.name, weights: Math.sqrt(weightSquares), bias: Math.sqrt(biasSquares) };
  });
}

/** Clears every layer's gradients; the same as zeroGradients(networkParameters(network)). */
export function zeroNetworkGradients(network: Network): void {
  for (const layer of network.layers) zeroLayerGradients(layer);
}

function zeroLayerGradients(layer: DenseLayer): void {
  for (const row of layer.grads.weights) row.fill(0);
  layer.grads.bias.fill(0);
}

function assertFiniteGradients(layer: DenseLayer, step: number): void {
  for (const row of layer.grads.weights) {
    for (const g of row) {
      if (!Number.isFinite(g)) {
        throw new TrainingDivergedError(step, layer.name, 'a weight gradient', g);
      }
    }
  }
  for (const g of layer.grads.bias) {
    if (!Number.isFinite(g)) {
      throw new TrainingDivergedError(step, layer.name, 'a bias gradient', g);
    }
  }
}

function checkTarget(fn: string, output: Vector, target: Vector): void {
  if (output.length !== target.length) {
    throw new RangeError(
      `${fn}: output has length ${output.length} but target has length ${target.length}; ` +
        'the target must have one element per output',
    );
  }
}
