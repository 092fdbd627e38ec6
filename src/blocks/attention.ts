/**
 * Layer 1: multi-head causal self-attention (Vaswani et al., 2017, "Attention is all you
 * need", sections 3.2.1 and 3.2.2).
 *
 * Every position asks a question (its query), advertises what it holds (its key) and offers
 * a value. A query scores each key by a dot product, softmax turns the scores into weights
 * that sum to 1, and the position receives the weighted mean of the values: a soft lookup in
 * a table whose keys are compared with the query, not matched exactly.
 *
 *   Q = X wQ^T,  K = X wK^T,  V = X wV^T                        (seqLen, dModel) each
 *   for each head h, on its headDim columns of Q, K and V:
 *     scores[t][s] = Q_h[t] . K_h[s] / sqrt(headDim)            (seqLen, seqLen)
 *     P_h[t]       = softmax over s <= t of scores[t][s]         (seqLen, seqLen)
 *     C_h[t]       = sum over s <= t of P_h[t][s] V_h[s]          (seqLen, headDim)
 *   C = the heads' C_h side by side,  out = C wO^T              (seqLen, dModel)
 *
 * Dividing by sqrt(headDim) keeps the scores' spread near 1 whatever the head width, since a
 * dot product of headDim unit-variance terms has variance headDim; without it softmax
 * saturates and its gradient vanishes. The causal mask lets position t read positions s <= t
 * only, so the model predicting character t + 1 cannot see it. Masked entries get weight 0,
 * as if their score were -infinity:
 *
 *             keys s ->
 *   query t   0 1 2 3
 *      0      x . . .      x: P[t][s] computed by softmax
 *      1      x x . .      .: masked, P[t][s] = 0
 *      2      x x x .
 *      3      x x x x
 *
 * Heads split dModel into numHeads slices of headDim columns, so each head computes its own
 * weights over the same positions and can track another relation (the previous character,
 * the start of the word, the rhyme) at the cost of one head of full width.
 *
 * Backward, for dOut = dL/d(out), walking the four steps in reverse:
 *
 *   dC = dOut wO,  dwO += dOut^T C
 *   dP_h[t][s] = dC_h[t] . V_h[s],  dV_h[s] += P_h[t][s] dC_h[t]
 *   dScores[t][s] = sum over r <= t of J[r][s] dP_h[t][r], with the softmax Jacobian
 *     J[r][s] = dP[r] / dScore[s] = P[r] (delta_rs - P[s]), so
 *     dScores[t][s] = P[t][s] (dP_h[t][s] - sum over r of P[t][r] dP_h[t][r])
 *   dQ_h[t] += dScores[t][s] K_h[s] / sqrt(headDim),  dK_h[s] += dScores[t][s] Q_h[t] / sqrt(headDim)
 *   dX = dQ wQ + dK wK + dV wV,  dwQ += dQ^T X (and likewise for wK and wV)
 *
 * Weights are stored as (outputs, inputs), the transpose of the paper's W^Q, so each output is
 * one dot product of two contiguous rows. As in the paper, the projections have no biases.
 *
 * Legend: seqLen positions (t queries, s and r keys), dModel (the paper's d_model), numHeads
 * (h), headDim = dModel / numHeads (the paper's d_k = d_v).
 */
import { randomMatrix, zerosMatrix } from '../primitives/matrix.js';
import type { Rng } from '../primitives/random.js';
import type { Matrix, Tensor3D, Vector } from '../primitives/shapes.js';
import { zeros3D } from '../primitives/tensor.js';
import { zeros } from '../primitives/vector.js';
import { checkSequence, positionwiseBackward, positionwiseForward } from './feed-forward.js';
import type { Parameter } from './parameters.js';

export interface AttentionConfig {
  dModel: number;
  /** Must divide dModel. */
  numHeads: number;
  /** Maximum sequence length; every buffer has this many rows. */
  maxSeqLen: number;
}

/** The trainable values of attention; the gradients have the same interface. */
export interface AttentionParams {
  /** Query projection (dModel, dModel). */
  wQ: Matrix;
  /** Key projection (dModel, dModel). */
  wK: Matrix;
  /** Value projection (dModel, dModel). */
  wV: Matrix;
  /** Output projection (dModel, dModel), applied to the concatenated heads. */
  wO: Matrix;
}

/** A multi-head causal self-attention layer with its parameters, gradients and buffers. */
export interface Attention {
  dModel: number;
  numHeads: number;
  headDim: number;
  maxSeqLen: number;
  params: AttentionParams;
  grads: AttentionParams;
  /** The input rows of the last forward call, held by reference (rows >= seqLen, dModel). */
  input: Matrix;
  /** Queries, keys and values, heads side by side (maxSeqLen, dModel) each. */
  q: Matrix;
  k: Matrix;
  v: Matrix;
  /** Attention weights P (numHeads, maxSeqLen, maxSeqLen); row t is 0 after column t. */
  probabilities: Tensor3D;
  /** The heads' outputs C side by side (maxSeqLen, dModel). */
  context: Matrix;
  /** (maxSeqLen, dModel) */
  output: Matrix;
  /** dL/dC, dL/dQ, dL/dK, dL/dV (maxSeqLen, dModel) each. */
  dContext: Matrix;
  dQ: Matrix;
  dK: Matrix;
  dV: Matrix;
  /** dL/dP and dL/d(scores) for one query row (maxSeqLen). */
  dProbabilities: Vector;
  dScores: Vector;
  /** (maxSeqLen, dModel) */
  dInput: Matrix;
}

/**
 * Creates attention with each projection drawn uniformly from +-sqrt(3 / dModel), which gives
 * its elements variance 1 / dModel.
 * @throws RangeError when a size is not a positive integer or numHeads does not divide dModel
 */
export function createAttention(config: AttentionConfig, rng: Rng): Attention {
  const { dModel, numHeads, maxSeqLen } = config;
  for (const [name, value] of Object.entries({ dModel, numHeads, maxSeqLen })) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`createAttention: ${name} is ${value}; it must be a positive integer`);
    }
  }
  if (dModel % numHeads !== 0) {
    throw new RangeError(
      `createAttention: dModel ${dModel} is not divisible by numHeads ${numHeads}; each head ` +
        'takes dModel / numHeads columns',
    );
  }
  const limit = Math.sqrt(3 / dModel);
  const projection = () => randomMatrix(dModel, dModel, rng, limit);
  const buffer = () => zerosMatrix(maxSeqLen, dModel);
  return {
    dModel,
    numHeads,
    headDim: dModel / numHeads,
    maxSeqLen,
    params: { wQ: projection(), wK: projection(), wV: projection(), wO: projection() },
    grads: {
      wQ: zerosMatrix(dModel, dModel),
      wK: zerosMatrix(dModel, dModel),
      wV: zerosMatrix(dModel, dModel),
      wO: zerosMatrix(dModel, dModel),
    },
    input: [],
    q: buffer(),
    k: buffer(),
    v: buffer(),
    probabilities: zeros3D(numHeads, maxSeqLen, maxSeqLen),
    context: buffer(),
    output: buffer(),
    dContext: buffer(),
    dQ: buffer(),
    dK: buffer(),
    dV: buffer(),
    dProbabilities: zeros(maxSeqLen),
    dScores: zeros(maxSeqLen),
    dInput: buffer(),
  };
}

/**
 * Computes causal self-attention for query positions [from, seqLen). Queries at t >= from read
 * the keys and values of every s <= t, so rows before `from` must hold what an earlier call
 * computed for the same prefix: generation passes only its new positions.
 * @param input - X (rows >= seqLen, dModel); held by reference until attentionBackward
 * @returns the layer's output buffer (maxSeqLen, dModel), overwritten by the next call
 * @throws RangeError when the input has the wrong width or seqLen is out of range
 */
export function attentionForward(
  layer: Attention,
  input: Matrix,
  seqLen: number,
  from = 0,
): Matrix {
  checkSequence('attentionForward', 'input', input, layer.dModel, seqLen, layer.maxSeqLen);
  const { params, q, k, v, context, numHeads } = layer;
  layer.input = input;

  // 1. Project every new position to its query, key and value.
  positionwiseForward(params.wQ, null, input, q, seqLen, from);
  positionwiseForward(params.wK, null, input, k, seqLen, from);
  positionwiseForward(params.wV, null, input, v, seqLen, from);

  // 2 and 3. Each head's soft lookup, one query position at a time.
  for (let h = 0; h < numHeads; h++) {
    for (let t = from; t < seqLen; t++) attendQuery(layer, h, t, seqLen);
  }

  // 4. Mix the heads back together.
  positionwiseForward(params.wO, null, context, layer.output, seqLen, from);
  return layer.output;
}

/**
 * Accumulates the gradients of wQ, wK, wV and wO and computes dInput for the last forward
 * call, which must have covered positions [0, seqLen).
 * @param dOut - dL/d(out) (rows >= seqLen, dModel)
 * @returns the layer's dInput buffer (maxSeqLen, dModel), overwritten by the next call
 * @throws RangeError when dOut has the wrong width or seqLen is out of range
 */
export function attentionBackward(layer: Attention, dOut: Matrix, seqLen: number): Matrix {
  checkSequence('attentionBackward', 'dOut', dOut, layer.dModel, seqLen, layer.maxSeqLen);
  const { params, grads, context, dContext, dQ, dK, dV, numHeads } = layer;

  // 4. out = C wO^T
  positionwiseBackward(params.wO, grads.wO, null, context, dOut, dContext, seqLen);

  for (let t = 0; t < seqLen; t++) {
    dQ[t].fill(0);
    dK[t].fill(0);
    dV[t].fill(0);
  }
  // 3 and 2. Each head's soft lookup in reverse, one query position at a time.
  for (let h = 0; h < numHeads; h++) {
    for (let t = 0; t < seqLen; t++) backpropQuery(layer, h, t);
  }

  // 1. Q = X wQ^T, K = X wK^T, V = X wV^T: dX collects all three.
  const { input, dInput } = layer;
  positionwiseBackward(params.wQ, grads.wQ, null, input, dQ, dInput, seqLen);
  positionwiseBackward(params.wK, grads.wK, null, input, dK, dInput, seqLen, true);
  positionwiseBackward(params.wV, grads.wV, null, input, dV, dInput, seqLen, true);
  return dInput;
}

/** Lists wQ, wK, wV and wO with their gradients as `<prefix>.wQ` and so on. */
export function attentionParameters(layer: Attention, prefix = 'attention'): Parameter[] {
  const { params, grads } = layer;
  return [
    { name: `${prefix}.wQ`, value: params.wQ, grad: grads.wQ },
    { name: `${prefix}.wK`, value: params.wK, grad: grads.wK },
    { name: `${prefix}.wV`, value: params.wV, grad: grads.wV },
    { name: `${prefix}.wO`, value: params.wO, grad: grads.wO },
  ];
}

/**
 * Builds the full Jacobian of softmax at p: J[r][s] = dp[r] / dz[s] = p[r] (delta_rs - p[s]),
 * the matrix diag(p) - p p^T. attentionBackward applies it to dP without building it; the
 * lesson and the tests build it to show and check that product.
 * @param probabilities - p = softmax(z) (n)
 * @returns J (n, n)
 */
export function softmaxJacobian(probabilities: Vector): Matrix {
  return probabilities.map((pr, r) => probabilities.map((ps, s) => pr * ((r === s ? 1 : 0) - ps)));
}

/**
 * Computes steps 2 and 3 for head h and query position t: the scaled scores against keys
 * s <= t, their softmax into probabilities[h][t], and the weighted mean of the values in the
 * head's columns of context[t].
 */
function attendQuery(layer: Attention, h: number, t: number, seqLen: number): void {
  const { q, k, v, headDim } = layer;
  const first = h * headDim;
  const last = first + headDim;
  const scale = 1 / Math.sqrt(headDim);
  const qRow = q[t];
  const pRow = layer.probabilities[h][t];

  // 2. Scaled dot products with keys s <= t, then softmax, subtracting the max score.
  let maxScore = -Infinity;
  for (let s = 0; s <= t; s++) {
    const kRow = k[s];
    let score = 0;
    for (let j = first; j < last; j++) score += qRow[j] * kRow[j];
    score *= scale;
    pRow[s] = score;
    if (score > maxScore) maxScore = score;
  }
  let total = 0;
  for (let s = 0; s <= t; s++) {
    pRow[s] = Math.exp(pRow[s] - maxScore);
    total += pRow[s];
  }
  for (let s = 0; s <= t; s++) pRow[s] /= total;
  for (let s = t + 1; s < seqLen; s++) pRow[s] = 0; // the causal mask

  // 3. The weighted mean of the values.
  const cRow = layer.context[t];
  for (let j = first; j < last; j++) cRow[j] = 0;
  for (let s = 0; s <= t; s++) {
    const p = pRow[s];
    const vRow = v[s];
    for (let j = first; j < last; j++) cRow[j] += p * vRow[j];
  }
}

/**
 * Sends dContext[t] back through steps 3 and 2 for head h and query position t, adding to
 * dV[s] and dK[s] for every s <= t and to dQ[t].
 */
function backpropQuery(layer: Attention, h: number, t: number): void {
  const { q, k, v, dQ, dK, dV, dProbabilities, dScores, headDim } = layer;
  const first = h * headDim;
  const last = first + headDim;
  const scale = 1 / Math.sqrt(headDim);
  const pRow = layer.probabilities[h][t];
  const dcRow = layer.dContext[t];

  // 3. C_h[t] = sum_s P[t][s] V_h[s]
  for (let s = 0; s <= t; s++) {
    const vRow = v[s];
    const dvRow = dV[s];
    const p = pRow[s];
    let dp = 0;
    for (let j = first; j < last; j++) {
      dp += dcRow[j] * vRow[j];
      dvRow[j] += p * dcRow[j];
    }
    dProbabilities[s] = dp;
  }

  // 2. P[t] = softmax(scores[t]) over s <= t. Its full Jacobian is J = diag(P) - P P^T, that
  //    is J[r][s] = P[r] (delta_rs - P[s]) (see softmaxJacobian). J is symmetric, so
  //    dScores = J dP = P * dP - P (P . dP): both terms of J, without building the matrix.
  let expected = 0;
  for (let r = 0; r <= t; r++) expected += pRow[r] * dProbabilities[r];
  for (let s = 0; s <= t; s++) dScores[s] = pRow[s] * (dProbabilities[s] - expected);

  // scores[t][s] = Q_h[t] . K_h[s] * scale
  const qRow = q[t];
  const dqRow = dQ[t];
  for (let s = 0; s <= t; s++) {
    const g = dScores[s] * scale;
    const kRow = k[s];
    const dkRow = dK[s];
    for (let j = first; j < last; j++) {
      dqRow[j] += g * kRow[j];
      dkRow[j] += g * qRow[j];
    }
  }
}
