import { describe, expect, it } from 'vitest';
import {
  createEmbedding,
  embeddingBackward,
  embeddingForward,
  embeddingParameters,
} from '../../src/blocks/embedding.js';
import { checkGradient } from '../../src/blocks/gradcheck.js';
import { createRng } from '../../src/primitives/random.js';

describe('embeddingForward', () => {
  it('looks up and scales rows', () => {
    const layer = createEmbedding(
      { vocabSize: 3, dModel: 2, maxSeqLen: 4, scale: 2 },
      createRng(1),
    );
    layer.params.table = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const out = embeddingForward(layer, [2, 0, 2]);
    // scale 2: 2 * [5, 6], 2 * [1, 2], 2 * [5, 6]
    expect(out.slice(0, 3)).toEqual([
      [10, 12],
      [2, 4],
      [10, 12],
    ]);
  });

  it('scales by sqrt(dModel) by default', () => {
    const layer = createEmbedding({ vocabSize: 2, dModel: 4, maxSeqLen: 1 }, createRng(1));
    expect(layer.scale).toBe(2);
  });

  it('rejects an id outside the vocabulary', () => {
    const layer = createEmbedding({ vocabSize: 3, dModel: 2, maxSeqLen: 4 }, createRng(1));
    expect(() => embeddingForward(layer, [0, 3])).toThrow(
      'embeddingForward: token 1 is 3 but the vocabulary has 3 entries; ids must be integers ' +
        'in [0, 3)',
    );
  });

  it('rejects more tokens than maxSeqLen', () => {
    const layer = createEmbedding({ vocabSize: 3, dModel: 2, maxSeqLen: 2 }, createRng(1));
    expect(() => embeddingForward(layer, [0, 1, 2])).toThrow(
      'embeddingForward: 3 tokens but the buffers hold maxSeqLen 2; pass at most maxSeqLen tokens',
    );
  });

  it('rejects a zero vocabSize', () => {
    expect(() => createEmbedding({ vocabSize: 0, dModel: 2, maxSeqLen: 2 }, createRng(1))).toThrow(
      'createEmbedding: vocabSize is 0; it must be a positive integer',
    );
  });
});

describe('embeddingBackward', () => {
  it('matches finite differences with a repeated token', () => {
    const rng = createRng(3);
    const layer = createEmbedding({ vocabSize: 4, dModel: 3, maxSeqLen: 5 }, rng);
    const tokens = [1, 3, 1, 0];
    const weight = tokens.map(() => [rng.normal(), rng.normal(), rng.normal()]);
    const loss = () => {
      const out = embeddingForward(layer, tokens);
      let total = 0;
      weight.forEach((row, t) => row.forEach((w, j) => (total += w * out[t][j])));
      return total;
    };
    loss();
    embeddingBackward(layer, weight, tokens.length);
    const [table] = embeddingParameters(layer);
    expect(checkGradient(loss, table.value, table.grad).maxRelativeError).toBeLessThan(1e-8);
    expect(layer.grads.table[2]).toEqual([0, 0, 0]); // token 2 never occurs
  });

  it('rejects dOut of the wrong width', () => {
    const layer = createEmbedding({ vocabSize: 4, dModel: 3, maxSeqLen: 5 }, createRng(1));
    expect(() => embeddingBackward(layer, [[1, 2]], 1)).toThrow(
      'embeddingBackward: dOut is (1, 2) for seqLen 1 but the layer has dModel 3 and maxSeqLen ' +
        '5; dOut must have dModel columns and at least seqLen rows',
    );
  });
});
