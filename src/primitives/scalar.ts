/**
 * Layer 0: functions of one number, the floor that every vector and matrix operation stands on.
 *
 * The exponential functions here are written in forms that cannot overflow: exp is only ever
 * taken of a number <= 0, whose result lies in (0, 1].
 */

/**
 * Computes the logistic function 1 / (1 + e^-z), the sigmoid, without overflow.
 *
 * For z < 0 it uses the equal form e^z / (1 + e^z), so exp never sees a large positive number.
 */
export function logistic(z: number): number {
  if (z >= 0) {
    return 1 / (1 + Math.exp(-z));
  }
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Computes log(1 + e^z), the softplus, without overflow: max(z, 0) + log(1 + e^-|z|).
 */
export function log1pExp(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/**
 * Limits x to the closed range [low, high].
 *
 * @throws RangeError when low > high
 */
export function clamp(x: number, low: number, high: number): number {
  if (low > high) {
    throw new RangeError(`clamp: low is ${low} but high is ${high}; low must be <= high`);
  }
  return x < low ? low : x > high ? high : x;
}
