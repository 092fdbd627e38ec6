import { describe, expect, it } from 'vitest';
import {
  addPositionalEncoding,
  createPositionalEncoding,
  positionalWavelengths,
} from '../../src/blocks/positional-encoding.js';

describe('createPositionalEncoding', () => {
  it('matches the sine and cosine formula', () => {
    const encoding = createPositionalEncoding(3, 4);
    // dModel 4: pair 0 turns at 10000^0 = 1 radian per position, pair 1 at 10000^(-2/4) = 0.01.
    expect(encoding[0]).toEqual([0, 1, 0, 1]);
    const row = encoding[2];
    expect(row[0]).toBeCloseTo(Math.sin(2), 12);
    expect(row[1]).toBeCloseTo(Math.cos(2), 12);
    expect(row[2]).toBeCloseTo(Math.sin(0.02), 12);
    expect(row[3]).toBeCloseTo(Math.cos(0.02), 12);
  });

  it('shifts by a rotation that ignores the position', () => {
    // PE[pos + k] for pair i is PE[pos] rotated by k * omega_i, the same for every pos.
    const encoding = createPositionalEncoding(20, 8);
    const omega = 10000 ** (-2 / 8); // pair 1
    const [c, s] = [Math.cos(3 * omega), Math.sin(3 * omega)];
    for (const pos of [0, 5, 16]) {
      const [sin, cos] = [encoding[pos][2], encoding[pos][3]];
      expect(encoding[pos + 3][2]).toBeCloseTo(sin * c + cos * s, 12);
      expect(encoding[pos + 3][3]).toBeCloseTo(cos * c - sin * s, 12);
    }
  });

  it('rejects an odd dModel', () => {
    expect(() => createPositionalEncoding(4, 5)).toThrow(
      'createPositionalEncoding: dModel is 5; it must be a positive even integer, one sine and ' +
        'one cosine column per pair',
    );
  });

  it('rejects a zero maxSeqLen', () => {
    expect(() => createPositionalEncoding(0, 4)).toThrow(
      'createPositionalEncoding: maxSeqLen is 0; it must be a positive integer',
    );
  });
});

describe('positionalWavelengths', () => {
  it('form a geometric series from 2 pi', () => {
    const wavelengths = positionalWavelengths(8);
    // ratio 10000^(2/8) = 10, so 2 pi, 20 pi, 200 pi, 2000 pi
    expect(wavelengths[0]).toBeCloseTo(2 * Math.PI, 12);
    for (let i = 1; i < 4; i++) {
      expect(wavelengths[i] / wavelengths[i - 1]).toBeCloseTo(10, 10);
    }
  });
});

describe('addPositionalEncoding', () => {
  it('adds rows from a start position', () => {
    const encoding = createPositionalEncoding(3, 2);
    const x = [
      [1, 1],
      [1, 1],
      [1, 1],
    ];
    addPositionalEncoding(x, encoding, 3, 1);
    expect(x[0]).toEqual([1, 1]);
    expect(x[1]).toEqual([1 + Math.sin(1), 1 + Math.cos(1)]);
    expect(x[2]).toEqual([1 + Math.sin(2), 1 + Math.cos(2)]);
  });

  it('rejects a width mismatch', () => {
    expect(() => addPositionalEncoding([[1, 2, 3]], createPositionalEncoding(2, 2), 1)).toThrow(
      'addPositionalEncoding: x is (1, 3) and the encoding is (2, 2) for seqLen 1; the widths ' +
        'must be equal and both must have at least seqLen rows',
    );
  });
});
