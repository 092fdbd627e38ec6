/**
 * Layer 1: pooling over non-overlapping size x size windows, which shrinks each map by the
 * window size and makes the features below it less sensitive to small shifts.
 *
 * Average pooling with a trainable coefficient is LeNet-5's subsampling layer (LeCun, Bottou,
 * Bengio and Haffner, 1998, "Gradient-based learning applied to document recognition"): the
 * paper adds the four inputs of a 2x2 window, multiplies by a trainable coefficient and adds
 * a trainable bias, one pair per map. This file takes the mean instead of the sum, so a
 * coefficient of 1 (its starting value) is plain average pooling; the two differ only by a
 * factor of size^2 in the coefficient.
 *
 *   average:  out[c][y][x] = coefficient[c] * mean[c][y][x] + bias[c]
 *             mean[c][y][x] = (1 / size^2) * sum over i, j of in[c][y*size + i][x*size + j]
 *   max:      out[c][y][x] = max over i, j of in[c][y*size + i][x*size + j]
 *
 * Backward, for dOut = dL/dOut:
 *
 *   average:  dIn[c][y*size + i][x*size + j] = dOut[c][y][x] * coefficient[c] / size^2
 *             dCoefficient[c] = sum over y, x of dOut[c][y][x] * mean[c][y][x]
 *             dBias[c]        = sum over y, x of dOut[c][y][x]
 *   max:      dOut[c][y][x] goes to the input that was the maximum and nowhere else; when
 *             several inputs tie, to the first in row-major order, so the gradient still sums
 *             to dOut.
 *
 * Legend: channels; input maps (inputRows, inputCols); windows are size x size with stride
 * size, so the output maps are (inputRows / size, inputCols / size).
 */
import type { Parameter } from './parameters.js';
import type { Tensor3D, Vector } from '../primitives/shapes.js';
import { formatShape, tensor3DShape } from '../primitives/shapes.js';
import { zeros3D } from '../primitives/tensor.js';
import { zeros } from '../primitives/vector.js';

export interface PoolConfig {
  /** Prefix of the parameter names, such as `s2` in `s2.coefficient`. @default 'pool' */
  name?: string;
  channels: number;
  inputRows: number;
  inputCols: number;
  /** Window side and stride; it must divide inputRows and inputCols. */
  size: number;
}

export interface AveragePoolConfig extends PoolConfig {
  /**
   * Whether the coefficient and bias of each map are trained, as in LeNet-5's subsampling.
   * When false they stay at 1 and 0 and the layer has no parameters. @default false
   */
  trainable?: boolean;
}

/** The per-map coefficient and bias of average pooling; the gradients have the same interface. */
export interface AveragePoolParams {
  coefficient: Vector;
  bias: Vector;
}

/** An average pooling layer with its parameters, gradients and buffers. */
export interface AveragePoolLayer {
  name: string;
  channels: number;
  inputRows: number;
  inputCols: number;
  size: number;
  outputRows: number;
  outputCols: number;
  trainable: boolean;
  params: AveragePoolParams;
  grads: AveragePoolParams;
  /** The window means of the last forward call, (channels, outputRows, outputCols). */
  means: Tensor3D;
  /** (channels, outputRows, outputCols) */
  output: Tensor3D;
  /** (channels, inputRows, inputCols) */
  dInput: Tensor3D;
}

/** A max pooling layer with its buffers; it has no parameters. */
export interface MaxPoolLayer {
  name: string;
  channels: number;
  inputRows: number;
  inputCols: number;
  size: number;
  outputRows: number;
  outputCols: number;
  /** The row and column inside the window of each maximum from the last forward call. */
  maxRow: Tensor3D;
  maxCol: Tensor3D;
  /** (channels, outputRows, outputCols) */
  output: Tensor3D;
  /** (channels, inputRows, inputCols) */
  dInput: Tensor3D;
}

/**
 * Creates an average pooling layer; its coefficients start at 1 and its biases at 0.
 * @throws RangeError when a size is not a positive integer or the window does not divide the
 *   input
 */
export function createAveragePool(config: AveragePoolConfig): AveragePoolLayer {
  const { channels, inputRows, inputCols, size } = config;
  checkPoolConfig('createAveragePool', config);
  const outputRows = inputRows / size;
  const outputCols = inputCols / size;
  return {
    name: config.name ?? 'pool',
    channels,
    inputRows,
    inputCols,
    size,
    outputRows,
    outputCols,
    trainable: config.trainable ?? false,
    params: { coefficient: zeros(channels).fill(1), bias: zeros(channels) },
    grads: { coefficient: zeros(channels), bias: zeros(channels) },
    means: zeros3D(channels, outputRows, outputCols),
    output: zeros3D(channels, outputRows, outputCols),
    dInput: zeros3D(channels, inputRows, inputCols),
  };
}

/**
 * Averages each window, then scales by the map's coefficient and adds its bias.
 *
 * @param input (channels, inputRows, inputCols)
 * @returns the layer's output buffer (channels, outputRows, outputCols), overwritten by the
 *   next call
 * @throws RangeError when the input shape differs from the layer's configuration
 */
export function averagePoolForward(layer: AveragePoolLayer, input: Tensor3D): Tensor3D {
  checkMaps('averagePoolForward', 'input', input, layer, layer.inputRows, layer.inputCols);
  const { size, outputRows, outputCols, means, output } = layer;
  const { coefficient, bias } = layer.params;
  const windowArea = size * size;

  for (let c = 0; c < layer.channels; c++) {
    const inMap = input[c];
    for (let y = 0; y < outputRows; y++) {
      const meanRow = means[c][y];
      const outRow = output[c][y];
      meanRow.fill(0);
      for (let i = 0; i < size; i++) {
        const inRow = inMap[y * size + i];
        for (let x = 0; x < outputCols; x++) {
          let sum = 0;
          for (let j = 0; j < size; j++) sum += inRow[x * size + j];
          meanRow[x] += sum;
        }
      }
      for (let x = 0; x < outputCols; x++) {
        meanRow[x] /= windowArea;
        outRow[x] = coefficient[c] * meanRow[x] + bias[c];
      }
    }
  }
  return output;
}

/**
 * Backpropagates dOut through the last averagePoolForward call. When the layer is trainable,
 * adds the coefficient and bias gradients into `layer.grads`.
 *
 * @param dOut (channels, outputRows, outputCols)
 * @returns the layer's dInput buffer (channels, inputRows, inputCols), overwritten by the next
 *   call
 * @throws RangeError when dOut's shape differs from the layer's output shape
 */
export function averagePoolBackward(layer: AveragePoolLayer, dOut: Tensor3D): Tensor3D {
  checkMaps('averagePoolBackward', 'dOut', dOut, layer, layer.outputRows, layer.outputCols);
  const { size, outputRows, outputCols, means, dInput } = layer;
  const { coefficient: dCoefficient, bias: dBias } = layer.grads;
  const windowArea = size * size;

  for (let c = 0; c < layer.channels; c++) {
    // mean = (1 / size^2) * sum of window, out = coefficient * mean + bias
    const share = layer.params.coefficient[c] / windowArea;
    const dInMap = dInput[c];
    for (let y = 0; y < outputRows; y++) {
      const dOutRow = dOut[c][y];
      const meanRow = means[c][y];
      if (layer.trainable) {
        for (let x = 0; x < outputCols; x++) {
          dCoefficient[c] += dOutRow[x] * meanRow[x];
          dBias[c] += dOutRow[x];
        }
      }
      for (let i = 0; i < size; i++) {
        const dInRow = dInMap[y * size + i];
        for (let x = 0; x < outputCols; x++) {
          const dMean = dOutRow[x] * share;
          for (let j = 0; j < size; j++) dInRow[x * size + j] = dMean;
        }
      }
    }
  }
  return dInput;
}

/** Lists the coefficient and bias with their gradients when trainable, else nothing. */
export function averagePoolParameters(layer: AveragePoolLayer): Parameter[] {
  if (!layer.trainable) return [];
  return [
    {
      name: `${layer.name}.coefficient`,
      value: layer.params.coefficient,
      grad: layer.grads.coefficient,
    },
    { name: `${layer.name}.bias`, value: layer.params.bias, grad: layer.grads.bias },
  ];
}

/**
 * Creates a max pooling layer.
 * @throws RangeError when a size is not a positive integer or the window does not divide the
 *   input
 */
export function createMaxPool(config: PoolConfig): MaxPoolLayer {
  const { channels, inputRows, inputCols, size } = config;
  checkPoolConfig('createMaxPool', config);
  const outputRows = inputRows / size;
  const outputCols = inputCols / size;
  return {
    name: config.name ?? 'pool',
    channels,
    inputRows,
    inputCols,
    size,
    outputRows,
    outputCols,
    maxRow: zeros3D(channels, outputRows, outputCols),
    maxCol: zeros3D(channels, outputRows, outputCols),
    output: zeros3D(channels, outputRows, outputCols),
    dInput: zeros3D(channels, inputRows, inputCols),
  };
}

/**
 * Takes the maximum of each window and remembers where it was.
 *
 * @param input (channels, inputRows, inputCols)
 * @returns the layer's output buffer (channels, outputRows, outputCols), overwritten by the
 *   next call
 * @throws RangeError when the input shape differs from the layer's configuration
 */
export function maxPoolForward(layer: MaxPoolLayer, input: Tensor3D): Tensor3D {
  checkMaps('maxPoolForward', 'input', input, layer, layer.inputRows, layer.inputCols);
  const { size, outputRows, outputCols, maxRow, maxCol, output } = layer;

  for (let c = 0; c < layer.channels; c++) {
    const inMap = input[c];
    for (let y = 0; y < outputRows; y++) {
      const outRow = output[c][y];
      const maxRowRow = maxRow[c][y];
      const maxColRow = maxCol[c][y];
      for (let x = 0; x < outputCols; x++) {
        let best = -Infinity;
        let bestI = 0;
        let bestJ = 0;
        for (let i = 0; i < size; i++) {
          const inRow = inMap[y * size + i];
          for (let j = 0; j < size; j++) {
            // A strict > keeps the first of tied maxima, so only it receives the gradient.
            if (inRow[x * size + j] > best) {
              best = inRow[x * size + j];
              bestI = i;
              bestJ = j;
            }
          }
        }
        outRow[x] = best;
        maxRowRow[x] = bestI;
        maxColRow[x] = bestJ;
      }
    }
  }
  return output;
}

/**
 * Routes dOut through the last maxPoolForward call: each output's gradient goes to the input
 * that was its window's maximum, and every other input gets 0.
 *
 * @param dOut (channels, outputRows, outputCols)
 * @returns the layer's dInput buffer (channels, inputRows, inputCols), overwritten by the next
 *   call
 * @throws RangeError when dOut's shape differs from the layer's output shape
 */
export function maxPoolBackward(layer: MaxPoolLayer, dOut: Tensor3D): Tensor3D {
  checkMaps('maxPoolBackward', 'dOut', dOut, layer, layer.outputRows, layer.outputCols);
  const { size, outputRows, outputCols, maxRow, maxCol, dInput } = layer;

  for (let c = 0; c < layer.channels; c++) {
    const dInMap = dInput[c];
    for (let y = 0; y < layer.inputRows; y++) dInMap[y].fill(0);
    for (let y = 0; y < outputRows; y++) {
      const dOutRow = dOut[c][y];
      for (let x = 0; x < outputCols; x++) {
        dInMap[y * size + maxRow[c][y][x]][x * size + maxCol[c][y][x]] = dOutRow[x];
      }
    }
  }
  return dInput;
}

function checkPoolConfig(fn: string, config: PoolConfig): void {
  const { channels, inputRows, inputCols, size } = config;
  for (const [name, value] of Object.entries({ channels, inputRows, inputCols, size })) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`${fn}: ${name} is ${value}; it must be a whole number >= 1`);
    }
  }
  if (inputRows % size !== 0 || inputCols % size !== 0) {
    throw new RangeError(
      `${fn}: input maps are ${formatShape([inputRows, inputCols])} but size is ${size}; ` +
        'the window size must divide the rows and the columns',
    );
  }
}

function checkMaps(
  fn: string,
  name: string,
  maps: Tensor3D,
  layer: { channels: number },
  rows: number,
  cols: number,
): void {
  const shape = tensor3DShape(maps);
  if (shape[0] !== layer.channels || shape[1] !== rows || shape[2] !== cols) {
    throw new RangeError(
      `${fn}: ${name} is ${formatShape(shape)} but the layer expects ` +
        `${formatShape([layer.channels, rows, cols])}; the shapes must be equal`,
    );
  }
}
