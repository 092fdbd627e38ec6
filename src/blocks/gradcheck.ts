/**
 * Layer 1: the finite-difference gradient check that tests and lessons share.
 *
 * For each checked element w of a parameter, the central difference
 *
 *   numeric = (L(w + eps) - L(w - eps)) / (2 eps)
 *
 * approximates dL/dw with an error of order eps^2, and is compared with the analytic gradient
 * from a backward pass by the relative error |a - n| / max(|a| + |n|, floor). The floor keeps
 * elements whose true gradient is near zero from dividing rounding noise by almost nothing.
 */
import type { NumericArray } from '../primitives/shapes.js';
import { leafRows, shapeOf } from './parameters.js';

export interface GradientCheckOptions {
  /** Step for the central difference. @default 1e-5 */
  epsilon?: number;
  /** Smallest denominator of the relative error. @default 1e-6 */
  floor?: number;
  /** Check at most this many elements, spread evenly over the array. @default all */
  maxChecks?: number;
}

export interface GradientCheckResult {
  /** The largest relative error over the checked elements. */
  maxRelativeError: number;
  /** The indices, into the nested array, of the element with the largest error. */
  worstIndex: number[];
  /** The analytic and numeric gradients at the worst index. */
  worstAnalytic: number;
  worstNumeric: number;
  /** How many elements were compared. */
  checked: number;
}

/**
 * Compares an analytic gradient with central differences of a loss.
 *
 * @param loss recomputes the scalar loss from the current contents of `value`
 * @param value the array the gradient is taken with respect to; each element is perturbed in
 *   place and restored
 * @param analytic the gradient from the backward pass, the same shape as `value`
 * @throws RangeError when the shapes of `value` and `analytic` differ
 */
export function checkGradient(
  loss: () => number,
  value: NumericArray,
  analytic: NumericArray,
  options: GradientCheckOptions = {},
): GradientCheckResult {
  const { epsilon = 1e-5, floor = 1e-6, maxChecks = Infinity } = options;
  const shape = shapeOf(value);
  const analyticShape = shapeOf(analytic);
  if (shape.join() !== analyticShape.join()) {
    throw new RangeError(
      `checkGradient: value is (${shape.join(', ')}) but analytic is ` +
        `(${analyticShape.join(', ')}); the shapes must be equal`,
    );
  }
  const valueRows = leafRows(value);
  const analyticRows = leafRows(analytic);
  const rowLength = valueRows[0].length;
  const total = valueRows.length * rowLength;
  const stride = Math.max(1, Math.floor(total / Math.min(total, maxChecks)));

  const result: GradientCheckResult = {
    maxRelativeError: 0,
    worstIndex: [],
    worstAnalytic: 0,
    worstNumeric: 0,
    checked: 0,
  };
  for (let flat = 0; flat < total; flat += stride) {
    const row = valueRows[Math.floor(flat / rowLength)];
    const col = flat % rowLength;
    const original = row[col];
    row[col] = original + epsilon;
    const lossPlus = loss();
    row[col] = original - epsilon;
    const lossMinus = loss();
    row[col] = original;

    const numeric = (lossPlus - lossMinus) / (2 * epsilon);
    const a = analyticRows[Math.floor(flat / rowLength)][col];
    const error = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), floor);
    result.checked++;
    if (error > result.maxRelativeError || Number.isNaN(error)) {
      result.maxRelativeError = Number.isNaN(error) ? Infinity : error;
      result.worstIndex = unflattenIndex(flat, shape);
      result.worstAnalytic = a;
      result.worstNumeric = numeric;
    }
  }
  return result;
}

function unflattenIndex(flat: number, shape: number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}
