import { describe, expect, it } from 'vitest';
import { checkGradient } from '../../src/blocks/gradcheck.js';

describe('checkGradient', () => {
  it('accepts the exact gradient of a quadratic', () => {
    // L = sum w^2, so dL/dw = 2w.
    const w = [[1, -2, 0.5]];
    const loss = () => w[0].reduce((s, v) => s + v * v, 0);
    const result = checkGradient(loss, w, [[2, -4, 1]]);
    expect(result.maxRelativeError).toBeLessThan(1e-8);
    expect(result.checked).toBe(3);
  });

  it('reports the worst wrong element', () => {
    const w = [1, 2];
    const loss = () => w[0] * w[0] + w[1] * w[1];
    const result = checkGradient(loss, w, [2, 5]); // the true gradient at index 1 is 4
    expect(result.worstIndex).toEqual([1]);
    expect(result.worstAnalytic).toBe(5);
    expect(result.worstNumeric).toBeCloseTo(4, 6);
    expect(result.maxRelativeError).toBeCloseTo(1 / 9, 6);
  });

  it('restores the perturbed values', () => {
    const w = [0.1, 0.2, 0.3];
    checkGradient(() => w[0] + w[1] + w[2], w, [1, 1, 1]);
    expect(w).toEqual([0.1, 0.2, 0.3]);
  });

  it('samples at most maxChecks elements', () => {
    const w = new Array<number>(100).fill(1);
    const result = checkGradient(() => w.reduce((s, v) => s + v, 0), w, w.slice(), {
      maxChecks: 10,
    });
    expect(result.checked).toBe(10);
  });

  it('rejects gradients of another shape', () => {
    expect(() => checkGradient(() => 0, [[1, 2]], [1, 2])).toThrow(
      'checkGradient: value is (1, 2) but analytic is (2); the shapes must be equal',
    );
  });
});
