/**
 * Layer 1: named parameters paired with their gradients, the common currency of optimizers,
 * gradient checks and checkpoints.
 *
 * A block keeps its parameters in one object (for a dense layer, `weights` and `bias`) and its
 * gradients in a second object of the same interface, so an optimizer walks both in step. A
 * block exports a function that lists them as `Parameter` records.
 */
import type { NumericArray, Vector } from '../primitives/shapes.js';

/** One parameter array and the gradient of the loss with respect to it, of the same shape. */
export interface Parameter {
  /** Dotted path such as `c1.weights`, used in messages and checkpoints. */
  name: string;
  value: NumericArray;
  grad: NumericArray;
}

/** Returns the innermost rows (the `number[]` leaves) of a nested array, in order. */
export function leafRows(array: NumericArray): Vector[] {
  // Array.isArray, not typeof array[0]: once V8 optimises this function for both matrices and
  // number rows, reading array[0] of a row converts its plain doubles to boxed numbers, which
  // made every training step 2 to 3 times slower.
  if (array.length === 0 || !Array.isArray(array.at(0))) {
    return [array as Vector];
  }
  const rows: Vector[] = [];
  for (const child of array as NumericArray[]) {
    for (const row of leafRows(child)) rows.push(row);
  }
  return rows;
}

/** Returns the shape of a nested array, for example [6, 1, 5, 5]. */
export function shapeOf(array: NumericArray): number[] {
  const shape: number[] = [];
  let level: unknown = array;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level.at(0); // .at, like leafRows, so V8 keeps number rows unboxed
  }
  return shape;
}

/** Counts the scalars in the parameters' values. */
export function countParameters(parameters: readonly Parameter[]): number {
  let count = 0;
  for (const p of parameters) {
    for (const row of leafRows(p.value)) count += row.length;
  }
  return count;
}

/** Sets every gradient to zero, ready for the next backward pass to accumulate into. */
export function zeroGradients(parameters: readonly Parameter[]): void {
  for (const p of parameters) {
    for (const row of leafRows(p.grad)) row.fill(0);
  }
}

/** Computes the global L2 norm of all gradients: the square root of their sum of squares. */
export function gradientNorm(parameters: readonly Parameter[]): number {
  let sum = 0;
  for (const p of parameters) {
    for (const row of leafRows(p.grad)) {
      for (const g of row) sum += g * g;
    }
  }
  return Math.sqrt(sum);
}

/** Returns the name of the first parameter whose gradient contains NaN or an infinity, if any. */
export function findNonFiniteGradient(parameters: readonly Parameter[]): string | undefined {
  for (const p of parameters) {
    for (const row of leafRows(p.grad)) {
      for (const g of row) {
        if (!Number.isFinite(g)) return p.name;
      }
    }
  }
  return undefined;
}
