/**
 * Layer 1: the sinusoidal positional encoding of Vaswani et al. (2017), "Attention is all
 * you need", section 3.5.
 *
 * Attention compares every position with every other one and sums the results, so by itself
 * it cannot tell "the cat" from "cat the". The encoding adds a fixed vector PE[pos] to the
 * embedding at each position:
 *
 *   PE[pos][2i]     = sin(pos / 10000^(2i / dModel))
 *   PE[pos][2i + 1] = cos(pos / 10000^(2i / dModel))
 *
 * Each pair of columns (2i, 2i + 1) is a clock hand turning at its own angular speed
 * omega_i = 10000^(-2i / dModel), so its wavelength is 2 pi / omega_i. The wavelengths form a
 * geometric series from 2 pi to 10000 * 2 pi: each pair turns slower than the previous one by
 * the same factor 10000^(2 / dModel). That spacing matters for two reasons:
 *
 * - Like the digits of a number, fast hands tell neighbouring positions apart and slow hands
 *   tell distant ones apart. A constant ratio spends the same number of pairs on every scale
 *   (a few characters, a line, a stanza) instead of crowding them at one end.
 * - For any fixed offset k, PE[pos + k] is PE[pos] with each pair rotated by the angle
 *   k * omega_i, a linear map that does not depend on pos. So a query can learn to look "k
 *   characters back" with the same weights at every position.
 *
 * The encoding has no parameters. The gradient flows through the addition unchanged, so there
 * is no backward function here.
 *
 * Legend: maxSeqLen positions, dModel (the paper's d_model) columns, i pair index.
 */
import { zerosMatrix } from '../primitives/matrix.js';
import type { Matrix, Vector } from '../primitives/shapes.js';

/** The base of the geometric series of wavelengths, 10000 in the paper. */
export const POSITIONAL_BASE = 10000;

/**
 * Computes the encoding for positions 0 to maxSeqLen - 1.
 * @returns PE (maxSeqLen, dModel)
 * @throws RangeError when maxSeqLen is not a positive integer or dModel is not a positive
 *   even integer
 */
export function createPositionalEncoding(maxSeqLen: number, dModel: number): Matrix {
  checkSizes('createPositionalEncoding', maxSeqLen, dModel);
  const encoding = zerosMatrix(maxSeqLen, dModel);
  const speeds = angularSpeeds(dModel);
  for (let pos = 0; pos < maxSeqLen; pos++) {
    const row = encoding[pos];
    for (let i = 0; i < dModel / 2; i++) {
      row[2 * i] = Math.sin(pos * speeds[i]);
      row[2 * i + 1] = Math.cos(pos * speeds[i]);
    }
  }
  return encoding;
}

/**
 * Computes the wavelength, in positions, of each column pair: 2 pi * 10000^(2i / dModel).
 * @returns (dModel / 2) wavelengths, each the previous one times 10000^(2 / dModel)
 * @throws RangeError when dModel is not a positive even integer
 */
export function positionalWavelengths(dModel: number): Vector {
  checkSizes('positionalWavelengths', 1, dModel);
  return angularSpeeds(dModel).map((speed) => (2 * Math.PI) / speed);
}

/**
 * Adds PE to rows [from, seqLen) of `x` in place: x[t] += PE[t].
 * @param x - (rows >= seqLen, dModel), usually the embedding output
 * @param encoding - PE from createPositionalEncoding (maxSeqLen, dModel)
 * @throws RangeError when the widths differ or seqLen exceeds the rows of either matrix
 */
export function addPositionalEncoding(x: Matrix, encoding: Matrix, seqLen: number, from = 0): void {
  const width = x.length === 0 ? 0 : x[0].length;
  if (width !== encoding[0].length || seqLen > x.length || seqLen > encoding.length) {
    throw new RangeError(
      `addPositionalEncoding: x is (${x.length}, ${width}) and the encoding is ` +
        `(${encoding.length}, ${encoding[0].length}) for seqLen ${seqLen}; the widths must be ` +
        'equal and both must have at least seqLen rows',
    );
  }
  for (let t = from; t < seqLen; t++) {
    const row = x[t];
    const peRow = encoding[t];
    for (let j = 0; j < width; j++) row[j] += peRow[j];
  }
}

/** omega_i = 10000^(-2i / dModel) for each pair i. */
function angularSpeeds(dModel: number): Vector {
  const speeds = new Array<number>(dModel / 2);
  for (let i = 0; i < dModel / 2; i++) {
    speeds[i] = POSITIONAL_BASE ** ((-2 * i) / dModel);
  }
  return speeds;
}

function checkSizes(fn: string, maxSeqLen: number, dModel: number): void {
  if (!Number.isSafeInteger(maxSeqLen) || maxSeqLen < 1) {
    throw new RangeError(`${fn}: maxSeqLen is ${maxSeqLen}; it must be a positive integer`);
  }
  if (!Number.isSafeInteger(dModel) || dModel < 2 || dModel % 2 !== 0) {
    throw new RangeError(
      `${fn}: dModel is ${dModel}; it must be a positive even integer, one sine and one ` +
        'cosine column per pair',
    );
  }
}
