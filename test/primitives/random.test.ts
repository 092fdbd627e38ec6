import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/primitives/random.js';

function draw(seed: number, count: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.nextUint32());
}

describe('random', () => {
  it('same seed gives the same stream', () => {
    expect(draw(42, 20)).toEqual(draw(42, 20));
  });

  it('nearby seeds give different streams', () => {
    expect(draw(1, 5)).not.toEqual(draw(2, 5));
  });

  it('uniform lies in [0, 1) with mean near 1/2', () => {
    const rng = createRng(7);
    let total = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = rng.uniform();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      total += u;
    }
    // the mean of 10,000 uniforms has standard deviation sqrt(1/12 / 10000) = 0.0029
    expect(Math.abs(total / 10_000 - 0.5)).toBeLessThan(0.015);
  });

  it('uniformIn lies in its range', () => {
    const rng = createRng(8);
    for (let i = 0; i < 1000; i++) {
      const x = rng.uniformIn(-2, 3);
      expect(x).toBeGreaterThanOrEqual(-2);
      expect(x).toBeLessThan(3);
    }
  });

  it('normal has the requested mean and std', () => {
    const rng = createRng(9);
    const n = 20_000;
    let total = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal(3, 2);
      total += x;
      squares += x * x;
    }
    const mean = total / n;
    const std = Math.sqrt(squares / n - mean * mean);
    // standard error of the mean: 2 / sqrt(20000) = 0.014
    expect(Math.abs(mean - 3)).toBeLessThan(0.07);
    expect(Math.abs(std - 2)).toBeLessThan(0.07);
  });

  it('int covers every value in range', () => {
    const rng = createRng(10);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const k = rng.int(6);
      expect(Number.isInteger(k)).toBe(true);
      seen.add(k);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('shuffle permutes in place and repeats per seed', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = createRng(11).shuffle(items);
    expect(shuffled).toBe(items);
    expect([...shuffled].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(createRng(11).shuffle([1, 2, 3, 4, 5, 6, 7, 8])).toEqual(shuffled);
  });

  it('choice picks from the items', () => {
    const rng = createRng(12);
    for (let i = 0; i < 100; i++) expect(['a', 'b', 'c']).toContain(rng.choice(['a', 'b', 'c']));
  });

  it('choice follows the weights', () => {
    const rng = createRng(13);
    for (let i = 0; i < 100; i++) expect(rng.choice(['a', 'b', 'c'], [0, 1, 0])).toBe('b');
    let countA = 0;
    for (let i = 0; i < 4000; i++) if (rng.choice(['a', 'b'], [3, 1]) === 'a') countA++;
    // expected 3/4 of 4000 = 3000, standard deviation sqrt(4000 * 3/4 * 1/4) = 27
    expect(Math.abs(countA - 3000)).toBeLessThan(150);
  });
});

describe('random errors', () => {
  const rng = createRng(1);
  const cases: [string, () => unknown, string][] = [
    [
      'createRng',
      () => createRng(1.5),
      'createRng: seed 1.5 is not an integer; pass a whole number',
    ],
    ['int', () => rng.int(0), 'Rng.int: n is 0; it must be a positive integer'],
    ['choice empty', () => rng.choice([]), 'Rng.choice: items is empty; pass at least one item'],
    [
      'choice weights length',
      () => rng.choice([1, 2], [1]),
      'Rng.choice: 2 items but 1 weights; pass one weight per item',
    ],
    [
      'choice negative weight',
      () => rng.choice([1, 2], [1, -1]),
      'Rng.choice: weight -1 is invalid; weights must be finite and >= 0',
    ],
    [
      'choice zero weights',
      () => rng.choice([1, 2], [0, 0]),
      'Rng.choice: all weights are 0; at least one must be positive',
    ],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
