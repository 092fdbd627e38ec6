/**
 * Layer 1: a dense (fully connected) layer, many neurons reading the same input.
 *
 *   z = W x + b          W (outputs, inputs), b (outputs)
 *   a = f(z)             f applied to each element
 *
 * Backward, given dA = dL/da from the layer above:
 *
 *   dZ = dA * f'(z)      elementwise, f' from z and a
 *   dW += dZ x^T         outer product, accumulated over the samples of a batch
 *   db += dZ
 *   dX  = W^T dZ         sent down to the layer below
 *
 * The layer owns every buffer it writes (input copy, z, a, dZ, dX), allocated once in
 * createDense and reused on every call, so a training step allocates nothing.
 */
import { activations, type Activation, type ActivationName } from '../primitives/activations.js';
import {
  addOuterInPlace,
  matTransposeVec,
  matVec,
  randomMatrix,
  zerosMatrix,
} from '../primitives/matrix.js';
import type { Rng } from '../primitives/random.js';
import { assertSize, type Matrix, type Vector } from '../primitives/shapes.js';
import { zeros } from '../primitives/vector.js';
import type { Parameter } from './parameters.js';

export interface DenseConfig {
  inputs: number;
  outputs: number;
  activation: ActivationName;
  /** Prefix of the parameter names, such as `hidden` in `hidden.weights`. @default 'dense' */
  name?: string;
  /**
   * Initial weights are drawn uniformly from [-initLimit, initLimit). The default is Glorot's
   * sqrt(6 / (inputs + outputs)), or He's sqrt(6 / inputs) for relu and silu.
   */
  initLimit?: number;
  /** Initial biases are drawn uniformly from [-biasInitLimit, biasInitLimit). @default 0 */
  biasInitLimit?: number;
}

export interface DenseParams {
  /** W (outputs, inputs) */
  weights: Matrix;
  /** b (outputs) */
  bias: Vector;
}

export interface DenseLayer {
  name: string;
  inputs: number;
  outputs: number;
  activation: Activation;
  params: DenseParams;
  /** dL/dW and dL/db, accumulated by denseBackward until zeroGradients clears them. */
  grads: DenseParams;
  /** A copy of the last input x (inputs), read by the backward pass. */
  input: Vector;
  /** The last weighted sums z (outputs). */
  z: Vector;
  /** The last activations a = f(z) (outputs); denseForward returns this buffer. */
  output: Vector;
  /** dL/dz (outputs) from the last backward pass. */
  dZ: Vector;
  /** dL/dx (inputs); denseBackward returns this buffer. */
  dInput: Vector;
}

/**
 * Creates a dense layer with random weights from `rng` and, unless biasInitLimit is set, zero
 * biases.
 * @throws RangeError when inputs or outputs is not a whole number, or a limit is negative
 */
export function createDense(config: DenseConfig, rng: Rng): DenseLayer {
  const { inputs, outputs, activation, name = 'dense', biasInitLimit = 0 } = config;
  assertSize('createDense', 'inputs', inputs);
  assertSize('createDense', 'outputs', outputs);
  const fanSum = activation === 'relu' || activation === 'silu' ? inputs : inputs + outputs;
  const initLimit = config.initLimit ?? Math.sqrt(6 / fanSum);
  assertLimit('initLimit', initLimit);
  assertLimit('biasInitLimit', biasInitLimit);
  const weights = randomMatrix(outputs, inputs, rng, initLimit);
  // Zero biases draw nothing from rng, so adding the option left existing streams unchanged.
  const bias =
    biasInitLimit === 0 ? zeros(outputs) : randomMatrix(1, outputs, rng, biasInitLimit)[0];
  return {
    name,
    inputs,
    outputs,
    activation: activations[activation],
    params: { weights, bias },
    grads: { weights: zerosMatrix(outputs, inputs), bias: zeros(outputs) },
    input: zeros(inputs),
    z: zeros(outputs),
    output: zeros(outputs),
    dZ: zeros(outputs),
    dInput: zeros(inputs),
  };
}

/**
 * Computes a = f(W x + b) for one sample.
 * @param input - x (inputs); copied, so the caller may reuse its buffer
 * @returns the layer's output buffer a (outputs), overwritten by the next call
 * @throws RangeError when input.length differs from the layer's input count
 */
export function denseForward(layer: DenseLayer, input: Vector): Vector {
  if (input.length !== layer.inputs) {
    throw new RangeError(
      `denseForward: layer ${layer.name} is (${layer.outputs}, ${layer.inputs}) but input has ` +
        `length ${input.length}; the input length must equal the layer's input count`,
    );
  }
  const { params, z, output, activation } = layer;
  const x = layer.input;
  for (let k = 0; k < x.length; k++) x[k] = input[k];

  matVec(params.weights, x, z);
  for (let i = 0; i < z.length; i++) {
    z[i] += params.bias[i];
    output[i] = activation.apply(z[i]);
  }
  return output;
}

/**
 * Sends dL/da back through the layer for the sample of the last denseForward call. Adds the
 * sample's dL/dW and dL/db to `layer.grads` (it does not clear them first).
 * @param dOut - dL/da (outputs)
 * @returns the layer's dInput buffer dL/dx (inputs), overwritten by the next call
 * @throws RangeError when dOut.length differs from the layer's output count
 */
export function denseBackward(layer: DenseLayer, dOut: Vector): Vector {
  if (dOut.length !== layer.outputs) {
    throw new RangeError(
      `denseBackward: layer ${layer.name} has ${layer.outputs} outputs but dOut has length ` +
        `${dOut.length}; dOut must have one element per output`,
    );
  }
  const { params, grads, z, output, dZ, activation } = layer;

  // a = f(z), so dL/dz = dL/da * f'(z)
  for (let i = 0; i < dZ.length; i++) dZ[i] = dOut[i] * activation.derivative(z[i], output[i]);

  // z = W x + b, so dL/dW = dZ x^T, dL/db = dZ and dL/dx = W^T dZ
  addOuterInPlace(grads.weights, dZ, layer.input);
  for (let i = 0; i < dZ.length; i++) grads.bias[i] += dZ[i];
  return matTransposeVec(params.weights, dZ, layer.dInput);
}

/** Lists the layer's weights and bias with their gradients, named `<name>.weights`, `<name>.bias`. */
export function denseParameters(layer: DenseLayer): Parameter[] {
  return [
    { name: `${layer.name}.weights`, value: layer.params.weights, grad: layer.grads.weights },
    { name: `${layer.name}.bias`, value: layer.params.bias, grad: layer.grads.bias },
  ];
}

function assertLimit(name: string, limit: number): void {
  if (!(limit >= 0) || !Number.isFinite(limit)) {
    throw new RangeError(`createDense: ${name} is ${limit}; it must be a finite number >= 0`);
  }
}
