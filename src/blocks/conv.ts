/**
 * Layer 1: two-dimensional convolution with stride 1, optional zero padding and a connection
 * table, the feature extractor of LeNet-5 (LeCun, Bottou, Bengio and Haffner, 1998,
 * "Gradient-based learning applied to document recognition").
 *
 * Each output map o slides one small kernel per input map it reads over those maps and adds a
 * bias. Like every deep-learning library, this computes a cross-correlation (the kernel is not
 * flipped) and calls it convolution:
 *
 *   out[o][y][x] = b[o] + sum over j, ky, kx of w[o][j][ky][kx] * in_p[c][y + ky][x + kx]
 *
 * where c = connections[o][j] is the j-th input map that output map o reads, and in_p is the
 * input inside a border of p zeros. With the full table every output map reads every input
 * map; LeNet-5's layer C3 uses a partial one to break symmetry and save parameters.
 *
 *   in_p (inRows + 2p, inCols + 2p)        out (outRows, outCols)
 *   +---------------------+
 *   | 0 0 0 0 0 0 0 0 0 0 |                the k x k window at (y, x) of in_p
 *   | 0 +-----+ . . . . 0 |                gives one output pixel out[y][x];
 *   | 0 | k x | . . . . 0 |  --------->    outRows = inRows + 2p - k + 1
 *   | 0 +-----+ . . . . 0 |                outCols = inCols + 2p - k + 1
 *   | 0 0 0 0 0 0 0 0 0 0 |
 *   +---------------------+
 *
 * Backward, for dOut = dL/dOut:
 *
 *   db[o]              = sum over y, x of dOut[o][y][x]
 *   dw[o][j][ky][kx]   = sum over y, x of dOut[o][y][x] * in_p[c][y + ky][x + kx]
 *                        (the input correlated with dOut)
 *   dIn_p[c][r][s]     = sum over the (o, j) that read c, and u, v, of
 *                        dOut_full[o][r + u][s + v] * w[o][j][k-1-u][k-1-v]
 *
 * The last line is a full convolution: dOut inside a border of k - 1 zeros (dOut_full), so
 * every input pixel that touched any output pixel gets its share, correlated with the kernel
 * rotated by 180 degrees. The rotation appears because input pixel (r, s) met kernel entry
 * (ky, kx) through output pixel (r - ky, s - kx): reading dOut forward means reading the
 * kernel backward. dIn is dIn_p without its border of p.
 *
 * convBackward adds up the same terms in output order: each dOut[o][y][x] * w[o][j][ky][kx]
 * lands on dIn_p[c][y + ky][x + kx], which is the term u = k-1-ky, v = k-1-kx of the sum
 * above. This order never visits the zeros of dOut_full, which for a 5x5 kernel over 5x5 maps
 * (one output pixel) are 24 of every 25 terms. The tests check the result against the full
 * convolution written out.
 *
 * Legend: inChannels, outChannels, kernelSize k, padding p; maps are (rows, cols).
 */
import { randomMatrix, zerosMatrix } from '../primitives/matrix.js';
import type { Rng } from '../primitives/random.js';
import type { Tensor3D, Tensor4D, Vector } from '../primitives/shapes.js';
import { formatShape, tensor3DShape } from '../primitives/shapes.js';
import { zeros } from '../primitives/vector.js';
import { zeros3D } from '../primitives/tensor.js';
import type { Parameter } from './parameters.js';

export interface ConvConfig {
  /** Prefix of the parameter names, such as `c1` in `c1.weights`. @default 'conv' */
  name?: string;
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  /** Size of each input map, without padding. */
  inputRows: number;
  inputCols: number;
  /** Width of the zero border added around each input map. @default 0 */
  padding?: number;
  /**
   * For each output map, the input maps it reads, in order. @default every output map reads
   * every input map
   */
  connections?: number[][];
  /**
   * Whether convBackward computes dInput. A first layer, whose input is data, has no use for
   * it and saves the full convolution. @default true
   */
  computeInputGradient?: boolean;
}

/**
 * The trainable values of a convolution; the gradients have the same interface.
 * `weights[o][j]` is the (k, k) kernel from input map `connections[o][j]` to output map o, so
 * weights is (outChannels, connections[o].length, k, k) and ragged when the table is partial.
 */
export interface ConvParams {
  weights: Tensor4D;
  bias: Vector;
}

/** A convolution layer with its parameters, gradients and every buffer it reuses. */
export interface ConvLayer {
  name: string;
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  padding: number;
  inputRows: number;
  inputCols: number;
  outputRows: number;
  outputCols: number;
  connections: number[][];
  computeInputGradient: boolean;
  params: ConvParams;
  grads: ConvParams;
  /** The last input inside its zero border, (inChannels, inRows + 2p, inCols + 2p). */
  paddedInput: Tensor3D;
  /** (outChannels, outRows, outCols) */
  output: Tensor3D;
  /** dL/d(in_p) of the last backward call, the shape of paddedInput. */
  dPaddedInput: Tensor3D;
  /** (inChannels, inRows, inCols) */
  dInput: Tensor3D;
}

/**
 * Creates a convolution layer. Weights are drawn uniformly from +-sqrt(3 / fanIn), which gives
 * them variance 1 / fanIn, where fanIn = (maps read) * k * k differs per output map under a
 * partial table; biases start at 0.
 *
 * @throws RangeError when a size is not a positive integer, the kernel is larger than the
 *   padded input, or the connection table has the wrong length, an empty row, an index out of
 *   range or a repeated index
 */
export function createConv(config: ConvConfig, rng: Rng): ConvLayer {
  const { inChannels, outChannels, kernelSize, inputRows, inputCols } = config;
  const padding = config.padding ?? 0;
  for (const [name, value] of Object.entries({
    inChannels,
    outChannels,
    kernelSize,
    inputRows,
    inputCols,
  })) {
    checkPositiveInteger(name, value);
  }
  if (!Number.isSafeInteger(padding) || padding < 0) {
    throw new RangeError(`createConv: padding is ${padding}; it must be a whole number >= 0`);
  }
  const paddedRows = inputRows + 2 * padding;
  const paddedCols = inputCols + 2 * padding;
  if (kernelSize > paddedRows || kernelSize > paddedCols) {
    throw new RangeError(
      `createConv: kernel is (${kernelSize}, ${kernelSize}) but the padded input is ` +
        `${formatShape([paddedRows, paddedCols])}; the kernel must fit inside the padded input`,
    );
  }
  const connections = config.connections ?? fullTable(inChannels, outChannels);
  checkConnections(connections, inChannels, outChannels);

  const outputRows = paddedRows - kernelSize + 1;
  const outputCols = paddedCols - kernelSize + 1;
  const weights: Tensor4D = connections.map((inputs) => {
    const limit = Math.sqrt(3 / (inputs.length * kernelSize * kernelSize));
    return inputs.map(() => randomMatrix(kernelSize, kernelSize, rng, limit));
  });

  return {
    name: config.name ?? 'conv',
    inChannels,
    outChannels,
    kernelSize,
    padding,
    inputRows,
    inputCols,
    outputRows,
    outputCols,
    connections,
    computeInputGradient: config.computeInputGradient ?? true,
    params: { weights, bias: zeros(outChannels) },
    grads: {
      weights: connections.map((inputs) => inputs.map(() => zerosMatrix(kernelSize, kernelSize))),
      bias: zeros(outChannels),
    },
    paddedInput: zeros3D(inChannels, paddedRows, paddedCols),
    output: zeros3D(outChannels, outputRows, outputCols),
    dPaddedInput: zeros3D(inChannels, paddedRows, paddedCols),
    dInput: zeros3D(inChannels, inputRows, inputCols),
  };
}

/**
 * Convolves the input with the layer's kernels and adds the biases.
 *
 * @param input (inChannels, inputRows, inputCols)
 * @returns the layer's output buffer (outChannels, outputRows, outputCols), overwritten by the
 *   next call; the layer also keeps a padded copy of the input for convBackward
 * @throws RangeError when the input shape differs from the layer's configuration
 */
export function convForward(layer: ConvLayer, input: Tensor3D): Tensor3D {
  checkMaps('convForward', 'input', input, layer.inChannels, layer.inputRows, layer.inputCols);
  const { kernelSize, padding, outputRows, outputCols, connections, paddedInput, output } = layer;
  const { weights, bias } = layer.params;

  // Copy the input inside the zero border, which was zeroed at creation and is never written.
  for (let c = 0; c < layer.inChannels; c++) {
    for (let y = 0; y < layer.inputRows; y++) {
      const source = input[c][y];
      const target = paddedInput[c][y + padding];
      for (let x = 0; x < layer.inputCols; x++) target[x + padding] = source[x];
    }
  }

  for (let o = 0; o < layer.outChannels; o++) {
    const outMap = output[o];
    for (let y = 0; y < outputRows; y++) outMap[y].fill(bias[o]);

    const inputs = connections[o];
    for (let j = 0; j < inputs.length; j++) {
      const inMap = paddedInput[inputs[j]];
      const kernel = weights[o][j];
      for (let y = 0; y < outputRows; y++) {
        const outRow = outMap[y];
        for (let ky = 0; ky < kernelSize; ky++) {
          const inRow = inMap[y + ky];
          const kernelRow = kernel[ky];
          for (let x = 0; x < outputCols; x++) {
            let sum = 0;
            for (let kx = 0; kx < kernelSize; kx++) sum += kernelRow[kx] * inRow[x + kx];
            outRow[x] += sum;
          }
        }
      }
    }
  }
  return output;
}

/**
 * Backpropagates dOut through the last convForward call. Adds the kernel and bias gradients
 * into `layer.grads` (call zeroGradients between steps) and computes dInput, the full
 * convolution of dOut with the rotated kernels, unless the layer was created with
 * `computeInputGradient: false`.
 *
 * @param dOut (outChannels, outputRows, outputCols)
 * @returns the layer's dInput buffer (inChannels, inputRows, inputCols), overwritten by the next
 *   call; left at zero when the layer does not compute it
 * @throws RangeError when dOut's shape differs from the layer's output shape
 */
export function convBackward(layer: ConvLayer, dOut: Tensor3D): Tensor3D {
  checkMaps('convBackward', 'dOut', dOut, layer.outChannels, layer.outputRows, layer.outputCols);
  const { kernelSize, outputRows, outputCols, connections, paddedInput } = layer;
  const { weights: dWeights, bias: dBias } = layer.grads;

  // db[o] = sum of dOut[o];  dw[o][j][ky][kx] = sum over y, x of dOut[o][y][x] * in_p[c][y+ky][x+kx]
  for (let o = 0; o < layer.outChannels; o++) {
    const dOutMap = dOut[o];
    for (let y = 0; y < outputRows; y++) {
      const dOutRow = dOutMap[y];
      for (let x = 0; x < outputCols; x++) dBias[o] += dOutRow[x];
    }

    const inputs = connections[o];
    for (let j = 0; j < inputs.length; j++) {
      const inMap = paddedInput[inputs[j]];
      const dKernel = dWeights[o][j];
      for (let ky = 0; ky < kernelSize; ky++) {
        const dKernelRow = dKernel[ky];
        for (let y = 0; y < outputRows; y++) {
          const dOutRow = dOutMap[y];
          const inRow = inMap[y + ky];
          for (let kx = 0; kx < kernelSize; kx++) {
            let sum = 0;
            for (let x = 0; x < outputCols; x++) sum += dOutRow[x] * inRow[x + kx];
            dKernelRow[kx] += sum;
          }
        }
      }
    }
  }

  if (layer.computeInputGradient) inputGradient(layer, dOut);
  return layer.dInput;
}

/**
 * dIn_p[c][y + ky][x + kx] += dOut[o][y][x] * w[o][j][ky][kx] for every connection (o, j) of
 * input map c, the full convolution with the rotated kernel summed in output order; then
 * dIn = dIn_p without its border.
 */
function inputGradient(layer: ConvLayer, dOut: Tensor3D): void {
  const { kernelSize, padding, outputRows, outputCols, connections, dPaddedInput } = layer;
  const weights = layer.params.weights;
  for (let c = 0; c < layer.inChannels; c++) {
    for (const row of dPaddedInput[c]) row.fill(0);
  }

  for (let o = 0; o < layer.outChannels; o++) {
    const dOutMap = dOut[o];
    const inputs = connections[o];
    for (let j = 0; j < inputs.length; j++) {
      const dInMap = dPaddedInput[inputs[j]];
      const kernel = weights[o][j];
      for (let y = 0; y < outputRows; y++) {
        const dOutRow = dOutMap[y];
        for (let ky = 0; ky < kernelSize; ky++) {
          const dInRow = dInMap[y + ky];
          const kernelRow = kernel[ky];
          for (let kx = 0; kx < kernelSize; kx++) {
            const weight = kernelRow[kx];
            for (let x = 0; x < outputCols; x++) dInRow[x + kx] += dOutRow[x] * weight;
          }
        }
      }
    }
  }

  // The border of in_p is constant zeros, so its share of the gradient is dropped.
  for (let c = 0; c < layer.inChannels; c++) {
    for (let y = 0; y < layer.inputRows; y++) {
      const source = dPaddedInput[c][y + padding];
      const target = layer.dInput[c][y];
      for (let x = 0; x < layer.inputCols; x++) target[x] = source[x + padding];
    }
  }
}

/**
 * Lists the layer's weights and bias with their gradients, named `<name>.weights` and
 * `<name>.bias`. Under a partial connection table the output maps' kernel stacks differ in
 * size, so each map's stack is listed on its own as `<name>.weights.<o>`, and every parameter
 * keeps a rectangular shape.
 */
export function convParameters(layer: ConvLayer): Parameter[] {
  const { name, params, grads } = layer;
  const isFull = layer.connections.every((inputs) => inputs.length === layer.inChannels);
  const weights: Parameter[] = isFull
    ? [{ name: `${name}.weights`, value: params.weights, grad: grads.weights }]
    : params.weights.map((stack, o) => ({
        name: `${name}.weights.${o}`,
        value: stack,
        grad: grads.weights[o],
      }));
  return [...weights, { name: `${name}.bias`, value: params.bias, grad: grads.bias }];
}

/** Counts the trainable values: one k x k kernel per connection plus one bias per output map. */
export function convParameterCount(layer: ConvLayer): number {
  let connectionCount = 0;
  for (const inputs of layer.connections) connectionCount += inputs.length;
  return connectionCount * layer.kernelSize * layer.kernelSize + layer.outChannels;
}

function fullTable(inChannels: number, outChannels: number): number[][] {
  const all = Array.from({ length: inChannels }, (_, c) => c);
  return Array.from({ length: outChannels }, () => [...all]);
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`createConv: ${name} is ${value}; it must be a whole number >= 1`);
  }
}

function checkConnections(table: number[][], inChannels: number, outChannels: number): void {
  if (table.length !== outChannels) {
    throw new RangeError(
      `createConv: the connection table has ${table.length} rows but outChannels is ` +
        `${outChannels}; give one row per output map`,
    );
  }
  table.forEach((inputs, o) => {
    if (inputs.length === 0) {
      throw new RangeError(
        `createConv: connection row ${o} is empty; each output map must read at least one input map`,
      );
    }
    const seen = new Set<number>();
    for (const c of inputs) {
      if (!Number.isSafeInteger(c) || c < 0 || c >= inChannels) {
        throw new RangeError(
          `createConv: connection row ${o} names input map ${c} but inChannels is ` +
            `${inChannels}; indices must be in [0, ${inChannels - 1}]`,
        );
      }
      if (seen.has(c)) {
        throw new RangeError(
          `createConv: connection row ${o} names input map ${c} twice; name each map once`,
        );
      }
      seen.add(c);
    }
  });
}

function checkMaps(
  fn: string,
  name: string,
  maps: Tensor3D,
  channels: number,
  rows: number,
  cols: number,
): void {
  const shape = tensor3DShape(maps);
  if (shape[0] !== channels || shape[1] !== rows || shape[2] !== cols) {
    throw new RangeError(
      `${fn}: ${name} is ${formatShape(shape)} but the layer expects ` +
        `${formatShape([channels, rows, cols])}; the shapes must be equal`,
    );
  }
}
