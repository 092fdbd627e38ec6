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

/** Returns the shape of a kernel stack as [outChannels, inChannels, rows, cols]. */
export function tensor4DShape(t: Tensor4D): [number, number, number, number] {
  const [inChannels, rows, cols] = t.length === 0 ? [0, 0, 0] : tensor3DShape(t[0]);
  return [t.length, inChannels, rows, cols];
}

/**
 * Throws a RangeError unless vectors `a` and `b` have the same length.
 *
 * @param fn the public function doing the check, named in the message
 * @param aName, bName how the message refers to the two vectors
 */
export function assertSameVectorLength(
  fn: string,
  a: Vector,
  b: Vector,
  aName = 'a',
  bName = 'b',
): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `${fn}: ${aName} has length ${a.length} but ${bName} has length ${b.length}; ` +
        'the lengths must be equal',
    );
  }
}

/** Throws a RangeError unless the output buffer `out` has the result's length. */
export function assertOutLength(fn: string, out: Vector, length: number): void {
  if (out.length !== length) {
    throw new RangeError(
      `${fn}: out has length ${out.length} but the result has length ${length}; ` +
        'pass an out of the same length as the result',
    );
  }
}

/** Throws a RangeError unless the output matrix `out` has the result's shape. */
export function assertOutMatrix(fn: string, out: Matrix, rows: number, cols: number): void {
  const [outRows, outCols] = matrixShape(out);
  if (outRows !== rows || (rows > 0 && outCols !== cols)) {
    throw new RangeError(
      `${fn}: out is ${formatShape([outRows, outCols])} but the result is ` +
        `${formatShape([rows, cols])}; pass an out of the same shape as the result`,
    );
  }
}

/** Throws a RangeError when vector `v` has no elements. */
export function assertNonEmpty(fn: string, name: string, v: Vector): void {
  if (v.length === 0) {
    throw new RangeError(`${fn}: ${name} is empty; pass at least one element`);
  }
}

/** Throws a RangeError unless `size` is a whole number >= 0, for sizes of new arrays. */
export function assertSize(fn: string, name: string, size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`${fn}: ${name} is ${size}; it must be a whole number >= 0`);
  }
}
