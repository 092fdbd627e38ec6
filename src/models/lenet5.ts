/**
 * Layer 2: LeNet-5 (LeCun, Bottou, Bengio and Haffner, 1998, "Gradient-based learning applied
 * to document recognition", section II.B), a convolutional network that learns its own
 * features from the pixels of a handwritten digit.
 *
 *   layer   maps x size        parameters           what it does
 *   input   1 x 32x32                               28x28 digit in a 2-pixel border
 *   C1      6 x 28x28                 156           5x5 convolution, then squash
 *   S2      6 x 14x14                  12           2x2 average * coefficient + bias, squash
 *   C3     16 x 10x10               1,516           5x5 convolution over a partial table
 *   S4     16 x 5x5                    32           as S2
 *   C5    120                      48,120           5x5 convolution over all of S4, squash
 *   F6     84                      10,164           dense, squash
 *   output 10                         850           dense logits (the paper: 840 fixed RBF
 *                                                   weights, none trained)
 *
 * C5 is a convolution with 5x5 kernels over 5x5 S4 maps, so each of its 120 output maps is a
 * single unit: unit o sums all 16 x 25 = 400 S4 values, each with its own weight. That is a
 * dense layer over the flattened S4 maps, and this model computes C5 with the dense block. The
 * weights, their order and their starting values are the same as the convolution's. Each
 * weight row is 400 long instead of 16 x 5 rows of 5, which cut the time of a training step
 * (forward, backward and SGD update on one digit) by about a quarter on a 2-core Xeon with
 * Node 20: about 630 against 460 images per second, an estimate from one timing loop.
 *
 * Every layer up to F6 passes its weighted sums through the squashing function
 * f(a) = 1.7159 tanh(2a/3). The paper's trainable parameters add up to 60,000
 * (156 + 12 + 1,516 + 32 + 48,120 + 10,164); its RBF output units have 840 hand-chosen, fixed
 * weights. This model trains its output layer, 840 weights and 10 biases, so it has 60,850.
 *
 * Input scaling follows the paper: background -0.1 and full ink 1.175, which the paper chose
 * to give the input a mean near 0 and a variance near 1. On the bundled training digits the
 * 32x32 input has mean 0.03 and variance 0.12, because most pixels are background.
 *
 * Departures from the paper are listed, with their reasons, in LENET5_DEPARTURES below; the
 * lesson narrates the same list.
 *
 * Legend: maps are (channels, rows, cols); k = 5 is the kernel size.
 */
import { lecunTanh, softmax } from '../primitives/activations.js';
import { TrainingDivergedError } from '../primitives/errors.js';
import { softmaxCrossEntropy, softmaxCrossEntropyGradient } from '../primitives/losses.js';
import type { Rng } from '../primitives/random.js';
import type { Matrix, Tensor3D, Vector } from '../primitives/shapes.js';
import { formatShape } from '../primitives/shapes.js';
import { zerosMatrix } from '../primitives/matrix.js';
import { zeros3D } from '../primitives/tensor.js';
import { argmax, zeros } from '../primitives/vector.js';
import {
  convBackward,
  convForward,
  convParameters,
  createConv,
  type ConvLayer,
} from '../blocks/conv.js';
import { createDense, denseBackward, denseForward, denseParameters } from '../blocks/dense.js';
import type { DenseLayer } from '../blocks/dense.js';
import { createFlatten, flattenBackward, flattenForward } from '../blocks/flatten.js';
import type { FlattenLayer } from '../blocks/flatten.js';
import { createSgd } from '../blocks/optimizers.js';
import { leafRows, type Parameter } from '../blocks/parameters.js';
import {
  averagePoolBackward,
  averagePoolForward,
  averagePoolParameters,
  createAveragePool,
  type AveragePoolLayer,
} from '../blocks/pool.js';

/** Each way this model departs from the paper, why, and what it changes. */
export const LENET5_DEPARTURES: { what: string; why: string }[] = [
  {
    what:
      'The output is 10 trained dense units scored by softmax cross-entropy, where the paper ' +
      'has 10 Euclidean RBF units with fixed weights drawn from 7x12 bitmaps of the digits, ' +
      'scored by a loss with an extra term that keeps the wrong classes away.',
    why:
      'Cross-entropy on logits is the standard form today and gives probabilities; the paper ' +
      'itself notes that its RBF output mostly matters for rejecting non-digits. It adds 850 ' +
      "trained values to the paper's 60,000.",
  },
  {
    what:
      'Plain stochastic gradient descent, one digit per update, with one learning rate for ' +
      'every weight, set per epoch, where the paper uses stochastic diagonal ' +
      'Levenberg-Marquardt, which gives each weight its own rate from an estimate of the loss ' +
      'curvature.',
    why:
      'The curvature estimate needs a second backward pass of its own; plain SGD keeps the ' +
      'lesson to one backward pass and still converges within a few passes over the data.',
  },
  {
    what:
      'Weights start uniform in +-sqrt(3 / fanIn), variance 1 / fanIn, where the paper draws ' +
      'them from +-2.4 / fanIn.',
    why:
      'With inputs of variance near 1, weights of variance 1 / fanIn give weighted sums of ' +
      "variance near 1, so signals and gradients keep their size from layer to layer. The paper's " +
      'range gives variance 1.92 / fanIn^2, which shrinks the signals of a layer with 400 inputs ' +
      'about 14-fold at the start.',
  },
  {
    what:
      'A full run on the bundled digits reads every training digit through a fresh random ' +
      'affine distortion and a fresh elastic one (Simard, Steinkraus and Platt, 2003), where ' +
      "the paper's main run used the digits as they are and a separate experiment added a " +
      'fixed set of affinely distorted copies.',
    why:
      'The bundled data has 8,000 training digits, not 60,000. Distortions teach the network ' +
      'that a stroke shifted, scaled, slanted or bent a little is the same stroke; the paper ' +
      'found that affine ones lowered its test error from 0.95% to 0.8%. On these 8,000 ' +
      'digits, 10-epoch runs with the elastic distortion ended 0.2 to 0.6 points of held-out ' +
      'accuracy above runs with the affine one alone.',
  },
  {
    what: "Subsampling averages its window, where the paper's S2 and S4 add it.",
    why: 'The two differ by a factor of 4 in the trainable coefficient, which starts at 1.',
  },
];

/** The sizes of a LeNet-5; the paper's are LENET5_PAPER. */
export interface LeNet5Config {
  /** Feature maps of C1 (and S2). */
  c1Maps: number;
  /** Feature maps of C3 (and S4). */
  c3Maps: number;
  /** For each C3 map, the S2 maps it reads. @default all */
  c3Connections?: number[][];
  /** Feature maps of C5, each 1x1. */
  c5Maps: number;
  /** Units of F6. */
  f6Units: number;
  /** Whether S2 and S4 train a coefficient and bias per map, as in the paper. */
  trainableSubsampling: boolean;
}

/**
 * The paper's C3 connection table: C3 map m reads the S2 maps in row m. Maps 0 to 5 read three
 * neighbouring maps, 6 to 11 four neighbouring maps, 12 to 14 four non-neighbouring maps and 15
 * all six, so different maps extract different combinations of features.
 */
export const LENET5_C3_CONNECTIONS: number[][] = [
  [0, 1, 2],
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
  [4, 5, 0],
  [5, 0, 1],
  [0, 1, 2, 3],
  [1, 2, 3, 4],
  [2, 3, 4, 5],
  [3, 4, 5, 0],
  [4, 5, 0, 1],
  [5, 0, 1, 2],
  [0, 1, 3, 4],
  [1, 2, 4, 5],
  [0, 2, 3, 5],
  [0, 1, 2, 3, 4, 5],
];

/** The network of the paper. */
export const LENET5_PAPER: LeNet5Config = {
  c1Maps: 6,
  c3Maps: 16,
  c3Connections: LENET5_C3_CONNECTIONS,
  c5Maps: 120,
  f6Units: 84,
  trainableSubsampling: true,
};

/** A small network of the same shape, for quick runs and tests. */
export const LENET5_QUICK: LeNet5Config = {
  c1Maps: 3,
  c3Maps: 6,
  c5Maps: 32,
  f6Units: 32,
  trainableSubsampling: true,
};

/** Side of the input digit, before the border. */
export const DIGIT_SIDE = 28;
/** Side of the network input: the digit inside a border of 2 pixels. */
export const INPUT_SIDE = 32;
/** The input value of a background pixel. */
export const BACKGROUND = -0.1;
/** The input value of a pixel at full ink. */
export const INK = 1.175;
/** The number of classes. */
export const CLASSES = 10;

/** A LeNet-5 with every layer's buffers. */
export interface LeNet5 {
  config: LeNet5Config;
  /** The digit in its border, scaled to [BACKGROUND, INK], (1, 32, 32). */
  input: Tensor3D;
  c1: ConvLayer;
  /** Squashed C1 maps (c1Maps, 28, 28). */
  c1Maps: Tensor3D;
  s2: AveragePoolLayer;
  s2Maps: Tensor3D;
  c3: ConvLayer;
  c3Maps: Tensor3D;
  s4: AveragePoolLayer;
  s4Maps: Tensor3D;
  /** Copies the S4 maps into the vector (c3Maps * 25) that C5 reads. */
  flatten: FlattenLayer;
  /** C5, a convolution with one output position, computed as a dense layer. */
  c5: DenseLayer;
  f6: DenseLayer;
  output: DenseLayer;
  /** dL/d(weighted sums) of each squashed map layer, the same shapes as their maps. */
  dC1: Tensor3D;
  dS2: Tensor3D;
  dC3: Tensor3D;
  dS4: Tensor3D;
  /** dL/dLogits (10) */
  dLogits: Vector;
  /** Probabilities of the last prediction (10). */
  probabilities: Vector;
  parameters: Parameter[];
  /**
   * Each parameter's gradient rows, collected once, so that clearing and checking the
   * gradients on every step allocates nothing.
   */
  gradientRows: { name: string; rows: Vector[] }[];
}

/**
 * Creates a LeNet-5 with random weights from `rng`.
 * @throws RangeError when a size is not a positive integer or the C3 table does not fit
 */
export function createLeNet5(config: LeNet5Config, rng: Rng): LeNet5 {
  const { c1Maps, c3Maps, c5Maps, f6Units, trainableSubsampling } = config;
  const trainable = trainableSubsampling;
  const c1 = createConv(
    {
      name: 'c1',
      inChannels: 1,
      outChannels: c1Maps,
      kernelSize: 5,
      inputRows: INPUT_SIDE,
      inputCols: INPUT_SIDE,
      computeInputGradient: false,
    },
    rng,
  );
  // NOTE: S2 and S4 average their window where the paper sums it; the coefficient absorbs the 4.
  const s2 = createAveragePool({
    name: 's2',
    channels: c1Maps,
    inputRows: 28,
    inputCols: 28,
    size: 2,
    trainable,
  });
  const c3 = createConv(
    {
      name: 'c3',
      inChannels: c1Maps,
      outChannels: c3Maps,
      kernelSize: 5,
      inputRows: 14,
      inputCols: 14,
      connections: config.c3Connections,
    },
    rng,
  );
  const s4 = createAveragePool({
    name: 's4',
    channels: c3Maps,
    inputRows: 10,
    inputCols: 10,
    size: 2,
    trainable,
  });
  const flatten = createFlatten({ channels: c3Maps, rows: 5, cols: 5 });
  // C5 as a dense layer: row o contains kernel (o, c) at columns c * 25 to c * 25 + 24, drawn in
  // the order createConv would draw it, uniform in +-sqrt(3 / fanIn) like every layer here.
  const c5 = createDense(
    {
      name: 'c5',
      inputs: c3Maps * 25,
      outputs: c5Maps,
      activation: 'lecunTanh',
      initLimit: Math.sqrt(3 / (c3Maps * 25)),
    },
    rng,
  );
  const f6 = createDense(
    {
      name: 'f6',
      inputs: c5Maps,
      outputs: f6Units,
      activation: 'lecunTanh',
      initLimit: Math.sqrt(3 / c5Maps),
    },
    rng,
  );
  // NOTE: trained logits for softmax cross-entropy, where the paper has fixed RBF units.
  const output = createDense(
    {
      name: 'output',
      inputs: f6Units,
      outputs: CLASSES,
      activation: 'identity',
      initLimit: Math.sqrt(3 / f6Units),
    },
    rng,
  );

  const input = zeros3D(1, INPUT_SIDE, INPUT_SIDE);
  for (const row of input[0]) row.fill(BACKGROUND);
  const parameters = [
    ...convParameters(c1),
    ...averagePoolParameters(s2),
    ...convParameters(c3),
    ...averagePoolParameters(s4),
    ...denseParameters(c5),
    ...denseParameters(f6),
    ...denseParameters(output),
  ];
  return {
    config,
    input,
    c1,
    c1Maps: zeros3D(c1Maps, 28, 28),
    s2,
    s2Maps: zeros3D(c1Maps, 14, 14),
    c3,
    c3Maps: zeros3D(c3Maps, 10, 10),
    s4,
    s4Maps: zeros3D(c3Maps, 5, 5),
    flatten,
    c5,
    f6,
    output,
    dC1: zeros3D(c1Maps, 28, 28),
    dS2: zeros3D(c1Maps, 14, 14),
    dC3: zeros3D(c3Maps, 10, 10),
    dS4: zeros3D(c3Maps, 5, 5),
    dLogits: zeros(CLASSES),
    probabilities: zeros(CLASSES),
    parameters,
    gradientRows: parameters.map((p) => ({ name: p.name, rows: leafRows(p.grad) })),
  };
}

/**
 * Runs the network on one digit.
 *
 * @param image the digit (28, 28), pixels in [0, 1] with 0 as background
 * @returns the output layer's logits buffer (10), overwritten by the next call
 * @throws RangeError when the image is not (28, 28)
 */
export function lenet5Forward(model: LeNet5, image: Matrix): Vector {
  if (image.length !== DIGIT_SIDE || image[0].length !== DIGIT_SIDE) {
    throw new RangeError(
      `lenet5Forward: image is ${formatShape([image.length, image[0]?.length ?? 0])} but ` +
        'the network reads (28, 28); pass a 28x28 digit',
    );
  }
  // 0. Scale the digit into [BACKGROUND, INK] inside the border, which stays BACKGROUND.
  const border = (INPUT_SIDE - DIGIT_SIDE) / 2;
  for (let y = 0; y < DIGIT_SIDE; y++) {
    const source = image[y];
    const target = model.input[0][y + border];
    for (let x = 0; x < DIGIT_SIDE; x++)
      target[x + border] = BACKGROUND + (INK - BACKGROUND) * source[x];
  }

  // 1. C1 -> squash, 2. S2 -> squash, 3. C3 -> squash, 4. S4 -> squash
  squash(convForward(model.c1, model.input), model.c1Maps);
  squash(averagePoolForward(model.s2, model.c1Maps), model.s2Maps);
  squash(convForward(model.c3, model.s2Maps), model.c3Maps);
  squash(averagePoolForward(model.s4, model.c3Maps), model.s4Maps);

  // 5. C5 and 6. F6, each squashed inside its dense layer, 7. output logits
  const c5Out = denseForward(model.c5, flattenForward(model.flatten, model.s4Maps));
  const f6Out = denseForward(model.f6, c5Out);
  return denseForward(model.output, f6Out);
}

/**
 * Backpropagates dL/dLogits through the last lenet5Forward call, adding every parameter's
 * gradient into its `grad` (call clearGradients between steps).
 *
 * @param dLogits (10)
 * @throws RangeError when dLogits does not have 10 elements
 */
export function lenet5Backward(model: LeNet5, dLogits: Vector): void {
  if (dLogits.length !== CLASSES) {
    throw new RangeError(
      `lenet5Backward: dLogits has length ${dLogits.length} but the network has ${CLASSES} ` +
        'outputs; pass one gradient per class',
    );
  }
  // 7, 6, 5. The dense layers differentiate their own squashing.
  const dF6 = denseBackward(model.output, dLogits);
  const dC5 = denseBackward(model.f6, dF6);
  const dS4Maps = flattenBackward(model.flatten, denseBackward(model.c5, dC5));

  // 4 to 1, in reverse: each map layer's gradient passes its squashing, then its layer.
  squashBackward(model.s4Maps, dS4Maps, model.dS4);
  const dC3Maps = averagePoolBackward(model.s4, model.dS4);
  squashBackward(model.c3Maps, dC3Maps, model.dC3);
  const dS2Maps = convBackward(model.c3, model.dC3);
  squashBackward(model.s2Maps, dS2Maps, model.dS2);
  const dC1Maps = averagePoolBackward(model.s2, model.dS2);
  squashBackward(model.c1Maps, dC1Maps, model.dC1);
  convBackward(model.c1, model.dC1);
}

/**
 * Runs one digit forward and, for training, backward from the softmax cross-entropy loss.
 *
 * @returns the loss and the predicted class
 */
export function lenet5Loss(
  model: LeNet5,
  image: Matrix,
  label: number,
  backward: boolean,
): { loss: number; predicted: number } {
  const logits = lenet5Forward(model, image);
  const loss = softmaxCrossEntropy(logits, label);
  const predicted = argmax(logits);
  if (backward) lenet5Backward(model, softmaxCrossEntropyGradient(logits, label, model.dLogits));
  return { loss, predicted };
}

/**
 * Classifies one digit.
 * @returns the predicted class and the model's probabilities buffer (10), overwritten by the
 *   next call
 */
export function lenet5Predict(
  model: LeNet5,
  image: Matrix,
): { label: number; probabilities: Vector } {
  const probabilities = softmax(lenet5Forward(model, image), model.probabilities);
  return { label: argmax(probabilities), probabilities };
}

/** Sets every gradient to zero, ready for the next backward pass to add into. */
export function clearGradients(model: LeNet5): void {
  for (const { rows } of model.gradientRows) {
    for (const row of rows) row.fill(0);
  }
}

/**
 * Throws TrainingDivergedError when the loss or a layer's gradient is NaN or infinite.
 *
 * Each layer's bias gradient is the sum of dL/dz over its units, so a NaN or infinity anywhere
 * in a layer's backward signal reaches it; a non-finite activation makes the loss non-finite.
 * Checking the loss and the bias gradients therefore catches every divergence, at a cost of a
 * few hundred reads instead of all 60,850 gradients.
 *
 * @param step the training step, for the message
 */
export function checkFinite(model: LeNet5, step: number, loss: number): void {
  if (!Number.isFinite(loss)) {
    throw new TrainingDivergedError(step, 'output', 'the loss', loss);
  }
  for (const layer of [model.output, model.f6, model.c5, model.s4, model.c3, model.s2, model.c1]) {
    const dBias = layer.grads.bias;
    for (let k = 0; k < dBias.length; k++) {
      if (!Number.isFinite(dBias[k])) {
        throw new TrainingDivergedError(step, layer.name, 'the bias gradient', dBias[k]);
      }
    }
  }
}

/** Labelled digits as the model reads them; the data layer's image sets are adapted to it. */
export interface DigitSource {
  count: number;
  /**
   * Writes digit n into `out` (28, 28) as values in [0, 1] and returns its class. A training
   * source may return a distorted copy, different on every call.
   */
  read(n: number, out: Matrix): number;
}

/** The record passed to onStep after each training step. */
export interface LeNet5StepRecord {
  /** Steps done so far, counting from 1. */
  step: number;
  epoch: number;
  loss: number;
  learningRate: number;
}

/** The record passed to onEpoch after each pass over the training digits. */
export interface LeNet5EpochRecord {
  epoch: number;
  learningRate: number;
  /** Mean loss and accuracy over the epoch's training steps, measured as the weights moved. */
  trainLoss: number;
  trainAccuracy: number;
  /** Held-out loss and accuracy after the epoch, when a test source is given. */
  testLoss?: number;
  testAccuracy?: number;
}

export interface LeNet5TrainOptions {
  epochs: number;
  /** The learning rate of each epoch, counting from 1. */
  learningRate: (epoch: number) => number;
  /** Shuffles the training order of every epoch. */
  rng: Rng;
  /** Evaluated after every epoch when given. */
  test?: DigitSource;
  onStep?: (record: LeNet5StepRecord) => void;
  onEpoch?: (record: LeNet5EpochRecord) => void;
}

/** The outcome of training: a record per epoch, and the last test evaluation when tested. */
export interface LeNet5Training {
  history: LeNet5EpochRecord[];
  test?: LeNet5Evaluation;
}

/**
 * Trains the model by stochastic gradient descent, one digit per update, in a fresh random
 * order each epoch.
 *
 * @throws TrainingDivergedError when a loss or gradient becomes NaN or infinite
 */
export function trainLeNet5(
  model: LeNet5,
  train: DigitSource,
  options: LeNet5TrainOptions,
): LeNet5Training {
  const { epochs, rng, test } = options;
  const optimizer = createSgd(model.parameters, { learningRate: options.learningRate(1) });
  const image = zerosMatrix(DIGIT_SIDE, DIGIT_SIDE);
  const order = Array.from({ length: train.count }, (_, n) => n);
  const training: LeNet5Training = { history: [] };
  let step = 0;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const learningRate = options.learningRate(epoch);
    rng.shuffle(order);
    let lossSum = 0;
    let correct = 0;
    for (const n of order) {
      step++;
      const label = train.read(n, image);
      clearGradients(model);
      const { loss, predicted } = lenet5Loss(model, image, label, true);
      checkFinite(model, step, loss);
      optimizer.step(learningRate);
      lossSum += loss;
      if (predicted === label) correct++;
      options.onStep?.({ step, epoch, loss, learningRate });
    }

    const record: LeNet5EpochRecord = {
      epoch,
      learningRate,
      trainLoss: lossSum / train.count,
      trainAccuracy: correct / train.count,
    };
    if (test !== undefined) {
      training.test = evaluateLeNet5(model, test);
      record.testLoss = training.test.loss;
      record.testAccuracy = training.test.accuracy;
    }
    training.history.push(record);
    options.onEpoch?.(record);
  }
  return training;
}

/** The model's results on a set of digits. */
export interface LeNet5Evaluation {
  accuracy: number;
  /** Mean softmax cross-entropy. */
  loss: number;
  /** confusion[actual][predicted] counts digits. */
  confusion: number[][];
  /** The predicted class of each digit, in the source's order. */
  predictions: number[];
}

/** Classifies every digit of a source without training. */
export function evaluateLeNet5(model: LeNet5, source: DigitSource): LeNet5Evaluation {
  const image = zerosMatrix(DIGIT_SIDE, DIGIT_SIDE);
  const confusion = Array.from({ length: CLASSES }, () => zeros(CLASSES));
  const predictions: number[] = [];
  let lossSum = 0;
  let correct = 0;
  for (let n = 0; n < source.count; n++) {
    const label = source.read(n, image);
    const { loss, predicted } = lenet5Loss(model, image, label, false);
    lossSum += loss;
    if (predicted === label) correct++;
    confusion[label][predicted]++;
    predictions.push(predicted);
  }
  return { accuracy: correct / source.count, loss: lossSum / source.count, confusion, predictions };
}

/** a = 1.7159 tanh(2z/3) for every element of z, written into a. */
function squash(z: Tensor3D, a: Tensor3D): void {
  for (let c = 0; c < z.length; c++) {
    const zMap = z[c];
    const aMap = a[c];
    for (let y = 0; y < zMap.length; y++) {
      const zRow = zMap[y];
      const aRow = aMap[y];
      for (let x = 0; x < zRow.length; x++) aRow[x] = lecunTanh.apply(zRow[x]);
    }
  }
}

/** dZ = dA * f'(z), with f' read from a = f(z). */
function squashBackward(a: Tensor3D, dA: Tensor3D, dZ: Tensor3D): void {
  for (let c = 0; c < a.length; c++) {
    const aMap = a[c];
    for (let y = 0; y < aMap.length; y++) {
      const aRow = aMap[y];
      const dARow = dA[c][y];
      const dZRow = dZ[c][y];
      for (let x = 0; x < aRow.length; x++) dZRow[x] = dARow[x] * lecunTanh.derivative(0, aRow[x]);
    }
  }
}
