/**
 * Layer 4: lesson 1, the perceptron (Rosenblatt, 1958).
 *
 * One threshold neuron learns the logic gates AND, OR and NAND with Rosenblatt's rule, then
 * fails on XOR, whose classes no straight line separates. The prose lives in
 * perceptron.prose.ts; this file runs the training and hands the results over.
 */
import { GATE_NAMES, gateData, type GateName } from '../data/gates.js';
import {
  createPerceptron,
  perceptronAccuracy,
  trainPerceptron,
  type Perceptron,
  type PerceptronHistory,
  type PerceptronStep,
} from '../models/perceptron.js';
import { createRng, type Rng } from '../primitives/random.js';
import type { Lesson, LessonContext, LessonResult } from './lesson.js';
import { emitAll, type Narrator } from './narrator.js';
import {
  boundarySections,
  closing,
  gateTrainedLine,
  introduction,
  progressLine,
  resultsTable,
  workedUpdate,
  xorFailure,
} from './perceptron.prose.js';

/** The settings of one run, reported by `--json`. */
export type PerceptronSettings = {
  /** Maximum passes over each truth table. */
  epochs: number;
  learningRate: number;
  /** Initial weights and bias are drawn uniformly from [-initLimit, initLimit). */
  initLimit: number;
};

/** The settings of a full run; the benchmarks time training steps at these settings. */
export const PERCEPTRON_SETTINGS: PerceptronSettings = {
  epochs: 30,
  learningRate: 0.1,
  initLimit: 0.5,
};
const QUICK: PerceptronSettings = { epochs: 10, learningRate: 0.1, initLimit: 0.5 };

/** The outcome of training one gate: everything the prose needs. */
export interface GateRun {
  gate: GateName;
  initialWeights: number[];
  initialBias: number;
  history: PerceptronHistory;
  /** The first mistake on an input other than (0, 0), so that it moved a weight, if any. */
  firstUpdate: PerceptronStep | undefined;
  perceptron: Perceptron;
  accuracy: number;
}

export const perceptronLesson: Lesson = {
  number: 1,
  name: 'perceptron',
  title: 'The perceptron',
  paper: 'Rosenblatt, 1958',
  learns: 'AND, OR and NAND with one neuron, and fails on XOR',
  needs: 'the four-row truth tables of four logic gates',
  runTime: 'about 1 s',
  options: [],
  run,
};

async function run(context: LessonContext): Promise<LessonResult> {
  const settings = context.quick ? QUICK : PERCEPTRON_SETTINGS;
  const { narrator } = context;
  const rng = createRng(context.seed);
  emitAll(narrator, introduction(settings));

  const runs: GateRun[] = [];
  for (const gate of GATE_NAMES) {
    const gateRun = trainGate(gate, settings, rng, narrator);
    runs.push(gateRun);
    narrator.emit(gateTrainedLine(gateRun));
  }

  // The first weight update of this run, whichever gate it came from (XOR always has one).
  const firstUpdate = runs.find((gateRun) => gateRun.firstUpdate !== undefined);
  if (firstUpdate !== undefined) emitAll(narrator, workedUpdate(firstUpdate));

  emitAll(narrator, resultsTable(runs));
  emitAll(narrator, boundarySections(runs));
  emitAll(narrator, xorFailure(runs[runs.length - 1]));
  emitAll(narrator, closing(runs, settings));

  const accuracy = Object.fromEntries(runs.map((gateRun) => [gateRun.gate, gateRun.accuracy]));
  return { settings, metrics: { accuracy } };
}

/** Trains a fresh perceptron on one gate, reporting each pass to a progress display. */
function trainGate(
  gate: GateName,
  settings: PerceptronSettings,
  rng: Rng,
  narrator: Narrator,
): GateRun {
  const data = gateData(gate);
  const perceptron = createPerceptron({ inputs: 2, initLimit: settings.initLimit }, rng);
  const initialWeights = perceptron.weights.slice();
  const initialBias = perceptron.bias;
  let firstUpdate: PerceptronStep | undefined;

  const progress = narrator.progress(`${gate}, passes over the truth table`, settings.epochs);
  const history = trainPerceptron(perceptron, data, {
    epochs: settings.epochs,
    learningRate: settings.learningRate,
    rng,
    onUpdate: (step) => {
      const movesWeight = step.error !== 0 && step.input.some((x) => x !== 0);
      if (firstUpdate === undefined && movesWeight) firstUpdate = step;
    },
    onEpoch: (record) => progress.update({ done: record.epoch, line: progressLine(record) }),
  });
  progress.finish();

  const accuracy = perceptronAccuracy(perceptron, data);
  return { gate, initialWeights, initialBias, history, firstUpdate, perceptron, accuracy };
}
