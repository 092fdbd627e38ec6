/**
 * Layer 2: a decoder-only, character-level transformer (Vaswani et al., 2017, "Attention is
 * all you need"), trained to predict the next character of a text.
 *
 *   tokens (seqLen)                                  character ids
 *     | embedding * sqrt(dModel) + positional encoding
 *   x_0 (seqLen, dModel)                             the residual stream
 *     | numLayers blocks, each:
 *     |   h       = x + attention(layerNorm1(x))     (seqLen, dModel)
 *     |   x_next  = h + feedForward(layerNorm2(h))   (seqLen, dModel)
 *   x_N (seqLen, dModel)
 *     | final layer norm, then logits = y W^T + b
 *   logits (seqLen, vocabSize)
 *     | softmax cross-entropy against the next character at each position
 *   loss (nats per character)
 *
 * Pre-norm or post-norm: the paper normalizes after each residual addition,
 * x_next = layerNorm(x + sublayer(x)). This model normalizes the sub-layer's input instead and
 * leaves the sum alone (pre-norm, as GPT-2 does). The residual stream is then a chain of
 * plain additions from the embedding to the final norm. The gradient of an addition passes
 * unchanged to both terms, so every block receives the loss gradient directly rather than
 * through numLayers normalizations. Pre-norm trains stably with little or no warm-up;
 * post-norm needs it, because early gradients near the output are large. The cost is one
 * extra layer norm at the end, since the stream itself is never normalized.
 *
 * Departures from the paper are listed, with reasons, in TRANSFORMER_DEPARTURES below; the
 * lesson narrates the same list.
 *
 * Legend: vocabSize (characters), seqLen positions (maxSeqLen at most), dModel (the paper's
 * d_model), numHeads (h), headDim = dModel / numHeads (d_k), dFF (d_ff), numLayers (N).
 */
import {
  attentionBackward,
  attentionForward,
  attentionParameters,
  createAttention,
  type Attention,
} from '../blocks/attention.js';
import {
  createEmbedding,
  embeddingBackward,
  embeddingForward,
  embeddingParameters,
  type Embedding,
} from '../blocks/embedding.js';
import {
  createFeedForward,
  feedForwardBackward,
  feedForwardForward,
  feedForwardParameters,
  positionwiseBackward,
  positionwiseForward,
  type FeedForward,
} from '../blocks/feed-forward.js';
import {
  createLayerNorm,
  layerNormBackward,
  layerNormForward,
  layerNormParameters,
  type LayerNorm,
} from '../blocks/layer-norm.js';
import {
  clipGradientNorm,
  createAdam,
  createSgd,
  warmupSchedule,
  type Optimizer,
} from '../blocks/optimizers.js';
import {
  findNonFiniteGradient,
  gradientNorm,
  zeroGradients,
  type Parameter,
} from '../blocks/parameters.js';
import { addPositionalEncoding, createPositionalEncoding } from '../blocks/positional-encoding.js';
import { randomMatrix, zerosMatrix } from '../primitives/matrix.js';
import { TrainingDivergedError } from '../primitives/errors.js';
import type { Rng } from '../primitives/random.js';
import type { Matrix, Vector } from '../primitives/shapes.js';
import { zeros } from '../primitives/vector.js';

/** One way this model differs from the paper's, why, and what it does to the results. */
export interface Departure {
  what: string;
  why: string;
  effect: string;
}

/** The departures of this model from Vaswani et al. (2017), which the lesson narrates. */
export const TRANSFORMER_DEPARTURES: Departure[] = [
  {
    what: 'decoder only: no encoder and no encoder-decoder attention',
    why: 'the task continues one text, so there is no source sentence to encode',
    effect: 'one stack of masked self-attention blocks, as in GPT',
  },
  {
    what: 'layer norm before each sub-layer (pre-norm), plus a final layer norm',
    why: 'the residual stream stays a chain of additions, so gradients reach every block directly',
    effect: 'trains stably at a high learning rate from the first steps',
  },
  {
    what: 'characters instead of a 37,000-token byte-pair vocabulary',
    why: 'the sonnets use about 60 distinct characters, and every one can be shown and counted',
    effect: 'the model must learn to spell before it can learn words',
  },
  {
    what: 'a small model: a couple of blocks a few dozen wide instead of 6 blocks of width 512',
    why: 'every multiply runs in plain JavaScript on a CPU, in minutes',
    effect: 'the model learns spelling, metre and common phrases, not sense',
  },
  {
    what: 'no dropout (the paper drops 10% of each sub-layer output) and no label smoothing',
    why: 'runs stay deterministic and short, and the reported loss stays the true cross-entropy',
    effect: 'some overfitting; the gap between training and held-out loss shows how much',
  },
  {
    what: 'a separate output projection instead of one shared with the embedding',
    why: 'each matrix gets its own plain gradient; sharing saves only vocabSize * dModel weights',
    effect: 'slightly more parameters, no measurable change in loss at this size',
  },
];

export interface TransformerConfig {
  vocabSize: number;
  dModel: number;
  numHeads: number;
  numLayers: number;
  /** Feed-forward hidden width, 4 * dModel in the paper. */
  dFF: number;
  /** Maximum sequence length; every buffer has this many rows. */
  maxSeqLen: number;
  /**
   * Whether each sub-layer's output is added to its input. Without it the blocks form a
   * plain deep stack, which the lesson uses to show what the skip connections do.
   * @default true
   */
  residual?: boolean;
}

/** One transformer block: attention and feed-forward, each behind a layer norm. */
export interface TransformerBlock {
  norm1: LayerNorm;
  attention: Attention;
  norm2: LayerNorm;
  feedForward: FeedForward;
  /** h = x + attention(norm1(x)) (maxSeqLen, dModel) */
  afterAttention: Matrix;
  /** x_next = h + feedForward(norm2(h)) (maxSeqLen, dModel) */
  output: Matrix;
  /** dL/dh (maxSeqLen, dModel) */
  dAfterAttention: Matrix;
  /** dL/dx (maxSeqLen, dModel) */
  dInput: Matrix;
}

/** The trainable values of the output projection; the gradients have the same interface. */
export interface OutputParams {
  /** W (vocabSize, dModel) */
  weights: Matrix;
  /** b (vocabSize) */
  bias: Vector;
}

/** A transformer with all its layers and the buffers its forward and backward passes reuse. */
export interface Transformer {
  config: Required<TransformerConfig>;
  embedding: Embedding;
  /** The fixed sinusoidal encoding PE (maxSeqLen, dModel). */
  positions: Matrix;
  blocks: TransformerBlock[];
  finalNorm: LayerNorm;
  output: { params: OutputParams; grads: OutputParams };
  /** (maxSeqLen, vocabSize); the first seqLen rows are valid. */
  logits: Matrix;
  /** dL/d(logits) (maxSeqLen, vocabSize), written by transformerLoss. */
  dLogits: Matrix;
  /** dL/dy, the gradient at the final norm's output (maxSeqLen, dModel). */
  dNormalized: Matrix;
  /** The sequence length of the last forward call. */
  seqLen: number;
}

/**
 * Creates a transformer with random weights from the generator.
 * @throws RangeError when a size is not a positive integer, numHeads does not divide dModel or
 *   dModel is odd
 */
export function createTransformer(config: TransformerConfig, rng: Rng): Transformer {
  const { vocabSize, dModel, numHeads, numLayers, dFF, maxSeqLen } = config;
  if (!Number.isSafeInteger(numLayers) || numLayers < 1) {
    throw new RangeError(
      `createTransformer: numLayers is ${numLayers}; it must be a positive integer`,
    );
  }
  const blocks: TransformerBlock[] = [];
  const embedding = createEmbedding({ vocabSize, dModel, maxSeqLen }, rng);
  for (let l = 0; l < numLayers; l++) {
    blocks.push({
      norm1: createLayerNorm({ dModel, maxSeqLen }),
      attention: createAttention({ dModel, numHeads, maxSeqLen }, rng),
      norm2: createLayerNorm({ dModel, maxSeqLen }),
      feedForward: createFeedForward({ dModel, dFF, maxSeqLen }, rng),
      afterAttention: zerosMatrix(maxSeqLen, dModel),
      output: zerosMatrix(maxSeqLen, dModel),
      dAfterAttention: zerosMatrix(maxSeqLen, dModel),
      dInput: zerosMatrix(maxSeqLen, dModel),
    });
  }
  return {
    config: { ...config, residual: config.residual ?? true },
    embedding,
    positions: createPositionalEncoding(maxSeqLen, dModel),
    blocks,
    finalNorm: createLayerNorm({ dModel, maxSeqLen }),
    output: {
      params: {
        weights: randomMatrix(vocabSize, dModel, rng, Math.sqrt(3 / dModel)),
        bias: zeros(vocabSize),
      },
      grads: { weights: zerosMatrix(vocabSize, dModel), bias: zeros(vocabSize) },
    },
    logits: zerosMatrix(maxSeqLen, vocabSize),
    dLogits: zerosMatrix(maxSeqLen, vocabSize),
    dNormalized: zerosMatrix(maxSeqLen, dModel),
    seqLen: 0,
  };
}

/**
 * Computes the logits for positions [from, tokens.length). Rows before `from` must hold what
 * an earlier call computed for the same prefix, which lets generation pass only new positions.
 * @param tokens - character ids (seqLen), seqLen <= maxSeqLen
 * @returns the model's logits buffer (maxSeqLen, vocabSize); row t scores the character
 *   after tokens[t]; overwritten by the next call
 * @throws RangeError when there are more tokens than maxSeqLen or an id is out of range
 */
export function transformerForward(
  model: Transformer,
  tokens: readonly number[],
  from = 0,
): Matrix {
  const seqLen = tokens.length;
  const residual = model.config.residual;

  // 1. Embed each character and add its position's encoding.
  let x = embeddingForward(model.embedding, tokens, from);
  addPositionalEncoding(x, model.positions, seqLen, from);

  // 2. The blocks, each adding attention's and the feed-forward network's output to x.
  for (const block of model.blocks) {
    const normalized1 = layerNormForward(block.norm1, x, seqLen, from);
    const attended = attentionForward(block.attention, normalized1, seqLen, from);
    addRows(block.afterAttention, residual ? x : null, attended, seqLen, from);

    const normalized2 = layerNormForward(block.norm2, block.afterAttention, seqLen, from);
    const transformed = feedForwardForward(block.feedForward, normalized2, seqLen, from);
    addRows(block.output, residual ? block.afterAttention : null, transformed, seqLen, from);
    x = block.output;
  }

  // 3. Final norm and the projection to one logit per character.
  const y = layerNormForward(model.finalNorm, x, seqLen, from);
  const { weights, bias } = model.output.params;
  positionwiseForward(weights, bias, y, model.logits, seqLen, from);
  model.seqLen = seqLen;
  return model.logits;
}

/**
 * Computes the mean cross-entropy, in nats per character, of the last forward call's logits
 * against the next characters, and writes its gradient times `gradientScale` into dLogits:
 * dLogits[t] = gradientScale * (softmax(logits[t]) - onehot(targets[t])) / seqLen.
 * @param targets - the character after each input position (seqLen)
 * @param gradientScale - 1 / batchSize when the batch loss is the mean of its sequences' losses
 * @throws RangeError when targets has another length than the last forward's tokens
 */
export function transformerLoss(
  model: Transformer,
  targets: readonly number[],
  gradientScale = 1,
): number {
  const seqLen = model.seqLen;
  if (targets.length !== seqLen) {
    throw new RangeError(
      `transformerLoss: targets has length ${targets.length} but the last forward call had ` +
        `seqLen ${seqLen}; pass one target per position`,
    );
  }
  const vocabSize = model.config.vocabSize;
  let total = 0;
  for (let t = 0; t < seqLen; t++) {
    const row = model.logits[t];
    const dRow = model.dLogits[t];
    // log softmax(z)_target = z_target - m - log sum_k e^(z_k - m), with m = max(z).
    let m = row[0];
    for (let c = 1; c < vocabSize; c++) if (row[c] > m) m = row[c];
    let sumExp = 0;
    for (let c = 0; c < vocabSize; c++) {
      dRow[c] = Math.exp(row[c] - m);
      sumExp += dRow[c];
    }
    total += m + Math.log(sumExp) - row[targets[t]];
    // d(-log softmax_target)/dz = softmax(z) - onehot(target)
    const factor = gradientScale / (seqLen * sumExp);
    for (let c = 0; c < vocabSize; c++) dRow[c] *= factor;
    dRow[targets[t]] -= gradientScale / seqLen;
  }
  return total / seqLen;
}

/**
 * Sends dLogits back through the last forward call and accumulates every parameter's
 * gradient. Call transformerForward (from 0) and transformerLoss first.
 */
export function transformerBackward(model: Transformer): void {
  const seqLen = model.seqLen;
  const residual = model.config.residual;

  // 3. logits = y W^T + b, then y = finalNorm(x_N).
  const { params, grads } = model.output;
  const y = model.finalNorm.output;
  positionwiseBackward(
    params.weights,
    grads.weights,
    grads.bias,
    y,
    model.dLogits,
    model.dNormalized,
    seqLen,
  );
  let dX = layerNormBackward(model.finalNorm, model.dNormalized, seqLen);

  // 2. The blocks in reverse. An addition passes its gradient to both terms unchanged.
  for (let l = model.blocks.length - 1; l >= 0; l--) {
    const block = model.blocks[l];
    // x_next = h + feedForward(norm2(h))
    const dNormalized2 = feedForwardBackward(block.feedForward, dX, seqLen);
    const dFromFeedForward = layerNormBackward(block.norm2, dNormalized2, seqLen);
    addRows(block.dAfterAttention, residual ? dX : null, dFromFeedForward, seqLen, 0);

    // h = x + attention(norm1(x))
    const dNormalized1 = attentionBackward(block.attention, block.dAfterAttention, seqLen);
    const dFromAttention = layerNormBackward(block.norm1, dNormalized1, seqLen);
    addRows(block.dInput, residual ? block.dAfterAttention : null, dFromAttention, seqLen, 0);
    dX = block.dInput;
  }

  // 1. x_0 = embedding + PE; the encoding is fixed, so the whole gradient goes to the table.
  embeddingBackward(model.embedding, dX, seqLen);
}

/**
 * Lists every parameter with its gradient: `embedding.table`, `blocks.<l>.norm1.gain`,
 * `blocks.<l>.attention.wQ`, `blocks.<l>.feedForward.ffExpand`, ..., `finalNorm.gain`,
 * `output.weights`, `output.bias`.
 */
export function transformerParameters(model: Transformer): Parameter[] {
  const parameters = embeddingParameters(model.embedding, 'embedding');
  model.blocks.forEach((block, l) => {
    parameters.push(
      ...layerNormParameters(block.norm1, `blocks.${l}.norm1`),
      ...attentionParameters(block.attention, `blocks.${l}.attention`),
      ...layerNormParameters(block.norm2, `blocks.${l}.norm2`),
      ...feedForwardParameters(block.feedForward, `blocks.${l}.feedForward`),
    );
  });
  parameters.push(...layerNormParameters(model.finalNorm, 'finalNorm'));
  const { params, grads } = model.output;
  parameters.push(
    { name: 'output.weights', value: params.weights, grad: grads.weights },
    { name: 'output.bias', value: params.bias, grad: grads.bias },
  );
  return parameters;
}

/**
 * Writes out[t] = a[t] + b[t] for rows [from, seqLen), or out[t] = b[t] when a is null (a
 * block without its residual connection).
 */
function addRows(out: Matrix, a: Matrix | null, b: Matrix, seqLen: number, from: number): void {
  for (let t = from; t < seqLen; t++) {
    const outRow = out[t];
    const bRow = b[t];
    if (a === null) {
      for (let j = 0; j < outRow.length; j++) outRow[j] = bRow[j];
    } else {
      const aRow = a[t];
      for (let j = 0; j < outRow.length; j++) outRow[j] = aRow[j] + bRow[j];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Training

/** How to train: batches of windows cut from the training text, one optimizer step each. */
export interface TrainingSettings {
  steps: number;
  /** Windows per step; the step follows the mean of their losses. */
  batchSize: number;
  /** Characters per window, at most maxSeqLen. */
  seqLen: number;
  optimizer: 'adam' | 'sgd';
  /**
   * For Adam, the factor on the paper's warm-up schedule
   * scale * dModel^-0.5 * min(step^-0.5, step * warmupSteps^-1.5); for SGD, the fixed rate.
   */
  learningRate: number;
  /** Steps of linear warm-up (Adam only). */
  warmupSteps: number;
  /** Gradients are scaled down together when their global norm exceeds this. */
  maxGradientNorm: number;
}

/** The record of one training step. */
export interface StepRecord {
  step: number;
  /** Mean cross-entropy of the batch before the update, in nats per character. */
  loss: number;
  learningRate: number;
  /** Global gradient norm before clipping. */
  gradientNorm: number;
}

/** A model with its optimizer and schedule, ready for trainStep. */
export interface Trainer {
  model: Transformer;
  parameters: Parameter[];
  optimizer: Optimizer;
  learningRateAt: (step: number) => number;
  maxGradientNorm: number;
  /** Steps taken so far. */
  step: number;
}

/** One batch of windows: inputs[b] and targets[b] are the same text shifted by one. */
export interface Batch {
  inputs: number[][];
  targets: number[][];
}

/**
 * Creates the optimizer for a model: Adam with beta2 = 0.98 and epsilon = 1e-9 as in the
 * paper, under the warm-up schedule, or plain SGD at a fixed rate.
 */
export function createTrainer(model: Transformer, settings: TrainingSettings): Trainer {
  const parameters = transformerParameters(model);
  const { learningRate, warmupSteps } = settings;
  const adam = settings.optimizer === 'adam';
  return {
    model,
    parameters,
    optimizer: adam
      ? createAdam(parameters, { learningRate, beta1: 0.9, beta2: 0.98, epsilon: 1e-9 })
      : createSgd(parameters, { learningRate }),
    learningRateAt: adam
      ? warmupSchedule(model.config.dModel, warmupSteps, learningRate)
      : () => learningRate,
    maxGradientNorm: settings.maxGradientNorm,
    step: 0,
  };
}

/**
 * Takes one optimizer step on the mean loss of a batch: forward, loss and backward for each
 * window, accumulating gradients, then clipping by global norm and updating.
 * @throws TrainingDivergedError when the loss or a gradient is NaN or infinite
 */
export function trainStep(trainer: Trainer, batch: Batch): StepRecord {
  const { model, parameters } = trainer;
  const step = trainer.step + 1;
  zeroGradients(parameters);
  let loss = 0;
  for (let b = 0; b < batch.inputs.length; b++) {
    transformerForward(model, batch.inputs[b]);
    loss += transformerLoss(model, batch.targets[b], 1 / batch.inputs.length);
    transformerBackward(model);
  }
  loss /= batch.inputs.length;
  if (!Number.isFinite(loss)) {
    throw new TrainingDivergedError(step, 'output', 'the loss', loss);
  }
  const gradientNorm = clipGradientNorm(parameters, trainer.maxGradientNorm);
  if (!Number.isFinite(gradientNorm)) {
    const name = findNonFiniteGradient(parameters) ?? 'the model';
    throw new TrainingDivergedError(step, name, 'a gradient', gradientNorm);
  }
  const learningRate = trainer.learningRateAt(step);
  trainer.optimizer.step(learningRate);
  trainer.step = step;
  return { step, loss, learningRate, gradientNorm };
}

/** Losses measured at one point of training, in nats per character. */
export interface EvaluationRecord {
  step: number;
  /** Mean loss of the training batches since the previous evaluation. */
  trainLoss: number;
  /** Loss on the held-out text, with the weights of this step. */
  validationLoss: number;
}

export interface TrainingOptions {
  steps: number;
  batchSize: number;
  seqLen: number;
  /** Measure the held-out loss every this many steps, and after the last step. */
  evaluateEvery: number;
  rng: Rng;
  onStep?: (record: StepRecord) => void;
  onEvaluation?: (record: EvaluationRecord) => void;
}

/** Every step's record and every evaluation, in order. */
export interface TrainingHistory {
  steps: StepRecord[];
  evaluations: EvaluationRecord[];
}

/**
 * Trains on random windows of the training text, measuring the held-out loss as it goes.
 * Reports through the callbacks and never prints.
 * @throws TrainingDivergedError when the loss or a gradient becomes NaN or infinite
 */
export function trainTransformer(
  trainer: Trainer,
  trainTokens: readonly number[],
  validationTokens: readonly number[],
  options: TrainingOptions,
): TrainingHistory {
  const { steps, batchSize, seqLen, evaluateEvery, rng } = options;
  const history: TrainingHistory = { steps: [], evaluations: [] };
  let lossSinceEvaluation = 0;
  let stepsSinceEvaluation = 0;
  for (let s = 1; s <= steps; s++) {
    const record = trainStep(trainer, sampleBatch(trainTokens, batchSize, seqLen, rng));
    history.steps.push(record);
    options.onStep?.(record);
    lossSinceEvaluation += record.loss;
    stepsSinceEvaluation++;
    if (s % evaluateEvery === 0 || s === steps) {
      const evaluation: EvaluationRecord = {
        step: trainer.step,
        trainLoss: lossSinceEvaluation / stepsSinceEvaluation,
        validationLoss: evaluateLoss(trainer.model, validationTokens, seqLen),
      };
      history.evaluations.push(evaluation);
      options.onEvaluation?.(evaluation);
      lossSinceEvaluation = 0;
      stepsSinceEvaluation = 0;
    }
  }
  return history;
}

/**
 * Cuts `batchSize` windows of seqLen + 1 characters at random offsets in the text.
 * @throws RangeError when the text is not longer than seqLen
 */
export function sampleBatch(
  tokens: readonly number[],
  batchSize: number,
  seqLen: number,
  rng: Rng,
): Batch {
  if (tokens.length <= seqLen) {
    throw new RangeError(
      `sampleBatch: the text has ${tokens.length} tokens but a window needs seqLen + 1 = ` +
        `${seqLen + 1}; use a shorter seqLen`,
    );
  }
  const batch: Batch = { inputs: [], targets: [] };
  for (let b = 0; b < batchSize; b++) {
    const start = rng.int(tokens.length - seqLen);
    batch.inputs.push(tokens.slice(start, start + seqLen));
    batch.targets.push(tokens.slice(start + 1, start + seqLen + 1));
  }
  return batch;
}

/**
 * Computes the mean cross-entropy, in nats per character, of predicting each token of the
 * text from the ones before it in the same window. The text is cut into consecutive windows
 * of seqLen + 1 tokens that overlap by one, so every token after the first is predicted once,
 * from between 1 and seqLen characters of context.
 * @param maxWindows - evaluate at most this many windows, spread evenly over the text
 * @throws RangeError when the text has fewer than 2 tokens
 */
export function evaluateLoss(
  model: Transformer,
  tokens: readonly number[],
  seqLen: number,
  maxWindows = Infinity,
): number {
  if (tokens.length < 2) {
    throw new RangeError(`evaluateLoss: the text has ${tokens.length} tokens; pass at least 2`);
  }
  const windows = Math.ceil((tokens.length - 1) / seqLen);
  const stride = Math.max(1, Math.floor(windows / Math.min(windows, maxWindows)));
  let total = 0;
  let count = 0;
  for (let w = 0; w < windows; w += stride) {
    const start = w * seqLen;
    const end = Math.min(start + seqLen, tokens.length - 1);
    transformerForward(model, tokens.slice(start, end));
    const loss = transformerLoss(model, tokens.slice(start + 1, end + 1));
    total += loss * (end - start);
    count += end - start;
  }
  return total / count;
}

/**
 * Computes the mean loss at each position of the window, in nats per character, over the
 * same windows as evaluateLoss: entry t is the loss of predicting a character from t + 1
 * characters of context.
 * @returns (seqLen) mean losses; an entry no window reached is NaN
 * @throws RangeError when the text has fewer than 2 tokens
 */
export function evaluateLossByPosition(
  model: Transformer,
  tokens: readonly number[],
  seqLen: number,
): Vector {
  if (tokens.length < 2) {
    throw new RangeError(
      `evaluateLossByPosition: the text has ${tokens.length} tokens; pass at least 2`,
    );
  }
  const totals = zeros(seqLen);
  const counts = zeros(seqLen);
  for (let start = 0; start < tokens.length - 1; start += seqLen) {
    const end = Math.min(start + seqLen, tokens.length - 1);
    const logits = transformerForward(model, tokens.slice(start, end));
    for (let t = 0; t < end - start; t++) {
      totals[t] += crossEntropy(logits[t], tokens[start + t + 1]);
      counts[t]++;
    }
  }
  return totals.map((total, t) => total / counts[t]);
}

/** -log softmax(logits)[target], subtracting the max logit. */
function crossEntropy(logits: Vector, target: number): number {
  let m = logits[0];
  for (let c = 1; c < logits.length; c++) if (logits[c] > m) m = logits[c];
  let sumExp = 0;
  for (let c = 0; c < logits.length; c++) sumExp += Math.exp(logits[c] - m);
  return m + Math.log(sumExp) - logits[target];
}

/**
 * Computes the gradient norm of each layer's parameters (the embedding, each block, the
 * output head) and of the gradient arriving at each block's input, from the gradients the
 * last backward passes accumulated.
 */
export function layerGradientNorms(model: Transformer): LayerGradientNorm[] {
  const parameters = transformerParameters(model);
  const normOf = (prefix: string) =>
    gradientNorm(parameters.filter((p) => p.name.startsWith(prefix)));
  const norms: LayerGradientNorm[] = [
    { layer: 'embedding', parameterNorm: normOf('embedding.'), inputNorm: NaN },
  ];
  model.blocks.forEach((block, l) => {
    norms.push({
      layer: `block ${l}`,
      parameterNorm: normOf(`blocks.${l}.`),
      inputNorm: matrixNorm(block.dInput, model.seqLen),
    });
  });
  norms.push({
    layer: 'output',
    parameterNorm: gradientNorm(
      parameters.filter((p) => p.name.startsWith('finalNorm.') || p.name.startsWith('output.')),
    ),
    inputNorm: NaN,
  });
  return norms;
}

/** The size of one layer's gradients. */
export interface LayerGradientNorm {
  layer: string;
  /** Norm of the gradients of the layer's parameters. */
  parameterNorm: number;
  /** Norm of dL/dx at the layer's input, for blocks; NaN for the embedding and output. */
  inputNorm: number;
}

function matrixNorm(m: Matrix, rows: number): number {
  let total = 0;
  for (let t = 0; t < rows; t++) {
    const row = m[t];
    for (let j = 0; j < row.length; j++) total += row[j] * row[j];
  }
  return Math.sqrt(total);
}

// ---------------------------------------------------------------------------------------------
// Generation

export interface GenerationOptions {
  /** Characters to generate. */
  length: number;
  /** Divides the logits before softmax; 0 means greedy (always the likeliest character). */
  temperature: number;
  /** Sample only among the k likeliest characters. @default vocabSize (no limit) */
  topK?: number;
}

/**
 * Continues the prompt one character at a time, sampling each from
 * softmax(logits / temperature) restricted to the topK likeliest, with the seeded generator.
 * At temperature 0 it takes the likeliest character and never calls the generator, so the
 * same model and prompt always give the same text.
 *
 * Each new character costs one position through the network: the keys and values of earlier
 * positions stay in the attention buffers. When the window reaches maxSeqLen, the oldest
 * half is dropped and the rest recomputed from position 0.
 * NOTE: right after such a shift the model reads only maxSeqLen / 2 characters of context.
 *
 * @param prompt - at least one character id; only its last maxSeqLen are read
 * @returns the generated ids (length), without the prompt
 * @throws RangeError when the prompt is empty, length is negative, temperature is negative
 *   or topK is not a positive integer
 */
export function generate(
  model: Transformer,
  prompt: readonly number[],
  options: GenerationOptions,
  rng: Rng,
): number[] {
  const { vocabSize, maxSeqLen } = model.config;
  const { length, temperature, topK = vocabSize } = options;
  if (prompt.length === 0) {
    throw new RangeError('generate: the prompt is empty; pass at least one character id');
  }
  if (!Number.isSafeInteger(length) || length < 0 || !(temperature >= 0)) {
    throw new RangeError(
      `generate: length ${length} and temperature ${temperature} are invalid; length must be ` +
        'an integer >= 0 and temperature a number >= 0',
    );
  }
  if (!Number.isSafeInteger(topK) || topK < 1) {
    throw new RangeError(`generate: topK is ${topK}; it must be a positive integer`);
  }

  // Buffers for one draw, allocated once.
  const probabilities = zeros(vocabSize);
  const sorted = zeros(vocabSize);

  let window = prompt.slice(-maxSeqLen);
  let logits = transformerForward(model, window);
  const generated: number[] = [];
  while (generated.length < length) {
    const next = pickNext(logits[window.length - 1], temperature, topK, probabilities, sorted, rng);
    generated.push(next);
    if (window.length < maxSeqLen) {
      // Only the new position runs; earlier keys and values are still in the buffers.
      window.push(next);
      logits = transformerForward(model, window, window.length - 1);
    } else {
      // The window is full: keep its newest half and recompute it from position 0.
      window = window.slice(window.length - Math.floor(maxSeqLen / 2) + 1);
      window.push(next);
      logits = transformerForward(model, window);
    }
  }
  return generated;
}

/** Picks one id from a row of logits: the argmax at temperature 0, else a top-k sample. */
function pickNext(
  logits: Vector,
  temperature: number,
  topK: number,
  probabilities: Vector,
  sorted: Vector,
  rng: Rng,
): number {
  const size = logits.length;
  if (temperature === 0) {
    let best = 0;
    for (let c = 1; c < size; c++) if (logits[c] > logits[best]) best = c;
    return best;
  }
  // The k-th largest logit is the cut-off; ties with it are kept too.
  for (let c = 0; c < size; c++) sorted[c] = logits[c];
  sorted.sort((a, b) => b - a);
  const cutoff = sorted[Math.min(topK, size) - 1];
  const maxLogit = sorted[0];
  let total = 0;
  for (let c = 0; c < size; c++) {
    probabilities[c] = logits[c] >= cutoff ? Math.exp((logits[c] - maxLogit) / temperature) : 0;
    total += probabilities[c];
  }
  let r = rng.uniform() * total;
  for (let c = 0; c < size; c++) {
    r -= probabilities[c];
    if (r < 0) return c;
  }
  return lastNonZero(probabilities); // reached only when rounding leaves r >= 0
}

function lastNonZero(v: Vector): number {
  for (let c = v.length - 1; c > 0; c--) if (v[c] > 0) return c;
  return 0;
}
