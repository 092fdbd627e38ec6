/**
 * Layer 4: the narration of lesson 1, functions from the run's results to sections. Every
 * number comes from the run; the text around the numbers is fixed.
 */
import { gateData, type GateName } from '../data/gates.js';
import type { PerceptronEpoch, PerceptronStep } from '../models/perceptron.js';
import { boundaryMap, sideBySide } from './art.js';
import { fixed, signed } from './format.js';
import type { Section } from './narrator.js';
import type { GateRun, PerceptronSettings } from './perceptron.js';

/** The grid the surfaces are sampled on: the unit square with a margin of 0.5. */
const LOW = -0.5;
const HIGH = 1.5;

/**
 * Grid size of the boundary chart: 41 points over [-0.5, 1.5], a step of 0.05, put grid lines
 * on 0 and 1. The chart draws each run of equal cells in a row as one rectangle, and a straight
 * boundary splits a row into at most two runs, so a fine grid costs little.
 */
const CHART_GRID = 41;

/** A surface sampled on a grid: values[row][col] is f(xs[col], ys[row]). */
export interface Surface {
  xs: number[];
  ys: number[];
  values: number[][];
}

/** Samples f on a cols x rows grid spanning [low, high] in both directions. */
export function sampleSurface(
  low: number,
  high: number,
  cols: number,
  rows: number,
  f: (x: number, y: number) => number,
): Surface {
  const xs = Array.from({ length: cols }, (_, j) => low + ((high - low) * j) / (cols - 1));
  const ys = Array.from({ length: rows }, (_, i) => low + ((high - low) * i) / (rows - 1));
  const values = ys.map((y) => xs.map((x) => f(x, y)));
  return { xs, ys, values };
}

const PERCEPTRON_DIAGRAM = [
  '  x1 ---- w1 ----.',
  '                  \\',
  '                   ( z = w1*x1 + w2*x2 + b ) ---> step(z) ---> y',
  '                  /              ^',
  "  x2 ---- w2 ----'              b",
].join('\n');

export function introduction(settings: PerceptronSettings): Section[] {
  return [
    { kind: 'heading', level: 1, text: 'Lesson 1: the perceptron (Rosenblatt, 1958)' },
    {
      kind: 'prose',
      text:
        'A perceptron is one artificial neuron. It multiplies each input by a weight, adds a ' +
        'bias, and fires (outputs 1) when that weighted sum reaches zero. Frank Rosenblatt ' +
        'showed in 1958 that such a unit can learn its weights from examples, with a rule so ' +
        'simple that it fits on one line. This lesson trains one on the truth tables of four ' +
        'logic gates, with two inputs each.',
    },
    { kind: 'diagram', text: PERCEPTRON_DIAGRAM, caption: 'A perceptron with two inputs' },
    {
      kind: 'math',
      text: [
        'weighted sum   z = w1*x1 + w2*x2 + b',
        'step function  y = 1 if z >= 0, else 0',
        'learning rule  w_k <- w_k + lr * (t - y) * x_k     for each input k',
        '               b   <- b   + lr * (t - y)',
      ].join('\n'),
    },
    {
      kind: 'prose',
      text:
        'The rule only acts on mistakes. When the prediction y equals the target t, the ' +
        'error t - y is 0 and nothing changes. When the unit outputs 0 but should output 1, ' +
        'the error is +1 and each weight grows by lr times its input, which raises z for that ' +
        'input next time; a false 1 lowers it the same way. ' +
        `Here the learning rate lr is ${settings.learningRate}, the weights and bias start ` +
        `at random values in [-${settings.initLimit}, ${settings.initLimit}), and each gate ` +
        `gets at most ${settings.epochs} passes over its four rows, in a shuffled order, ` +
        'stopping after the first pass without a mistake.',
    },
  ];
}

/** Formats the fixed-format progress line of one pass over a truth table. */
export function progressLine(record: PerceptronEpoch): string {
  const [w1, w2] = record.weights;
  return (
    `pass ${String(record.epoch).padStart(2)}  mistakes ${record.mistakes}  ` +
    `accuracy ${fixed(record.accuracy, 2)}  ` +
    `w = (${signed(w1, 3)}, ${signed(w2, 3)})  b = ${signed(record.bias, 3)}`
  );
}

export function gateTrainedLine(run: GateRun): Section {
  const passes = run.history.epochs.length;
  const value = run.history.converged
    ? `learned, pass ${passes} made no mistakes, accuracy ${fixed(run.accuracy, 2)}`
    : `not learned after ${passes} passes, accuracy ${fixed(run.accuracy, 2)}`;
  return { kind: 'result', label: run.gate, value };
}

/** Works through the run's first weight update in numbers. */
export function workedUpdate(run: GateRun): Section[] {
  const step = run.firstUpdate;
  if (step === undefined) return [];
  const [x1, x2] = step.input;
  const lr = step.learningRate;
  const digits = exampleDigits(step);
  const hand = handUpdate(step, digits);
  const [w1, w2] = hand.weightsBefore;
  const [n1, n2] = hand.weightsAfter;
  // f prints a result; p prints an operand, with a negative one in brackets.
  const f = (x: number) => fixed(x, digits);
  const p = (x: number) => (x < 0 ? `(${f(x)})` : f(x));
  const error = `(${signed(step.error, 0)})`;
  return [
    { kind: 'heading', level: 2, text: 'One update, in numbers' },
    {
      kind: 'prose',
      text:
        `The first mistake of this run that moved a weight came while learning ${run.gate}, ` +
        `in pass ${step.epoch}, on the input (${x1}, ${x2}) whose target is ${step.target}. ` +
        'Here is that update with the weights the perceptron had at that moment, rounded to ' +
        `${digits} decimals.`,
    },
    {
      kind: 'example',
      title: `${run.gate}, pass ${step.epoch}, input (${x1}, ${x2}), target ${step.target}`,
      lines: [
        'weighted sum  z = w1*x1 + w2*x2 + b',
        `                = ${p(w1)}*${x1} + ${p(w2)}*${x2} + ${p(hand.biasBefore)}`,
        `                = ${f(hand.weightedSum)}`,
        `step          y = step(${f(hand.weightedSum)}) = ${step.prediction}`,
        `error         t - y = ${step.target} - ${step.prediction} = ${signed(step.error, 0)}`,
        `update        w1 <- ${p(w1)} + ${lr} * ${error} * ${x1} = ${f(n1)}`,
        `              w2 <- ${p(w2)} + ${lr} * ${error} * ${x2} = ${f(n2)}`,
        `              b  <- ${p(hand.biasBefore)} + ${lr} * ${error} = ${f(hand.biasAfter)}`,
        `after         z = ${p(n1)}*${x1} + ${p(n2)}*${x2} + ${p(hand.biasAfter)}`,
        `                = ${f(hand.newWeightedSum)}, so y = ${hand.newPrediction}` +
          (hand.newPrediction === step.target ? ', now correct' : ', still wrong for now'),
      ],
    },
    {
      kind: 'prose',
      text:
        (step.error > 0
          ? `The unit said 0 where it should have said 1, so the rule added ${lr} times the ` +
            `input to the weights and ${lr} to the bias: the weighted sum for this input went up. `
          : `The unit said 1 where it should have said 0, so the rule subtracted ${lr} times ` +
            `the input from the weights and ${lr} from the bias: the weighted sum for this ` +
            'input went down. ') +
        (x1 === 0 || x2 === 0
          ? 'The weight whose input is 0 did not move, because that input played no part in ' +
            'the mistake.'
          : 'Both inputs are 1, so both weights moved by the same amount.'),
    },
  ];
}

/** The worked update as a hand calculation on weights rounded to a number of decimals. */
interface HandUpdate {
  weightsBefore: number[];
  biasBefore: number;
  weightedSum: number;
  weightsAfter: number[];
  biasAfter: number;
  /** The weighted sum after the update, and the prediction it gives. */
  newWeightedSum: number;
  newPrediction: number;
}

/**
 * Redoes an update on the weights rounded to `digits` decimals, so every printed line adds up.
 * Inputs are 0 or 1 and the learning rate has at most `digits` decimals, so each result is exact
 * at `digits` decimals up to floating-point error, which the rounding at the end removes.
 */
function handUpdate(step: PerceptronStep, digits: number): HandUpdate {
  const r = (x: number) => Number(fixed(x, digits));
  const [x1, x2] = step.input;
  const change = step.learningRate * step.error;
  const weightsBefore = step.weightsBefore.map(r);
  const biasBefore = r(step.biasBefore);
  const weightsAfter = weightsBefore.map((w, k) => r(w + change * step.input[k]));
  const biasAfter = r(biasBefore + change);
  const newWeightedSum = r(weightsAfter[0] * x1 + weightsAfter[1] * x2 + biasAfter);
  return {
    weightsBefore,
    biasBefore,
    weightedSum: r(weightsBefore[0] * x1 + weightsBefore[1] * x2 + biasBefore),
    weightsAfter,
    biasAfter,
    newWeightedSum,
    newPrediction: newWeightedSum >= 0 ? 1 : 0,
  };
}

/**
 * Returns the decimals of the worked update: 3, or more when the weighted sum is so close to 0
 * that on the rounded weights it would fall on the other side of 0 than the real one.
 */
function exampleDigits(step: PerceptronStep): number {
  const [x1, x2] = step.input;
  const [n1, n2] = step.weightsAfter;
  const newPrediction = n1 * x1 + n2 * x2 + step.biasAfter >= 0 ? 1 : 0;
  for (let digits = 3; digits < MAX_EXAMPLE_DIGITS; digits++) {
    const hand = handUpdate(step, digits);
    const sameBefore = (hand.weightedSum >= 0 ? 1 : 0) === step.prediction;
    if (sameBefore && hand.newPrediction === newPrediction) return digits;
  }
  return MAX_EXAMPLE_DIGITS;
}

/**
 * Maximum decimals of the worked update. NOTE: a weighted sum within about 1e-8 of 0 could still
 * print with the wrong sign at this precision.
 */
const MAX_EXAMPLE_DIGITS = 8;

export function resultsTable(runs: GateRun[]): Section[] {
  return [
    { kind: 'heading', level: 2, text: 'What each perceptron learned' },
    {
      kind: 'table',
      columns: ['gate', 'passes', 'mistakes in all', 'w1', 'w2', 'b', 'accuracy'],
      rows: runs.map((run) => [
        run.gate,
        run.history.epochs.length,
        run.history.epochs.reduce((total, record) => total + record.mistakes, 0),
        signed(run.perceptron.weights[0], 3),
        signed(run.perceptron.weights[1], 3),
        signed(run.perceptron.bias, 3),
        fixed(run.accuracy, 2),
      ]),
      caption: 'Final weights after training; accuracy is over the four rows of the truth table',
    },
    {
      kind: 'prose',
      text:
        'The weights describe a straight line, w1*x1 + w2*x2 + b = 0, with output 1 on one ' +
        'side and 0 on the other. ' +
        runs
          .filter((run) => run.history.converged)
          .map((run) => `For ${run.gate} it is ${lineEquation(run)}.`)
          .join(' ') +
        unfinishedText(runs),
    },
    {
      kind: 'chart',
      name: 'mistakes',
      title: 'Mistakes per pass over the truth table',
      chart: {
        type: 'line',
        xLabel: 'pass',
        yLabel: 'mistakes',
        series: runs.map((run) => ({
          name: run.gate,
          points: run.history.epochs.map((record): [number, number] => [
            record.epoch,
            record.mistakes,
          ]),
        })),
      },
    },
  ];
}

/** Decision boundaries as terminal art, two gates per row, and as a chart. */
export function boundarySections(runs: GateRun[]): Section[] {
  const maps = runs.map((run) => boundaryMap(artPanel(run), { ramp: ' :' }));
  const rows: string[] = [];
  for (let k = 0; k < maps.length; k += 2) {
    if (k > 0) rows.push('');
    rows.push(...sideBySide(maps.slice(k, k + 2), 6));
  }
  return [
    { kind: 'heading', level: 2, text: 'Decision boundaries' },
    {
      kind: 'diagram',
      text: rows.join('\n'),
      caption:
        "':' where the perceptron outputs 1, blank where it outputs 0; " +
        'x marks a row with target 1, o a row with target 0',
    },
    {
      kind: 'chart',
      name: 'boundaries',
      title: 'Perceptron decision boundaries',
      chart: {
        type: 'boundary',
        xLabel: 'x1',
        yLabel: 'x2',
        panels: runs.map((run) => {
          const surface = sampleSurface(LOW, HIGH, CHART_GRID, CHART_GRID, (x, y) =>
            predict(run, x, y),
          );
          return { title: run.gate, ...surface, points: truthTablePoints(run.gate) };
        }),
      },
    },
  ];
}

export function xorFailure(run: GateRun): Section[] {
  const mistakes = run.history.epochs.map((record) => record.mistakes);
  return [
    { kind: 'heading', level: 2, text: 'Why XOR fails' },
    {
      kind: 'prose',
      text:
        `In all ${mistakes.length} passes the XOR perceptron made mistakes ` +
        `(per pass: ${mistakes.join(', ')}), and it ended at accuracy ` +
        `${fixed(run.accuracy, 2)}. More passes would not help. Each mistake pulls the ` +
        'line toward one corner and pushes it off another, so the weights wander without ' +
        'settling.',
    },
    {
      kind: 'prose',
      text:
        'No line can work. XOR asks for b < 0 (input (0, 0) gives 0), w1 + b >= 0 and ' +
        'w2 + b >= 0 (inputs (1, 0) and (0, 1) give 1), and w1 + w2 + b < 0 (input (1, 1) ' +
        'gives 0). Adding the middle two gives w1 + w2 + b >= -b, and -b is positive, which ' +
        'contradicts the last. The 1s of XOR sit on one diagonal of the square and the 0s on ' +
        'the other, so the classes are not linearly separable.',
    },
  ];
}

export function closing(runs: GateRun[], settings: PerceptronSettings): Section[] {
  const learned = runs.filter((run) => run.history.converged).map((run) => run.gate);
  const learnedText =
    learned.length === 0
      ? `In ${settings.epochs} passes the neuron learned none of the gates. `
      : `One neuron learned ${joinNames(learned)} from four examples each, and each change ` +
        `to a weight added or subtracted ${settings.learningRate} times an input. `;
  return [
    { kind: 'heading', level: 2, text: 'What this means' },
    {
      kind: 'prose',
      text:
        learnedText +
        'It can only draw one straight line, though, and Minsky and Papert ' +
        '(1969) made the XOR argument above famous. The way out is a hidden layer: two ' +
        'neurons draw two lines and a third combines them. Training such a network needs ' +
        'a rule that can assign blame to the hidden weights, which is backpropagation, the ' +
        'subject of lesson 2.',
    },
  ];
}

/**
 * Notes the gates a straight line separates that training still did not learn, because it ran
 * out of passes; the convergence theorem says more passes would find a line.
 */
function unfinishedText(runs: GateRun[]): string {
  const unfinished = runs.filter((run) => !run.history.converged && run.gate !== 'XOR');
  if (unfinished.length === 0) return '';
  const names = joinNames(unfinished.map((run) => run.gate));
  const verb = unfinished.length === 1 ? 'is' : 'are';
  const passes = unfinished[0].history.epochs.length;
  return (
    ` ${names} ${verb} linearly separable as well, so more passes would find a line, but ` +
    `${passes} passes were not enough in this run.`
  );
}

/** Writes the learned line as `0.200*x1 + 0.100*x2 - 0.250 = 0`. */
function lineEquation(run: GateRun): string {
  const [w1, w2] = run.perceptron.weights;
  const b = run.perceptron.bias;
  const sign = (value: number) => (value < 0 ? '-' : '+');
  return (
    `${fixed(w1, 3)}*x1 ${sign(w2)} ${fixed(Math.abs(w2), 3)}*x2 ` +
    `${sign(b)} ${fixed(Math.abs(b), 3)} = 0`
  );
}

function predict(run: GateRun, x: number, y: number): number {
  const [w1, w2] = run.perceptron.weights;
  return w1 * x + w2 * y + run.perceptron.bias >= 0 ? 1 : 0;
}

/** Samples the art grid, whose columns and rows fall on 0 and 1 so each row of the truth table gets its own cell. */
function artPanel(run: GateRun) {
  // 17 columns step 0.125 and 9 rows step 0.25; characters are about twice as tall as wide.
  const surface = sampleSurface(LOW, HIGH, 17, 9, (x, y) => predict(run, x, y));
  return { title: run.gate, ...surface, points: truthTablePoints(run.gate) };
}

function truthTablePoints(gate: GateName): { x: number; y: number; label: number }[] {
  const { inputs, targets } = gateData(gate);
  return inputs.map(([x, y], k) => ({ x, y, label: targets[k][0] }));
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
