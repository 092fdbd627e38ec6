/**
 * Layer 1: a token embedding, the lookup table that turns token ids into vectors (Vaswani et
 * al., 2017, "Attention is all you need", section 3.4).
 *
 *   out[t] = scale * E[token[t]]
 *
 * Looking up row E[id] is the same as multiplying a one-hot vector by E, so the gradient of
 * the table is the one-hot outer product. Each position adds its dOut row to the row of its
 * token, and rows of tokens that do not occur get nothing.
 *
 *   dE[token[t]] += scale * dOut[t]
 *
 * The paper multiplies the embedding by sqrt(dModel), which brings rows drawn with standard
 * deviation dModel^-0.5 to about unit size, the size of the positional encoding added to them.
 *
 * Legend: vocabSize tokens, dModel (the paper's d_model) columns, seqLen positions.
 */
import { randomNormalMatrix, zerosMatrix } from '../primitives/matrix.js';
import type { Rng } from '../primitives/random.js';
import type { Matrix } from '../primitives/shapes.js';
import type { Parameter } from './parameters.js';

export interface EmbeddingConfig {
  vocabSize: number;
  dModel: number;
  /** Maximum sequence length; every buffer has this many rows. */
  maxSeqLen: number;
  /** Factor applied to every looked-up row. @default sqrt(dModel) */
  scale?: number;
}

/** The trainable values of an embedding; the gradients have the same interface. */
export interface EmbeddingParams {
  /** E (vocabSize, dModel): row id is the vector of token id. */
  table: Matrix;
}

/** A token embedding with its parameters, gradients and output buffer. */
export interface Embedding {
  vocabSize: number;
  dModel: number;
  maxSeqLen: number;
  scale: number;
  params: EmbeddingParams;
  grads: EmbeddingParams;
  /** The token ids of the last forward call (maxSeqLen); the first seqLen are valid. */
  tokens: number[];
  /** (maxSeqLen, dModel); the first seqLen rows are valid. */
  output: Matrix;
}

/**
 * Creates an embedding with rows drawn from normal(0, dModel^-0.5).
 * @throws RangeError when a size is not a positive integer
 */
export function createEmbedding(config: EmbeddingConfig, rng: Rng): Embedding {
  const { vocabSize, dModel, maxSeqLen } = config;
  for (const [name, value] of Object.entries({ vocabSize, dModel, maxSeqLen })) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`createEmbedding: ${name} is ${value}; it must be a positive integer`);
    }
  }
  return {
    vocabSize,
    dModel,
    maxSeqLen,
    scale: config.scale ?? Math.sqrt(dModel),
    params: { table: randomNormalMatrix(vocabSize, dModel, rng, dModel ** -0.5) },
    grads: { table: zerosMatrix(vocabSize, dModel) },
    tokens: new Array<number>(maxSeqLen).fill(0),
    output: zerosMatrix(maxSeqLen, dModel),
  };
}

/**
 * Looks up positions [from, tokens.length): out[t] = scale * E[tokens[t]]. Rows before `from`
 * keep what an earlier call wrote there.
 * @param tokens - token ids (seqLen), each an integer in [0, vocabSize)
 * @param from - the first position to compute; generation passes the new positions only
 * @returns the layer's output buffer (maxSeqLen, dModel), overwritten by the next call
 * @throws RangeError when seqLen exceeds maxSeqLen or a token id is out of range
 */
export function embeddingForward(layer: Embedding, tokens: readonly number[], from = 0): Matrix {
  const seqLen = tokens.length;
  if (seqLen > layer.maxSeqLen) {
    throw new RangeError(
      `embeddingForward: ${seqLen} tokens but the buffers hold maxSeqLen ${layer.maxSeqLen}; ` +
        'pass at most maxSeqLen tokens',
    );
  }
  const table = layer.params.table;
  for (let t = from; t < seqLen; t++) {
    const id = tokens[t];
    if (!Number.isInteger(id) || id < 0 || id >= layer.vocabSize) {
      throw new RangeError(
        `embeddingForward: token ${t} is ${id} but the vocabulary has ${layer.vocabSize} ` +
          `entries; ids must be integers in [0, ${layer.vocabSize})`,
      );
    }
    layer.tokens[t] = id;
    const row = layer.output[t];
    const tableRow = table[id];
    for (let j = 0; j < layer.dModel; j++) row[j] = layer.scale * tableRow[j];
  }
  return layer.output;
}

/**
 * Accumulates dE from dOut for the last forward call's first seqLen tokens. The input is
 * token ids, which have no gradient, so nothing is returned.
 * @param dOut - dL/d(out) (rows >= seqLen, dModel)
 * @throws RangeError when dOut has the wrong width or too few rows
 */
export function embeddingBackward(layer: Embedding, dOut: Matrix, seqLen: number): void {
  const width = dOut.length === 0 ? 0 : dOut[0].length;
  if (width !== layer.dModel || dOut.length < seqLen || seqLen > layer.maxSeqLen) {
    throw new RangeError(
      `embeddingBackward: dOut is (${dOut.length}, ${width}) for seqLen ${seqLen} but the ` +
        `layer has dModel ${layer.dModel} and maxSeqLen ${layer.maxSeqLen}; dOut must have ` +
        'dModel columns and at least seqLen rows',
    );
  }
  // out[t] = scale * E[token[t]], so dE[token[t]] += scale * dOut[t].
  const dTable = layer.grads.table;
  for (let t = 0; t < seqLen; t++) {
    const dRow = dTable[layer.tokens[t]];
    const dOutRow = dOut[t];
    for (let j = 0; j < layer.dModel; j++) dRow[j] += layer.scale * dOutRow[j];
  }
}

/** Lists the table and its gradient as `<prefix>.table`. */
export function embeddingParameters(layer: Embedding, prefix = 'embedding'): Parameter[] {
  return [{ name: `${prefix}.table`, value: layer.params.table, grad: layer.grads.table }];
}
