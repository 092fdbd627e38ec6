/**
 * Edge: the benchmark case for lesson 3: LeNet-5 training throughput, one digit per SGD step
 * (forward, backward and update), on the first 100 bundled MNIST digits, beside the same
 * network in ConvNetJS and in TensorFlow.js on its pure-JavaScript CPU backend.
 *
 * Every implementation reads the 28x28 digit in a 2-pixel border, scaled to [-0.1, 1.175], and
 * runs C1 6@5x5, 2x2 pooling, C3 16@5x5, 2x2 pooling, C5 120@5x5, F6 84 and a 10-way softmax
 * cross-entropy, with SGD at rate 0.01. The peers have no connection table, so their C3 reads
 * all 6 S2 maps (2,416 parameters against the paper's 1,516, and 1.6 times C3's work); a second
 * modelwerk row runs that full table too, for a like-for-like ratio. ConvNetJS has only max
 * pooling and plain tanh; TensorFlow.js runs average pooling without the trainable coefficient
 * and LeNet's scaled tanh.
 */
import { createRequire } from 'node:module';
import { createSgd } from '../../blocks/optimizers.js';
import { nodeIO } from '../../cli/io.js';
import { imageSetFromDigits, readImage } from '../../data/mnist.js';
import {
  BACKGROUND,
  INK,
  LENET5_PAPER,
  clearGradients,
  createLeNet5,
  lenet5Loss,
  type LeNet5Config,
} from '../../models/lenet5.js';
import { zerosMatrix } from '../../primitives/matrix.js';
import { createRng } from '../../primitives/random.js';
import type { Matrix } from '../../primitives/shapes.js';
import type { BenchCase, BenchImplementation } from '../harness.js';
import { loadTensorflow } from '../tensorflow.js';

/** Digits cycled through by every implementation. */
const DIGIT_COUNT = 100;
const LEARNING_RATE = 0.01;

interface Digits {
  /** (28, 28) pixels in [0, 1], as modelwerk reads them. */
  images: Matrix[];
  /** The same digits as the network input: (32, 32) in [BACKGROUND, INK]. */
  inputs: Matrix[];
  labels: number[];
}

let digits: Promise<Digits> | undefined;

/** Loads the first DIGIT_COUNT bundled digits once per process. */
function loadDigits(): Promise<Digits> {
  digits ??= (async () => {
    const set = imageSetFromDigits(await nodeIO.mnistDigits());
    const order = Array.from({ length: DIGIT_COUNT }, (_, n) =>
      Math.floor((n * set.images.length) / DIGIT_COUNT),
    );
    const images = order.map((n) => readImage(set.images[n], zerosMatrix(28, 28)));
    const inputs = images.map((image) =>
      Array.from({ length: 32 }, (_, y) =>
        Array.from({ length: 32 }, (_, x) => {
          const inside = y >= 2 && y < 30 && x >= 2 && x < 30;
          return BACKGROUND + (INK - BACKGROUND) * (inside ? image[y - 2][x - 2] : 0);
        }),
      ),
    );
    return { images, inputs, labels: order.map((n) => set.labels[n]) };
  })();
  return digits;
}

export const lenet5Case: BenchCase = {
  model: 'LeNet-5',
  workload: 'one SGD step on one 28x28 digit (forward, backward, update)',
  unit: 'images/s',
  unitsPerCall: 1,
  ours: modelwerkStep('modelwerk', LENET5_PAPER),
  peers: [
    modelwerkStep('modelwerk, full C3 table', { ...LENET5_PAPER, c3Connections: undefined }),
    convnetjsStep(),
    tensorflowStep(),
  ],
};

function modelwerkStep(name: string, config: LeNet5Config): BenchImplementation {
  return {
    name,
    async setup() {
      const { images, labels } = await loadDigits();
      const model = createLeNet5(config, createRng(1));
      const optimizer = createSgd(model.parameters, { learningRate: LEARNING_RATE });
      let n = 0;
      return () => {
        clearGradients(model);
        lenet5Loss(model, images[n], labels[n], true);
        optimizer.step();
        n = (n + 1) % images.length;
      };
    },
  };
}

/** The part of ConvNetJS 0.3.0 this case uses; the package ships no types. */
interface ConvNetJs {
  Net: new () => { makeLayers(defs: object[]): void };
  Trainer: new (net: object, options: object) => { train(x: object, y: number): unknown };
  Vol: new (sx: number, sy: number, depth: number, fill: number) => { w: Float64Array };
}

function convnetjsStep(): BenchImplementation {
  return {
    name: 'ConvNetJS',
    async setup() {
      const convnetjs = createRequire(import.meta.url)('convnetjs') as ConvNetJs;
      const { inputs, labels } = await loadDigits();
      const net = new convnetjs.Net();
      net.makeLayers([
        { type: 'input', out_sx: 32, out_sy: 32, out_depth: 1 },
        { type: 'conv', sx: 5, filters: 6, stride: 1, pad: 0, activation: 'tanh' },
        { type: 'pool', sx: 2, stride: 2 },
        { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'tanh' },
        { type: 'pool', sx: 2, stride: 2 },
        { type: 'conv', sx: 5, filters: 120, stride: 1, pad: 0, activation: 'tanh' },
        { type: 'fc', num_neurons: 84, activation: 'tanh' },
        { type: 'softmax', num_classes: 10 },
      ]);
      const trainer = new convnetjs.Trainer(net, {
        method: 'sgd',
        learning_rate: LEARNING_RATE,
        momentum: 0,
        batch_size: 1,
        l2_decay: 0,
      });
      // A volume stores pixel (x, y) of depth d at ((sx * y) + x) * depth + d.
      const volumes = inputs.map((input) => {
        const volume = new convnetjs.Vol(32, 32, 1, 0);
        input.forEach((row, y) => row.forEach((value, x) => (volume.w[32 * y + x] = value)));
        return volume;
      });
      let n = 0;
      return () => {
        trainer.train(volumes[n], labels[n]);
        n = (n + 1) % volumes.length;
      };
    },
  };
}

function tensorflowStep(): BenchImplementation {
  return {
    name: 'TensorFlow.js (CPU)',
    async setup() {
      const tf = await loadTensorflow();
      const { inputs, labels } = await loadDigits();
      const xs = inputs.map((input) => tf.tensor4d(input.flat(), [1, 32, 32, 1]));
      const ys = labels.map((label) => tf.oneHot(tf.tensor1d([label], 'int32'), 10));
      const uniform = (shape: number[], fanIn: number) =>
        tf.variable(tf.randomUniform(shape, -Math.sqrt(3 / fanIn), Math.sqrt(3 / fanIn)));
      const c1 = { w: uniform([5, 5, 1, 6], 25), b: tf.variable(tf.zeros([6])) };
      const c3 = { w: uniform([5, 5, 6, 16], 150), b: tf.variable(tf.zeros([16])) };
      const c5 = { w: uniform([5, 5, 16, 120], 400), b: tf.variable(tf.zeros([120])) };
      const f6 = { w: uniform([120, 84], 120), b: tf.variable(tf.zeros([84])) };
      const out = { w: uniform([84, 10], 84), b: tf.variable(tf.zeros([10])) };
      type Tensor4D = import('@tensorflow/tfjs-core').Tensor4D;
      type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;
      const squash = <T extends Tensor4D | Tensor2D>(a: T): T =>
        tf.mul(1.7159, tf.tanh(tf.mul(2 / 3, a))) as T;
      const conv = (x: Tensor4D, layer: typeof c1) =>
        squash(tf.add(tf.conv2d(x, layer.w as Tensor4D, 1, 'valid'), layer.b) as Tensor4D);
      const pool = (x: Tensor4D) => squash(tf.avgPool(x, 2, 2, 'valid'));
      const optimizer = tf.train.sgd(LEARNING_RATE);
      let n = 0;
      return () => {
        const x = xs[n];
        const y = ys[n];
        tf.tidy(() => {
          optimizer.minimize(() => {
            const s4 = pool(conv(pool(conv(x, c1)), c3));
            const c5Out = tf.reshape(conv(s4, c5), [1, 120]) as Tensor2D;
            const f6Out = squash(tf.add(tf.matMul(c5Out, f6.w as Tensor2D), f6.b) as Tensor2D);
            const logits = tf.add(tf.matMul(f6Out, out.w as Tensor2D), out.b) as Tensor2D;
            return tf.losses.softmaxCrossEntropy(y, logits);
          });
        });
        n = (n + 1) % xs.length;
      };
    },
  };
}
