/**
 * Layer 1: the position-wise feed-forward network of Vaswani et al. (2017), "Attention is all
 * you need", section 3.3, and the position-wise linear map it is built from.
 *
 * The same two-layer network runs at every position on its own: a widening layer with ReLU,
 * then a narrowing one back to dModel.
 *
 *   hidden[t] = max(0, ffExpand x[t] + ffExpandBias)          (dFF)
 *   out[t]    = ffContract hidden[t] + ffContractBias          (dModel)
 *
 * Attention moves information between positions; this network then transforms what arrived at
 * each position. The paper uses dFF = 4 * dModel.
 *
 * Weights are stored as (outputs, inputs), the transpose of the paper's W_1 and W_2, so that
 * each output is one dot product of two contiguous rows. The position-wise linear map
 * `positionwiseForward` and its backward are exported because attention's projections wQ, wK,
 * wV and wO are the same operation.
 *
 * Legend: seqLen positions, dModel (the paper's d_model), dFF (the paper's d_ff) hidden units.
 */
import { randomMatrix, zerosMatrix } from '../primitives/matrix.js';
import type { Rng } from '../primitives/random.js';
import type { Matrix, Vector } from '../primitives/shapes.js';
import { zeros } from '../primitives/vector.js';
import type { Parameter } from './parameters.js';

export interface FeedForwardConfig {
  dModel: number;
  /** Hidden width, 4 * dModel in the paper. */
  dFF: number;
  /** Maximum sequence length; every buffer has this many rows. */
  maxSeqLen: number;
}

/** The trainable values of a feed-forward network; the gradients have the same interface. */
export interface FeedForwardParams {
  /** (dFF, dModel) */
  ffExpand: Matrix;
  /** (dFF) */
  ffExpandBias: Vector;
  /** (dModel, dFF) */
  ffContract: Matrix;
  /** (dModel) */
  ffContractBias: Vector;
}

/** A feed-forward network with its parameters, gradients and buffers. */
export interface FeedForward {
  dModel: number;
  dFF: number;
  maxSeqLen: number;
  params: FeedForwardParams;
  grads: FeedForwardParams;
  /** The input rows of the last forward call, held by reference (rows >= seqLen, dModel). */
  input: Matrix;
  /** Hidden activations after ReLU (maxSeqLen, dFF). */
  hidden: Matrix;
  /** (maxSeqLen, dModel) */
  output: Matrix;
  /** dL/d(hidden) (maxSeqLen, dFF) */
  dHidden: Matrix;
  /** (maxSeqLen, dModel) */
  dInput: Matrix;
}

/**
 * Creates a feed-forward network. Weights are drawn uniformly from +-sqrt(3 / fanIn), which
 * gives them variance 1 / fanIn; biases start at 0.
 * @throws RangeError when a size is not a positive integer
 */
export function createFeedForward(config: FeedForwardConfig, rng: Rng): FeedForward {
  const { dModel, dFF, maxSeqLen } = config;
  for (const [name, value] of Object.entries({ dModel, dFF, maxSeqLen })) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`createFeedForward: ${name} is ${value}; it must be a positive integer`);
    }
  }
  return {
    dModel,
    dFF,
    maxSeqLen,
    params: {
      ffExpand: randomMatrix(dFF, dModel, rng, Math.sqrt(3 / dModel)),
      ffExpandBias: zeros(dFF),
      ffContract: randomMatrix(dModel, dFF, rng, Math.sqrt(3 / dFF)),
      ffContractBias: zeros(dModel),
    },
    grads: {
      ffExpand: zerosMatrix(dFF, dModel),
      ffExpandBias: zeros(dFF),
      ffContract: zerosMatrix(dModel, dFF),
      ffContractBias: zeros(dModel),
    },
    input: [],
    hidden: zerosMatrix(maxSeqLen, dFF),
    output: zerosMatrix(maxSeqLen, dModel),
    dHidden: zerosMatrix(maxSeqLen, dFF),
    dInput: zerosMatrix(maxSeqLen, dModel),
  };
}

/**
 * Runs the network on rows [from, seqLen) of the input. Rows before `from` keep what an
 * earlier call wrote there.
 * @param input - (rows >= seqLen, dModel); held by reference until feedForwardBackward
 * @returns the layer's output buffer (maxSeqLen, dModel), overwritten by the next call
 * @throws RangeError when the input has the wrong width or seqLen is out of range
 */
export function feedForwardForward(
  layer: FeedForward,
  input: Matrix,
  seqLen: number,
  from = 0,
): Matrix {
  checkSequence('feedForwardForward', 'input', input, layer.dModel, seqLen, layer.maxSeqLen);
  const { params, hidden } = layer;
  layer.input = input;
  positionwiseForward(params.ffExpand, params.ffExpandBias, input, hidden, seqLen, from);
  applyRelu(hidden, seqLen, from);
  positionwiseForward(params.ffContract, params.ffContractBias, hidden, layer.output, seqLen, from);
  return layer.output;
}

/**
 * Accumulates the gradients of all four parameters and computes dInput for the last forward
 * call.
 * @param dOut - dL/d(out) (rows >= seqLen, dModel)
 * @returns the layer's dInput buffer (maxSeqLen, dModel), overwritten by the next call
 * @throws RangeError when dOut has the wrong width or seqLen is out of range
 */
export function feedForwardBackward(layer: FeedForward, dOut: Matrix, seqLen: number): Matrix {
  checkSequence('feedForwardBackward', 'dOut', dOut, layer.dModel, seqLen, layer.maxSeqLen);
  const { params, grads, hidden, dHidden } = layer;

  // out = ffContract hidden + ffContractBias
  positionwiseBackward(
    params.ffContract,
    grads.ffContract,
    grads.ffContractBias,
    hidden,
    dOut,
    dHidden,
    seqLen,
  );

  // hidden = max(0, z): the gradient passes where the unit was active (hidden > 0).
  reluBackward(hidden, dHidden, seqLen);

  // z = ffExpand x + ffExpandBias
  positionwiseBackward(
    params.ffExpand,
    grads.ffExpand,
    grads.ffExpandBias,
    layer.input,
    dHidden,
    layer.dInput,
    seqLen,
  );
  return layer.dInput;
}

/** Lists the four parameters with their gradients as `<prefix>.ffExpand` and so on. */
export function feedForwardParameters(layer: FeedForward, prefix = 'ff'): Parameter[] {
  const { params, grads } = layer;
  return [
    { name: `${prefix}.ffExpand`, value: params.ffExpand, grad: grads.ffExpand },
    { name: `${prefix}.ffExpandBias`, value: params.ffExpandBias, grad: grads.ffExpandBias },
    { name: `${prefix}.ffContract`, value: params.ffContract, grad: grads.ffContract },
    { name: `${prefix}.ffContractBias`, value: params.ffContractBias, grad: grads.ffContractBias },
  ];
}

/**
 * Applies one linear map to rows [from, seqLen): out[t] = W x[t] + b. Checks no shapes: the
 * blocks that call it check theirs.
 * @param weights - W (outputs, inputs)
 * @param bias - b (outputs), or null for a map without bias
 * @param input - (rows >= seqLen, inputs)
 * @param out - receives (rows >= seqLen, outputs); must not be input
 */
export function positionwiseForward(
  weights: Matrix,
  bias: Vector | null,
  input: Matrix,
  out: Matrix,
  seqLen: number,
  from = 0,
): void {
  const outputs = weights.length;
  const inputs = weights[0].length;
  for (let t = from; t < seqLen; t++) {
    const xRow = input[t];
    const outRow = out[t];
    for (let i = 0; i < outputs; i++) {
      const wRow = weights[i];
      let total = bias === null ? 0 : bias[i];
      for (let k = 0; k < inputs; k++) total += wRow[k] * xRow[k];
      outRow[i] = total;
    }
  }
}

/**
 * Sends dOut back through out[t] = W x[t] + b for rows [0, seqLen): accumulates
 * dW += dOut[t] x[t]^T and db += dOut[t], and writes dInput[t] = W^T dOut[t], or adds to it
 * when `accumulate` is true.
 * @param dBias - db (outputs), or null for a map without bias
 * @param dInput - receives (rows >= seqLen, inputs); must not be dOut
 */
export function positionwiseBackward(
  weights: Matrix,
  dWeights: Matrix,
  dBias: Vector | null,
  input: Matrix,
  dOut: Matrix,
  dInput: Matrix,
  seqLen: number,
  accumulate = false,
): void {
  const outputs = weights.length;
  const inputs = weights[0].length;
  for (let t = 0; t < seqLen; t++) {
    const xRow = input[t];
    const dOutRow = dOut[t];
    const dxRow = dInput[t];
    if (!accumulate) dxRow.fill(0);
    for (let i = 0; i < outputs; i++) {
      const g = dOutRow[i];
      if (g === 0) continue; // common after ReLU, and adds nothing
      if (dBias !== null) dBias[i] += g;
      const wRow = weights[i];
      const dwRow = dWeights[i];
      for (let k = 0; k < inputs; k++) {
        dxRow[k] += g * wRow[k];
        dwRow[k] += g * xRow[k];
      }
    }
  }
}

/** Replaces rows [from, seqLen) of z by max(0, z) in place. */
function applyRelu(z: Matrix, seqLen: number, from: number): void {
  for (let t = from; t < seqLen; t++) {
    const row = z[t];
    for (let i = 0; i < row.length; i++) row[i] = row[i] > 0 ? row[i] : 0;
  }
}

/** Zeroes dHidden wherever the unit was inactive (hidden <= 0), for rows [0, seqLen). */
function reluBackward(hidden: Matrix, dHidden: Matrix, seqLen: number): void {
  for (let t = 0; t < seqLen; t++) {
    const hiddenRow = hidden[t];
    const dRow = dHidden[t];
    for (let i = 0; i < hiddenRow.length; i++) {
      if (hiddenRow[i] <= 0) dRow[i] = 0;
    }
  }
}

/** Throws unless m has `width` columns and seqLen rows fit both m and the buffers. */
export function checkSequence(
  fn: string,
  name: string,
  m: Matrix,
  width: number,
  seqLen: number,
  maxSeqLen: number,
): void {
  const columns = m.length === 0 ? 0 : m[0].length;
  if (columns !== width || m.length < seqLen || seqLen > maxSeqLen || !(seqLen >= 0)) {
    throw new RangeError(
      `${fn}: ${name} is (${m.length}, ${columns}) for seqLen ${seqLen} but the layer takes ` +
        `${width} columns and at most maxSeqLen ${maxSeqLen} rows; ${name} must have ${width} ` +
        'columns and at least seqLen rows, and seqLen must not exceed maxSeqLen',
    );
  }
}
