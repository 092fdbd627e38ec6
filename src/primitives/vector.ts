/**
 * Layer 0: operations on vectors, `number[]` of length n.
 *
 * Functions that build a vector take an optional `out` of the result's length and write into
 * it instead of allocating, so a training loop can reuse one buffer every step. `out` may be
 * one of the inputs, because every result element depends only on the input elements at the
 * same index.
 */
import {
  assertNonEmpty,
  assertOutLength,
  assertSameVectorLength,
  assertSize,
  type Vector,
} from './shapes.js';

/** Returns a new vector of n zeros. */
export function zeros(n: number): Vector {
  assertSize('zeros', 'n', n);
  return new Array<number>(n).fill(0);
}

/**
 * Computes the dot product sum_k a[k] * b[k].
 * @throws RangeError when the lengths differ
 */
export function dot(a: Vector, b: Vector): number {
  assertSameVectorLength('dot', a, b);
  let total = 0;
  for (let k = 0; k < a.length; k++) total += a[k] * b[k];
  return total;
}

/**
 * Computes a + b elementwise.
 * @param out - receives the result (n); a new vector when omitted
 * @throws RangeError when the lengths differ
 */
export function add(a: Vector, b: Vector, out?: Vector): Vector {
  assertSameVectorLength('add', a, b);
  const result = prepareOut('add', out, a.length);
  for (let i = 0; i < a.length; i++) result[i] = a[i] + b[i];
  return result;
}

/**
 * Computes a - b elementwise.
 * @param out - receives the result (n); a new vector when omitted
 * @throws RangeError when the lengths differ
 */
export function subtract(a: Vector, b: Vector, out?: Vector): Vector {
  assertSameVectorLength('subtract', a, b);
  const result = prepareOut('subtract', out, a.length);
  for (let i = 0; i < a.length; i++) result[i] = a[i] - b[i];
  return result;
}

/**
 * Computes s * v.
 * @param out - receives the result (n); a new vector when omitted
 */
export function scale(v: Vector, s: number, out?: Vector): Vector {
  const result = prepareOut('scale', out, v.length);
  for (let i = 0; i < v.length; i++) result[i] = s * v[i];
  return result;
}

/**
 * Computes the elementwise (Hadamard) product a[i] * b[i].
 * @param out - receives the result (n); a new vector when omitted
 * @throws RangeError when the lengths differ
 */
export function hadamard(a: Vector, b: Vector, out?: Vector): Vector {
  assertSameVectorLength('hadamard', a, b);
  const result = prepareOut('hadamard', out, a.length);
  for (let i = 0; i < a.length; i++) result[i] = a[i] * b[i];
  return result;
}

/**
 * Adds s * x to y in place (the BLAS axpy), the update shape of gradient descent.
 * @returns y
 * @throws RangeError when the lengths differ
 */
export function addScaledInPlace(y: Vector, s: number, x: Vector): Vector {
  assertSameVectorLength('addScaledInPlace', y, x, 'y', 'x');
  for (let i = 0; i < y.length; i++) y[i] += s * x[i];
  return y;
}

/** Sums the elements; the sum of an empty vector is 0. */
export function sum(v: Vector): number {
  let total = 0;
  for (let i = 0; i < v.length; i++) total += v[i];
  return total;
}

/**
 * Computes the arithmetic mean of the elements.
 * @throws RangeError when v is empty
 */
export function mean(v: Vector): number {
  assertNonEmpty('mean', 'v', v);
  return sum(v) / v.length;
}

/** Computes the Euclidean (L2) norm sqrt(sum_i v[i]^2). */
export function norm(v: Vector): number {
  let total = 0;
  for (let i = 0; i < v.length; i++) total += v[i] * v[i];
  return Math.sqrt(total);
}

/**
 * Returns the index of the largest element; ties go to the first.
 * @throws RangeError when v is empty
 */
export function argmax(v: Vector): number {
  assertNonEmpty('argmax', 'v', v);
  let best = 0;
  for (let i = 1; i < v.length; i++) {
    if (v[i] > v[best]) best = i;
  }
  return best;
}

/**
 * Returns the largest element.
 * @throws RangeError when v is empty
 */
export function max(v: Vector): number {
  return v[argmax(v)];
}

/** Checks a caller's `out` or allocates one of the result's length. */
function prepareOut(fn: string, out: Vector | undefined, length: number): Vector {
  if (out === undefined) return new Array<number>(length).fill(0);
  assertOutLength(fn, out, length);
  return out;
}
