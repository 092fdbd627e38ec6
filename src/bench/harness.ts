/**
 * Edge: the benchmark harness. Each case times one workload, such as one training step of a
 * model at its lesson's settings, in modelwerk and in peer libraries that do the same work
 * (ConvNetJS, TensorFlow.js on its pure-JavaScript CPU backend). tinybench times every
 * implementation in the same run, and the results become a Markdown table with each
 * implementation's speed as a ratio to modelwerk's.
 */
import { cpus, platform, release } from 'node:os';
import { Bench } from 'tinybench';
import { fixed, integer } from '../lessons/format.js';
import { markdownTable } from '../render/markdown.js';

/** One implementation of a case's workload. */
export interface BenchImplementation {
  /** Library name for the table, for example `ConvNetJS`. */
  name: string;
  /**
   * Builds the model and data outside the timed region and returns the function to time,
   * which does one unit of the case's workload per call (for example one training step).
   */
  setup(): (() => void) | Promise<() => void>;
}

/** A workload timed in modelwerk and, where they can do the same work, in peer libraries. */
export interface BenchCase {
  /** The model, for example `LeNet-5`. */
  model: string;
  /** The work of one call, for example `one SGD step on a batch of 16 digits`. */
  workload: string;
  /** Unit of throughput, for example `samples/s` or `steps/s`. */
  unit: string;
  /** How many units one call processes, for example the batch size for `samples/s`. */
  unitsPerCall: number;
  ours: BenchImplementation;
  peers?: BenchImplementation[];
}

/** The timing of one implementation of one case. */
export interface BenchRow {
  model: string;
  workload: string;
  implementation: string;
  unit: string;
  /** Units per second, or undefined when the implementation failed. */
  throughput?: number;
  /** Relative margin of error of the mean call time, in percent (95% confidence). */
  marginPercent?: number;
  /** Throughput divided by modelwerk's throughput on the same case. */
  ratio?: number;
  /** The error message when the implementation failed. */
  error?: string;
}

export interface BenchOptions {
  /** Time budget per implementation in milliseconds, after a warmup. */
  timeMs: number;
  /** Called before each implementation is timed, to show progress. */
  onStart?: (benchCase: BenchCase, implementation: BenchImplementation) => void;
}

/** The name ours goes by in the table. */
export const OURS = 'modelwerk';

/**
 * Times every implementation of every case, one case at a time, and returns one row per
 * implementation, ours first in each case. An implementation that throws gets a row with
 * its error instead of a timing.
 */
export async function runBenchmarks(
  cases: readonly BenchCase[],
  options: BenchOptions,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const benchCase of cases) {
    const implementations = [benchCase.ours, ...(benchCase.peers ?? [])];
    const caseRows: BenchRow[] = [];
    for (const implementation of implementations) {
      options.onStart?.(benchCase, implementation);
      caseRows.push(await timeImplementation(benchCase, implementation, options.timeMs));
    }
    const ours = caseRows[0].throughput;
    for (const row of caseRows) {
      if (row.throughput !== undefined && ours !== undefined) row.ratio = row.throughput / ours;
    }
    rows.push(...caseRows);
  }
  return rows;
}

async function timeImplementation(
  benchCase: BenchCase,
  implementation: BenchImplementation,
  timeMs: number,
): Promise<BenchRow> {
  const row: BenchRow = {
    model: benchCase.model,
    workload: benchCase.workload,
    implementation: implementation.name,
    unit: benchCase.unit,
  };
  try {
    const step = await implementation.setup();
    const repeats = callsPerSample(step);
    const sample =
      repeats === 1
        ? step
        : () => {
            for (let r = 0; r < repeats; r++) step();
          };
    // A few iterations suffice for steps that take tens of milliseconds.
    const bench = new Bench({
      time: timeMs,
      iterations: 5,
      warmupTime: timeMs / 4,
      warmupIterations: 2,
    });
    bench.add(implementation.name, sample);
    await bench.run();
    const result = bench.tasks[0].result;
    if (result.state === 'errored') throw result.error;
    if (result.state !== 'completed') throw new Error(`the timing ended in state ${result.state}`);
    row.throughput = (benchCase.unitsPerCall * repeats * 1000) / result.period;
    row.marginPercent = result.latency.rme;
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
  }
  return row;
}

/** Shortest timed sample, in milliseconds; shorter ones would mostly time the timer. */
const MIN_SAMPLE_MS = 0.5;

/**
 * Returns how many calls of `step` one timed sample makes: 1 for a step that takes at least
 * MIN_SAMPLE_MS, else the power of two of calls that first takes that long. Reading the clock
 * costs tens of nanoseconds, which would swamp a perceptron update timed one call at a time.
 */
function callsPerSample(step: () => void): number {
  step();
  let repeats = 1;
  while (repeats < 1 << 20) {
    const started = performance.now();
    for (let r = 0; r < repeats; r++) step();
    if (performance.now() - started >= MIN_SAMPLE_MS) break;
    repeats *= 2;
  }
  return repeats;
}

/** The machine and runtime the numbers were measured on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  os: string;
}

export function machineInfo(): MachineInfo {
  const processors = cpus();
  return {
    cpu: processors.length > 0 ? processors[0].model.trim() : 'unknown CPU',
    cores: processors.length,
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

/** Formats the rows as the Markdown page docs/benchmarks.md. */
export function benchmarksMarkdown(
  rows: readonly BenchRow[],
  machine: MachineInfo,
  command: string,
): string {
  const table = markdownTable(
    ['model', 'workload', 'implementation', 'throughput', '± (95%)', 'speed vs modelwerk'],
    rows.map((row) => [
      row.model,
      row.workload,
      row.implementation,
      row.throughput === undefined
        ? `failed: ${row.error ?? 'unknown error'}`
        : throughputText(row.throughput, row.unit),
      row.marginPercent === undefined ? '' : `${fixed(row.marginPercent, 1)}%`,
      row.ratio === undefined ? '' : ratioText(row.ratio),
    ]),
    ['left', 'left', 'left', 'right', 'right', 'right'],
  );
  return [
    '# Benchmarks',
    '',
    `Measured with \`${command}\` on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}, ${machine.os}.`,
    '',
    'Each row times the same workload in one library. All rows come from one run, one',
    'implementation at a time, with tinybench: a warmup, then a fixed time budget per row.',
    `A workload shorter than ${MIN_SAMPLE_MS} ms is repeated within each timed sample until the`,
    'sample takes that long, so reading the clock does not dominate the time. Throughput is',
    'units of work per second from the mean sample time, and "± (95%)" is the relative margin',
    'of error of that mean. "speed vs modelwerk" is the throughput of the row divided by that',
    'of modelwerk on the same case, so 0.50x means half as fast. The numbers come from one',
    'machine and one run, so compare ratios, not absolute values, across machines.',
    '',
    ...table,
    '',
  ].join('\n');
}

/** Formats a ratio with two decimals, or two significant digits below 0.1: `0.37x`, `0.0021x`. */
export function ratioText(ratio: number): string {
  return ratio >= 0.1 ? `${fixed(ratio, 2)}x` : `${Number(ratio.toPrecision(2))}x`;
}

/** Formats a throughput with a precision that suits its size: `12,345 samples/s`, `3.21 steps/s`. */
export function throughputText(value: number, unit: string): string {
  if (value >= 100) return `${integer(value)} ${unit}`;
  if (value >= 10) return `${fixed(value, 1)} ${unit}`;
  return `${fixed(value, 2)} ${unit}`;
}
