import { describe, expect, it } from 'vitest';
import { makeCircles } from '../../src/data/circles.js';
import { createRng } from '../../src/primitives/random.js';

describe('circles', () => {
  it('circles split into train and test', () => {
    const { train, test } = makeCircles(createRng(1), { count: 200, testFraction: 0.25 });
    // 200 * 0.25 = 50 held out, 150 for training
    expect(test.inputs).toHaveLength(50);
    expect(train.inputs).toHaveLength(150);
    expect(train.targets).toHaveLength(150);
  });

  it('circles keep a point for training', () => {
    // 4 * 0.9 = 3.6 rounds to 4, which would leave no point to train on
    const { train, test } = makeCircles(createRng(1), { count: 4, testFraction: 0.9 });
    expect(test.inputs).toHaveLength(3);
    expect(train.inputs).toHaveLength(1);
  });

  it('circles have balanced classes', () => {
    const { train, test } = makeCircles(createRng(2), { count: 200 });
    const ones = [...train.targets, ...test.targets].filter((t) => t[0] === 1).length;
    expect(ones).toBe(100);
  });

  it('circles lie near their radius', () => {
    const { train } = makeCircles(createRng(3), { count: 400, noise: 0.05 });
    for (let i = 0; i < train.inputs.length; i++) {
      const [x, y] = train.inputs[i];
      const radius = Math.hypot(x, y);
      const expected = train.targets[i][0] === 1 ? 0.5 : 1;
      // 0.25 is five standard deviations of the noise
      expect(Math.abs(radius - expected)).toBeLessThan(0.25);
    }
  });

  it('circles repeat per seed', () => {
    expect(makeCircles(createRng(4))).toEqual(makeCircles(createRng(4)));
    expect(makeCircles(createRng(4))).not.toEqual(makeCircles(createRng(5)));
  });
});

describe('circles errors', () => {
  const rng = createRng(1);
  const cases: [string, () => unknown, string][] = [
    [
      'count',
      () => makeCircles(rng, { count: 3 }),
      'makeCircles: count is 3; it must be a whole number >= 4',
    ],
    [
      'noise',
      () => makeCircles(rng, { noise: -0.1 }),
      'makeCircles: noise is -0.1; it must be a finite number >= 0',
    ],
    [
      'innerRadius',
      () => makeCircles(rng, { innerRadius: NaN }),
      'makeCircles: innerRadius is NaN; it must be a finite number >= 0',
    ],
    [
      'testFraction',
      () => makeCircles(rng, { testFraction: 1 }),
      'makeCircles: testFraction is 1; it must lie strictly between 0 and 1',
    ],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
