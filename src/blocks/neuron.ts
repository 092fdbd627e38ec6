/**
 * Layer 1: a single artificial neuron, the unit every network here is built from.
 *
 *   z = w . x + b        the weighted sum of the inputs plus a bias
 *   a = f(z)             the activation
 *
 * With f the step function this is the threshold unit of McCulloch and Pitts (1943) that
 * Rosenblatt's perceptron (1958) learns; with f the sigmoid it is the unit of Rumelhart, Hinton
 * and Williams (1986). A dense layer (dense.ts) is many neurons sharing one input.
 */
import { activations, type Activation, type ActivationName } from '../primitives/activations.js';
import type { Rng } from '../primitives/random.js';
import { assertSize, type Vector } from '../primitives/shapes.js';
import { dot } from '../primitives/vector.js';

export interface Neuron {
  /** w, one weight per input (inputs). */
  weights: Vector;
  /** b, added to the weighted sum; -b is the threshold the sum must reach. */
  bias: number;
  activation: Activation;
}

export interface NeuronConfig {
  inputs: number;
  activation: ActivationName;
  /** Initial weights and bias are drawn uniformly from [-initLimit, initLimit). @default 0.5 */
  initLimit?: number;
}

/**
 * Creates a neuron with small random weights and bias drawn from `rng`.
 * @throws RangeError when inputs is not a whole number or initLimit is negative
 */
export function createNeuron(config: NeuronConfig, rng: Rng): Neuron {
  const { inputs, activation, initLimit = 0.5 } = config;
  assertSize('createNeuron', 'inputs', inputs);
  if (!(initLimit >= 0) || !Number.isFinite(initLimit)) {
    throw new RangeError(
      `createNeuron: initLimit is ${initLimit}; it must be a finite number >= 0`,
    );
  }
  const weights = new Array<number>(inputs);
  for (let k = 0; k < inputs; k++) weights[k] = rng.uniformIn(-initLimit, initLimit);
  const bias = rng.uniformIn(-initLimit, initLimit);
  return { weights, bias, activation: activations[activation] };
}

/**
 * Computes the weighted sum z = w . x + b.
 * @param x - input (inputs)
 * @throws RangeError when x.length differs from the number of weights
 */
export function weightedSum(neuron: Neuron, x: Vector): number {
  if (x.length !== neuron.weights.length) {
    throw new RangeError(
      `weightedSum: neuron has ${neuron.weights.length} weights but input has length ` +
        `${x.length}; the input length must equal the weight count`,
    );
  }
  return dot(neuron.weights, x) + neuron.bias;
}

/**
 * Computes the neuron's output a = f(w . x + b).
 * @throws RangeError when x.length differs from the number of weights
 */
export function neuronForward(neuron: Neuron, x: Vector): number {
  return neuron.activation.apply(weightedSum(neuron, x));
}
