/**
 * Layer 1: layer normalization (Ba, Kiros and Hinton, 2016, "Layer normalization"), applied to
 * each position of a sequence on its own.
 *
 * Each row x (dModel) is shifted to mean 0 and scaled to variance 1, then a learned gain g and
 * bias b set the scale and offset the next layer sees:
 *
 *   mu = mean(x),  var = mean((x - mu)^2),  xHat = (x - mu) / sqrt(var + epsilon)
 *   out = g * xHat + b                              (elementwise)
 *
 * Epsilon keeps the division finite for a constant row. Backward, for one row, with
 * dXHat = g * dOut and n = dModel:
 *
 *   dX = (dXHat - mean(dXHat) - xHat * mean(dXHat * xHat)) / sqrt(var + epsilon)
 *
 * The two subtracted means are the paths through mu and var: shifting every element of x by
 * the same amount, or scaling x about its mean, leaves xHat unchanged, so dX has no component
 * along those two directions.
 *
 * Legend: seqLen positions, dModel (the paper's d_model) columns per row.
 */
import { zerosMatrix } from '../primitives/matrix.js';
import type { Matrix, Vector } from '../primitives/shapes.js';
import { zeros } from '../primitives/vector.js';
import type { Parameter } from './parameters.js';

export interface LayerNormConfig {
  dModel: number;
  /** Maximum sequence length; every buffer has this many rows. */
  maxSeqLen: number;
  /** Added to the variance before the square root. @default 1e-5 */
  epsilon?: number;
}

/** The trainable values of a layer norm; the gradients have the same interface. */
export interface LayerNormParams {
  /** g (dModel), starts at 1. */
  gain: Vector;
  /** b (dModel), starts at 0. */
  bias: Vector;
}

/** A layer norm with its parameters, gradients and buffers. */
export interface LayerNorm {
  dModel: number;
  maxSeqLen: number;
  epsilon: number;
  params: LayerNormParams;
  grads: LayerNormParams;
  /** The normalized rows xHat of the last forward call (maxSeqLen, dModel). */
  normalized: Matrix;
  /** 1 / sqrt(var + epsilon) for each row (maxSeqLen). */
  inverseStd: Vector;
  /** (maxSeqLen, dModel); the first seqLen rows are valid. */
  output: Matrix;
  /** (maxSeqLen, dModel) */
  dInput: Matrix;
}

/**
 * Creates a layer norm with gain 1 and bias 0, so it starts as plain standardization.
 * @throws RangeError when a size is not a positive integer or epsilon is not positive
 */
export function createLayerNorm(config: LayerNormConfig): LayerNorm {
  const { dModel, maxSeqLen, epsilon = 1e-5 } = config;
  for (const [name, value] of Object.entries({ dModel, maxSeqLen })) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`createLayerNorm: ${name} is ${value}; it must be a positive integer`);
    }
  }
  if (!(epsilon > 0)) {
    throw new RangeError(`createLayerNorm: epsilon is ${epsilon}; it must be positive`);
  }
  return {
    dModel,
    maxSeqLen,
    epsilon,
    params: { gain: new Array<number>(dModel).fill(1), bias: zeros(dModel) },
    grads: { gain: zeros(dModel), bias: zeros(dModel) },
    normalized: zerosMatrix(maxSeqLen, dModel),
    inverseStd: zeros(maxSeqLen),
    output: zerosMatrix(maxSeqLen, dModel),
    dInput: zerosMatrix(maxSeqLen, dModel),
  };
}

/**
 * Normalizes rows [from, seqLen) of the input. Rows before `from` keep what an earlier call
 * wrote there.
 * @param input - (rows >= seqLen, dModel)
 * @returns the layer's output buffer (maxSeqLen, dModel), overwritten by the next call
 * @throws RangeError when the input has the wrong width or seqLen is out of range
 */
export function layerNormForward(
  layer: LayerNorm,
  input: Matrix,
  seqLen: number,
  from = 0,
): Matrix {
  checkRows('layerNormForward', 'input', layer, input, seqLen);
  const { dModel, epsilon } = layer;
  const { gain, bias } = layer.params;
  for (let t = from; t < seqLen; t++) {
    const xRow = input[t];
    const xHatRow = layer.normalized[t];
    const outRow = layer.output[t];
    let mu = 0;
    for (let j = 0; j < dModel; j++) mu += xRow[j];
    mu /= dModel;
    let variance = 0;
    for (let j = 0; j < dModel; j++) variance += (xRow[j] - mu) * (xRow[j] - mu);
    variance /= dModel;
    const inverseStd = 1 / Math.sqrt(variance + epsilon);
    layer.inverseStd[t] = inverseStd;
    for (let j = 0; j < dModel; j++) {
      xHatRow[j] = (xRow[j] - mu) * inverseStd;
      outRow[j] = gain[j] * xHatRow[j] + bias[j];
    }
  }
  return layer.output;
}

/**
 * Accumulates dGain and dBias and computes dInput for the last forward call.
 * @param dOut - dL/d(out) (rows >= seqLen, dModel)
 * @returns the layer's dInput buffer (maxSeqLen, dModel), overwritten by the next call
 * @throws RangeError when dOut has the wrong width or seqLen is out of range
 */
export function layerNormBackward(layer: LayerNorm, dOut: Matrix, seqLen: number): Matrix {
  checkRows('layerNormBackward', 'dOut', layer, dOut, seqLen);
  const { dModel } = layer;
  const gain = layer.params.gain;
  const { gain: dGain, bias: dBias } = layer.grads;
  for (let t = 0; t < seqLen; t++) {
    const dOutRow = dOut[t];
    const xHatRow = layer.normalized[t];
    const dxRow = layer.dInput[t];
    // out = g * xHat + b: dGain += dOut * xHat, dBias += dOut, dXHat = g * dOut.
    let meanDXHat = 0;
    let meanDXHatXHat = 0;
    for (let j = 0; j < dModel; j++) {
      dGain[j] += dOutRow[j] * xHatRow[j];
      dBias[j] += dOutRow[j];
      const dXHat = gain[j] * dOutRow[j];
      meanDXHat += dXHat;
      meanDXHatXHat += dXHat * xHatRow[j];
    }
    meanDXHat /= dModel;
    meanDXHatXHat /= dModel;
    // xHat = (x - mu) / sqrt(var + eps): remove the components along 1 and xHat, then rescale.
    const inverseStd = layer.inverseStd[t];
    for (let j = 0; j < dModel; j++) {
      const dXHat = gain[j] * dOutRow[j];
      dxRow[j] = (dXHat - meanDXHat - xHatRow[j] * meanDXHatXHat) * inverseStd;
    }
  }
  return layer.dInput;
}

/** Lists gain and bias with their gradients as `<prefix>.gain` and `<prefix>.bias`. */
export function layerNormParameters(layer: LayerNorm, prefix = 'norm'): Parameter[] {
  return [
    { name: `${prefix}.gain`, value: layer.params.gain, grad: layer.grads.gain },
    { name: `${prefix}.bias`, value: layer.params.bias, grad: layer.grads.bias },
  ];
}

function checkRows(fn: string, name: string, layer: LayerNorm, m: Matrix, seqLen: number): void {
  const width = m.length === 0 ? 0 : m[0].length;
  if (width !== layer.dModel || m.length < seqLen || seqLen > layer.maxSeqLen || seqLen < 0) {
    throw new RangeError(
      `${fn}: ${name} is (${m.length}, ${width}) for seqLen ${seqLen} but the layer has dModel ` +
        `${layer.dModel} and maxSeqLen ${layer.maxSeqLen}; ${name} must have dModel columns ` +
        'and at least seqLen rows, and seqLen must not exceed maxSeqLen',
    );
  }
}
