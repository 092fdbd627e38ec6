/**
 * Layer 1: flatten, the joint between feature maps and a dense layer. Forward copies a stack
 * of maps into one vector in (channel, row, col) order; backward copies the gradient back into
 * the maps' shape. Nothing is computed, so a gradient passes through unchanged:
 *
 *   out[(c * rows + y) * cols + x] = in[c][y][x]        dIn[c][y][x] = dOut[(c * rows + y) * cols + x]
 *
 * Legend: channels, rows, cols of the input maps.
 */
import type { Tensor3D, Vector } from '../primitives/shapes.js';
import { formatShape, tensor3DShape } from '../primitives/shapes.js';
import { flatten3D, unflatten3D, zeros3D } from '../primitives/tensor.js';
import { zeros } from '../primitives/vector.js';

export interface FlattenConfig {
  channels: number;
  rows: number;
  cols: number;
}

/** A flatten layer's buffers; it has no parameters. */
export interface FlattenLayer {
  channels: number;
  rows: number;
  cols: number;
  /** (channels * rows * cols) */
  output: Vector;
  /** (channels, rows, cols) */
  dInput: Tensor3D;
}

/**
 * Creates a flatten layer for maps of the given shape.
 * @throws RangeError when a size is not a positive integer
 */
export function createFlatten(config: FlattenConfig): FlattenLayer {
  const { channels, rows, cols } = config;
  for (const [name, value] of Object.entries({ channels, rows, cols })) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`createFlatten: ${name} is ${value}; it must be a whole number >= 1`);
    }
  }
  return {
    channels,
    rows,
    cols,
    output: zeros(channels * rows * cols),
    dInput: zeros3D(channels, rows, cols),
  };
}

/**
 * Copies the maps into one vector, channel by channel, each map row by row.
 *
 * @param input (channels, rows, cols)
 * @returns the layer's output buffer (channels * rows * cols), overwritten by the next call
 * @throws RangeError when the input shape differs from the layer's configuration
 */
export function flattenForward(layer: FlattenLayer, input: Tensor3D): Vector {
  const shape = tensor3DShape(input);
  if (shape[0] !== layer.channels || shape[1] !== layer.rows || shape[2] !== layer.cols) {
    throw new RangeError(
      `flattenForward: input is ${formatShape(shape)} but the layer expects ` +
        `${formatShape([layer.channels, layer.rows, layer.cols])}; the shapes must be equal`,
    );
  }
  return flatten3D(input, layer.output);
}

/**
 * Copies a vector gradient back into the maps' shape.
 *
 * @param dOut (channels * rows * cols)
 * @returns the layer's dInput buffer (channels, rows, cols), overwritten by the next call
 * @throws RangeError when dOut's length differs from channels * rows * cols
 */
export function flattenBackward(layer: FlattenLayer, dOut: Vector): Tensor3D {
  if (dOut.length !== layer.output.length) {
    throw new RangeError(
      `flattenBackward: dOut has length ${dOut.length} but the layer's output has length ` +
        `${layer.output.length}; the lengths must be equal`,
    );
  }
  return unflatten3D(dOut, layer.channels, layer.rows, layer.cols, layer.dInput);
}
