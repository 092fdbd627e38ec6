/**
 * Layer 0: stacks of feature maps, `Tensor3D` (channels, rows, cols), and of kernels,
 * `Tensor4D` (outChannels, inChannels, rows, cols).
 */
import { zerosMatrix } from './matrix.js';
import {
  assertOutLength,
  assertSize,
  formatShape,
  tensor3DShape,
  type Tensor3D,
  type Tensor4D,
  type Vector,
} from './shapes.js';

/** Returns a new (channels, rows, cols) tensor of zeros. */
export function zeros3D(channels: number, rows: number, cols: number): Tensor3D {
  assertSize('zeros3D', 'channels', channels);
  const t: Tensor3D = new Array(channels);
  for (let c = 0; c < channels; c++) t[c] = zerosMatrix(rows, cols);
  return t;
}

/** Returns a new (outChannels, inChannels, rows, cols) tensor of zeros. */
export function zeros4D(
  outChannels: number,
  inChannels: number,
  rows: number,
  cols: number,
): Tensor4D {
  assertSize('zeros4D', 'outChannels', outChannels);
  const t: Tensor4D = new Array(outChannels);
  for (let c = 0; c < outChannels; c++) t[c] = zeros3D(inChannels, rows, cols);
  return t;
}

/**
 * Copies a tensor into a vector in (channel, row, col) order, the order a dense layer after a
 * convolution reads its input in.
 * @param t - (channels, rows, cols)
 * @param out - receives the elements (channels * rows * cols); a new vector when omitted
 */
export function flatten3D(t: Tensor3D, out?: Vector): Vector {
  const [channels, rows, cols] = tensor3DShape(t);
  const length = channels * rows * cols;
  const v = out ?? new Array<number>(length).fill(0);
  assertOutLength('flatten3D', v, length);
  let k = 0;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < rows; y++) {
      const row = t[c][y];
      for (let x = 0; x < cols; x++) v[k++] = row[x];
    }
  }
  return v;
}

/**
 * Copies a vector into a (channels, rows, cols) tensor, undoing flatten3D.
 * @param out - receives the elements; a new tensor when omitted
 * @throws RangeError when v.length is not channels * rows * cols, or out has another shape
 */
export function unflatten3D(
  v: Vector,
  channels: number,
  rows: number,
  cols: number,
  out?: Tensor3D,
): Tensor3D {
  if (v.length !== channels * rows * cols) {
    throw new RangeError(
      `unflatten3D: vector has length ${v.length} but the shape ` +
        `${formatShape([channels, rows, cols])} holds ${channels * rows * cols}; ` +
        'the vector length must equal channels * rows * cols',
    );
  }
  const t = out ?? zeros3D(channels, rows, cols);
  const outShape = tensor3DShape(t);
  if (outShape[0] !== channels || outShape[1] !== rows || outShape[2] !== cols) {
    throw new RangeError(
      `unflatten3D: out is ${formatShape(outShape)} but the result is ` +
        `${formatShape([channels, rows, cols])}; pass an out of the same shape as the result`,
    );
  }
  let k = 0;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < rows; y++) {
      const row = t[c][y];
      for (let x = 0; x < cols; x++) row[x] = v[k++];
    }
  }
  return t;
}
