/**
 * Layer 4: lesson 2, backpropagation (Rumelhart, Hinton and Williams, 1986).
 *
 * A 2-2-1 network of sigmoid units learns XOR, the gate lesson 1's perceptron could not, and
 * the chain rule is traced through it weight by weight. An MLP with eight hidden units then
 * learns two concentric circles and is scored on held-out points. Last, gradients are measured
 * layer by layer in a deeper sigmoid stack to show them vanishing. The prose lives in
 * backprop.prose.ts; this file runs the training and hands the results over.
 */
import {
  backpropSample,
  computeLoss,
  layerGradientNorms,
  zeroNetworkGradients,
  type LayerGradientNorm,
} from '../blocks/backprop.js';
import { checkGradient } from '../blocks/gradcheck.js';
import { createNetwork, networkForward, networkParameters } from '../blocks/network.js';
import { zeroGradients } from '../blocks/parameters.js';
import { makeCircles, type CirclesData } from '../data/circles.js';
import { gateData, type Dataset } from '../data/gates.js';
import {
  createMlp,
  mlpAccuracy,
  trainMlp,
  type Mlp,
  type MlpConfig,
  type MlpEpoch,
} from '../models/mlp.js';
import { createRng, type Rng } from '../primitives/random.js';
import {
  chainRule,
  circlesResults,
  closing,
  epochLine,
  introduction,
  localMinima,
  vanishingGradients,
  xorResults,
} from './backprop.prose.js';
import type { Lesson, LessonContext, LessonResult } from './lesson.js';
import { emitAll, type Narrator } from './narrator.js';

/** The settings of one run, reported by `--json`. */
export type BackpropSettings = {
  xorEpochs: number;
  xorLearningRate: number;
  momentum: number;
  /** Initial weights and biases of the XOR network are drawn from [-limit, limit). */
  xorInitLimit: number;
  /** Fresh starts allowed when the XOR network stalls in a local minimum. */
  xorMaxAttempts: number;
  /** Further XOR networks trained from fresh weights, to count how often one stalls. */
  xorExtraStarts: number;
  /** A further XOR network stops training once its mean loss falls below this. */
  xorExtraStopLoss: number;
  circlesCount: number;
  circlesNoise: number;
  circlesTestFraction: number;
  circlesHidden: number;
  circlesEpochs: number;
  circlesLearningRate: number;
  circlesBatchSize: number;
  /** Initial weights of the circles network are drawn from [-limit, limit). */
  circlesInitLimit: number;
  /** Hidden layers and their width in the stack whose gradients are measured. */
  deepLayers: number;
  deepWidth: number;
};

/** The settings of a full run; the benchmarks time training steps at these settings. */
export const BACKPROP_SETTINGS: BackpropSettings = {
  xorEpochs: 1000,
  xorLearningRate: 2,
  momentum: 0.9,
  xorInitLimit: 0.5,
  xorMaxAttempts: 5,
  xorExtraStarts: 20,
  xorExtraStopLoss: 0.01,
  circlesCount: 600,
  circlesNoise: 0.1,
  circlesTestFraction: 0.25,
  circlesHidden: 8,
  circlesEpochs: 150,
  circlesLearningRate: 0.5,
  circlesBatchSize: 10,
  circlesInitLimit: 2,
  deepLayers: 6,
  deepWidth: 8,
};

const QUICK: BackpropSettings = {
  ...BACKPROP_SETTINGS,
  xorExtraStarts: 5,
  circlesCount: 200,
  circlesEpochs: 30,
};

export const backpropLesson: Lesson = {
  number: 2,
  name: 'backprop',
  title: 'Backpropagation',
  paper: 'Rumelhart, Hinton and Williams, 1986',
  learns: 'XOR with a hidden layer, then two concentric circles',
  needs: 'the XOR truth table and 600 generated points',
  runTime: 'about 2 s',
  options: [],
  run,
};

async function run(context: LessonContext): Promise<LessonResult> {
  const settings = context.quick ? QUICK : BACKPROP_SETTINGS;
  const { narrator } = context;
  const rng = createRng(context.seed);
  emitAll(narrator, introduction(settings));

  // Part 1: XOR with two hidden units, restarting from fresh weights if training stalls.
  const xor = trainXor(settings, rng, narrator);
  emitAll(narrator, chainRule(xor.trace));
  emitAll(narrator, xorResults(xor));
  const extraStarts = trainExtraStarts(settings, rng);
  emitAll(narrator, localMinima(xor, extraStarts, settings));

  // Part 2: concentric circles with eight hidden units, scored on held-out points.
  const circles = trainCircles(settings, rng, narrator);
  emitAll(narrator, circlesResults(circles));

  // Part 3: gradient size per layer in deep stacks of sigmoid and of tanh units.
  const gradients = {
    sigmoid: measureGradients('sigmoid', settings, rng, circles.data.train),
    tanh: measureGradients('tanh', settings, rng, circles.data.train),
  };
  emitAll(narrator, vanishingGradients(gradients, settings));
  emitAll(narrator, closing(xor, circles));

  const last = (norms: LayerGradientNorm[]) => norms[norms.length - 1].weights;
  return {
    settings,
    metrics: {
      xor: {
        accuracy: xor.accuracy,
        loss: xor.history[xor.history.length - 1].loss,
        attempts: xor.attempts.length,
        extraStarts: extraStarts.length,
        extraStartsSolved: extraStarts.filter((start) => start.accuracy === 1).length,
      },
      circles: {
        trainAccuracy: circles.trainAccuracy,
        testAccuracy: circles.testAccuracy,
        loss: circles.history[circles.history.length - 1].loss,
      },
      gradients: {
        sigmoidFirstLayer: gradients.sigmoid[0].weights,
        sigmoidOutputLayer: last(gradients.sigmoid),
        tanhFirstLayer: gradients.tanh[0].weights,
        tanhOutputLayer: last(gradients.tanh),
      },
    },
  };
}

/** Returns the 2-2-1 XOR network: sigmoid units throughout and squared error, as in 1986. */
export function xorConfig(settings: BackpropSettings): MlpConfig {
  return {
    inputs: 2,
    hidden: [2],
    outputs: 1,
    hiddenActivation: 'sigmoid',
    outputActivation: 'sigmoid',
    loss: 'mse',
    initLimit: settings.xorInitLimit,
    biasInitLimit: settings.xorInitLimit,
  };
}

/** One sample's forward and backward pass through the 2-2-1 network, every value kept. */
export interface ChainRuleTrace {
  input: number[];
  target: number;
  /** Hidden weights w[j][k] (unit j, input k), hidden biases b[j], output weights v[j], c. */
  w: number[][];
  b: number[];
  v: number[];
  c: number;
  /** Forward: hidden sums and activations, output sum, output and loss. */
  zHidden: number[];
  h: number[];
  zOut: number;
  y: number;
  loss: number;
  /** Backward, as stored by backpropagation: dL/dy, dL/dz_o, dL/dv, dL/dc, dL/dh, ... */
  dY: number;
  dZOut: number;
  dV: number[];
  dC: number;
  dH: number[];
  dZHidden: number[];
  dW: number[][];
  dB: number[];
  /** Largest relative error between the gradients above and finite differences. */
  maxRelativeError: number;
}

/** The final loss and accuracy of one XOR network. */
export interface XorOutcome {
  loss: number;
  accuracy: number;
}

/** The outcome of the XOR part. */
export interface XorRun {
  mlp: Mlp;
  data: Dataset;
  history: MlpEpoch[];
  accuracy: number;
  /** Every attempt's outcome; the network of the last one is kept. */
  attempts: XorOutcome[];
  trace: ChainRuleTrace;
}

function trainXor(settings: BackpropSettings, rng: Rng, narrator: Narrator): XorRun {
  const data = gateData('XOR');
  const attempts: XorOutcome[] = [];
  for (;;) {
    const mlp = createMlp(xorConfig(settings), rng);
    // The chain rule is traced on input (1, 0) with the weights training starts from.
    const trace = traceChainRule(mlp, data.inputs[2], data.targets[2][0]);
    const attempt = attempts.length + 1;
    const progress = narrator.progress(`XOR, attempt ${attempt}`, settings.xorEpochs);
    const history = trainMlp(mlp, data, {
      epochs: settings.xorEpochs,
      learningRate: settings.xorLearningRate,
      momentum: settings.momentum,
      batchSize: data.inputs.length,
      rng,
      onEpoch: (record) => {
        const line = record.epoch % 100 === 0 ? epochLine(record) : undefined;
        progress.update({ done: record.epoch, line });
      },
    });
    progress.finish();
    const accuracy = mlpAccuracy(mlp, data);
    attempts.push({ loss: history[history.length - 1].loss, accuracy });
    if (accuracy === 1 || attempt === settings.xorMaxAttempts) {
      return { mlp, data, history, accuracy, attempts, trace };
    }
  }
}

/** Trains further XOR networks from fresh weights and returns each one's outcome. */
function trainExtraStarts(settings: BackpropSettings, rng: Rng): XorOutcome[] {
  const data = gateData('XOR');
  const outcomes: XorOutcome[] = [];
  for (let start = 0; start < settings.xorExtraStarts; start++) {
    const mlp = createMlp(xorConfig(settings), rng);
    const history = trainMlp(mlp, data, {
      epochs: settings.xorEpochs,
      learningRate: settings.xorLearningRate,
      momentum: settings.momentum,
      batchSize: data.inputs.length,
      stopBelowLoss: settings.xorExtraStopLoss,
      rng,
    });
    outcomes.push({ loss: history[history.length - 1].loss, accuracy: mlpAccuracy(mlp, data) });
  }
  return outcomes;
}

function traceChainRule(mlp: Mlp, input: number[], target: number): ChainRuleTrace {
  const network = mlp.network;
  const [hidden, output] = network.layers;
  const parameters = networkParameters(network);
  zeroGradients(parameters);
  const sample = { input, target: [target] };
  const loss = backpropSample(network, sample, 'mse');

  const sampleLoss = () => computeLoss(networkForward(network, input), sample.target, 'mse');
  let maxRelativeError = 0;
  for (const p of parameters) {
    const result = checkGradient(sampleLoss, p.value, p.grad);
    maxRelativeError = Math.max(maxRelativeError, result.maxRelativeError);
  }

  const trace: ChainRuleTrace = {
    input: input.slice(),
    target,
    w: hidden.params.weights.map((row) => row.slice()),
    b: hidden.params.bias.slice(),
    v: output.params.weights[0].slice(),
    c: output.params.bias[0],
    zHidden: hidden.z.slice(),
    h: hidden.output.slice(),
    zOut: output.z[0],
    y: output.output[0],
    loss,
    dY: network.dOutput[0],
    dZOut: output.dZ[0],
    dV: output.grads.weights[0].slice(),
    dC: output.grads.bias[0],
    dH: output.dInput.slice(),
    dZHidden: hidden.dZ.slice(),
    dW: hidden.grads.weights.map((row) => row.slice()),
    dB: hidden.grads.bias.slice(),
    maxRelativeError,
  };
  zeroGradients(parameters);
  return trace;
}

/** Returns the 2-8-1 circles network: sigmoid hidden units, a logit scored by cross-entropy. */
export function circlesConfig(settings: BackpropSettings): MlpConfig {
  return {
    inputs: 2,
    hidden: [settings.circlesHidden],
    outputs: 1,
    hiddenActivation: 'sigmoid',
    outputActivation: 'identity',
    loss: 'binaryCrossEntropy',
    initLimit: settings.circlesInitLimit,
  };
}

/** The outcome of the circles part. */
export interface CirclesRun {
  mlp: Mlp;
  data: CirclesData;
  history: MlpEpoch[];
  trainAccuracy: number;
  testAccuracy: number;
}

function trainCircles(settings: BackpropSettings, rng: Rng, narrator: Narrator): CirclesRun {
  const data = makeCircles(rng, {
    count: settings.circlesCount,
    noise: settings.circlesNoise,
    testFraction: settings.circlesTestFraction,
  });
  const mlp = createMlp(circlesConfig(settings), rng);
  const every = Math.max(1, Math.round(settings.circlesEpochs / 10));
  const progress = narrator.progress('Circles, epochs', settings.circlesEpochs);
  const history = trainMlp(mlp, data.train, {
    epochs: settings.circlesEpochs,
    learningRate: settings.circlesLearningRate,
    momentum: settings.momentum,
    batchSize: settings.circlesBatchSize,
    rng,
    onEpoch: (record) => {
      const line = record.epoch % every === 0 ? epochLine(record) : undefined;
      progress.update({ done: record.epoch, line });
    },
  });
  progress.finish();
  return {
    mlp,
    data,
    history,
    trainAccuracy: mlpAccuracy(mlp, data.train),
    testAccuracy: mlpAccuracy(mlp, data.test),
  };
}

/**
 * Builds a fresh deep stack of `activation` units and measures each layer's gradient norm for
 * the mean loss over `data`, before any training.
 */
function measureGradients(
  activation: 'sigmoid' | 'tanh',
  settings: BackpropSettings,
  rng: Rng,
  data: Dataset,
): LayerGradientNorm[] {
  const layers = Array.from({ length: settings.deepLayers }, (_, l) => ({
    outputs: settings.deepWidth,
    activation,
    name: `hidden${l + 1}`,
  }));
  const network = createNetwork(
    { inputs: 2, layers: [...layers, { outputs: 1, activation: 'identity', name: 'output' }] },
    rng,
  );
  zeroNetworkGradients(network);
  for (let i = 0; i < data.inputs.length; i++) {
    const sample = { input: data.inputs[i], target: data.targets[i] };
    backpropSample(network, sample, 'binaryCrossEntropy', 1 / data.inputs.length);
  }
  return layerGradientNorms(network);
}
