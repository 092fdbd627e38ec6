/**
 * Layer 0: the one seeded random generator that all randomness in modelwerk goes through.
 *
 * Algorithm: xoshiro128** (Blackman and Vigna, "Scrambled linear pseudorandom number
 * generators", 2018), a 128-bit state updated with shifts, rotations and xors, scrambled by a
 * multiply. Its period is 2^128 - 1. The four state words are filled from the seed by
 * SplitMix32, so that nearby seeds (1, 2, 3) give unrelated streams. Only 32-bit integer
 * operations are used (`Math.imul`, `>>>`), so a seed gives the same numbers in every
 * JavaScript engine.
 */

/** A seeded pseudorandom generator. Create one with `createRng(seed)`. */
export interface Rng {
  /** The next 32-bit unsigned integer. */
  nextUint32(): number;
  /** A float uniform in [0, 1), with 32 random bits. */
  uniform(): number;
  /** A float uniform in [low, high). */
  uniformIn(low: number, high: number): number;
  /** A normally distributed float (Box-Muller transform). */
  normal(mean?: number, std?: number): number;
  /** An integer uniform in [0, n). */
  int(n: number): number;
  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** One element picked uniformly, or by the given weights (non-negative, not all zero). */
  choice<T>(items: readonly T[], weights?: readonly number[]): T;
}

/** Creates a generator from an integer seed; the same seed always gives the same stream. */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`createRng: seed ${seed} is not an integer; pass a whole number`);
  }
  const state = seedState(seed);
  return new Xoshiro128(state);
}

/** Expands a seed into four non-zero state words with SplitMix32. */
function seedState(seed: number): Uint32Array {
  const state = new Uint32Array(4);
  // Fold seeds beyond 32 bits into the low word so that every safe integer is accepted.
  let x = (seed ^ Math.floor(seed / 0x100000000)) >>> 0;
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    state[i] = (z ^ (z >>> 16)) >>> 0;
  }
  if (state[0] === 0 && state[1] === 0 && state[2] === 0 && state[3] === 0) {
    state[0] = 1; // the all-zero state would stay zero forever
  }
  return state;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

class Xoshiro128 implements Rng {
  constructor(private readonly s: Uint32Array) {}

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  uniform(): number {
    return this.nextUint32() / 0x100000000;
  }

  uniformIn(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  normal(mean = 0, std = 1): number {
    // Box-Muller: two uniforms give one standard normal. 1 - u keeps the log argument in (0, 1].
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return mean + std * z;
  }

  int(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new RangeError(`Rng.int: n is ${n}; it must be a positive integer`);
    }
    return Math.floor(this.uniform() * n);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  choice<T>(items: readonly T[], weights?: readonly number[]): T {
    if (items.length === 0) {
      throw new RangeError('Rng.choice: items is empty; pass at least one item');
    }
    if (weights === undefined) {
      return items[this.int(items.length)];
    }
    if (weights.length !== items.length) {
      throw new RangeError(
        `Rng.choice: ${items.length} items but ${weights.length} weights; pass one weight per item`,
      );
    }
    let total = 0;
    for (const w of weights) {
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new RangeError(`Rng.choice: weight ${w} is invalid; weights must be finite and >= 0`);
      }
      total += w;
    }
    if (total === 0) {
      throw new RangeError('Rng.choice: all weights are 0; at least one must be positive');
    }
    let r = this.uniform() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i];
      if (r < 0) return items[i];
    }
    return items[items.length - 1]; // reached only through rounding in the subtraction
  }
}
