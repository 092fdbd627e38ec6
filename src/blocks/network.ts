/**
 * Layer 1: a sequential network, dense layers applied one after another.
 *
 *   a_0 = x,   a_l = f_l(W_l a_{l-1} + b_l)   for l = 1..L,   output a_L
 *
 * Backward runs the layers in reverse, each turning dL/da_l into dL/da_{l-1}; that chaining
 * of local derivatives is backpropagation (Rumelhart, Hinton and Williams, 1986).
 */
import type { ActivationName } from '../primitives/activations.js';
import type { Rng } from '../primitives/random.js';
import { assertSize, type Vector } from '../primitives/shapes.js';
import { zeros } from '../primitives/vector.js';
import {
  createDense,
  denseBackward,
  denseForward,
  denseParameters,
  type DenseLayer,
} from './dense.js';
import type { Parameter } from './parameters.js';

/** One layer of a network: its width and activation, and optionally its name and init. */
export interface LayerSpec {
  outputs: number;
  activation: ActivationName;
  /** @default `layer1`, `layer2`, ... counted from the input */
  name?: string;
  /** See DenseConfig.initLimit. */
  initLimit?: number;
  /** See DenseConfig.biasInitLimit. */
  biasInitLimit?: number;
}

export interface NetworkConfig {
  inputs: number;
  layers: LayerSpec[];
}

export interface Network {
  inputs: number;
  outputs: number;
  layers: DenseLayer[];
  /** dL/d(output) (outputs), a buffer for the loss gradient that training writes. */
  dOutput: Vector;
}

/**
 * Creates the layers in order, each reading the previous layer's outputs.
 * @throws RangeError when there are no layers or a size is not a whole number
 */
export function createNetwork(config: NetworkConfig, rng: Rng): Network {
  assertSize('createNetwork', 'inputs', config.inputs);
  if (config.layers.length === 0) {
    throw new RangeError('createNetwork: layers is empty; pass at least one layer');
  }
  const layers: DenseLayer[] = [];
  let inputs = config.inputs;
  config.layers.forEach((spec, l) => {
    const name = spec.name ?? `layer${l + 1}`;
    layers.push(createDense({ inputs, ...spec, name }, rng));
    inputs = spec.outputs;
  });
  return { inputs: config.inputs, outputs: inputs, layers, dOutput: zeros(inputs) };
}

/**
 * Runs the input through every layer.
 * @param input - x (inputs)
 * @returns the last layer's output buffer (outputs), overwritten by the next call
 * @throws RangeError when input.length differs from the network's input count
 */
export function networkForward(network: Network, input: Vector): Vector {
  if (input.length !== network.inputs) {
    throw new RangeError(
      `networkForward: network takes ${network.inputs} inputs but input has length ` +
        `${input.length}; the input length must equal the network's input count`,
    );
  }
  let activation = input;
  for (const layer of network.layers) activation = denseForward(layer, activation);
  return activation;
}

/**
 * Sends dL/d(output) back through every layer for the sample of the last networkForward call,
 * adding each layer's gradients to its `grads`.
 * @param dOut - dL/d(output) (outputs)
 * @returns the first layer's dInput buffer dL/dx (inputs)
 * @throws RangeError when dOut.length differs from the network's output count
 */
export function networkBackward(network: Network, dOut: Vector): Vector {
  if (dOut.length !== network.outputs) {
    throw new RangeError(
      `networkBackward: network has ${network.outputs} outputs but dOut has length ` +
        `${dOut.length}; dOut must have one element per output`,
    );
  }
  let gradient = dOut;
  for (let l = network.layers.length - 1; l >= 0; l--) {
    gradient = denseBackward(network.layers[l], gradient);
  }
  return gradient;
}

/** Lists every layer's parameters, input side first. */
export function networkParameters(network: Network): Parameter[] {
  return network.layers.flatMap(denseParameters);
}
