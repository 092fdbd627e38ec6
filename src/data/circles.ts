/**
 * Layer 3: two concentric circles of noisy points, a task no straight line can split.
 *
 * Points of class 1 lie on the inner circle and points of class 0 on the outer one, each at a
 * uniform random angle, then moved by Gaussian noise in x and y. Half the points are of each
 * class. A shuffled share is held out as a test set the model never trains on.
 */
import type { Rng } from '../primitives/random.js';
import type { Vector } from '../primitives/shapes.js';
import type { Dataset } from './gates.js';

export interface CirclesOptions {
  /** Total number of points, half of each class; an odd last point is class 1. @default 400 */
  count?: number;
  /** Radius of the inner circle (class 1). @default 0.5 */
  innerRadius?: number;
  /** Radius of the outer circle (class 0). @default 1 */
  outerRadius?: number;
  /** Standard deviation of the Gaussian noise added to x and to y. @default 0.1 */
  noise?: number;
  /** Share of the points held out for testing, in (0, 1). @default 0.25 */
  testFraction?: number;
}

export interface CirclesData {
  train: Dataset;
  test: Dataset;
}

/**
 * Generates the two circles from `rng` and splits them into a train and a test set.
 * @throws RangeError when count is below 4, a radius or the noise is negative, or testFraction
 *   lies outside (0, 1)
 */
export function makeCircles(rng: Rng, options: CirclesOptions = {}): CirclesData {
  const {
    count = 400,
    innerRadius = 0.5,
    outerRadius = 1,
    noise = 0.1,
    testFraction = 0.25,
  } = options;
  checkCirclesOptions(count, innerRadius, outerRadius, noise, testFraction);

  const points: { input: Vector; target: Vector }[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 2 === 0 ? 1 : 0;
    const radius = label === 1 ? innerRadius : outerRadius;
    const angle = rng.uniformIn(0, 2 * Math.PI);
    const x = radius * Math.cos(angle) + rng.normal(0, noise);
    const y = radius * Math.sin(angle) + rng.normal(0, noise);
    points.push({ input: [x, y], target: [label] });
  }
  rng.shuffle(points);

  // Each set keeps at least one point, however close testFraction comes to 0 or 1.
  const testCount = Math.min(count - 1, Math.max(1, Math.round(count * testFraction)));
  const toDataset = (part: typeof points): Dataset => ({
    inputs: part.map((p) => p.input),
    targets: part.map((p) => p.target),
  });
  return {
    test: toDataset(points.slice(0, testCount)),
    train: toDataset(points.slice(testCount)),
  };
}

function checkCirclesOptions(
  count: number,
  innerRadius: number,
  outerRadius: number,
  noise: number,
  testFraction: number,
): void {
  if (!Number.isSafeInteger(count) || count < 4) {
    throw new RangeError(`makeCircles: count is ${count}; it must be a whole number >= 4`);
  }
  for (const [name, value] of [
    ['innerRadius', innerRadius],
    ['outerRadius', outerRadius],
    ['noise', noise],
  ] as const) {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`makeCircles: ${name} is ${value}; it must be a finite number >= 0`);
    }
  }
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(
      `makeCircles: testFraction is ${testFraction}; it must lie strictly between 0 and 1`,
    );
  }
}
