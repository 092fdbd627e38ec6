/**
 * Layer 0: operations on matrices, `number[][]` stored as rows of columns, shape (rows, cols).
 *
 * Functions that build a matrix or vector take an optional `out` of the result's shape and
 * write into it instead of allocating. Unlike the vector operations, a product reads each input
 * element many times, so its `out` must not be one of its inputs.
 */
import type { Rng } from './random.js';
import {
  assertOutLength,
  assertOutMatrix,
  assertSize,
  formatShape,
  matrixShape,
  type Matrix,
  type Vector,
} from './shapes.js';

/** Returns a new (rows, cols) matrix of zeros. */
export function zerosMatrix(rows: number, cols: number): Matrix {
  assertSize('zerosMatrix', 'rows', rows);
  assertSize('zerosMatrix', 'cols', cols);
  const m: Matrix = new Array<Vector>(rows);
  for (let i = 0; i < rows; i++) m[i] = new Array<number>(cols).fill(0);
  return m;
}

/**
 * Returns a new (rows, cols) matrix with each element drawn uniformly from [-limit, limit).
 *
 * Initializers pick the limit: Glorot and Bengio (2010) use sqrt(6 / (inputs + outputs)).
 */
export function randomMatrix(rows: number, cols: number, rng: Rng, limit: number): Matrix {
  if (!(limit >= 0) || !Number.isFinite(limit)) {
    throw new RangeError(`randomMatrix: limit is ${limit}; it must be a finite number >= 0`);
  }
  const m = zerosMatrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const row = m[i];
    for (let j = 0; j < cols; j++) row[j] = rng.uniformIn(-limit, limit);
  }
  return m;
}

/** Returns a new (rows, cols) matrix with each element drawn from a normal(0, std). */
export function randomNormalMatrix(rows: number, cols: number, rng: Rng, std: number): Matrix {
  if (!(std >= 0) || !Number.isFinite(std)) {
    throw new RangeError(`randomNormalMatrix: std is ${std}; it must be a finite number >= 0`);
  }
  const m = zerosMatrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const row = m[i];
    for (let j = 0; j < cols; j++) row[j] = rng.normal(0, std);
  }
  return m;
}

/**
 * Computes the matrix-vector product y = M v.
 * @param m - matrix (rows, cols)
 * @param v - vector (cols)
 * @param out - receives y (rows); must not be v; a new vector when omitted
 * @throws RangeError when v.length differs from the column count
 */
export function matVec(m: Matrix, v: Vector, out?: Vector): Vector {
  const [rows, cols] = matrixShape(m);
  if (v.length !== cols) {
    throw new RangeError(
      `matVec: matrix is ${formatShape([rows, cols])} but vector has length ${v.length}; ` +
        'the vector length must equal the column count',
    );
  }
  const y = prepareVectorOut('matVec', out, rows);
  for (let i = 0; i < rows; i++) {
    const row = m[i];
    let total = 0;
    for (let k = 0; k < cols; k++) total += row[k] * v[k];
    y[i] = total;
  }
  return y;
}

/**
 * Computes y = M^T v without building the transpose; backward passes use it to send a
 * gradient back through weights.
 * @param m - matrix (rows, cols)
 * @param v - vector (rows)
 * @param out - receives y (cols); must not be v; a new vector when omitted
 * @throws RangeError when v.length differs from the row count
 */
export function matTransposeVec(m: Matrix, v: Vector, out?: Vector): Vector {
  const [rows, cols] = matrixShape(m);
  if (v.length !== rows) {
    throw new RangeError(
      `matTransposeVec: matrix is ${formatShape([rows, cols])} but vector has length ` +
        `${v.length}; the vector length must equal the row count`,
    );
  }
  const y = prepareVectorOut('matTransposeVec', out, cols);
  y.fill(0);
  for (let i = 0; i < rows; i++) {
    const row = m[i];
    const vi = v[i];
    for (let j = 0; j < cols; j++) y[j] += row[j] * vi;
  }
  return y;
}

/**
 * Computes the matrix product C = A B.
 * @param a - (n, k)
 * @param b - (k, m)
 * @param out - receives C (n, m); must not be a or b; a new matrix when omitted
 * @throws RangeError when the column count of a differs from the row count of b
 */
export function matMul(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  const [n, inner] = matrixShape(a);
  const [bRows, m] = matrixShape(b);
  if (inner !== bRows) {
    throw new RangeError(
      `matMul: a is ${formatShape([n, inner])} but b is ${formatShape([bRows, m])}; ` +
        'the column count of a must equal the row count of b',
    );
  }
  const c = prepareMatrixOut('matMul', out, n, m);
  for (let i = 0; i < n; i++) {
    const aRow = a[i];
    const cRow = c[i];
    cRow.fill(0);
    // Loop order i, k, j walks b and c row by row, which is faster than the textbook i, j, k.
    for (let k = 0; k < inner; k++) {
      const aik = aRow[k];
      const bRow = b[k];
      for (let j = 0; j < m; j++) cRow[j] += aik * bRow[j];
    }
  }
  return c;
}

/**
 * Computes C = A B^T, each element a dot product of a row of A with a row of B, as in
 * attention scores Q K^T.
 * @param a - (n, k)
 * @param b - (m, k)
 * @param out - receives C (n, m); must not be a or b; a new matrix when omitted
 * @throws RangeError when a and b have different column counts
 */
export function matMulTransposeB(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  const [n, inner] = matrixShape(a);
  const [m, bCols] = matrixShape(b);
  if (inner !== bCols) {
    throw new RangeError(
      `matMulTransposeB: a is ${formatShape([n, inner])} but b is ${formatShape([m, bCols])}; ` +
        'a and b must have the same column count',
    );
  }
  const c = prepareMatrixOut('matMulTransposeB', out, n, m);
  for (let i = 0; i < n; i++) {
    const aRow = a[i];
    const cRow = c[i];
    for (let j = 0; j < m; j++) {
      const bRow = b[j];
      let total = 0;
      for (let k = 0; k < inner; k++) total += aRow[k] * bRow[k];
      cRow[j] = total;
    }
  }
  return c;
}

/**
 * Computes C = A^T B, the shape of a weight gradient dW = X^T dY.
 * @param a - (k, n)
 * @param b - (k, m)
 * @param out - receives C (n, m); must not be a or b; a new matrix when omitted
 * @throws RangeError when a and b have different row counts
 */
export function matMulTransposeA(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  const [inner, n] = matrixShape(a);
  const [bRows, m] = matrixShape(b);
  if (inner !== bRows) {
    throw new RangeError(
      `matMulTransposeA: a is ${formatShape([inner, n])} but b is ${formatShape([bRows, m])}; ` +
        'a and b must have the same row count',
    );
  }
  const c = prepareMatrixOut('matMulTransposeA', out, n, m);
  for (let i = 0; i < n; i++) c[i].fill(0);
  for (let k = 0; k < inner; k++) {
    const aRow = a[k];
    const bRow = b[k];
    for (let i = 0; i < n; i++) {
      const aki = aRow[i];
      const cRow = c[i];
      for (let j = 0; j < m; j++) cRow[j] += aki * bRow[j];
    }
  }
  return c;
}

/**
 * Returns the transpose M^T.
 * @param m - (rows, cols)
 * @param out - receives M^T (cols, rows); must not be m; a new matrix when omitted
 */
export function transpose(m: Matrix, out?: Matrix): Matrix {
  const [rows, cols] = matrixShape(m);
  const t = prepareMatrixOut('transpose', out, cols, rows);
  for (let i = 0; i < rows; i++) {
    const row = m[i];
    for (let j = 0; j < cols; j++) t[j][i] = row[j];
  }
  return t;
}

/**
 * Adds the outer product a b^T to m in place: m[i][j] += a[i] * b[j]. A dense layer's weight
 * gradient for one sample is the outer product of its output gradient and its input.
 * @param m - (rows, cols), modified
 * @param a - (rows)
 * @param b - (cols)
 * @returns m
 * @throws RangeError when a or b does not fit the shape of m
 */
export function addOuterInPlace(m: Matrix, a: Vector, b: Vector): Matrix {
  const [rows, cols] = matrixShape(m);
  if (a.length !== rows || b.length !== cols) {
    throw new RangeError(
      `addOuterInPlace: matrix is ${formatShape([rows, cols])} but a has length ${a.length} ` +
        `and b has length ${b.length}; a must have the row count and b the column count`,
    );
  }
  for (let i = 0; i < rows; i++) {
    const row = m[i];
    const ai = a[i];
    for (let j = 0; j < cols; j++) row[j] += ai * b[j];
  }
  return m;
}

/**
 * Computes A + B elementwise.
 * @param out - receives the sum (rows, cols); may be a or b; a new matrix when omitted
 * @throws RangeError when the shapes differ
 */
export function matAdd(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  const [rows, cols] = matrixShape(a);
  const [bRows, bCols] = matrixShape(b);
  if (rows !== bRows || cols !== bCols) {
    throw new RangeError(
      `matAdd: a is ${formatShape([rows, cols])} but b is ${formatShape([bRows, bCols])}; ` +
        'the shapes must be equal',
    );
  }
  const c = prepareMatrixOut('matAdd', out, rows, cols);
  for (let i = 0; i < rows; i++) {
    const aRow = a[i];
    const bRow = b[i];
    const cRow = c[i];
    for (let j = 0; j < cols; j++) cRow[j] = aRow[j] + bRow[j];
  }
  return c;
}

/** Returns a new matrix with the same elements as m. */
export function cloneMatrix(m: Matrix): Matrix {
  return m.map((row) => row.slice());
}

/** Checks a caller's `out` or allocates one of the result's shape. */
function prepareVectorOut(fn: string, out: Vector | undefined, length: number): Vector {
  if (out === undefined) return new Array<number>(length).fill(0);
  assertOutLength(fn, out, length);
  return out;
}

function prepareMatrixOut(fn: string, out: Matrix | undefined, rows: number, cols: number): Matrix {
  if (out === undefined) return zerosMatrix(rows, cols);
  assertOutMatrix(fn, out, rows, cols);
  return out;
}
