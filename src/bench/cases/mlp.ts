/**
 * Edge: benchmark cases for lessons 1 and 2: one perceptron update, and one training step of
 * each lesson-2 network at the lesson's settings, beside the same network in ConvNetJS and in
 * TensorFlow.js on its pure-JavaScript CPU backend.
 *
 * The peers build the same layer sizes, activations and optimizer (SGD with momentum), with
 * two differences forced by their APIs. ConvNetJS's regression layer has no output sigmoid,
 * so its XOR net ends in a linear unit; its circles net scores two softmax classes instead of
 * one logit. Both change the work of a step by one output unit at most.
 */
import { createRequire } from 'node:module';
import { trainStep, type Sample } from '../../blocks/backprop.js';
import { networkParameters } from '../../blocks/network.js';
import { createSgd } from '../../blocks/optimizers.js';
import { makeCircles } from '../../data/circles.js';
import { gateData } from '../../data/gates.js';
import { BACKPROP_SETTINGS, circlesConfig, xorConfig } from '../../lessons/backprop.js';
import { PERCEPTRON_SETTINGS } from '../../lessons/perceptron.js';
import { createMlp, type MlpConfig } from '../../models/mlp.js';
import { createPerceptron, perceptronUpdate } from '../../models/perceptron.js';
import { createRng } from '../../primitives/random.js';
import type { BenchCase, BenchImplementation } from '../harness.js';
import { loadTensorflow } from '../tensorflow.js';

/** One network to time: its config, the batch of one step and the step's settings. */
interface StepWorkload {
  config: MlpConfig;
  batch: Sample[];
  learningRate: number;
  momentum: number;
}

export const perceptronCase: BenchCase = {
  model: 'Perceptron',
  workload: 'one learning-rule update on a row of AND',
  unit: 'updates/s',
  unitsPerCall: 1,
  ours: {
    name: 'modelwerk',
    setup() {
      const rng = createRng(1);
      const perceptron = createPerceptron(
        { inputs: 2, initLimit: PERCEPTRON_SETTINGS.initLimit },
        rng,
      );
      const { inputs, targets } = gateData('AND');
      let i = 0;
      return () => {
        perceptronUpdate(perceptron, inputs[i], targets[i][0], PERCEPTRON_SETTINGS.learningRate);
        i = (i + 1) % inputs.length;
      };
    },
  },
};

function xorWorkload(): StepWorkload {
  const { inputs, targets } = gateData('XOR');
  return {
    config: xorConfig(BACKPROP_SETTINGS),
    batch: inputs.map((input, i) => ({ input, target: targets[i] })),
    learningRate: BACKPROP_SETTINGS.xorLearningRate,
    momentum: BACKPROP_SETTINGS.momentum,
  };
}

function circlesWorkload(): StepWorkload {
  const { train } = makeCircles(createRng(1), { count: BACKPROP_SETTINGS.circlesCount });
  const batch = train.inputs
    .slice(0, BACKPROP_SETTINGS.circlesBatchSize)
    .map((input, i) => ({ input, target: train.targets[i] }));
  return {
    config: circlesConfig(BACKPROP_SETTINGS),
    batch,
    learningRate: BACKPROP_SETTINGS.circlesLearningRate,
    momentum: BACKPROP_SETTINGS.momentum,
  };
}

export const xorCase: BenchCase = {
  model: 'MLP 2-2-1 (XOR)',
  workload: 'one full-batch step on the 4 rows of XOR',
  unit: 'steps/s',
  unitsPerCall: 1,
  ours: modelwerkStep(xorWorkload),
  peers: [convnetjsStep(xorWorkload), tensorflowStep(xorWorkload)],
};

export const circlesCase: BenchCase = {
  model: 'MLP 2-8-1 (circles)',
  workload: `one step on a batch of ${BACKPROP_SETTINGS.circlesBatchSize} points`,
  unit: 'samples/s',
  unitsPerCall: BACKPROP_SETTINGS.circlesBatchSize,
  ours: modelwerkStep(circlesWorkload),
  peers: [convnetjsStep(circlesWorkload), tensorflowStep(circlesWorkload)],
};

function modelwerkStep(workload: () => StepWorkload): BenchImplementation {
  return {
    name: 'modelwerk',
    setup() {
      const { config, batch, learningRate, momentum } = workload();
      const mlp = createMlp(config, createRng(1));
      const optimizer = createSgd(networkParameters(mlp.network), { learningRate, momentum });
      let step = 0;
      return () => {
        step++;
        trainStep(mlp.network, optimizer, batch, config.loss, step);
      };
    },
  };
}

/** The part of ConvNetJS 0.3.0 these cases use; the package ships no types. */
interface ConvNetJs {
  Net: new () => { makeLayers(defs: object[]): void };
  Trainer: new (
    net: object,
    options: object,
  ) => { train(x: object, y: number | number[]): unknown };
  Vol: new (values: number[]) => object;
}

function convnetjsStep(workload: () => StepWorkload): BenchImplementation {
  return {
    name: 'ConvNetJS',
    setup() {
      const convnetjs = createRequire(import.meta.url)('convnetjs') as ConvNetJs;
      const { config, batch, learningRate, momentum } = workload();
      const binaryLogit = config.loss === 'binaryCrossEntropy';
      const net = new convnetjs.Net();
      net.makeLayers([
        { type: 'input', out_sx: 1, out_sy: 1, out_depth: config.inputs },
        ...config.hidden.map((width) => ({
          type: 'fc',
          num_neurons: width,
          activation: config.hiddenActivation,
        })),
        binaryLogit
          ? { type: 'softmax', num_classes: 2 }
          : { type: 'regression', num_neurons: config.outputs },
      ]);
      // batch_size makes the trainer update once per batch, after summing its gradients.
      const trainer = new convnetjs.Trainer(net, {
        method: 'sgd',
        learning_rate: learningRate,
        momentum,
        batch_size: batch.length,
        l2_decay: 0,
      });
      const inputs = batch.map((sample) => new convnetjs.Vol(sample.input));
      const targets = batch.map((sample) => (binaryLogit ? sample.target[0] : sample.target));
      return () => {
        for (let s = 0; s < inputs.length; s++) trainer.train(inputs[s], targets[s]);
      };
    },
  };
}

function tensorflowStep(workload: () => StepWorkload): BenchImplementation {
  return {
    name: 'TensorFlow.js (CPU)',
    async setup() {
      const tf = await loadTensorflow();
      const { config, batch, learningRate, momentum } = workload();
      const x = tf.tensor2d(batch.map((sample) => sample.input));
      const y = tf.tensor2d(batch.map((sample) => sample.target));
      const sizes = [config.inputs, ...config.hidden, config.outputs];
      const layers = sizes.slice(1).map((outputs, l) => ({
        weights: tf.variable(tf.randomUniform([sizes[l], outputs], -0.5, 0.5)),
        bias: tf.variable(tf.zeros([outputs])),
      }));
      const optimizer = tf.train.momentum(learningRate, momentum);
      const loss = () => {
        let activation: import('@tensorflow/tfjs-core').Tensor2D = x;
        layers.forEach((layer, l) => {
          const z = tf.add(tf.matMul(activation, layer.weights), layer.bias) as typeof x;
          // Both lesson-2 networks use sigmoid hidden units.
          const last = l === layers.length - 1;
          activation = last && config.outputActivation === 'identity' ? z : tf.sigmoid(z);
        });
        return config.loss === 'binaryCrossEntropy'
          ? tf.losses.sigmoidCrossEntropy(y, activation)
          : tf.losses.meanSquaredError(y, activation);
      };
      return () => {
        tf.tidy(() => {
          optimizer.minimize(loss as () => import('@tensorflow/tfjs-core').Scalar);
        });
      };
    },
  };
}
