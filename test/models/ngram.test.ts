import { describe, expect, it } from 'vitest';
import { fitNgram, ngramDistribution, ngramLoss } from '../../src/models/ngram.js';

describe('ngramDistribution', () => {
  it('interpolates a bigram by hand', () => {
    // "abab" as [0, 1, 0, 1], vocabSize 2. Unigram: C = 4, T = 2, counts a 2, b 2.
    // P1(b) = (2 + 2 * 1/2) / (4 + 2) = 1/2.
    // After "a": C = 2, T = 1, b twice. P2(b | a) = (2 + 1 * 1/2) / (2 + 1) = 5/6.
    const model = fitNgram([0, 1, 0, 1], 2, 2);
    const distribution = ngramDistribution(model, [0], 1, [0, 0]);
    expect(distribution[1]).toBeCloseTo(5 / 6, 12);
    expect(distribution[0]).toBeCloseTo(1 / 6, 12);
  });

  it('backs off past an unseen context', () => {
    // Context "b" at order 3 needs "?b", unseen after [1, 1]; the bigram after "b" decides.
    const model = fitNgram([0, 1, 0, 1], 3, 2);
    const bigram = fitNgram([0, 1, 0, 1], 2, 2);
    const fromTrigram = ngramDistribution(model, [1, 1], 2, [0, 0]);
    const fromBigram = ngramDistribution(bigram, [1, 1], 2, [0, 0]);
    expect(fromTrigram).toEqual(fromBigram);
  });
});

describe('ngramLoss', () => {
  it('averages nats over every position', () => {
    // P(a) = 1/2 at the start, P(b | a) = 5/6 twice, P(a | b) = (1 + 1/2) / (1 + 1) = 3/4.
    const model = fitNgram([0, 1, 0, 1], 2, 2);
    const expected = -(Math.log(1 / 2) + 2 * Math.log(5 / 6) + Math.log(3 / 4)) / 4;
    expect(ngramLoss(model, [0, 1, 0, 1])).toBeCloseTo(expected, 12);
  });

  it('gives unseen tokens a finite loss', () => {
    const model = fitNgram([0, 0, 0], 3, 3);
    expect(Number.isFinite(ngramLoss(model, [0, 2, 1]))).toBe(true);
  });

  it('rejects empty tokens', () => {
    expect(() => ngramLoss(fitNgram([0], 1, 1), [])).toThrow(
      'ngramLoss: tokens is empty; pass at least one token',
    );
  });
});

describe('fitNgram', () => {
  it('rejects order 0', () => {
    expect(() => fitNgram([0], 0, 2)).toThrow(
      'fitNgram: order is 0; it must be a positive integer',
    );
  });

  it('rejects contexts beyond exact keys', () => {
    expect(() => fitNgram([0], 8, 200)).toThrow(
      'fitNgram: order 8 with vocabSize 200 has more contexts than exact integer keys; use a ' +
        'lower order',
    );
  });

  it('rejects a token outside the vocabulary', () => {
    expect(() => fitNgram([0, 5], 2, 3)).toThrow(
      'fitNgram: token 1 is 5; ids must be integers in [0, 3)',
    );
  });
});
