/**
 * Layer 4: the narration of lesson 2, functions from the run's results to sections. Every
 * number comes from the run; the text around the numbers is fixed.
 */
import type { LayerGradientNorm } from '../blocks/backprop.js';
import { mlpForward, mlpProbability, type Mlp, type MlpEpoch } from '../models/mlp.js';
import { logistic } from '../primitives/scalar.js';
import { boundaryMap, rampLegend, sideBySide, BOUNDARY_RAMP } from './art.js';
import type {
  BackpropSettings,
  ChainRuleTrace,
  CirclesRun,
  XorOutcome,
  XorRun,
} from './backprop.js';
import { exponential, fixed, integer, percent, signed } from './format.js';
import type { Section } from './narrator.js';
import { sampleSurface } from './perceptron.prose.js';

/**
 * Grid sizes of the boundary charts. The chart draws each run of cells of one colour in a row as
 * one SVG rectangle, and drawing them takes much of a narrated run. The XOR surfaces change
 * smoothly everywhere, so few cells merge and their grid stays coarse: 17 points over
 * [-0.5, 1.5] put grid lines on 0 and 1. The circles surface is flat away from the boundary,
 * so a finer grid costs little there.
 */
const XOR_CHART_GRID = 17;
const CIRCLES_CHART_GRID = 49;

const XOR_NETWORK_DIAGRAM = [
  '        w11',
  '  (x1) -------> (h1) ---.',
  '       \\     ^           \\',
  '  w21   \\   / w12         \\  v1',
  '         \\ /               \\',
  '          X                 >--> (y)',
  '         / \\               /',
  '        /   \\             /  v2',
  '       /     v           /',
  "  (x2) -------> (h2) ---'",
  '        w22',
].join('\n');

/** Draws the circles network with `hidden` sigmoid units, its parameter counts below. */
function circlesNetworkDiagram(hidden: number): string {
  const units = `${hidden} sigmoid units`;
  const hiddenParameters = `${2 * hidden} weights, ${hidden} biases`;
  const width = Math.max(units.length, hiddenParameters.length);
  return [
    `  (x, y) ---> ${units.padEnd(width)} ---> 1 output z ---> sigmoid(z) = P(inner circle)`,
    `  2 inputs    ${hiddenParameters.padEnd(width)}      ${hidden} weights, 1 bias`,
  ].join('\n');
}

export function introduction(settings: BackpropSettings): Section[] {
  return [
    {
      kind: 'heading',
      level: 1,
      text: 'Lesson 2: backpropagation (Rumelhart, Hinton and Williams, 1986)',
    },
    {
      kind: 'prose',
      text:
        'Lesson 1 ended with XOR, which no single line separates. Two hidden units can each ' +
        'draw a line and an output unit can combine them, but the perceptron rule cannot ' +
        'train them: it has no target for a hidden unit. Rumelhart, Hinton and Williams ' +
        'showed in 1986 how to get one. Make every unit smooth (a sigmoid instead of a step), ' +
        'measure the error with a differentiable loss, and the chain rule gives the ' +
        'derivative of the loss with respect to every weight, hidden ones included, in one ' +
        'backward sweep through the network. Gradient descent does the rest.',
    },
    {
      kind: 'diagram',
      text: XOR_NETWORK_DIAGRAM,
      caption: 'The 2-2-1 network; hidden units have biases b1 and b2, the output unit c',
    },
    {
      kind: 'math',
      text: [
        'hidden   h_j = sigmoid(w_j1*x1 + w_j2*x2 + b_j)      j = 1, 2',
        'output   y   = sigmoid(v1*h1 + v2*h2 + c)',
        'loss     L   = (y - t)^2, averaged over the four rows of XOR',
        'update   change <- momentum*change - lr*dL/dw;  w <- w + change   (each weight, bias)',
      ].join('\n'),
    },
    {
      kind: 'prose',
      text:
        `Settings: weights and biases start at random values in [-${settings.xorInitLimit}, ` +
        `${settings.xorInitLimit}); each of ${settings.xorEpochs} epochs takes one gradient ` +
        `step on all four rows at once, with learning rate ${settings.xorLearningRate} and ` +
        `momentum ${settings.momentum}. If a run ends with a row still wrong, the lesson ` +
        `draws fresh weights and tries again, up to ${settings.xorMaxAttempts} attempts.`,
    },
  ];
}

/** Formats the fixed-format progress line of one epoch. */
export function epochLine(record: MlpEpoch): string {
  return (
    `epoch ${String(record.epoch).padStart(4)}  loss ${fixed(record.loss, 4)}  ` +
    `accuracy ${fixed(record.accuracy, 3)}`
  );
}

/** Decimals of every number in the chain-rule example. */
const TRACE_DIGITS = 4;

/**
 * The chain-rule example as a hand calculation: every value is computed from the rounded values
 * printed before it and then rounded to TRACE_DIGITS, so each printed line adds up.
 */
interface HandTrace {
  w: number[][];
  b: number[];
  v: number[];
  c: number;
  zHidden: number[];
  h: number[];
  zOut: number;
  y: number;
  loss: number;
  dY: number;
  dZOut: number;
  dV: number[];
  dH: number[];
  dZHidden: number[];
  dW: number[][];
}

/** Redoes the trace's forward and backward pass on rounded numbers, as by hand. */
function handTrace(trace: ChainRuleTrace): HandTrace {
  const r = (x: number) => Number(fixed(x, TRACE_DIGITS));
  const [x1, x2] = trace.input;
  const t = trace.target;
  const w = trace.w.map((row) => row.map(r));
  const b = trace.b.map(r);
  const v = trace.v.map(r);
  const c = r(trace.c);

  const zHidden = [0, 1].map((j) => r(w[j][0] * x1 + w[j][1] * x2 + b[j]));
  const h = zHidden.map((z) => r(logistic(z)));
  const zOut = r(v[0] * h[0] + v[1] * h[1] + c);
  const y = r(logistic(zOut));
  const loss = r((y - t) ** 2);

  const dY = r(2 * (y - t));
  const dZOut = r(dY * y * (1 - y));
  const dV = h.map((hj) => r(dZOut * hj));
  const dH = v.map((vj) => r(dZOut * vj));
  const dZHidden = [0, 1].map((j) => r(dH[j] * h[j] * (1 - h[j])));
  const dW = dZHidden.map((dz) => [r(dz * x1), r(dz * x2)]);
  return { w, b, v, c, zHidden, h, zOut, y, loss, dY, dZOut, dV, dH, dZHidden, dW };
}

/**
 * Returns the largest difference between a derivative of the hand calculation and the one the
 * backward pass stored without rounding, both as printed: 0 when every printed digit agrees.
 */
function largestRoundingGap(hand: HandTrace, trace: ChainRuleTrace): number {
  const shown = [hand.dY, hand.dZOut, ...hand.dV, ...hand.dH, ...hand.dZHidden, ...hand.dW.flat()];
  const stored = [
    trace.dY,
    trace.dZOut,
    ...trace.dV,
    ...trace.dH,
    ...trace.dZHidden,
    ...trace.dW.flat(),
  ];
  // dL/dc and dL/db equal dL/dz_o and dL/dz_h, so they are covered too.
  const rounded = (x: number) => Number(fixed(x, TRACE_DIGITS));
  return Math.max(...shown.map((value, k) => Math.abs(value - rounded(stored[k]))));
}

/** Traces one sample through the 2-2-1 network forward and back, weight by weight. */
export function chainRule(trace: ChainRuleTrace): Section[] {
  const { input, target } = trace;
  const [x1, x2] = input;
  const hand = handTrace(trace);
  const { w, b, v, c, h, y } = hand;
  // f prints a result; n prints an operand, with a negative one in brackets.
  const f = (x: number) => fixed(x, TRACE_DIGITS);
  const n = (x: number) => (x < 0 ? `(${f(x)})` : f(x));
  const forward = [0, 1].flatMap((j) => [
    `z_h${j + 1} = w${j + 1}1*x1 + w${j + 1}2*x2 + b${j + 1} = ${n(w[j][0])}*${x1} + ` +
      `${n(w[j][1])}*${x2} + ${n(b[j])} = ${f(hand.zHidden[j])}`,
    `h${j + 1}   = sigmoid(z_h${j + 1}) = sigmoid(${f(hand.zHidden[j])}) = ${f(h[j])}`,
  ]);
  const hiddenLines = [0, 1].flatMap((j) => {
    const u = j + 1;
    return [
      `dL/dh${u}    = dL/dz_o * v${u}          = ${n(hand.dZOut)} * ${n(v[j])} = ` + f(hand.dH[j]),
      `dL/dz_h${u}  = dL/dh${u} * h${u}(1 - h${u})   = ${n(hand.dH[j])} * ${f(h[j])} * ` +
        `(1 - ${f(h[j])}) = ${f(hand.dZHidden[j])}`,
      `dL/dw${u}1   = dL/dz_h${u} * x1         = ${n(hand.dZHidden[j])} * ${x1} = ` +
        f(hand.dW[j][0]),
      `dL/dw${u}2   = dL/dz_h${u} * x2         = ${n(hand.dZHidden[j])} * ${x2} = ` +
        f(hand.dW[j][1]),
      `dL/db${u}    = dL/dz_h${u}              = ${f(hand.dZHidden[j])}`,
    ];
  });

  const gap = largestRoundingGap(hand, trace);
  const agreement =
    f(gap) === f(0)
      ? `and they agree with the lines above to all ${TRACE_DIGITS} decimals. `
      : `and they differ from the lines above by at most ${f(gap)}, because each line ` +
        'carries the rounding of the lines before it. ';
  return [
    { kind: 'heading', level: 2, text: 'The chain rule, weight by weight' },
    {
      kind: 'prose',
      text:
        `Here is one row of XOR, input (${x1}, ${x2}) with target ${target}, pushed through ` +
        'the network with the random weights its training started from. Forward, each unit ' +
        'forms its weighted sum and squashes it. Backward, each line multiplies the ' +
        'derivative arriving from above by one local derivative: that product is the chain ' +
        'rule. The sigmoid has the handy derivative sigmoid(z)(1 - sigmoid(z)), so it is ' +
        `computed from the unit output alone. Every number is rounded to ${TRACE_DIGITS} ` +
        'decimals, and each line works from the rounded numbers above it, as a calculation ' +
        'by hand would.',
    },
    {
      kind: 'example',
      title: `Forward pass, input (${x1}, ${x2}), target ${target}`,
      lines: [
        ...forward,
        `z_o  = v1*h1 + v2*h2 + c = ${n(v[0])}*${f(h[0])} + ${n(v[1])}*${f(h[1])} + ` +
          `${n(c)} = ${f(hand.zOut)}`,
        `y    = sigmoid(z_o) = sigmoid(${f(hand.zOut)}) = ${f(y)}`,
        `L    = (y - t)^2 = (${f(y)} - ${target})^2 = ${f(hand.loss)}`,
      ],
    },
    {
      kind: 'example',
      title: 'Backward pass, from the loss down to the first layer',
      lines: [
        `dL/dy     = 2(y - t)              = 2 * (${f(y)} - ${target}) = ${f(hand.dY)}`,
        `dL/dz_o   = dL/dy * y(1 - y)      = ${n(hand.dY)} * ${f(y)} * (1 - ${f(y)}) = ` +
          f(hand.dZOut),
        `dL/dv1    = dL/dz_o * h1          = ${n(hand.dZOut)} * ${f(h[0])} = ${f(hand.dV[0])}`,
        `dL/dv2    = dL/dz_o * h2          = ${n(hand.dZOut)} * ${f(h[1])} = ${f(hand.dV[1])}`,
        `dL/dc     = dL/dz_o               = ${f(hand.dZOut)}`,
        ...hiddenLines,
      ],
    },
    {
      kind: 'prose',
      text:
        'The backward pass in src/blocks/dense.ts computed the same derivatives for this ' +
        'sample without rounding, ' +
        agreement +
        'Nudging each weight by 1e-5 up and down and measuring the change in the loss gives ' +
        `its gradients to a relative error of ${exponential(trace.maxRelativeError, 1)}. A ` +
        'training step averages the gradients over the four rows and feeds the averages to ' +
        'the momentum update above. ' +
        (x2 === 0
          ? 'The gradients of w12 and w22 are 0 here because x2 is 0: a weight whose input ' +
            'is silent carries no blame.'
          : ''),
    },
  ];
}

/** Describes the trained XOR network: its outputs, what its hidden units learned, its surfaces. */
export function xorResults(xor: XorRun): Section[] {
  const { mlp, data, history } = xor;
  const last = history[history.length - 1];
  const hidden = mlp.network.layers[0];
  const outputLayer = mlp.network.layers[1];
  const rows = data.inputs.map((input, i) => {
    const y = mlpForward(mlp, input)[0];
    return [
      `(${input[0]}, ${input[1]})`,
      data.targets[i][0],
      fixed(hidden.output[0], 3),
      fixed(hidden.output[1], 3),
      fixed(y, 3),
      y >= 0.5 ? 1 : 0,
    ];
  });
  const names = [0, 1].map((j) =>
    booleanName(data.inputs.map((input) => unitOutput(mlp, input, j))),
  );
  const [v1, v2] = outputLayer.params.weights[0];

  const panels = [0, 1, 2].map((unit) => {
    const title = unit < 2 ? `h${unit + 1}` : 'y';
    const value = (x: number, y: number) =>
      unit < 2 ? unitOutput(mlp, [x, y], unit) : mlpProbability(mlp, [x, y]);
    const points = data.inputs.map(([x, y], i) => ({ x, y, label: data.targets[i][0] }));
    return { title, value, points };
  });
  const art = panels.map(({ title, value, points }) =>
    boundaryMap({ title, ...sampleSurface(-0.5, 1.5, 17, 9, value), points }),
  );
  return [
    { kind: 'heading', level: 2, text: 'XOR, learned' },
    {
      kind: 'result',
      label: 'XOR accuracy',
      value:
        `${fixed(xor.accuracy, 2)} after ${last.epoch} epochs, loss ${fixed(last.loss, 4)}` +
        (xor.attempts.length > 1 ? `, on attempt ${xor.attempts.length}` : ''),
    },
    {
      kind: 'table',
      columns: ['input', 'target', 'h1', 'h2', 'y', 'predicted'],
      rows,
      caption: 'Hidden and output activations of the trained network for each row of XOR',
    },
    {
      kind: 'prose',
      text:
        `Rounded to 0 or 1 on the four rows, hidden unit 1 computes ${names[0]} and hidden ` +
        `unit 2 computes ${names[1]}. The output weights are v1 = ${signed(v1, 2)} and ` +
        `v2 = ${signed(v2, 2)} with bias c = ${signed(outputLayer.params.bias[0], 2)}, so ` +
        `the output ${outputDirection(v1, v2)}. ` +
        (xor.accuracy === 1
          ? 'No one told the hidden units what to compute: gradient descent found two lines ' +
            'whose combination separates the classes.'
          : 'In this run gradient descent found no combination that separates the classes.'),
    },
    {
      kind: 'diagram',
      text: sideBySide(art, 4).join('\n'),
      caption:
        `Each unit's output over the plane: ${rampLegend(0, 1, BOUNDARY_RAMP)}; ` +
        'x marks a row with target 1, o a row with target 0',
    },
    {
      kind: 'chart',
      name: 'xor-units',
      title: 'What each unit of the XOR network computes',
      chart: {
        type: 'boundary',
        xLabel: 'x1',
        yLabel: 'x2',
        panels: panels.map(({ title, value, points }) => ({
          title,
          ...sampleSurface(-0.5, 1.5, XOR_CHART_GRID, XOR_CHART_GRID, value),
          points,
        })),
      },
    },
    {
      kind: 'chart',
      name: 'xor-loss',
      title: 'XOR training loss',
      chart: {
        type: 'line',
        xLabel: 'epoch',
        yLabel: 'mean squared error',
        series: [{ name: 'loss', points: history.map((r): [number, number] => [r.epoch, r.loss]) }],
      },
    },
  ];
}

/** Reports how often a fresh start stalled, from this run's attempts and extra starts. */
export function localMinima(
  xor: XorRun,
  extraStarts: XorOutcome[],
  settings: BackpropSettings,
): Section[] {
  const outcome = (start: XorOutcome) =>
    `accuracy ${fixed(start.accuracy, 2)} with loss ${fixed(start.loss, 4)}`;
  const failedAttempts = xor.attempts.slice(0, -1);
  const attemptText =
    failedAttempts.length === 0
      ? 'The first attempt of this run solved XOR. '
      : failedAttempts
          .map((attempt, k) => `Attempt ${k + 1} stalled at ${outcome(attempt)}. `)
          .join('') +
        (xor.accuracy === 1
          ? 'Fresh weights then found a solution. '
          : `Attempt ${xor.attempts.length} stalled too, and no attempts were left. `);

  const stalled = extraStarts.filter((start) => start.accuracy < 1);
  // Stalled starts that print the same are counted together, in order of first appearance.
  const counts = new Map<string, number>();
  for (const start of stalled) counts.set(outcome(start), (counts.get(outcome(start)) ?? 0) + 1);
  let stallText = `All ${extraStarts.length} of them solved XOR.`;
  if (stalled.length > 0) {
    const groups = [...counts].map(([text, count]) => `${count} at ${text}`);
    let where = `, ${joinWithAnd(groups)}`;
    if (counts.size === 1)
      where = `${stalled.length > 1 ? ', each' : ''} at ${outcome(stalled[0])}`;
    stallText =
      `${stalled.length === 1 ? 'One' : stalled.length} of them stalled${where}. ` +
      'In a stalled network some rows stay wrong ' +
      'while the gradient that would fix them has shrunk to almost nothing.';
  }
  return [
    { kind: 'heading', level: 2, text: 'Local minima' },
    {
      kind: 'prose',
      text:
        attemptText +
        'Gradient descent follows the slope of the loss downhill, and the loss surface of ' +
        'such a small network has flat regions and local minima where a walk can stop short ' +
        `of a solution. To see how often, this run trained ${extraStarts.length} more ` +
        'networks from fresh random weights with the same settings, each until its loss ' +
        `fell below ${settings.xorExtraStopLoss} or ${settings.xorEpochs} epochs passed. ` +
        stallText,
    },
  ];
}

export function circlesResults(circles: CirclesRun): Section[] {
  const { mlp, data, history } = circles;
  const last = history[history.length - 1];
  const hidden = mlp.network.layers[0];
  const outputWeights = mlp.network.layers[1].params.weights[0];
  const hiddenCount = mlp.config.hidden[0];
  const probability = (x: number, y: number) => mlpProbability(mlp, [x, y]);
  const testPoints = data.test.inputs.map(([x, y], i) => ({
    x,
    y,
    label: data.test.targets[i][0],
  }));
  const art = boundaryMap(
    { ...sampleSurface(-1.5, 1.5, 41, 21, probability), points: testPoints },
    { digits: 1 },
  );
  const distances = hidden.params.weights.map(
    (row, j) => Math.abs(hidden.params.bias[j]) / Math.hypot(row[0], row[1]),
  );
  const between = distances.filter((distance) => distance >= 0.5 && distance <= 1).length;
  const hiddenRows = hidden.params.weights.map((row, j) => {
    const distance = distances[j];
    return [
      `h${j + 1}`,
      signed(row[0], 2),
      signed(row[1], 2),
      signed(hidden.params.bias[j], 2),
      fixed(distance, 2),
      signed(outputWeights[j], 2),
    ];
  });
  return [
    { kind: 'heading', level: 2, text: 'Concentric circles' },
    {
      kind: 'prose',
      text:
        `Next, ${data.train.inputs.length + data.test.inputs.length} noisy points on two ` +
        'circles around the origin: class 1 on the inner circle, class 0 on the outer one. ' +
        `No line separates them either. A network with ${hiddenCount} sigmoid hidden units ` +
        'trains ' +
        `on ${data.train.inputs.length} of the points, in mini-batches, and is scored on the ` +
        `${data.test.inputs.length} it never sees. Its output is a logit scored with binary ` +
        'cross-entropy, which learns faster than squared error once a sigmoid output ' +
        'saturates.',
    },
    {
      kind: 'diagram',
      text: circlesNetworkDiagram(hiddenCount),
      caption: `The 2-${hiddenCount}-1 network`,
    },
    {
      kind: 'result',
      label: 'Circles accuracy',
      value:
        `${percent(circles.testAccuracy)} on held-out points, ` +
        `${percent(circles.trainAccuracy)} on training points, after ${last.epoch} epochs`,
    },
    {
      kind: 'diagram',
      text: art.join('\n'),
      caption:
        `P(inner circle) over the plane: ${rampLegend(0, 1, BOUNDARY_RAMP)}; ` +
        'x marks a held-out inner point, o an outer one',
    },
    {
      kind: 'chart',
      name: 'circles-boundary',
      title: 'Circles: decision surface and held-out points',
      chart: {
        type: 'boundary',
        xLabel: 'x',
        yLabel: 'y',
        panels: [
          {
            title: 'P(inner circle)',
            ...sampleSurface(-1.5, 1.5, CIRCLES_CHART_GRID, CIRCLES_CHART_GRID, probability),
            points: testPoints,
          },
        ],
      },
    },
    {
      kind: 'prose',
      text:
        'Each hidden unit fires on one side of a line, w1*x + w2*y + b = 0, whose distance ' +
        'from the origin is |b| / sqrt(w1^2 + w2^2). The output unit adds the units up with ' +
        'its weights and its bias and cuts the sum at zero, so the region it calls inner is ' +
        'roughly an ' +
        'intersection of half-planes bounded by these lines, a polygon around the inner ' +
        `circle. In this run ${between} of the ${distances.length} lines lie between the ` +
        'two radii, 0.5 and 1, where the classes meet.',
    },
    {
      kind: 'table',
      columns: ['unit', 'w1', 'w2', 'b', 'line distance', 'output weight'],
      rows: hiddenRows,
      caption: 'Hidden units of the trained circles network',
    },
  ];
}

/** Gradient size per layer in the two deep stacks, with the ratio that shows the vanishing. */
export function vanishingGradients(
  gradients: { sigmoid: LayerGradientNorm[]; tanh: LayerGradientNorm[] },
  settings: BackpropSettings,
): Section[] {
  const { sigmoid, tanh } = gradients;
  // The ratio of the printed norms, so a reader can check it against the table.
  const printed = (x: number) => Number(exponential(x, 2));
  const shrink = (norms: LayerGradientNorm[]) =>
    printed(norms[norms.length - 1].weights) / printed(norms[0].weights);
  return [
    { kind: 'heading', level: 2, text: 'Vanishing gradients' },
    {
      kind: 'prose',
      text:
        'Backpropagation multiplies one local derivative per layer on the way down. The ' +
        "sigmoid's derivative is at most 0.25, so in a deep stack of sigmoid units the " +
        'gradient can shrink by a factor at every layer. To measure it, this run built two ' +
        `fresh networks with ${settings.deepLayers} hidden layers of ${settings.deepWidth} ` +
        'units each, one of sigmoid and one of tanh units (whose derivative reaches 1), ' +
        'and computed the gradient of the mean cross-entropy over the circles training set ' +
        'before any training.',
    },
    {
      kind: 'table',
      columns: ['layer', 'sigmoid |dL/dW|', 'tanh |dL/dW|'],
      rows: sigmoid.map((norm, l) => [
        norm.layer,
        exponential(norm.weights, 2),
        exponential(tanh[l].weights, 2),
      ]),
      caption: "Euclidean norm of each layer's weight gradient, input side first",
    },
    {
      kind: 'chart',
      name: 'gradient-norms',
      title: 'Weight-gradient norm per layer before training',
      chart: {
        type: 'bar',
        xLabel: 'layer',
        yLabel: '|dL/dW|',
        logY: true,
        bars: [
          ...sigmoid.map((norm) => ({ label: norm.layer, value: norm.weights, group: 'sigmoid' })),
          ...tanh.map((norm) => ({ label: norm.layer, value: norm.weights, group: 'tanh' })),
        ],
      },
    },
    {
      kind: 'prose',
      text:
        `In the sigmoid stack the output layer's gradient is about ` +
        `${twoSignificant(shrink(sigmoid))} times the first layer's; in the tanh stack the ` +
        `ratio is about ${twoSignificant(shrink(tanh))}. ` +
        'With the same learning rate for every layer, the first sigmoid layers barely move: ' +
        'this is the vanishing gradient problem that held deep networks back until ' +
        'better activations (ReLU), initialisations and normalisation arrived.',
    },
  ];
}

export function closing(xor: XorRun, circles: CirclesRun): Section[] {
  const xorText =
    xor.accuracy === 1
      ? 'A hidden layer and the chain rule solved XOR, which no perceptron can'
      : `A hidden layer and the chain rule can solve XOR, which no perceptron can, though ` +
        `this run's ${xor.attempts.length} attempts ended at accuracy ${fixed(xor.accuracy, 2)}`;
  return [
    { kind: 'heading', level: 2, text: 'What this means' },
    {
      kind: 'prose',
      text:
        `${xorText}, and ${circles.mlp.config.hidden[0]} hidden units drew a boundary around ` +
        `the inner circle that scores ${percent(circles.testAccuracy)} on points it never ` +
        'saw. The same backward sweep trains every network in the lessons that follow; ' +
        'what changes is the shape of the layers it flows through.',
    },
  ];
}

/** Says how the output moves with the hidden units, from the signs of their weights. */
function outputDirection(v1: number, v2: number): string {
  const verb = (v: number) => (v > 0 ? 'rises' : 'falls');
  if (verb(v1) === verb(v2)) return `${verb(v1)} with both h1 and h2`;
  return `${verb(v1)} with h1 and ${verb(v2)} with h2`;
}

/** Formats a positive number to two significant digits: 68173 as `68,000`, 0.6004 as `0.60`. */
function twoSignificant(x: number): string {
  const rounded = Number(x.toPrecision(2));
  const exponent = Math.floor(Math.log10(rounded));
  return exponent >= 1 ? integer(rounded) : fixed(rounded, 1 - exponent);
}

/** Hidden unit j's output for one input, read after a forward pass. */
function unitOutput(mlp: Mlp, input: number[], j: number): number {
  mlpForward(mlp, input);
  return mlp.network.layers[0].output[j];
}

/**
 * Names the two-input Boolean function a unit computes, from its outputs on (0,0), (0,1),
 * (1,0) and (1,1) rounded at 0.5.
 */
function booleanName(outputs: number[]): string {
  const bits = outputs.map((value) => (value >= 0.5 ? '1' : '0')).join('');
  return BOOLEAN_NAMES[bits];
}

const BOOLEAN_NAMES: Record<string, string> = {
  '0000': 'the constant 0',
  '0001': 'AND',
  '0010': 'x1 AND NOT x2',
  '0011': 'x1',
  '0100': 'x2 AND NOT x1',
  '0101': 'x2',
  '0110': 'XOR',
  '0111': 'OR',
  '1000': 'NOR',
  '1001': 'XNOR',
  '1010': 'NOT x2',
  '1011': 'x1 OR NOT x2',
  '1100': 'NOT x1',
  '1101': 'x2 OR NOT x1',
  '1110': 'NAND',
  '1111': 'the constant 1',
};

/** Joins items as `a`, `a and b` or `a, b and c`. */
function joinWithAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
