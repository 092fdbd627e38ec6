/**
 * Layer 0: the array types every other file uses, and the shape checks that guard public
 * functions.
 *
 * A vector is `number[]`, a matrix is `number[][]` stored as rows of columns, and a feature
 * map stack is `number[][][]` stored as (channels, rows, columns). Shapes in comments read
 * `(rows, cols)`.
 */

/** A vector of length n: `(n)`. */
export type Vector = number[];

/** A matrix stored row by row: `(rows, cols)`. */
export type Matrix = number[][];

/** A stack of feature maps: `(channels, rows, cols)`. */
export type Tensor3D = number[][][];

/** A stack of kernels, such as convolution weights: `(outChannels, inChannels, rows, cols)`. */
export type Tensor4D = number[][][][];

/** Any of the array types above; parameters and their gradients have one of these shapes. */
export type NumericArray = Vector | Matrix | Tensor3D | Tensor4D;

/** Formats a shape as `(2, 3)` for error messages. */
export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(', ')})`;
}

/** Returns the shape of a matrix as [rows, cols]; an empty matrix is (0, 0). */
export function matrixShape(m: Matrix): [number, number] {
  return [m.length, m.length === 0 ? 0 : m[0].length];
}

/** Returns the shape of a feature map stack as [channels, rows, cols]. */
export function tensor3DShape(t: Tensor3D): [number, number, number] {
  const rows = t.length === 0 ? 0 : t[0].length;
  const cols = rows === 0 ? 0 : t[0][0].length;
  return [t.length, rows, cols];
}

/**
 * Throws a RangeError when two lengths differ.
 *
 * @param fn the public function doing the check, named in the message
 * @param what describes both operands, for example `a has length 2 but b has length 3`
 */
export function assertSameLength(fn: string, a: number, b: number, what: string): void {
  if (a !== b) {
    throw new RangeError(`${fn}: ${what}; the lengths must be equal`);
  }
}

/** Throws a RangeError naming `fn` when `condition` is false. */
export function assertShape(condition: boolean, fn: string, message: string): void {
  if (!condition) {
    throw new RangeError(`${fn}: ${message}`);
  }
}
